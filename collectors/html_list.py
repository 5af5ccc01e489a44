"""Web pages without feeds: a list page read with CSS selectors set in TOML.

    [[sources]] kind = "html_list", url = list page, options = {item = "li.pakn-item",
        title = "h3 a", link = "h3 a", date = ".pakn-ngay", summary = ".pakn-noidung", …}
        │ robots.txt checked first (collectors.robots) — a disallow is an error on the source page
        │ page decoded whatever its charset (UTF-8, Windows-1258…), parsed with selectolax (lexbor)
        ▼
    extract_rows (pure) ─▶ dicts {title, link, date, summary, author} ─▶ map_row (pure) ─▶ Item

Used for government citizen-feedback portals (phản ánh kiến nghị) and local news sites with no RSS.
Links are resolved against the page address. Dates are read from the text (or an attribute) in the
forms Vietnamese sites use — "20/11/2024 08:15", "08:15 20/11/2024", "Thứ tư, 20/11/2024 - 08:15",
"2024-11-20T08:15:00+07:00" — and taken as local time (UTC+7) unless they carry an offset.

If the `item` selector matches nothing, the page changed (or the list is empty): the batch has no items
and the counted reason "response shape changed: selector … matched nothing", shown on health. Set
`empty` to a selector that marks a legitimately empty list to make that case silent.

options:
  item            str, required — CSS selector of one list entry.
  title           str, required — selector (inside the entry) whose text is the title.
  link            str, default = title — selector of the <a>; its `link_attr` is the link.
  link_attr       str, default "href".
  date            str, default "" — selector of the date text; "" = no date (fetch time, flagged).
  date_attr       str, default "" — read the date from this attribute (e.g. "datetime") instead of text.
  summary         str, default "" — selector of a teaser/summary.
  author          str, default "" — selector of the author (masked in the UI for social sources).
  empty           str, default "" — selector present when the list is legitimately empty.
  utc_offset_hours float, default 7 — local time of dates without an offset.
  respect_robots  bool, default true.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Mapping
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from collectors import _social
from collectors.base import Batch, CollectContext, DocumentError, SkipItem
from vocab.item import Item
from collectors.registry import register
from collectors.textutil import block_depth_over, tidy
from vocab.config import SourceConfig

# Block elements left open deeper than this make the page a DocumentError before lexbor parses it: lexbor's time
# grows with the square of that depth (40,000: 6 s; a 5 MB page of them longer than any deadline), and it parses
# in the collectors' event loop. Real list pages are a few dozen deep; a sloppy one with unclosed divs a few hundred.
# A constant, not a [limits] setting: raising it buys no real page and brings the quadratic time back.
MAX_BLOCK_DEPTH = 3000

DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")  # 12/05/26 = 12/05/2026
_DMY4 = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# 14:30, 14h30, 14g30, 14:30:05, 14.30 (not "1.000": nothing may follow the minutes' two digits), and a
# bare hour "14h" / "14g" (then :00); SA/CH are vi-VN's AM/PM
_HM = re.compile(r"(?<!\d)(\d{1,2})(?:[:hg.](\d{2})(?!\d)(?:[:.](\d{2})(?!\d))?|[hg](?!\w))(?:\s*(SA|CH|AM|PM)\b)?", re.I)


def full_year(year: int) -> int:
    """A year as written, two digits made four by strptime's %y rule: 00–68 are 20yy, 69–99 are 19yy. '31/12/99'
    is 1999; read as 2099 it was a date 73 years ahead that the future-date guard replaced by the fetch time."""
    return year if year >= 100 else year + (2000 if year < 69 else 1900)


def parse_vn_date(text: str, *, utc_offset_hours: float = 7.0) -> datetime | None:
    """A date as Vietnamese sites write it → naive UTC. Pure. None if no date is found.
    Day first (12/05/2026 is 12 May; a two-digit year as full_year reads it); ISO dates; an impossible day/month
    such as 05/13/2026 (US order) is no date, never swapped."""
    if not text:
        return None
    iso = _social.parse_iso(text.strip())
    if iso is not None and re.search(r"(Z|[+-]\d{2}:?\d{2})\s*$", text.strip()):
        return iso
    found = _find_date(text)
    if found is None:
        return None
    (year, month, day), m = found
    rest = text[: m.start()] + " " + text[m.end():]
    hm = _HM.search(rest)
    hour, minute, sec = (_hour(int(hm.group(1)), hm.group(4)), int(hm.group(2) or 0), int(hm.group(3) or 0)) if hm else (0, 0, 0)
    try:
        local = datetime(year, month, day)
    except ValueError:
        return None
    if hour < 24 and minute < 60 and sec < 60:  # an impossible time ("25:10") loses the time, not the date
        local = local.replace(hour=hour, minute=minute, second=sec)
    try:
        return local - timedelta(hours=utc_offset_hours)
    except OverflowError:  # «01/01/0001» in Vietnam is year 0 in UTC: the post or the imported row was lost with a
        return None  # «mapping error: OverflowError» (round 32, hostile35); now no date, as for any impossible one


def _hour(hour: int, half: str | None) -> int:
    """The hour on a 24-hour clock: '9:05 CH' / '9:05 PM' is 21:05 (it read as 09:05), '12:10 SA' is 00:10.
    An hour over 12 with a marker stays as written (then no date, as for any impossible time)."""
    if not half or hour > 12:
        return hour
    return hour % 12 + (12 if half.upper() in ("CH", "PM") else 0)


def _find_date(text: str) -> tuple[tuple[int, int, int], re.Match[str]] | None:
    """(year, month, day) and where: a four-digit-year date (day first, then ISO) before a two-digit-year one,
    so that a dotted time ("2026-05-12 08.30.00", "10.11.12") is never read as the date 08/30/2000 or 10/11/2012."""
    if m := _DMY4.search(text):
        return (int(m.group(3)), int(m.group(2)), int(m.group(1))), m
    if m := _YMD.search(text):
        return (int(m.group(1)), int(m.group(2)), int(m.group(3))), m
    if m := DMY.search(text):
        return (full_year(int(m.group(3))), int(m.group(2)), int(m.group(1))), m
    return None


def _text(node: Any) -> str:
    return tidy(node.text(separator=" ", strip=True)) if node is not None else ""


def extract_rows(html: str, page_url: str, options: Mapping[str, Any]) -> tuple[list[dict[str, str]], bool, bool]:
    """(rows, item_selector_matched, empty_marker_found). Pure."""
    item_sel = options.get("item")
    title_sel = options.get("title")
    if not item_sel or not title_sel:
        raise ValueError("html_list needs options.item and options.title (CSS selectors)")
    link_sel = options.get("link") or title_sel
    link_attr = options.get("link_attr") or "href"
    if block_depth_over(html, MAX_BLOCK_DEPTH):
        raise DocumentError(f"trang HTML lồng nhau quá sâu (hơn {MAX_BLOCK_DEPTH} khối mở lồng nhau): không đọc; "
                            "trang hỏng, hoặc cố ý làm treo trình đọc")
    tree = LexborHTMLParser(html)
    nodes = tree.css(item_sel)
    empty_sel = options.get("empty") or ""
    empty = bool(empty_sel) and tree.css_first(empty_sel) is not None
    rows = []
    for node in nodes:
        link_node = node.css_first(link_sel)
        href = (link_node.attributes.get(link_attr) or "") if link_node is not None else ""
        date = ""
        if options.get("date"):
            dn = node.css_first(options["date"])
            if dn is not None:
                date = (dn.attributes.get(options["date_attr"]) or "") if options.get("date_attr") else _text(dn)
        rows.append({
            "title": _text(node.css_first(title_sel)),
            "link": urljoin(page_url, href.strip()) if href.strip() else "",
            "date": date,
            "summary": _text(node.css_first(options["summary"])) if options.get("summary") else "",
            "author": _text(node.css_first(options["author"])) if options.get("author") else "",
        })
    return rows, bool(nodes), empty


_LABEL = re.compile(r"^(người gửi|tác giả|ngày gửi|ngày đăng|ngày|đăng lúc)\s*:\s*", re.I)


def map_row(
    row: Mapping[str, str], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One extracted list row → Item. Pure. Raises SkipItem with a reason."""
    row = {k: _social.as_text(row.get(k)) for k in ("title", "link", "date", "author", "summary")}
    if not row["title"]:
        raise SkipItem("no title (selector matched nothing in the entry)")
    if not row["link"]:
        raise SkipItem("no link (selector or attribute missing in the entry)")
    offset = _social.opt(source, "utc_offset_hours", 7.0)
    published = parse_vn_date(row["date"], utc_offset_hours=offset)
    flags = []
    if row["date"] and published is None:
        flags.append("unparsed_date")
    author = _LABEL.sub("", row["author"]) or None
    return _social.make_item(
        source,
        url=row["link"],
        title=row["title"],
        text=row["summary"],
        published=published,
        fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes,
        author=author,
        flags=flags,
    )


@register
class HtmlListCollector:
    kind = "html_list"
    label = "Trang web không có RSS"
    description = ("Danh sách phản ánh kiến nghị, tin của trang địa phương. "
                   "Cần khai báo bộ chọn CSS; tuân thủ robots.txt; trang đổi giao diện thì phải sửa.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched, html = await _social.fetch_page(source, ctx)
        rows, matched, empty = extract_rows(html, fetched.url, source.options)
        why = None if empty else f"response shape changed: selector {source.options.get('item')!r} matched nothing"
        return _social.to_batch(fetched, rows if matched else None, map_row, source, ctx, why_none=why)
