"""What the second reports walk of round 14 left: each test fails without its fix (no /work/shared read)."""

from __future__ import annotations

from tests.reports.conftest import NOW, WEEK, settings


def _weekly(seeded, **kw):  # type: ignore[no-untyped-def]
    from reports.generate import build_weekly_report

    db, _ = seeded
    built, _ = build_weekly_report(db, settings(charts=False, **kw), WEEK, now=NOW, proposals="")
    return built


def _table(built, caption_start: str):  # type: ignore[no-untyped-def]
    from reports.document import Table

    return next(b for b in built.doc.blocks if isinstance(b, Table) and b.caption.startswith(caption_start))


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    from reports.document import Run

    if isinstance(cell, Run):
        return cell.text
    if isinstance(cell, (list, tuple)):
        return "".join(_cell_text(c) for c in cell)
    return str(cell)


def test_bang8_lists_a_note_given_with_a_status_change_or_an_assignment(seeded):
    """The sample handling acknowledges with «Đã nắm thông tin» and assigns with «Phối hợp UBND phường kiểm tra»
    (store.alerts keeps them after "Giao cho: …" in the event's note): Bảng 8 listed only separate notes."""
    built = _weekly(seeded)
    notes = [_cell_text(r[-1]) for r in _table(built, "Bảng 8.").rows]
    text = " | ".join(notes)
    assert "Đã nắm thông tin" in text and "Phối hợp UBND phường kiểm tra" in text
    assert "Giao cho:" not in text  # the assignee has its own column
    assert "Lý do: " not in text    # the close reason is printed once, as «Lý do đóng: …»
    sheet = next(s for s in built.sheets if s.name == "Cảnh báo")
    assert any("Đã nắm thông tin" in str(r[10]) for r in sheet.rows)
