"""The weekly report's complaint figures: "100% received and handled", with its numbers.

    store.cases.figures (per channel: received in the week, handled, on time, overdue now, median hours)
        ─▶ one paragraph + Bảng 9 under section V, and a sheet in the XLSX
"""

from __future__ import annotations

from typing import Any

from reports.document import Block, Column, Para, Table
from reports.settings import num
from reports.xlsx_out import Pct, Sheet
from vocab.cases import CHANNEL_LABELS
from vocab.numbers import fmt_num

TITLE = "Tiếp nhận, xử lý phản ánh của người dân"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def complaints(rows: list[dict[str, Any]], subtitle: str) -> tuple[list[Block], list[Sheet]]:
    """Blocks for the DOCX/PDF and the XLSX sheet; one sentence when the week had no complaint."""
    received = sum(int(r["received"]) for r in rows)
    if not received:
        text = "Trong tuần không tiếp nhận phản ánh nào qua các kênh của cơ quan."
        return [Para.text(f"{TITLE}: {text[0].lower()}{text[1:]}")], [Sheet("Phản ánh", TITLE, [("Nội dung", 80)], [],
                                                                             subtitle=subtitle, note=text)]
    handled = sum(int(r["handled"]) for r in rows)
    on_time = sum(int(r["on_time"]) for r in rows)
    overdue = sum(int(r["overdue"]) for r in rows)
    hours = [float(r["median_hours"]) for r in rows if r.get("median_hours") is not None]
    # a clause of zeros is said in words («chưa trả lời phản ánh nào», not «đã trả lời 0 (0%), trong đó 0 đúng hạn»)
    answered = (f"đã trả lời {num(handled)} ({_pct(handled, received)})"
                + (f", trong đó {num(on_time)} đúng hạn" if on_time else ", chưa phản ánh nào được trả lời đúng hạn")
                if handled else "chưa trả lời phản ánh nào")
    lead = (f"{TITLE}: trong tuần tiếp nhận {num(received)} phản ánh qua fanpage, Zalo OA, hộp thư và cộng tác viên; "
            f"{answered}"
            + (f"; {num(overdue)} phản ánh đang quá hạn" if overdue else "; không có phản ánh nào quá hạn")
            + (f"; thời gian trả lời trung vị khoảng {fmt_num(sorted(hours)[len(hours) // 2], 1)} giờ" if hours else "")
            + ".")
    table_rows = [[CHANNEL_LABELS.get(r["key"], r["key"]), num(r["received"]), num(r["handled"]),
                   _pct(int(r["handled"]), int(r["received"])), num(r["on_time"]), num(r["overdue"]),
                   fmt_num(float(r["median_hours"]), 1) if r.get("median_hours") is not None else "—"] for r in rows]
    cols = [Column("Kênh", 2.6), Column("Tiếp nhận", 1.4, "right"), Column("Đã trả lời", 1.4, "right"),
            Column("Tỷ lệ", 1.2, "right"), Column("Đúng hạn", 1.4, "right"), Column("Quá hạn", 1.3, "right"),
            Column("Trung vị (giờ)", 1.6, "right")]
    blocks: list[Block] = [Para.text(lead), Table(cols, table_rows, caption="Bảng 9. Tiếp nhận, xử lý phản ánh theo kênh")]
    sheet = Sheet("Phản ánh", TITLE, [(c.title, 14.0 if i else 22.0) for i, c in enumerate(cols)],
                  [[CHANNEL_LABELS.get(r["key"], r["key"]), int(r["received"]), int(r["handled"]),
                    Pct(int(r["handled"]) / int(r["received"])) if r["received"] else None, int(r["on_time"]),
                    int(r["overdue"]), r.get("median_hours")] for r in rows], subtitle=subtitle)
    return blocks, [sheet]
