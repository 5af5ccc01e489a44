"""Round 28 (ux34): this round's dashboard changes walked together in headless Chromium (docs/DASHBOARD.md,
«round 28 (`ux34`)»); what the walk found, held in AppTest (a phone as `ui.on_phone`, tests/dashboard/test_phone.py's
way). Each test fails without its fix."""

from __future__ import annotations

import pytest

from dashboard import ui
from tests.dashboard.conftest import no_exception


@pytest.fixture
def phone(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui, "on_phone", lambda: True)


def _hint(at) -> str:  # type: ignore[no-untyped-def]
    return next(c.value for c in at.caption if c.value.startswith("Mặc định: từ"))


def test_on_a_phone_the_briefing_does_not_ask_for_ctrl_p(demo_env, phone):
    """Trước giao ban said «Bấm Ctrl+P để in trang này.» at 390 px too, where there is no Ctrl key (the walk at
    390×844). On a phone the hint says to print from a computer."""
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    hint = _hint(at)
    assert "Bấm Ctrl+P" not in hint
    assert "máy tính" in hint


def test_on_a_desk_the_briefing_still_says_ctrl_p(demo_env):
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    assert "Bấm Ctrl+P để in trang này." in _hint(at)


def test_the_alert_note_box_says_its_limit_before_it_refuses(demo_env):
    """A note past 2.000 characters is refused when an action is clicked (round 28), and the box said nothing of the
    limit before. Said in its help; no `max_chars`: Chromium's box drops what is pasted past it, with no word."""
    from tests.dashboard.test_ux31 import _open_alert

    at, _aid = _open_alert(demo_env)
    box = next(t for t in at.text_area if t.label == "Ghi chú (kèm theo thao tác)")
    assert "Tối đa 2.000 ký tự" in (box.help or "")
    assert not box.proto.max_chars


def test_the_reply_and_note_boxes_of_a_case_say_their_limits(env):
    from tests.dashboard.test_cases_page import open_new_case

    at, new = open_new_case(env)
    no_exception(at)
    reply = next(t for t in at.text_area if t.label == "Nội dung trả lời")
    assert "Tối đa 5.000 ký tự" in (reply.help or "") and not reply.proto.max_chars
    note = next(t for t in at.text_input if t.label == "Ghi chú nội bộ")
    assert "Tối đa 2.000 ký tự" in (note.help or "") and not note.proto.max_chars
