"""fix31: «Gửi thử»'s answer with the far end's words of several lines (a mail server's 550, a webhook's body): each
line was a line of the flash's markdown, and one starting with «#», «>», «-» drew a heading, a quote or a list
(round 30's sweep, hostile33). docs/SECURITY.md «Round 30 sweep», docs/NOTIFY.md."""

from __future__ import annotations

from dashboard.labels import no_links
from dashboard.views import notifications


def test_gui_thu_draws_no_block_from_the_far_ends_words():
    detail = "webhook trả lời: 500\n# Lỗi\n> x\n- y\n1. z\n---\n    mã"
    flash = no_links(notifications.test_answer(False, "Webhook (JSON)", "http://127.0.0.1:9/a", detail))  # as ui.flash draws it
    assert "\n" not in flash and "500 # Lỗi \\> x - y 1. z --- mã." in flash, flash
