"""Round 28's hostile sweep (`hostile31`) on the pages: crafted addresses (query parameters) open the page on its
defaults rather than a traceback. docs/SECURITY.md «Round 28 sweep»."""

from __future__ import annotations

import re

import pytest

from dashboard import ui
from dashboard.labels import no_links
from dashboard.views import explorer
from tests.dashboard.conftest import Env, no_exception

# what draws a link, an image the browser fetches from another machine, or a tag, in Streamlit markdown
DRAWN = re.compile(r"(?<!\\)\]\(|(?<!\\)<\s*(img|script|a)\b", re.I)
TYPED = "![ảnh](https://evil.example/p.png) <img src=https://evil.example/i.png> [bấm](https://evil.example/x)"


@pytest.fixture(scope="module")
def _seeded(tmp_path_factory):
    e = Env(tmp_path_factory.mktemp("h31"))
    e.seed(n_items=60)
    e.add_users()
    yield e
    e.close()


@pytest.fixture
def seeded(_seeded):
    """The module's seeded database, installed again for each test: a test on `env` between two of these installs
    its own and resets the process-wide handle when it ends."""
    import streamlit as st

    from orchestration import runtime

    runtime.install(_seeded.cfg, _seeded.db)
    st.cache_data.clear()
    return _seeded


# each was a ValueError or OverflowError out of Tin bài's _apply_query_params / _window
CRAFTED = {
    "superscript digit as a watchlist": {"watch": "²"},
    "a watchlist id of 5,000 digits": {"watch": "9" * 5000},
    "the first day": {"from": "0001-01-01", "to": "0001-01-01"},
    "the last day": {"from": "9999-12-31"},
    "the first hour": {"hour": "0001-01-01T00"},
    "the last hour": {"hour": "9999-12-31T23"},
}


@pytest.mark.parametrize("params", list(CRAFTED.values()), ids=list(CRAFTED))
def test_a_crafted_address_opens_tin_bai_on_its_defaults(seeded, params):
    at = seeded.page("explorer", "viewer")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    assert any(c.value.endswith("tin") or " tin" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.session_state["x_period"] == explorer.DEFAULT_PERIOD
    assert at.session_state["x_watch"] is None


def test_the_widest_span_a_link_may_name_lists_its_items(seeded):
    """Both days linkable, and the store's tag bound, a day before the first, overflowed: the page's traceback (round
    29, `hostile32`)."""
    at = seeded.page("explorer", "viewer")
    at.query_params["from"], at.query_params["to"] = "0001-01-02", "9999-12-30"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["x_range"] == (explorer.FIRST_LINK_DAY, explorer.LAST_LINK_DAY)
    assert any(re.fullmatch(r"[\d.]+ tin", c.value) for c in at.caption), [c.value for c in at.caption]


def test_the_address_bar_still_reads_ordinary_values():
    assert explorer._watch_id("12") == 12 and explorer._watch_id("١٢") is None
    assert explorer._dates("2026-12-01", "2026-12-07") is not None
    assert explorer._dates("0001-01-02", "9999-12-30") is not None
    assert explorer._hour_start("2026-12-03T14") is not None


def _flashes(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e.value) for e in [*at.success, *at.error]]


def test_a_time_typed_with_markdown_is_said_back_as_text(env):
    """Thông báo: the refusal quotes the digest time typed; it was drawn as markdown (an image fetched from outside)."""
    env.add_users()
    at = env.page("notifications", "analyst").run()
    at.selectbox[0].set_value("console")
    at.selectbox[2].set_value("daily")
    at.text_input[2].input(TYPED)
    next(b for b in at.button if b.label == "Lưu đăng ký").click().run()
    no_exception(at)
    said = [f for f in _flashes(at) if "Giờ gửi gộp ngày" in f]
    assert said and not DRAWN.search(said[0]), said
    assert "phải có dạng giờ:phút, ví dụ 07:30." in said[0]  # the code's own words as written


def test_a_watchlist_name_with_markdown_is_said_back_as_text(env):
    env.add_users()
    at = env.page("watch", "analyst").run()
    inputs = [t for t in at.text_input if t.label in ("Tên", "Từ khóa")][-2:]
    inputs[0].input("Bãi thải " + TYPED)
    inputs[1].input("bãi thải")
    next(b for b in at.button if b.label == "Thêm danh sách").click().run()
    no_exception(at)
    said = [f for f in _flashes(at) if "Đã thêm" in f]
    assert said and not DRAWN.search(said[0]), said


def test_no_links_leaves_words_and_punctuation_and_stops_every_link():
    assert no_links("Đã lưu (07:30), «Bãi thải».") == "Đã lưu (07:30), «Bãi thải»."
    for typed in (TYPED, "\\[x](https://e/p.png)", "<https://e/p.png>", "![x][1]"):
        assert not DRAWN.search(no_links(typed)) and "<" not in no_links(typed).replace("\\<", ""), typed
    assert ui.no_links is no_links
    assert no_links("Giá 5$ đến 10$") == "Giá 5\\$ đến 10\\$"  # not a formula (round 28's review)


# --- texts staff type: bounded where they are written ---------------------------------------------------------------

PASTED = "Bụi than tràn vào nhà dân phường Vàng Danh. " * 50_000  # a pasted document, 2.2 MB


def test_a_pasted_document_as_an_alert_note_or_reason_is_refused_and_nothing_is_written(seeded):
    from dashboard import actions
    from orchestration.accounts import User

    analyst = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with seeded.db.read() as cur:
        aid, before = cur.execute("SELECT alert_id, (SELECT count(*) FROM alert_events) FROM alerts LIMIT 1").fetchone()
    for kw in ({"note": PASTED}, {"reason": PASTED}):
        with pytest.raises(ValueError, match=r"dài 2\.(199\.999|200\.000) ký tự: tối đa 2\.000 ký tự"):
            actions.alert_action(seeded.db, analyst, aid, "dismiss" if "reason" in kw else "note", **kw)
    with pytest.raises(ValueError, match="tối đa 2.000"):
        actions.mark_briefing_held(seeded.db, analyst, None, note=PASTED)
    with seeded.db.read() as cur:
        assert cur.execute("SELECT count(*) FROM alert_events").fetchone()[0] == before
    assert "Đã thêm ghi chú" in actions.alert_action(seeded.db, analyst, aid, "note", note="x" * actions.NOTE_MAX_CHARS)


def test_report_texts_and_case_replies_are_bounded(seeded):
    from dashboard import actions, report_actions
    from orchestration.accounts import User

    analyst = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    with pytest.raises(ValueError, match=r"tối đa 20\.000 ký tự"):
        report_actions.save_rapid_text(seeded.db, analyst, "A000001", PASTED)
    with pytest.raises(ValueError, match=r"tối đa 20\.000 ký tự"):
        report_actions.save_weekly_text(seeded.db, analyst, "2026-W49", "", PASTED)
    assert report_actions.save_rapid_text(seeded.db, analyst, "A000001", "y" * actions.REPORT_TEXT_MAX_CHARS)
    from dashboard import data_cases

    with pytest.raises(ValueError, match=r"tối đa 5\.000 ký tự"):
        data_cases.reply(analyst, 1, PASTED, manual=True)
    with pytest.raises(ValueError, match=r"tối đa 2\.000 ký tự"):
        data_cases.act(analyst, 1, "note", note=PASTED)


def test_trước_giao_ban_says_a_pasted_note_is_too_long_and_marks_nothing(env):
    env.seed(n_items=30)
    env.add_users()
    at = env.page("briefing", "analyst").run()
    box = next(t for t in at.text_input if t.label.startswith("Ghi chú về buổi giao ban"))
    box.input("Đã họp. " + "x" * 3_000)
    next(b for b in at.button if b.label == "Đánh dấu đã giao ban").click().run()
    no_exception(at)
    assert any("tối đa 2.000 ký tự" in e for e in _flashes(at)), _flashes(at)
    with env.db.read() as cur:
        assert cur.execute("SELECT count(*) FROM briefings").fetchone()[0] == 0


def test_a_subscription_of_thousands_of_places_or_a_long_watchlist_name_is_refused(env):
    """Each alert raised was matched against every place of every subscription, in detection's write: 500,000 names
    typed in «Địa bàn» (1 MB) were 17 s an alert."""
    from dashboard import actions, data_notify
    from orchestration.accounts import User
    from store.notify import Subscription

    env.add_users()
    user = User("chuyenvien", "Cán bộ chuyenvien", "analyst")

    def sub(places):  # type: ignore[no-untyped-def]
        return Subscription(0, "chuyenvien", "console", "chuyenvien", "medium", (), places, (), "immediate", "07:30",
                            "", "", True)

    for places in (tuple(f"p{i}" for i in range(500_000)), ("Vàng Danh", "x" * 101)):
        with pytest.raises(ValueError, match="tối đa 50 tên, mỗi tên tối đa 100 ký tự"):
            data_notify.save(user, sub(places))
    assert data_notify.save(user, sub(("Vàng Danh", "Uông Bí")))
    with pytest.raises(ValueError, match=r"tối đa 200 ký tự"):
        actions.save_watchlist(env.db, user, {"name": "Bãi thải " * 100, "query": "bãi thải"})


@pytest.mark.parametrize("wanted", ["A999999", "x" * 100_000, "<b>[a](javascript:1)"])
def test_cảnh_báo_opened_on_an_unknown_or_crafted_alert_opens_its_queue(seeded, wanted):
    at = seeded.page("alerts", "analyst")
    at.query_params["alert"] = wanted
    at.run()
    no_exception(at)
    assert at.selectbox(key="alert_pick").value != wanted
