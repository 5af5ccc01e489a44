"""The first characters that make a spreadsheet cell's text a formula, one definition for every file we write
that Excel or LibreOffice opens: the dashboard tables' CSV download (`dashboard.ui.inert_cell`, a leading
apostrophe) and the report XLSX (`reports.xlsx_out`, Excel's quote prefix). OWASP "CSV injection"; ASVS 1.2.10.

Tab, CR, LF and NUL count as a formula start on their own: a spreadsheet skips them and then reads what follows
("\\n=HYPERLINK(…)", DDE). "+", "-" and "@" are a formula in Excel whatever follows; a CSV cell shown on screen as
well keeps an everyday "- Tin…", "+84 …" or "@Lan xem này" as written unless a call, a pipe, a sheet reference or
an "=" follows (SIGN_FOLLOWERS), since Excel at worst shows #NAME? for it."""

from __future__ import annotations

import re

CONTROL_STARTS = ("\t", "\r", "\n", "\0")
ALWAYS_STARTS = ("=", *CONTROL_STARTS)  # a formula (or DDE) whatever follows
SIGN_STARTS = ("+", "-", "@")           # a formula in Excel; in a CSV cell only before SIGN_FOLLOWERS
FORMULA_STARTS = ALWAYS_STARTS + SIGN_STARTS
SIGN_FOLLOWERS = "(|!="


def _chars(chars: str | tuple[str, ...]) -> str:
    return "".join(re.escape(c) for c in chars)


# The CSV rule: an ALWAYS_STARTS character, or a sign with a call, pipe, sheet reference or "=" after it.
CSV_FORMULA = re.compile(rf"^(?:[{_chars(ALWAYS_STARTS)}]|[{_chars(SIGN_STARTS)}](?=.*[{_chars(SIGN_FOLLOWERS)}]))",
                         re.S)
