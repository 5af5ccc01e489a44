"""The notification text: Vietnamese and short — title, why (the reason's first clause), places, the
number of items and sources, and a link to the alert page (dashboard.public_url)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from notify.base import Message
from vocab.alerts import SEVERITY_LABELS
from vocab.timefmt import fmt_local

WHY_CHARS = 220


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
        + (f" · {fmt_local(row['raised_at'])}" if row.get("raised_at") else ""),
        f"Xem: {link}" if link else "",
    ) if x)


def render(rows: Sequence[Mapping[str, Any]], public_url: str) -> Message:
    """One message for one alert, or a digest of several."""
    ids = tuple(r["alert_id"] for r in rows)
    if len(rows) == 1:
        r = rows[0]
        return Message(f"Lắng Nghe: cảnh báo {r.get('title') or r['alert_id']}"[:150], one(r, public_url), ids,
                       _link(public_url, r["alert_id"]))
    body = "\n\n".join(one(r, public_url) for r in rows)
    return Message(f"Lắng Nghe: {len(rows)} cảnh báo mới", f"Lắng Nghe — {len(rows)} cảnh báo mới\n\n{body}", ids,
                   public_url)
