"""Round 27 (ux30): what ux29 saw and left on the dashboard: Cảnh báo's «Hiển thị» cut on a tablet, Tin bài's «Hôm nay»
and Tổng quan's «hôm nay» figures bounded differently, Báo cáo nhanh's alert box left on an older alert.

In AppTest or as plain functions; each test fails without its fix."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from dashboard import data
from devtools import synth
from tests.conftest import stop_dashboard_clock
from tests.dashboard.conftest import no_exception
from tests.dashboard.test_drilldown_counts import listed

NOW = datetime(2026, 3, 4, 3, 0)  # 10:00 Wednesday in Vietnam


def test_today_is_the_same_day_on_tong_quan_and_tin_bai(env, monkeypatch):
    """Tổng quan's figures counted items published up to now, Tin bài's «Hôm nay» listed them with no end: an item a
    source dated 40 minutes ahead (the collectors keep up to `future_tolerance_minutes` as given) was listed and not
    counted. Both are today, 0 giờ to 0 giờ (Vietnam): the item is counted, and one dated tomorrow is neither."""
    for k, when in enumerate((NOW - timedelta(hours=2), NOW + timedelta(minutes=40), NOW + timedelta(hours=15))):
        synth.add_item(env.db, title=f"Tin số {k} về ngập úng", summary="Nước dâng ở phường Uông Bí",
                       url=f"https://baoquangninh.vn/t-{k}", outlet="Báo Quảng Ninh", source_type="press",
                       published_at=when)  # 08:00, 10:40 today; 01:00 tomorrow (Vietnam)
    stop_dashboard_clock(monkeypatch, NOW)
    st.cache_data.clear()
    today = data.today_vs_usual(7)
    assert today["items"] == 2 and today["in_area"] == 2, today
    assert listed(env, {"period": "today", "all": "1"}) == 2
    assert listed(env, {"period": "today"}) == 2


def _blocks_to(node, key: str, path: tuple = ()):  # type: ignore[no-untyped-def]
    """The blocks (their proto's kind, or AppTest's class for a column, and the proto) from the page's root to the
    widget keyed `key`, or None."""
    kids = getattr(node, "children", None)
    if kids is None:
        return list(path) if key in str(getattr(getattr(node, "proto", None), "id", "")) else None
    for child in kids.values():
        proto = getattr(child, "proto", None)
        try:
            kind = proto.WhichOneof("type")
        except (AttributeError, TypeError, ValueError):  # a Column's proto is its Block.Column
            kind = None
        if type(child).__name__ == "Column":
            kind = "column"
        found = _blocks_to(child, key, path + (((kind, proto if kind == "column" else getattr(proto, kind)),)
                                              if kind else ()))
        if found is not None:
            return found
    return None


def test_the_alert_switch_is_not_cut_on_a_tablet(demo_env):
    """Cảnh báo's «Hiển thị» (Đang mở · Đã xử lý / bỏ qua · Tất cả, 283 px in Chromium) sat in st.columns([1.2, 2]),
    268 px on a 768 px tablet upright: «Tất cả» ran past its column, half hidden. It sits in a wrapping row with the
    counts, as wide as its choices (the counts beside it on a desk, under it on a tablet)."""
    at = demo_env.page("alerts", "analyst").run()
    no_exception(at)
    blocks = _blocks_to(at._tree, "alert_filter")
    assert blocks, "no «Hiển thị» switch drawn"
    assert "column" not in [kind for kind, _ in blocks], blocks
    kind, row = blocks[-1]
    assert kind == "flex_container" and row.wrap and row.direction == row.Direction.HORIZONTAL, blocks
    assert any(c.value.startswith("Đang mở: ") for c in at.caption)


def _raise(env, title: str) -> str:  # type: ignore[no-untyped-def]
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    with env.db.write() as cur:
        aid = store_alerts.raise_alert(cur, NewAlert.of(title, "high", "3 tin, bài trong 2 giờ; 100% tiêu cực.",
                                                        kind="story", n_items=3, n_outlets=2), utcnow())
    data.refresh()
    return aid


def _rapid_box(at):  # type: ignore[no-untyped-def]
    box = at.selectbox(key="rep_rapid_pick")
    return box.value, box.options


def test_the_rapid_report_box_follows_a_new_alert_until_staff_pick_one(demo_env):
    """Báo cáo → «Báo cáo nhanh»: every tab is drawn at each run, so the box was made when the page opened and stayed on
    the alert then newest once another was raised (ux29's walk left it). Left as it opened, it moves to the new alert
    (the one a rapid report is most likely wanted for); an alert staff picked themselves stays picked, after a look at
    another page too."""
    from tests.dashboard.test_ux28 import _away_and_back, _page_or_other

    at = _page_or_other(demo_env, "reports", "analyst").run()
    no_exception(at)
    first, options = _rapid_box(at)
    assert options[0].startswith(first + " "), (first, options[:2])
    new = _raise(demo_env, "Sạt lở taluy trên quốc lộ 18 đoạn qua Hạ Long")
    at.run()
    no_exception(at)
    value, options = _rapid_box(at)
    assert options[0].startswith(new + " ") and value == new, (new, value, options[:2])
    older = options[3].split(" ", 1)[0]
    at.selectbox(key="rep_rapid_pick").set_value(older).run()
    no_exception(at)
    _raise(demo_env, "Ùn tắc kéo dài ở nút giao Cái Dăm")
    at.run()
    no_exception(at)
    assert _rapid_box(at)[0] == older
    _away_and_back(at)  # a look at another page: Streamlit drops the box's state, the pick is held
    assert _rapid_box(at)[0] == older
    assert [b for b in at.button if b.label == "Tạo báo cáo nhanh"][0].key == f"rr_btn_{older}"
    # the pick is this account's: another signed in on the same browser's session gets the newest, and back again
    # the first finds their own (a shared office computer's session outlives a sign-out)
    at.session_state["user"] = {"username": "quantri", "display_name": "Cán bộ quantri", "role": "admin"}
    at.run()
    no_exception(at)
    assert _rapid_box(at)[0] != older and _rapid_box(at)[1][0].startswith(_rapid_box(at)[0] + " ")
    at.session_state["user"] = {"username": "chuyenvien", "display_name": "Cán bộ chuyenvien", "role": "analyst"}
    at.run()
    assert _rapid_box(at)[0] == older


def test_on_a_phone_an_alerts_history_reads_its_notes(demo_env, monkeypatch):
    """Cảnh báo on a 390 px phone: «Diễn biến xử lý» was the tablet's grid, 725 px in 356 (Chromium, round 27), its
    «Nội dung» (the notes staff read before a meeting) out of sight at the right. On a phone the steps are lines of
    text, each with its time, who, what and the note whole; a desk and a tablet keep their grids."""
    from dashboard import actions, ui
    from dashboard.views import alerts
    from orchestration.accounts import User

    aid = data.alerts(("new",), 5)["alert_id"].iloc[0]
    note = "Đã báo lãnh đạo; đề nghị phường Uông Bí xác minh [gấp] *trong ngày*"
    actions.alert_action(demo_env.db, User("chuyenvien", "Cán bộ chuyenvien", "analyst"), aid, "acknowledge", note=note)
    data.refresh()
    monkeypatch.setattr(ui, "on_phone", lambda: True)
    at = demo_env.page("alerts", "analyst")
    at.session_state["alert_pick"] = aid
    at.run()
    no_exception(at)
    grids = [tuple(g.value.columns) for g in at.dataframe]
    assert not [g for g in grids if "Nội dung" in g], grids
    text = next(m.value for m in at.markdown if m.value.startswith("- **"))
    lines = text.split("\n")
    step = (" · Cán bộ chuyenvien · Chuyển trạng thái → Đã tiếp nhận: Đã báo lãnh đạo; đề nghị phường Uông Bí "
            r"xác minh \[gấp\] \*trong ngày\*")  # the note whole, inert
    assert any(x.endswith(step) for x in lines), lines
    assert any(" · Phát hiện" in x for x in lines), lines
    assert alerts.history_text(data.alert_history(aid), data.alert(aid)["reason"]) == text
