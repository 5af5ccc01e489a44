"""Round 29 (ux35), what ux34's walk left on Cảnh báo and Phản ánh: the alert's «Địa bàn» in the grids' words, and a
refusal in sight wherever staff have scrolled (a toast in round 29; since ux38, round 30, the message under the form
scrolled into sight: tests/dashboard/test_ux38.py). Each test fails without its fix."""

from __future__ import annotations

import pytest

from dashboard import data, ui
from dashboard.labels import md
from reports.labels import places_cell
from tests.dashboard.conftest import no_exception


@pytest.fixture
def phone(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui, "on_phone", lambda: True)


def _alert_with_an_old_ward(demo_env):  # type: ignore[no-untyped-def]
    queue = data.alerts(("new",), 50)
    for aid in queue["alert_id"]:
        places = list((data.alert(aid) or {}).get("places") or [])
        if any(p.startswith("phường ") and ", nay " in p for p in places):  # an old ward, not an old district
            at = demo_env.page("alerts", "analyst")
            at.session_state["alert_pick"] = aid
            at.run()
            no_exception(at)
            return at, places
    raise AssertionError("the demo data has no alert naming an old ward")


@pytest.mark.parametrize("on_phone", [True, False])
def test_the_alerts_places_are_named_as_the_grids_name_them(demo_env, monkeypatch, on_phone):
    """«Địa bàn, nguồn đăng» listed «phường Trưng Vương cũ, nay phường Uông Bí (TP Uông Bí cũ)», where the grids say
    «phường Uông Bí (Trưng Vương cũ)» (ux34's walk)."""
    monkeypatch.setattr(ui, "on_phone", lambda: on_phone)
    at, places = _alert_with_an_old_ward(demo_env)
    (line,) = [m.value for m in at.markdown if m.value.startswith("**Địa bàn:**")]
    assert ", nay " not in line and "cũ\\)" in line, line  # md() escapes the brackets
    assert line == "**Địa bàn:** " + md(places_cell(places)), line


def _case_with_a_long_reply(env):  # type: ignore[no-untyped-def]
    from tests.dashboard.test_cases_page import open_new_case

    at, new = open_new_case(env)
    no_exception(at)
    next(t for t in at.text_area if t.label == "Nội dung trả lời").input("x" * 5001)
    next(b for b in at.button if b.label in ("Gửi trả lời", "Ghi nhận đã trả lời")).click().run()
    no_exception(at)
    return at


def test_a_refused_reply_is_brought_into_sight_once(env):
    """Phản ánh at 1366×768: the refusal of a 5.001-character reply was drawn under its form, at the screen's bottom
    edge (ux34). It stays there, and the page scrolls it into sight once (round 29 said it in a toast too: ux38
    dropped the toast); another run within its seconds draws it without scrolling again."""
    at = _case_with_a_long_reply(env)
    errors = [e.value for e in at.error if "5.001 ký tự" in e.value]
    assert errors, [e.value for e in at.error]
    assert not list(at.toast), [t.value for t in at.toast]
    assert [h.value for h in at.get("html") if h.value == ui.INTO_VIEW] == [ui.INTO_VIEW]
    at.run()  # another run within the message's seconds (a widget touched): the message stays, no second scroll
    assert [e.value for e in at.error if "5.001 ký tự" in e.value] == errors
    assert not [h for h in at.get("html") if h.value == ui.INTO_VIEW]


def test_a_confirmation_is_no_toast(demo_env):
    """Only refusals are brought into sight: a confirmation is drawn where it was, as before, and no toast."""
    from tests.dashboard.test_ux31 import _open_alert

    at, _aid = _open_alert(demo_env)
    next(b for b in at.button if b.label == "Tiếp nhận").click().run()
    no_exception(at)
    assert [s.value for s in at.success] and not list(at.toast)
    assert not [h for h in at.get("html") if h.value == ui.INTO_VIEW]


def test_the_toasts_own_english_is_renamed():
    """A toast's long text is cut with Streamlit's «view more» / «view less» and its × is labelled «Close», English
    with no setting (Chromium, «Gửi thử» on a phone: «… \\n\\nview more»). The page renames them, as the grid's toolbar;
    the bundle installed still writes them so (a newer Streamlit that words them otherwise fails here)."""
    from pathlib import Path

    import streamlit

    from dashboard.server import TOOLBAR_WORDS, page_html
    from tests.dashboard.test_page_html import INDEX

    html = page_html(INDEX.encode(), "").decode()
    script = html[html.index("<script>(()=>{const L="):html.index("</head>")]
    assert '[data-testid=\\"stToastViewButton\\"]' in script and '[data-testid=\\"stToast\\"] button[aria-label]' in script
    for english, vietnamese in (("view more", "xem thêm"), ("view less", "thu gọn"), ("Close", "Đóng")):
        assert TOOLBAR_WORDS[english] == vietnamese and f'"{english}": "{vietnamese}"' in script
    bundle = "".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("index.*.js"))
    assert "`stToastViewButton`,onClick:u,children:r?`view less`:`view more`" in bundle
