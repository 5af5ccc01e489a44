"""The page's rename of the ⓘ buttons (dashboard.server.HELP_LABELS), run in Chromium on a page of its own: the names
Streamlit writes («Help for …», «Help») end in Vietnamese, also on a button drawn later, and a button given `help=`
(in the same tooltip box, no aria-label: its name is its text) keeps its name. Round 23 renamed those too for a
moment, and «Đánh dấu đã giao ban» could no longer be found by its name."""

from __future__ import annotations

import pytest

from dashboard.server import HELP_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-demo")]

BUTTONS = ('<div data-testid="stTooltipIcon"><button aria-label="Help for Kỳ báo cáo"></button></div>'
           '<div data-testid="stTooltipIcon"><button aria-label="Help"></button></div>'
           '<div data-testid="stTooltipIcon"><button>Đánh dấu đã giao ban</button></div>')
NAMES = "() => Array.from(document.querySelectorAll('[data-testid=\"stTooltipIcon\"] button'), b => b.getAttribute('aria-label'))"


def test_every_help_button_is_named_in_vietnamese_as_it_appears(chromium):
    page = chromium.new_page()
    page.set_content(f"<html><head>{HELP_LABELS}</head><body><main id='m'></main></body></html>")
    page.evaluate("html => { document.getElementById('m').innerHTML = html }", BUTTONS)  # drawn after the script
    page.wait_for_function(f"() => ({NAMES})().slice(0, 2).every(n => n.startsWith('Hướng dẫn'))", timeout=10_000)
    assert page.evaluate(NAMES) == ["Hướng dẫn: Kỳ báo cáo", "Hướng dẫn", None]
    assert page.get_by_role("button", name="Đánh dấu đã giao ban").count() == 1
    page.evaluate("() => document.querySelector('button').setAttribute('aria-label', 'Help for Nguồn')")  # React again
    page.wait_for_function(f"() => ({NAMES})()[0] === 'Hướng dẫn: Nguồn'", timeout=10_000)
