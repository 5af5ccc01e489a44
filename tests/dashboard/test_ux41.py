"""Round 32's leftovers and a new office's first week on the pages (ux41). AppTest's side."""

from __future__ import annotations

from tests.dashboard.conftest import no_exception
from tests.dashboard.test_ux28 import _page_or_other
from tests.dashboard.test_ux40 import _away_and_back


def _open(env) -> str:  # type: ignore[no-untyped-def]
    with env.db.read() as cur:
        rows = cur.execute("SELECT alert_id FROM alerts WHERE status NOT IN ('resolved', 'dismissed', 'merged') "
                           "ORDER BY alert_id").fetchall()
    assert rows, "the seeded database has an open alert"
    return rows[0][0]


def test_a_links_move_gives_back_the_earlier_choice(demo_env):
    """Staff on «Đã xử lý / bỏ qua»; a push's link to an open alert moved «Hiển thị» to «Đang mở»; a later visit
    without a link opened on «Đang mở» (the default), not on the choice they had made: now on their choice."""
    at = _page_or_other(demo_env, "alerts", "analyst")
    at.run()
    at.segmented_control(key="alert_filter").set_value("Đã xử lý / bỏ qua").run()
    at.session_state["_away"] = True
    at.run()
    wanted = _open(demo_env)
    at.query_params["alert"] = wanted
    at.session_state["_away"] = False
    at.run()
    no_exception(at)
    assert at.segmented_control(key="alert_filter").value == "Đang mở"
    assert at.selectbox(key="alert_pick").value == wanted
    at.run()  # a rerun on the page (an action, a click): ui.keep's copy of the choice follows the link's move
    assert at.segmented_control(key="alert_filter").value == "Đang mở"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"
    _away_and_back(at)
    assert at.segmented_control(key="alert_filter").value == "Đã xử lý / bỏ qua"
