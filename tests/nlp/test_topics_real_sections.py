"""The VnExpress section map of nlp/eval/topics_real.py (a real-news proxy read from the eval-only RSS snapshots):
a link's subdomain and section give our topic code, and sections outside our codes give none. Pure; the eval-only
files are not read here."""

import pytest

from nlp.eval.topics_real import vnexpress_section


@pytest.mark.parametrize("link,code", [
    ("http://vnexpress.net/tin-tuc/giao-duc/hoc-tieng-anh/bai-1-3556123.html", "education"),
    ("https://vnexpress.net/tin-tuc/phap-luat/vu-an-3556124.html", "public_order"),
    ("http://video.vnexpress.net/tin-tuc/phap-luat/clip-3556125.html", "public_order"),
    ("http://suckhoe.vnexpress.net/tin-tuc/suc-khoe/an-uong-3556126.html", "health"),
    ("http://suckhoe.vnexpress.net/tin-tuc/khoe-dep/da-3556127.html", "health"),
    ("http://kinhdoanh.vnexpress.net/tin-tuc/doanh-nghiep/lai-3556128.html", "economy"),
    ("http://kinhdoanh.vnexpress.net/tin-tuc/bat-dong-san/can-ho-3556129.html", "land"),
    ("http://dulich.vnexpress.net/tin-tuc/viet-nam/bien-3556130.html", "culture_tourism"),
    ("\n  http://vnexpress.net/tin-tuc/giao-duc/tuyen-sinh-3556131.html\n", "education"),
])
def test_sections_that_map(link, code):
    assert vnexpress_section(link) == code


@pytest.mark.parametrize("link", [
    "http://vnexpress.net/tin-tuc/thoi-su/giao-thong-3556132.html",   # current affairs: no single code
    "http://vnexpress.net/tin-tuc/the-gioi/my-3556133.html",           # world news
    "http://thethao.vnexpress.net/tin-tuc/champions-league/tran-3556134.html",
    "http://giaitri.vnexpress.net/tin-tuc/gioi-sao/ca-si-3556135.html",
    "https://example.com/tin-tuc/giao-duc/x.html",
    "",
])
def test_sections_that_do_not_map(link):
    assert vnexpress_section(link) is None
