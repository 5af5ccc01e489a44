"""What staff tripped over on the dashboard, left from round 22 (round 23): the Cảnh báo queue scrolled sideways at
1366 px, the briefing's «Vì sao» was cut mid-word."""

from __future__ import annotations

import json

from tests.dashboard.conftest import no_exception
from tests.dashboard.test_pages import _fits_the_desk


def test_the_alert_queue_fits_a_1366_px_desk_with_its_time(demo_env):
    """At 1366 px the queue's nine columns, sized by their text, ran past the 954 px page: «Phát hiện lúc» was cut
    and the grid scrolled sideways. Each column has its pixels now, all of them within the page, the time last and
    whole («06/12/26 09:30»), in rows of two lines."""
    from dashboard.views.alerts import QUEUE_WIDTHS

    at = demo_env.page("alerts", "viewer").run()
    no_exception(at)
    grid = at.dataframe[0]
    assert _fits_the_desk(grid) == list(grid.value.columns) == list(QUEUE_WIDTHS)
    cols = json.loads(grid.proto.columns)
    assert cols["Phát hiện lúc"]["width"] >= 120 and cols["Phát hiện lúc"]["type_config"]["format"] == "DD/MM/YY HH:mm"
    assert grid.proto.row_height > 64  # Streamlit wraps a cell's text only in rows taller than 64 px
