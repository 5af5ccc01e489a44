"""The notification text: Vietnamese and short — title, why (the reason's first clause), places, the
number of items and sources, and a link to the alert page (dashboard.public_url).

A digest that would pass its channel's size limit (Telegram 4096 characters, Zalo 2000: `max_chars` on
the channel class) keeps whole entries while they fit, then one line per alert, then says how many more
there are and links to the alert list: a burst of 50 alerts is one message the channel accepts, and none
is cut off without a word (Telegram refused the whole message; Zalo's cut dropped the tail silently).
A row that is not an alert (the weekly report archived: a `note` and its page) opens the message."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from notify.base import Message
from vocab.alerts import SEVERITY_LABELS
from vocab.timefmt import fmt_local

WHY_CHARS = 220
FULL_SHARE = 0.6  # of a fitted digest, for whole entries; the rest lists more alerts one line each


def _why(reason: str) -> str:
    first = (reason or "").split(";")[0].strip()
    return first if len(first) <= WHY_CHARS else first[: WHY_CHARS - 1] + "…"


def _link(public_url: str, alert_id: str) -> str:
    return f"{public_url.rstrip('/')}/alerts?alert={alert_id}" if public_url else ""


def one(row: Mapping[str, Any], public_url: str) -> str:
    places = "; ".join(list(row.get("places") or [])[:3]) or "—"
    link = _link(public_url, row["alert_id"])
    return "\n".join(x for x in (
        f"[{SEVERITY_LABELS.get(row.get('severity') or '', row.get('severity') or '')}] {row.get('title') or row['alert_id']}",
        f"Vì sao: {_why(row.get('reason') or '')}",
        f"Địa bàn: {places} · {row.get('n_items') or 0} tin, {row.get('n_outlets') or 0} nguồn"
        + (f" · phát hiện lúc {fmt_local(row['raised_at'])}" if row.get("raised_at") else ""),
        f"Xem: {link}" if link else "",
    ) if x)


def _line(row: Mapping[str, Any]) -> str:
    """One alert in one line, for a digest too long to give each its full entry."""
    sev = SEVERITY_LABELS.get(row.get("severity") or "", row.get("severity") or "")
    when = f" ({fmt_local(row['raised_at'])})" if row.get("raised_at") else ""
    return f"- [{sev}] {row.get('title') or row['alert_id']}"[:200] + when


def _fitted(head: str, rows: Sequence[Mapping[str, Any]], public_url: str, max_chars: int) -> str:
    """The digest within max_chars: full entries, then one-liners, then "… và N cảnh báo khác"."""
    list_link = f"{public_url.rstrip('/')}/alerts" if public_url else ""
    reserve = 120 + len(list_link)  # room for the closing line
    parts, size, k = [head], len(head), 0
    for k, r in enumerate(rows):
        entry = "\n\n" + one(r, public_url)
        if size + len(entry) > (max_chars - reserve) * FULL_SHARE:
            break
        parts.append(entry)
        size += len(entry)
    else:
        return "".join(parts)
    first = k
    for j in range(first, len(rows)):
        line = ("\n\n" if j == first else "\n") + _line(rows[j])
        if size + len(line) > max_chars - reserve:
            break
        parts.append(line)
        size += len(line)
        k = j + 1
    if k < len(rows):
        parts.append(f"\n… và {len(rows) - k} cảnh báo khác" + (f": xem tất cả ở {list_link}" if list_link else
                                                                  " trên trang Cảnh báo"))
    return "".join(parts)


def _note(row: Mapping[str, Any], public_url: str) -> str:
    """A row that is not an alert (the weekly report archived): its line, and its page's link."""
    link = f"{public_url.rstrip('/')}{row.get('note_path') or ''}" if public_url else ""
    return str(row["note"]) + (f"\nXem: {link}" if link else "")


def render(rows: Sequence[Mapping[str, Any]], public_url: str, max_chars: int | None = None) -> Message:
    """One message for one alert, or a digest of several, within the channel's `max_chars` if it has one;
    rows that are not alerts (a weekly report archived) open it, or make it alone."""
    notes = [r for r in rows if not r.get("alert_id") and r.get("note")]
    alerts = [r for r in rows if r.get("alert_id")]
    if not notes:
        return _alerts(alerts, public_url, max_chars)
    head = "\n\n".join(_note(r, public_url) for r in notes)
    if max_chars:
        head = head[:max_chars]
    if not alerts:
        return Message(f"Lắng Nghe: {notes[0]['note']}"[:150], head, (), public_url)
    room = max(max_chars - len(head) - 2, 200) if max_chars else None
    msg = _alerts(alerts, public_url, room)
    return Message(msg.subject, f"{head}\n\n{msg.text}", msg.alert_ids, msg.link)


def _alerts(rows: Sequence[Mapping[str, Any]], public_url: str, max_chars: int | None) -> Message:
    ids = tuple(r["alert_id"] for r in rows)
    if len(rows) == 1:
        r = rows[0]
        text = one(r, public_url)
        return Message(f"Lắng Nghe: cảnh báo {r.get('title') or r['alert_id']}"[:150],
                       text[:max_chars] if max_chars else text, ids, _link(public_url, r["alert_id"]))
    head = f"Lắng Nghe — {len(rows)} cảnh báo mới"
    text = f"{head}\n\n" + "\n\n".join(one(r, public_url) for r in rows)
    if max_chars and len(text) > max_chars:
        text = _fitted(head, rows, public_url, max_chars)
    return Message(f"Lắng Nghe: {len(rows)} cảnh báo mới", text, ids, public_url)
