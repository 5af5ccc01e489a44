"""Round 28 (ux31): what ux30 saw and left on a phone: Trước giao ban's section III with the title after the time and
the outlet (cut at the right of a 390 px phone), Cảnh báo's actions about 2.000 px under the alert's heading, and the
history's first step repeating the alert's reason whole.

In AppTest (a phone as `ui.on_phone`, tests/dashboard/test_phone.py's way) or as plain functions; each test fails
without its fix."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import data, ui
from tests.dashboard.conftest import no_exception


@pytest.fixture
def phone(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui, "on_phone", lambda: True)


def _titled_grids(at, column: str) -> list:  # type: ignore[no-untyped-def]
    """The grids whose data holds `column`."""
    return [g for g in at.dataframe if column in g.value.columns]


def test_on_a_phone_the_briefings_negative_items_put_the_title_first(demo_env, phone):
    """Section III «Tin tiêu cực đáng chú ý» at 390 px was the tablet's grid, «Thời gian» and «Nguồn» first: the title
    began at 230 px and was cut at the right of 356 (ux30's walk). On a phone it is one grid, the title first and
    wrapped, then time, outlet and link, as Tin bài's items."""
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    grids = _titled_grids(at, "Tiêu đề")
    assert len(grids) == 1, [list(g.value.columns) for g in grids]
    grid = grids[0].proto
    assert list(grid.column_order) == ["Tiêu đề", *ui.PHONE_ITEM_COLUMNS]
    assert grid.row_height > 64  # Streamlit wraps cell text only in rows taller than 4rem


def test_on_a_desk_the_briefings_negative_items_keep_their_two_grids(demo_env):
    at = demo_env.page("briefing", "analyst").run()
    no_exception(at)
    grids = _titled_grids(at, "Tiêu đề")
    assert len(grids) == 2  # the desk's seven columns and the tablet's five, time first as before
    assert [list(g.value.columns)[0] for g in grids] == ["Thời gian", "Thời gian"]


def _open_alert(demo_env):  # type: ignore[no-untyped-def]
    """Cảnh báo as an analyst, on the open alert with the most items (its items, chart and steps drawn)."""
    queue = data.alerts(("new",), 50)
    aid = queue.sort_values("n_items", ascending=False)["alert_id"].iloc[0]
    at = demo_env.page("alerts", "analyst")
    at.session_state["alert_pick"] = aid
    at.run()
    no_exception(at)
    return at, aid


def _folded(at) -> dict[str, tuple[int, int, bool]]:  # type: ignore[no-untyped-def]
    """Each expander's label: (grids, charts) inside it, and whether it opens expanded."""
    return {e.label: (len(e.dataframe), len(e.get("plotly_chart")), e.proto.expanded) for e in at.expander}


def test_on_a_phone_an_alerts_long_parts_are_folded_above_its_actions(demo_env, phone):
    """Cảnh báo on a phone: the items' grid, the timeline chart and the steps stood between the alert's heading and
    «Tiếp nhận», about 2.000 px (ux30's walk). On a phone the items, the places and outlets, and the chart are folded,
    closed, each under a label that says what it holds; the reason, topics and steps stay in sight; the actions
    follow."""
    at, aid = _open_alert(demo_env)
    folds = _folded(at)
    n = len(data.alert_items(aid))
    assert folds.get(f"Tin bài ({n})") == (1, 0, False), folds  # the items' grid, folded closed
    assert folds.get("Diễn biến số tin") == (0, 1, False), folds
    places = next(e for e in at.expander if e.label == "Địa bàn, nguồn đăng")
    assert not places.proto.expanded and [m.value for m in places.markdown][0].startswith("**Địa bàn:** ")
    assert len(at.get("plotly_chart")) == 1 and len(_titled_grids(at, "Tiêu đề")) == 1  # nothing outside them
    texts = [m.value for m in at.markdown]
    assert "**Vì sao có cảnh báo này**" in texts and "**Diễn biến xử lý**" in texts
    assert "**Tin bài**" not in texts  # the expander's label says it
    assert [b for b in at.button if b.label == "Tiếp nhận"]


def test_on_a_desk_an_alerts_parts_are_drawn_open_as_before(demo_env):
    at, aid = _open_alert(demo_env)
    assert not [k for k, v in _folded(at).items() if v[:2] != (0, 0)]
    assert len(at.get("plotly_chart")) == 1 and len(_titled_grids(at, "Tiêu đề")) == 2  # a desk's and a tablet's
    assert "**Tin bài**" in [m.value for m in at.markdown]
    assert not [e for e in at.expander if e.label == "Địa bàn, nguồn đăng"]


def test_on_a_phone_the_first_step_does_not_repeat_the_reason(demo_env, phone):
    """The history's first step («Phát hiện») on a phone wrote its note, the alert's reason (200–400 characters), whole
    under «Vì sao có cảnh báo này», which shows it whole: a screen of the same text twice. Its first words now, «…»."""
    at, aid = _open_alert(demo_env)
    reason = data.alert(aid)["reason"]
    assert len(reason) > 120, reason  # a story alert's reason, long enough to be cut
    text = next(m.value for m in at.markdown if m.value.startswith("- **"))
    first = next(x for x in text.split("\n") if " · Phát hiện" in x)
    assert len(first) < 200 and "…" in first and "Vì sao có cảnh báo này" in first, first
    assert [t.value for t in at.text].count(reason) == 1  # whole once, under «Vì sao có cảnh báo này»


def test_raise_note_cuts_only_the_reason_shown_above():
    from dashboard.views.alerts import PHONE_RAISE_CHARS, raise_note

    reason = ("Vấn đề «Ô nhiễm bụi than ở phường Vàng Danh» được 12 tin, bài từ 5 nguồn đăng trong 6 giờ, gấp 4 lần "
              "mức thường ngày; 75% tiêu cực; địa bàn: phường Vàng Danh, phường Uông Bí.")
    cut = raise_note(reason, "  " + reason.replace(" ", "\n", 3))  # the same text, spaced otherwise
    head = cut.split("…")[0]
    assert reason.startswith(head) and len(head) <= PHONE_RAISE_CHARS and not head.endswith((" ", ","))
    assert cut.endswith("… (đủ ở «Vì sao có cảnh báo này»)")
    regraded = reason.replace("12 tin", "30 tin")  # re-graded since: the first reason is shown nowhere else
    assert raise_note(reason, regraded) == reason
    assert raise_note("3 tin, bài trong 2 giờ.", "3 tin, bài trong 2 giờ.") == "3 tin, bài trong 2 giờ."
    assert raise_note(reason, None) == reason


def test_history_text_passes_the_reason_on(demo_env):
    """history_text cuts the «Phát hiện» step's note only (a staff note equal to the reason is staff's own)."""
    from dashboard.views import alerts

    reason = "Ngập sâu ở phường Yên Tử sau mưa lớn; " * 5
    hist = pd.DataFrame({"at": pd.to_datetime(["2026-12-07 08:00", "2026-12-07 09:00"]), "username": ["system", None],
                         "action": ["raise", "note"], "to_state": ["new", None], "note": [reason, reason]})
    lines = alerts.history_text(hist, reason).split("\n")
    assert "…" in lines[0] and reason not in lines[0] and lines[1].endswith(reason.strip())


def _titled_charts(at) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(title, top margin) of each Plotly chart of the run that has a title."""
    import json

    out = []
    for c in at.get("plotly_chart"):
        layout = json.loads(c.proto.spec).get("layout", {})
        title = (layout.get("title") or {}).get("text")
        if title:
            out.append((title, (layout.get("margin") or {}).get("t", 100)))  # Plotly's default top margin is 100
    return out


def test_a_charts_title_has_room_for_its_marks(demo_env):
    """Cảnh báo's «Diễn biến số tin» had 24 px above its plot: Chromium cut the tilde over «ễ», «Diên biến số tin»
    (1366 px and 390 px alike, round 28). The titled charts of Cảnh báo, Tổng quan and Chủ đề (its map, 30 px:
    «số» has an acute over a circumflex) have `ui.TITLE_TOP` at least."""
    at, _ = _open_alert(demo_env)
    charts = _titled_charts(at) + _titled_charts(demo_env.page("overview", "analyst").run())
    topics = _titled_charts(demo_env.page("topics", "analyst").run())
    assert any(t.startswith("Màu: số tin kỳ này") for t, _ in topics), topics
    charts += topics
    assert ("Diễn biến số tin", ui.TITLE_TOP) in charts, charts
    assert all(top >= ui.TITLE_TOP for _, top in charts), charts
