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


LONG_REASON = ("32 tin, bài trong 6 giờ (từ 21 giờ 33 ngày 16/11/2026), gấp nhiều lần mức thường ngày "
               "(khoảng 1 tin/ngày); 78% tiêu cực; lan trên 4 nguồn (Báo Quảng Ninh, VnExpress, Nhóm Uông Bí 24h, Tiktok). Địa bàn: phường "
               "Uông Bí, phường Vàng Danh, phường Yên Tử. Lĩnh vực: Môi trường, tài nguyên; Đất đai, GPMB.")


def test_a_long_reason_is_cut_after_a_clause_not_mid_word():
    """«Vì sao» was judged by a count of characters (216) and cut by the grid where its sixth line ended, mid-word
    («… lan trên 4 nguồn (Báo Quảng Ninh, VnExp…»). Now it is cut after the last clause that fits its six lines as
    they wrap at words, and ends with «…»; a reason that fits is left whole."""
    from dashboard.labels import cut_to_lines, wrapped_lines

    shown = cut_to_lines(LONG_REASON, 36, 6)
    assert shown.endswith(" …") and len(wrapped_lines(shown, 36)) <= 6
    kept = shown[:-2]
    assert LONG_REASON.startswith(kept) and LONG_REASON[len(kept)] in ",;:." and kept[-1] != " ", shown
    assert cut_to_lines("3 tin, bài trong 2 giờ; 100% tiêu cực.", 36, 6) == "3 tin, bài trong 2 giờ; 100% tiêu cực."
    # no clause ends in the second half of what fits: the last whole word
    words = " ".join(["nguồn"] * 60)
    assert cut_to_lines(words, 36, 6) == " ".join(["nguồn"] * 35) + " …"


def test_a_reason_of_long_words_that_wraps_past_six_lines_is_listed_whole():
    """208 characters fit the old count (216) and were not listed under the grid, but in words of ten letters three
    fill a line of 36 and they wrap to seven lines: the cell cut the last one."""
    from dashboard.labels import wrapped_lines
    from dashboard.views.briefing import cut_reasons

    tens = " ".join(["16/11/2026"] * 19)
    assert len(tens) <= 216 and len(wrapped_lines(tens, 36)) > 6
    assert cut_reasons([tens, "3 tin; 100% tiêu cực."]) == [0]


def test_the_briefing_grid_shows_the_cut_reason_and_the_box_under_it_the_whole(env):
    from store import alerts as store_alerts
    from store.db import utcnow
    from vocab.alerts import NewAlert

    env.add_users()
    with env.db.write() as cur:
        store_alerts.raise_alert(cur, NewAlert.of("Bụi than ở Vàng Danh", "high", LONG_REASON, kind="story",
                                                  n_items=3, n_outlets=2), utcnow())
    at = env.page("briefing", "viewer").run()
    no_exception(at)
    (cell,) = at.dataframe[0].value["Vì sao"]
    assert cell.endswith(" …") and LONG_REASON.startswith(cell[:-2])
    box = next(e for e in at.expander if e.label.startswith("Vì sao, đầy đủ"))
    (listed,) = [m.value for m in box.markdown]
    assert listed.endswith("Đất đai, GPMB\\.")  # whole (md-escaped)


def _rows_csv(n: int) -> bytes:
    rows = "\n".join(f"Tin số {i},https://fb.example/p/{i},02/12/2026 08:00" for i in range(n))
    return ("tieu de,link,ngay dang\n" + rows + "\n").encode("utf-8")


def test_the_import_preview_shows_its_progress_and_its_first_items_before_the_rest(env, monkeypatch):
    """A 20,000-row file was read whole behind «Đang đọc tệp…» for 9–23 s, nothing shown meanwhile. Now the whole-file
    check steps every 1.000 rows, moving a bar up to the whole file, and the first items are shown at its first step;
    a click on the page after it reads nothing again; a small file is one step."""
    from dashboard.views import imports as page

    steps: list[tuple[int, float | None, int]] = []
    real = page._progress

    def spy(items_box, bar, offset):  # type: ignore[no-untyped-def]
        step = real(items_box, bar, offset)

        def recorded(part, share):  # type: ignore[no-untyped-def]
            steps.append((part.rows, share, len(part.items)))
            step(part, share)
        return recorded

    monkeypatch.setattr(page, "_progress", spy)
    env.add_users()
    at = env.page("imports", "analyst").run()
    at.file_uploader(key="imp_file").set_value(("nhieu-dong.csv", _rows_csv(2500), "text/csv")).run()
    no_exception(at)
    assert [(r, n) for r, _, n in steps] == [(1000, 10), (2000, 10), (2500, 10), (2500, 10)], steps
    shares = [s for _, s, _ in steps]
    assert 0 < shares[0] < shares[1] < shares[2] == 1.0 and shares[3] is None, shares  # the last: drawn, not read
    assert {m.label: m.value for m in at.metric}["Nhập được"] == "2.500"
    assert len(at.dataframe[0].value) == 10  # the first items, above the counts
    at.text_input(key="imp_outlet").set_value("").run()  # a click: nothing read again
    assert steps[4:] == [(2500, None, 10)] and len(at.dataframe[0].value) == 10
    at.file_uploader(key="imp_file").set_value(("it-dong.csv", _rows_csv(3), "text/csv")).run()
    no_exception(at)
    assert steps[5:] == [(3, 1.0, 3), (3, None, 3)] and {m.label: m.value for m in at.metric}["Nhập được"] == "3"


def test_a_tablet_copy_is_sent_only_the_columns_it_shows(demo_env):
    """Each grid drawn for a desk and a tablet (ui.desk_or_tablet) sent the whole frame twice, hidden columns too:
    the tablet copies were half of the grid data of Tổng quan, Trước giao ban and Nguồn tin (bench/tabs_and_copies.py).
    The tablet's copy now holds the columns it shows and nothing else; the desk's keeps its frame."""
    for name in ("overview", "briefing", "sources"):
        at = demo_env.page(name, "viewer").run()
        no_exception(at)
        tablets = [g for g in at.dataframe if list(g.proto.column_order) and "tablet" in _container_keys(at, g)]
        assert tablets, name
        for grid in tablets:
            assert set(grid.value.columns) == set(grid.proto.column_order), (name, list(grid.value.columns))


def _container_keys(at, grid) -> str:  # type: ignore[no-untyped-def]
    """The keys of the containers `grid` is drawn in, joined."""
    path: list[str] = []

    def walk(node, keys: list[str]) -> bool:  # type: ignore[no-untyped-def]
        if node is grid:
            path.extend(keys)
            return True
        key = str(getattr(node, "key", "") or "")
        return any(walk(c, keys + [key]) for c in (getattr(node, "children", None) or {}).values())

    walk(at._tree, [])
    return " ".join(path)
