"""The dashboard's one clock (dashboard/clock.py): stopped once, every figure a page draws and every time a staff
action records follow it. Until round 22 `data.totals`, `today_vs_usual`, `sentiment_share` (and eight more reads)
and every write in `dashboard/actions.py` called `store.db.utcnow()` themselves, so a test could not stop them."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from dashboard import actions, data
from devtools import synth
from orchestration.accounts import User
from store import users as store_users
from tests.conftest import stop_dashboard_clock

NOW = datetime(2026, 3, 4, 3, 0)  # 10:00 Wednesday in Vietnam, long before the wall clock of any run


def _at(monkeypatch, when: datetime) -> None:  # type: ignore[no-untyped-def]
    stop_dashboard_clock(monkeypatch, when)
    st.cache_data.clear()


def test_the_overview_figures_follow_the_stopped_clock(env, monkeypatch):
    synth.add_item(env.db, title="Ngập sau mưa lớn", summary="Nước dâng ở phường Uông Bí", url="https://x.vn/clock",
                   published_at=NOW - timedelta(hours=1))
    _at(monkeypatch, NOW)
    assert data.now() == NOW
    assert data.totals()["last_24h"] == 1
    assert data.today_vs_usual(7)["items"] == 1
    assert int(data.sentiment_share(7)["n"].sum()) == 1
    _at(monkeypatch, NOW + timedelta(days=10))
    assert data.totals()["last_24h"] == 0
    assert data.today_vs_usual(7)["items"] == 0
    assert int(data.sentiment_share(7)["n"].sum()) == 0


def test_a_staff_action_records_the_stopped_clocks_time(env, monkeypatch):
    iid = synth.add_item(env.db, title="Tin cần sửa nhãn", summary="Tóm tắt", url="https://x.vn/label")
    _at(monkeypatch, NOW)
    user = User("chuyenvien", "Cán bộ chuyenvien", "analyst")
    assert actions.correct_labels(env.db, user, iid, {"sentiment": "neutral"}) == ["sentiment"]
    with env.db.read() as cur:
        rows = store_users.list_audit(cur, None, 10)
    assert [(r["action"], r["at_time"]) for r in rows] == [("label.correct", NOW)]
