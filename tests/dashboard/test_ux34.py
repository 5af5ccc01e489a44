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
