"""The page's rename of the ⓘ buttons (dashboard.server.HELP_LABELS), run in Chromium on a page of its own: every
name Streamlit may give one («Help for …», «Help», an empty name, none) ends in Vietnamese, and a button drawn later
too. test_local_only waits for these names on the demo's pages; an unnamed one timed out there now and then."""

from __future__ import annotations

import pytest

from dashboard.server import HELP_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-demo")]

BUTTONS = ('<div data-testid="stTooltipIcon"><button aria-label="Help for Kỳ báo cáo"></button></div>'
           '<div data-testid="stTooltipIcon"><button aria-label="Help"></button></div>'
           '<div data-testid="stTooltipIcon"><button aria-label=""></button></div>'
           '<div data-testid="stTooltipIcon"><button></button></div>'
           '<div data-testid="stTooltipIcon"><button aria-label="Helpdesk"></button></div>')
NAMES = "() => Array.from(document.querySelectorAll('[data-testid=\"stTooltipIcon\"] button'), b => b.getAttribute('aria-label'))"


def test_every_help_button_is_named_in_vietnamese_as_it_appears(chromium):
    page = chromium.new_page()
    page.set_content(f"<html><head>{HELP_LABELS}</head><body><main id='m'></main></body></html>")
    page.evaluate("html => { document.getElementById('m').innerHTML = html }", BUTTONS)  # drawn after the script
    page.wait_for_function(f"() => ({NAMES})().every(n => n && n.startsWith('Hướng dẫn'))", timeout=10_000)
    assert page.evaluate(NAMES) == ["Hướng dẫn: Kỳ báo cáo", "Hướng dẫn", "Hướng dẫn", "Hướng dẫn",
                                    "Hướng dẫn: Helpdesk"]
    page.evaluate("() => document.querySelector('button').setAttribute('aria-label', 'Help for Nguồn')")  # React again
    page.wait_for_function(f"() => ({NAMES})()[0] === 'Hướng dẫn: Nguồn'", timeout=10_000)
