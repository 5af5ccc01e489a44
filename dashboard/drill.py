"""Drill-down: what a click on a chart opens in Tin bài (no Streamlit here; `ui.open_items` opens it).

Every chart bar, slice or point of the dashboard stands for a set of items; its Tin bài filter (the page's
query parameters, so the address bar holds it and a link can be shared) must select exactly those items:
the same Vietnam-time bucket (a local day is `from`=`to`=that day, a local hour `hour`=YYYY-MM-DDTHH), the
same effective tags (staff corrections over the model's), and the charts count every item, so the filter
says `all=1` (Tin bài otherwise opens on the watched area only). docs/DASHBOARD.md lists chart by chart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd

EVERY_ITEM = {"all": "1"}  # the charts count every item, not only the watched area's


def points(event: object) -> list[dict[str, Any]]:
    """The points a plotly selection event holds (none when the chart was not clicked)."""
    try:
        return [dict(p) for p in event.selection.points]  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        return []


def custom(point: dict[str, Any]) -> list[Any]:
    """A point's customdata as a list (the views put the bucket's codes there, not its label)."""
    cd = point.get("customdata")
    if cd is None:
        return []
    return list(cd) if isinstance(cd, (list, tuple)) else [cd]


def day_iso(value: object) -> str:
    """A chart's day (a Timestamp, a date or plotly's '2026-12-03' / '2026-12-03 00:00') as YYYY-MM-DD."""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return pd.Timestamp(str(value)).strftime("%Y-%m-%d")


def day(value: object) -> dict[str, str]:
    """One local (Vietnam) day."""
    d = day_iso(value)
    return {"from": d, "to": d}


def hour(value: object) -> dict[str, str]:
    """One local (Vietnam) hour."""
    return {"hour": pd.Timestamp(str(value) if not isinstance(value, datetime) else value).strftime("%Y-%m-%dT%H")}


def from_points(event: object, build: Any) -> dict[str, Any] | None:
    """The filter of the first clicked point `build(point)` knows (None for a point it does not)."""
    for p in points(event):
        f = build(p)
        if f:
            return f
    return None
