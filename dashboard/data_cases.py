"""Cached reads and the audited writes of the Phản ánh page (same pattern as dashboard/data.py: named
functions of store/cases.py and orchestration/cases.py; no SQL here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.actions import NOTE_MAX_CHARS, REPLY_MAX_CHARS, bounded
from orchestration import cases as case_service
from orchestration.accounts import User, role_allows
from store import cases as store_cases

TTL = 10


@data.feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def queue(statuses: tuple[str, ...] | None, channels: tuple[str, ...] | None, assignee: str | None,
          limit: int = 500) -> tuple[pd.DataFrame, int]:
    """The head of the queue (at most `limit` cases) and how many cases the filter holds in all."""
    with data.db().read() as cur:
        df = pd.DataFrame(store_cases.list_cases(cur, statuses=statuses, channels=channels, assignee=assignee,
                                                 now=data.now(), limit=limit))
        total = store_cases.count_cases(cur, statuses=statuses, channels=channels, assignee=assignee)
    return (data.to_local(df, "opened_at", "due_at", "answered_at", "closed_at") if len(df) else df), total


@data.feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def case(case_id: int) -> dict[str, Any] | None:
    with data.db().read() as cur:
        c = store_cases.get_case(cur, case_id)
    if c:
        for k in ("opened_at", "due_at", "answered_at", "closed_at", "published_at"):
            c[k] = data.local(c[k]) if c.get(k) else None
    return c


@st.cache_data(ttl=TTL, show_spinner=False)
def events(case_id: int) -> pd.DataFrame:
    with data.db().read() as cur:
        return data.to_local(pd.DataFrame(store_cases.case_events(cur, case_id)), "at")


@data.feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def for_items(item_ids: tuple[str, ...]) -> pd.DataFrame:
    with data.db().read() as cur:
        return pd.DataFrame(store_cases.cases_for_items(cur, list(item_ids)))


@st.cache_data(ttl=TTL, show_spinner=False)
def figures(days: int, by: str) -> pd.DataFrame:
    now = data.now()
    with data.db().read() as cur:
        return pd.DataFrame(store_cases.figures(cur, now - timedelta(days=days), now + timedelta(seconds=1), now, by=by))


def _need(user: User) -> None:
    if not role_allows(user.role, "analyst"):
        raise PermissionError("Cần vai trò chuyên viên để xử lý phản ánh.")


def act(user: User, case_id: int, action: str, *, to: str | None = None, assignee: str | None = None,
        note: str | None = None, due: datetime | None = None) -> None:
    """One audited change (the case_events row is written with it)."""
    _need(user)
    bounded(note, NOTE_MAX_CHARS, "Ghi chú nội bộ")
    now = data.now()
    with data.db().write() as cur:
        if action == "assign" and assignee:
            store_cases.assign(cur, case_id, assignee, user.username, now, note)
        elif action == "status" and to:
            store_cases.transition(cur, case_id, to, user.username, now, note)
        elif action == "note" and note:
            store_cases.add_note(cur, case_id, user.username, note, now)
        elif action == "due" and due:
            store_cases.set_due(cur, case_id, data.utc_from_local(due), user.username, now)
    st.cache_data.clear()


def reply(user: User, case_id: int, text: str, *, manual: bool) -> str:
    _need(user)
    bounded(text, REPLY_MAX_CHARS, "Nội dung trả lời")
    status = case_service.send_reply(data.config(), data.db(), case_id, text, user.username, manual=manual)
    st.cache_data.clear()
    return status
