"""Round 32's sweep (hostile35), the collectors' side: invisible characters from the world (docs/SECURITY.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collectors import rss
from collectors.textutil import visible
from vocab.config import SourceConfig

# Default_Ignorable_Code_Point characters the list before round 32 kept: each, put inside «Vàng» and «Uông», hid
# both place names from Places, search and watchlists (bench/hostile35.py counts what the gazetteer finds)
HIDDEN_BEFORE = {
    "arabic letter mark": "\u061c",
    "combining grapheme joiner": "\u034f",
    "mongolian vowel separator": "\u180e",
    "mongolian variation selector": "\u180b",
    "khmer inherent vowel": "\u17b4",
    "deprecated format character": "\u206a",
    "variation selector 16 in a word": "\ufe0f",
    "variation selector 1": "\ufe00",
    "tag latin capital a": "\U000e0041",
    "language tag": "\U000e0001",
    "shorthand format control": "\U0001bca0",
    "musical symbol begin beam": "\U0001d173",
    "interlinear annotation": "\ufff9",
}


@pytest.mark.parametrize("char", HIDDEN_BEFORE.values(), ids=HIDDEN_BEFORE.keys())
def test_every_default_ignorable_character_inside_a_place_name_is_dropped(char):
    text = f"Sạt lở ở phường V{char}àng Danh, TP U{char}ông Bí"
    assert visible(text) == "Sạt lở ở phường Vàng Danh, TP Uông Bí"


@pytest.mark.parametrize("filler", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u2800"])
def test_a_filler_drawn_as_a_blank_is_a_space(filler):
    """The Hangul fillers are default-ignorable but drawn as a blank: dropped, «Vàng\u3164Danh» would be one word
    where staff read two; a space keeps the name the screen shows."""
    assert visible(f"phường Vàng{filler}Danh") == "phường Vàng Danh"


def test_what_draws_an_emoji_stays():
    """Variation selectors after an emoji or a keycap's character and a subdivision flag's tags are the picture."""
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    keep = f"❤\ufe0f #\ufe0f\u20e3 🏳\ufe0f\u200d🌈 ☺\ufe0e {england} 👨\u200d👩\u200d👧"
    assert visible(keep) == keep
    # a cancel tag or tags away from a black flag are not a flag
    assert visible("a\U000e0067\U000e007fb \U000e0067🏴") == "ab 🏴"


def test_a_feed_title_with_a_hidden_mark_is_stored_as_it_reads():
    src = SourceConfig(name="x", kind="rss", url="https://example.vn/rss", outlet="X", source_type="press")
    entry = {"title": "Ngập ở V\u061càng Danh", "link": "https://example.vn/a", "summary": "U\U000e0041ông Bí mưa to"}
    item = rss.map_entry(entry, src, datetime(2026, 12, 1, 3, 0))
    assert (item.title, item.summary) == ("Ngập ở Vàng Danh", "Uông Bí mưa to")


# ---- a user name and password in a source's address ------------------------------------------------------------

SECRET = "MatKhau-Bi-Mat-35"


def test_a_configured_address_with_a_password_is_refused_at_load_without_saying_it(tmp_path):
    """httpx sent it as HTTP Basic and `langnghe -v` logged it in every request line; Nguồn tin showed it."""
    from vocab import config as C

    p = tmp_path / "o.toml"
    p.write_text('[[sources]]\nname = "a"\nkind = "rss"\n'
                 f'url = "https://canbo:{SECRET}@intranet.example.vn/rss"\noutlet = "A"\n', encoding="utf-8")
    with pytest.raises(C.ConfigError, match="tên đăng nhập hoặc mật khẩu") as err:
        C.load(p)
    assert SECRET not in str(err.value) and "https://***@intranet.example.vn/rss" in str(err.value)


@pytest.mark.parametrize("url", [f"http://canbo:{SECRET}@a.vn/r", "http://canbo@a.vn/r", f"http://:{SECRET}@a.vn/r",
                                 "HTTPS://u:p@[2001:db8::1]/r", "http://a@b@a.vn/r"])
def test_every_spelling_of_a_user_part_is_refused(url):
    from vocab.config import source_url_refusal, url_without_credentials

    assert source_url_refusal(url) and SECRET not in source_url_refusal(url)
    assert "***@" in url_without_credentials(url) and SECRET not in url_without_credentials(url)


@pytest.mark.parametrize("url", ["https://a.vn/r?email=x@y.vn", "https://a.vn/@trang/rss", "https://a.vn/r#@x",
                                 "imaps://mail.a.vn:993/INBOX"])
def test_an_at_sign_after_the_host_is_no_user_part(url):
    from vocab.config import source_url_refusal, url_without_credentials

    assert source_url_refusal(url) is None and url_without_credentials(url) == url


def test_the_sources_form_never_stores_a_password_but_may_remove_the_source():
    from orchestration import sources as sources_store

    row = {"name": "moi", "kind": "rss", "url": f"https://canbo:{SECRET}@a.vn/rss", "outlet": "M"}
    with pytest.raises(ValueError, match="tên đăng nhập hoặc mật khẩu") as err:
        sources_store.check_source(row, kinds=["rss"])
    assert SECRET not in str(err.value)
    with pytest.raises(ValueError, match="tên đăng nhập hoặc mật khẩu"):
        sources_store.check_source({**row, "enabled": False}, kinds=["rss"])  # a pause would store it again
    assert sources_store.check_source({**row, "removed": True}, kinds=["rss"])["removed"]


def test_a_saved_row_with_a_password_is_not_fetched_and_its_health_line_hides_it(tmp_path, server):
    import asyncio

    from collectors.runner import Runner
    from orchestration import sources as sources_store
    from store import sources as store_sources
    from store import users as store_users
    from store.db import utcnow
    from tests.conftest import database, make_config, rss_source, send

    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    for path in ("/a.rss", "/b.rss"):
        server.routes[path] = lambda r: send(r, 200, feed)
    cfg = make_config(tmp_path, sources=[rss_source("tot", server.url("/a.rss"))])
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_users.upsert_managed_source(cur, {
                "name": "cu", "kind": "rss", "url": server.url("/b.rss").replace("://", f"://canbo:{SECRET}@"),
                "outlet": "C", "source_type": "press", "interval_minutes": 0.0, "enabled": True, "options": {},
                "removed": False}, "quantri", utcnow())
        eff = sources_store.effective_config(cfg, db)
        summary = asyncio.run(Runner(eff, db).run_due())
    by = {o.source: o for o in summary.outcomes}
    assert by["tot"].outcome in ("ok", "not_modified")
    assert by["cu"].outcome == "error" and by["cu"].error_kind == "config"
    assert "tên đăng nhập hoặc mật khẩu" in by["cu"].error and SECRET not in by["cu"].error
    assert "/b.rss" not in server.hits  # nothing sent, the password neither


# ---- a feed's time written without a zone ----------------------------------------------------------------------

FETCH = datetime(2026, 12, 7, 3, 0)  # 10:00 in Vietnam
WRITTEN_AT_0950_VN = ["Mon, 07 Dec 2026 09:50:00", "Mon, 7 Dec 2026 9:50", "2026-12-07T09:50:00",
                      "2026-12-07 09:50:00", "07/12/2026 09:50", "Mon, 07 Dec 2026 09:50:00 GMT+7",
                      "Mon, 07 Dec 2026 09:50:00 (GMT+07:00)", "Mon, 07 Dec 2026 09:50:00 ICT",
                      "Mon, 07 Dec 2026 09:50:00 +0700", "2026-12-07T09:50:00+07:00", "2026-12-07T02:50:00Z",
                      "Mon, 07 Dec 2026 02:50:00 GMT", "Sun, 06 Dec 2026 21:50:00 EST"]


def _feed(dates: list[str]) -> bytes:
    items = "".join(f"<item><title>t{i}</title><link>https://example.vn/{i}</link><pubDate>{d}</pubDate></item>"
                    for i, d in enumerate(dates))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{items}</channel></rss>'.encode()


def _mapped(dates: list[str]) -> list:
    src = SourceConfig(name="x", kind="rss", url="https://example.vn/rss", outlet="X", source_type="press")
    return [rss.map_entry(e, src, FETCH) for e in rss.parse_feed(_feed(dates)).entries]


@pytest.mark.parametrize("written", WRITTEN_AT_0950_VN)
def test_a_feed_time_without_a_zone_is_vietnam_time(written):
    """feedparser read a zoneless ISO time as UTC (7 hours ahead: «future», dated at the fetch) and gave no time for
    RFC 822 without a zone, «GMT+7» or «dd/mm/yyyy HH:MM» (dated at the fetch); «ICT» it read as UTC. A zone it
    reads (+0700, Z, GMT, EST) reads as before."""
    (item,) = _mapped([written])
    assert (item.published_at, item.published_estimated) == (datetime(2026, 12, 7, 2, 50), False)


def test_a_first_poll_of_a_zoneless_feed_keeps_its_day_apart():
    """48 items over 24 hours, written without a zone: all 48 were dated at the one fetch (a burst of a day)."""
    dates = [f"{(FETCH + timedelta(hours=7) - timedelta(minutes=10 + 30 * i)):%a, %d %b %Y %H:%M:%S}" for i in range(48)]
    mapped = _mapped(dates)
    assert [m.published_at for m in mapped] == [FETCH - timedelta(minutes=10 + 30 * i) for i in range(48)]
    assert not any(m.published_estimated for m in mapped)


@pytest.mark.parametrize("written", ["Mon, 07 Dec 2026 09:50:00 GMT+99", "Mon, 31 Feb 2026 09:50:00", "12:30",
                                     "x" * 300, "Tue, 07 Dec 2027 09:50:00"])
def test_an_unreadable_or_future_local_time_is_still_the_fetch_flagged(written):
    (item,) = _mapped([written])
    assert item.published_at == FETCH and item.published_estimated


# ---- numbers from the world that str.isdigit() lets through -------------------------------------------------------

NOW = datetime(2026, 12, 7, 3, 0)


@pytest.mark.parametrize("count", ["²", "9" * 5000, "-3"])
def test_a_post_whose_count_is_odd_is_stored_without_the_count(count):
    """«²» passes str.isdigit() and int() refuses it; 5,000 digits pass too and int() refuses past 4,300: the
    forum post or the video was lost, counted «mapping error: ValueError»."""
    from collectors import xenforo, youtube
    from collectors.base import map_all

    fx = SourceConfig(name="f", kind="xenforo", url="https://f.example.vn/index.rss", outlet="F", source_type="social")
    yt = SourceConfig(name="y", kind="youtube", url="https://www.youtube.com/feeds/videos.xml?channel_id=UC1",
                      outlet="Y", source_type="social")
    post = {"title": "Bụi than ở Vàng Danh", "link": "https://f.example.vn/threads/1/", "summary": "x",
            "slash_comments": count}
    video = {"title": "Bụi than", "link": "https://www.youtube.com/watch?v=abc", "yt_videoid": "abc", "summary": "x",
             "media_statistics": {"views": count}}
    for fn, entry in [(lambda e: xenforo.map_xenforo_entry(e, fx, NOW), post),
                      (lambda e: youtube.map_youtube_entry(e, yt, NOW), video)]:
        items, skipped = map_all([entry], fn)[:2]
        assert len(items) == 1 and not skipped
        assert not [f for f in items[0].flags if f.startswith(("replies:", "views:"))]


@pytest.mark.parametrize("views", ["1.2.3K", ".", ",", "9" * 400])
def test_a_telegram_post_whose_views_are_odd_is_stored(views):
    from collectors import telegram

    src = SourceConfig(name="t", kind="telegram", url="https://t.me/s/kenh", outlet="T", source_type="social")
    msg = {"post": "kenh/12", "text_html": "Ngập ở Vàng Danh", "views": views}
    item = telegram.map_message(msg, src, NOW)
    assert item.summary == "Ngập ở Vàng Danh" and not [f for f in item.flags if f.startswith("views:")]


def test_an_odd_retry_after_is_no_retry_after_not_a_crash(tmp_path, server):
    """A 503 with «Retry-After: ²» was a ValueError out of the Fetcher: the source's error «crash» (a traceback in
    the log, «lỗi phần mềm») rather than the server's own 503."""
    import asyncio

    from collectors.http import parse_retry_after
    from collectors.runner import Runner
    from tests.conftest import database, make_config, rss_source, send

    assert parse_retry_after("²") is None and parse_retry_after("120") == 120.0
    server.routes["/busy.rss"] = lambda r: send(r, 503, b"", headers={"Retry-After": "²"})
    cfg = make_config(tmp_path, sources=[rss_source("ban", server.url("/busy.rss"))])
    with database(cfg.storage.db_path) as db:
        summary = asyncio.run(Runner(cfg, db).run_due())
    (o,) = summary.outcomes
    assert o.outcome == "error" and o.error_kind == "http_status" and "503" in o.error


# ---- dates at the ends of the calendar ---------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["9999-12-31T23:00:00-14:00", "0001-01-01T00:00:00+14:00"])
def test_an_api_time_with_no_utc_equivalent_is_no_time(written):
    """astimezone() raised OverflowError: every API post (Mastodon, Bluesky, Reddit, the fanpage…) so dated was lost
    at each poll, counted «mapping error: OverflowError»."""
    from collectors import _social

    assert _social.parse_iso(written) is None
    src = SourceConfig(name="m", kind="mastodon", url="https://m.example.vn/api/v1/timelines/tag/x", outlet="M",
                       source_type="social")
    item = _social.make_item(src, url="https://m.example.vn/@a/1", title="Ngập", text="Ngập ở Vàng Danh",
                             published=_social.parse_iso(written), fetched_at=NOW)
    assert item.published_at == NOW and item.published_estimated


@pytest.mark.parametrize("written", ["01/01/0001", "0001-01-01 03:00", "1/1/0001 6:59"])
def test_a_local_date_before_year_1_in_utc_is_no_date(written):
    """«01/01/0001» in Vietnam time is year 0 in UTC: an OverflowError lost the list page's post and the imported
    row («bỏ qua 1: mapping error: OverflowError»); now no date, and an import asks for --undated-now as for any."""
    from collectors.html_list import parse_vn_date
    from collectors.imports.times import parse_time

    assert parse_vn_date(written) is None and parse_time(written) is None
