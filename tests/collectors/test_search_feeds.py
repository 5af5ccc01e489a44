"""Google News and Bing News search feeds: real outlet, real address, query URLs from gazetteer names."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from collectors import search_feeds as sf
from orchestration.search_feeds import gazetteer_groups
from tests.conftest import send
from kindhelpers import collect, fresh_gates, kserver, server, source  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")


def test_google_news_items_carry_the_real_outlet(server):
    server.routes["/rss/search"] = lambda r: send(r, 200, (FIX / "google_news/search_uong_bi.xml").read_bytes())
    b = collect(source("google_news", server.url("/rss/search"), source_type="press", outlet="Google News: Uông Bí"))
    got = [(i.outlet, i.title) for i in b.items]
    assert got == [
        ("Báo Quảng Ninh", "Uông Bí đẩy nhanh tiến độ giải phóng mặt bằng dự án đường ven sông"),
        ("Sức khỏe & Đời sống", "Quảng Ninh: Bệnh viện Việt Nam - Thụy Điển Uông Bí tiếp nhận thiết bị mới"),
        ("Cổng TTĐT tỉnh Quảng Ninh", "Phường Vàng Danh ra quân vệ sinh môi trường"),
    ]
    first, cluster = b.items[0], b.items[1]
    assert first.summary == ""  # the description only repeats headline + outlet
    assert "Bệnh viện Uông Bí nhận máy chụp cộng hưởng từ" in cluster.summary
    assert all("via:google_news" in i.flags for i in b.items)
    assert first.url.startswith("https://news.google.com/rss/articles/")


def test_bing_news_items_point_at_the_outlet(server):
    server.routes["/news/search"] = lambda r: send(r, 200, (FIX / "bing_news/search_uong_bi.xml").read_bytes())
    b = collect(source("bing_news", server.url("/news/search"), source_type="press"))
    assert [(i.outlet, i.url) for i in b.items] == [
        ("Báo Quảng Ninh", "https://baoquangninh.vn/uong-bi-nguoi-dan-buc-xuc-vi-bui-than-3312345.html"),
        ("Người Lao Động", "https://nld.com.vn/tkv-tuyen-dung-ham-lo-uong-bi-196241120.htm?utm_source=bing"),
    ]
    # tracking parameters drop out of the canonical URL, so the outlet's own RSS item is the same item
    assert b.items[1].canonical_url == "https://nld.com.vn/tkv-tuyen-dung-ham-lo-uong-bi-196241120.htm"
    assert "bức xúc" in b.items[0].title


def test_spellings_and_queries():
    assert sf.spellings("Uông Bí") == ["Uông Bí", "Uong Bi"]
    assert sf.spellings("Đông Triều") == ["Đông Triều", "Dong Trieu"]
    assert sf.spellings("Nam Kha") == ["Nam Kha"]
    assert sf.query_for(["Uông Bí", "phường Yên Tử"]) == '"Uông Bí" OR "Uong Bi" OR "phường Yên Tử" OR "phuong Yen Tu"'


def test_google_and_bing_urls_decode_to_the_query():
    g = urlsplit(sf.google_news_url(["Vàng Danh"], window="2d"))
    assert g.netloc == "news.google.com" and g.path == "/rss/search"
    q = parse_qs(g.query)
    assert q["q"] == ['"Vàng Danh" OR "Vang Danh" when:2d'] and q["hl"] == ["vi"] and q["ceid"] == ["VN:vi"]
    b = urlsplit(sf.bing_news_url(["Vàng Danh"]))
    qb = parse_qs(b.query)
    assert qb["q"] == ['"Vàng Danh" OR "Vang Danh"'] and qb["format"] == ["rss"]


def test_groups_cover_old_and_2025_names():
    groups, origin = gazetteer_groups()
    names = [n for _, ns in groups for n in ns]
    assert origin == "nlp.gazetteer"
    for must in ("Uông Bí", "Quảng Ninh", "phường Vàng Danh", "phường Yên Tử"):
        assert must in names
    assert any("Trưng Vương" in n for n in names) and any("Thượng Yên Công" in n for n in names)
    srcs = sf.search_sources(groups)
    assert {s["kind"] for s in srcs} == {"google_news", "bing_news"}
    assert len({s["name"] for s in srcs}) == len(srcs)
    toml = sf.to_toml(srcs[:1])
    assert toml.startswith("[[sources]]") and 'kind = "google_news"' in toml


def test_a_focus_that_was_no_district_is_queried_as_written_never_uong_bi():
    groups, origin = gazetteer_groups("Bắc Ninh", "phường Kinh Bắc")
    assert origin == "nlp.gazetteer"
    assert groups == [("bac-ninh", ["Bắc Ninh"]), ("phuong-kinh-bac", ["phường Kinh Bắc"])]


def test_whole_province_queries_its_old_districts_and_the_absorbed_provinces():
    groups, _ = gazetteer_groups("Bắc Ninh", "")
    names = [n for _, ns in groups for n in ns]
    assert names[0] == "Bắc Ninh" and names.count("Bắc Ninh") == 1 and all(ns for _, ns in groups)
    assert {"Yên Phong", "Việt Yên", "Lục Ngạn"} <= set(names)   # Việt Yên, Lục Ngạn: Bắc Giang before 2025
    assert not {"Uông Bí", "Quảng Ninh"} & set(names)


def test_a_focus_without_the_2025_mapping_has_no_empty_group():
    groups, _ = gazetteer_groups("Hải Phòng", "Hải Dương")
    assert groups[:2] == [("hai-phong", ["Hải Phòng"]), ("hai-duong", ["Hải Dương"])]
    assert all(ns for _, ns in groups) and any("Cẩm Thượng" in n for _, ns in groups for n in ns)


def test_search_feeds_command_prints_valid_sources(capsys):
    import tomllib

    from langnghe import cli

    assert cli.main(["search-feeds", "--engine", "bing_news"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["sources"] and {s["kind"] for s in data["sources"]} == {"bing_news"}
    assert any("Uong+Bi" in s["url"] for s in data["sources"])
