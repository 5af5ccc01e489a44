"""Round 24's staff findings, in AppTest: what a grid sends, the import page's one open of an upload, its repaired count
and its failed import."""

from __future__ import annotations

from tests.dashboard.conftest import no_exception


def test_every_grid_is_sent_only_the_columns_it_shows_in_their_order(demo_env):
    """A grid with a column_order was sent its whole frame: the desk copy of Trước giao ban's alerts held «Mức», «Phát
    sinh», «Trạng thái» and «Ưu tiên» beside «Tình trạng», which the table's eye menu showed again and its CSV download
    then wrote; the tablet copies (round 23) were cut in the frame's order, not the grid's. Every grid now holds the
    columns it shows, in the order shown, under their shown (Vietnamese) names."""
    seen = 0
    for name in ("overview", "briefing", "sources"):
        at = demo_env.page(name, "viewer").run()
        no_exception(at)
        for grid in at.dataframe:
            order = list(grid.proto.column_order)
            if order:
                seen += 1
                assert list(grid.value.columns) == order, (name, list(grid.value.columns), order)
    assert seen >= 6, seen  # the desk and tablet copies of the briefing's alerts, the sources' health…
