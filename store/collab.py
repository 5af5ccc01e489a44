"""Collaborator reports: save one (item + report row, one transaction), list them, fetch a screenshot.

`orchestration.ingest.submit_report` maps the report to an Item (collectors.collab), looks it up once with
`saved_before` inside `Database.write()`, checks the hourly limit and `insert_report`s a new one there (its item and
its collab_reports row), and sends the new item down the one ingest path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from store.db import one
from store.items import insert_items
from vocab.item import Item

if TYPE_CHECKING:
    import duckdb

MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024  # a phone's screenshot is well under; the Báo cáo CTV page says the limit
# An identical report (same collaborator, words, place, channel, link and screenshot) sent again within this many
# minutes is a resend (a double tap; the form sent again after a dropped connection put its text back), not news.
RESEND_MINUTES = 10


@dataclass(frozen=True)
class NewReport:
    reporter: str
    text: str
    place: str
    channel: str
    link: str | None = None
    screenshot: bytes | None = None
    screenshot_mime: str | None = None
    screenshot_name: str | None = None


@dataclass(frozen=True)
class Saved:
    report_id: str
    item_id: str
    new_item: bool          # False: the link/text was already an item (the report is linked to it)
    duplicate_report: bool  # True: this exact report was already saved


def saved_before(cur: "duckdb.DuckDBPyConnection", r: NewReport, rid: str, now: datetime) -> Saved | None:
    """The report as saved before (same id, or a resend within RESEND_MINUTES), or None: a new report."""
    exists = one(cur.execute("SELECT item_id FROM collab_reports WHERE id = ?", [rid]))
    if exists:
        return Saved(rid, exists[0], False, True)
    resent = _resent(cur, r, now)
    return Saved(resent[0], resent[1], False, True) if resent else None


def insert_report(cur: "duckdb.DuckDBPyConnection", r: NewReport, item: Item, rid: str, now: datetime) -> Saved:
    """Store a report `saved_before` found new, in the same transaction (so the lookup runs once per report)."""
    if r.screenshot is not None and len(r.screenshot) > MAX_SCREENSHOT_BYTES:
        raise ValueError(f"screenshot larger than {MAX_SCREENSHOT_BYTES // (1024 * 1024)} MB")
    new_ids = insert_items(cur, [item])
    item_id = item.id
    if not new_ids:
        row = one(cur.execute(
            "SELECT id FROM items WHERE canonical_url = ? OR content_hash = ? ORDER BY id LIMIT 1",
            [item.canonical_url, item.content_hash],
        ))
        item_id = row[0] if row else item.id
    cur.execute(
        """
        INSERT INTO collab_reports (id, item_id, created_at, reporter, text, place, channel, link,
                                    screenshot, screenshot_mime, screenshot_name)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [rid, item_id, now, r.reporter, r.text.strip(), r.place.strip() or None, r.channel, r.link or None,
         r.screenshot, r.screenshot_mime, r.screenshot_name],
    )
    return Saved(rid, item_id, bool(new_ids), False)


def sent_since(cur: "duckdb.DuckDBPyConnection", reporter: str, since: datetime) -> tuple[int, datetime | None]:
    """How many reports `reporter` sent from `since` on, and when the oldest of them was sent (None: none)."""
    n, oldest = one(cur.execute("SELECT count(*), min(created_at) FROM collab_reports WHERE reporter = ? AND created_at >= ?",
                                [reporter, since]))
    return int(n), oldest


def _resent(cur: "duckdb.DuckDBPyConnection", r: NewReport, now: datetime) -> tuple[str, str] | None:
    """(id, item id) of the same report saved in the last RESEND_MINUTES, or None."""
    return one(cur.execute(
        """
        SELECT id, item_id FROM collab_reports
        WHERE reporter = ? AND text = ? AND coalesce(place, '') = ? AND channel = ? AND coalesce(link, '') = ?
          AND screenshot IS NOT DISTINCT FROM ?::BLOB AND created_at BETWEEN ? AND ?
        ORDER BY created_at DESC, id LIMIT 1
        """,
        [r.reporter, r.text.strip(), r.place.strip(), r.channel, r.link or "", r.screenshot,
         now - timedelta(minutes=RESEND_MINUTES), now],
    ))


def recent_reports(cur: "duckdb.DuckDBPyConnection", limit: int = 50, reporter: str | None = None) -> list[dict[str, Any]]:
    """Newest reports first (no screenshot bytes; `has_screenshot` instead)."""
    where, params = ("WHERE reporter = ?", [reporter]) if reporter else ("", [])
    rows = cur.execute(
        f"""
        SELECT id, item_id, created_at, reporter, text, place, channel, link, screenshot IS NOT NULL
        FROM collab_reports {where} ORDER BY created_at DESC, id LIMIT ?
        """,
        [*params, limit],
    ).fetchall()
    keys = ("id", "item_id", "created_at", "reporter", "text", "place", "channel", "link", "has_screenshot")
    return [dict(zip(keys, r)) for r in rows]


def screenshot(cur: "duckdb.DuckDBPyConnection", report_id_: str) -> tuple[bytes, str] | None:
    row = one(cur.execute(
        "SELECT screenshot, screenshot_mime FROM collab_reports WHERE id = ? AND screenshot IS NOT NULL",
        [report_id_],
    ))
    return (bytes(row[0]), row[1] or "application/octet-stream") if row else None


def count_reports(cur: "duckdb.DuckDBPyConnection") -> int:
    return int(one(cur.execute("SELECT count(*) FROM collab_reports"))[0])
