"""What a reader hands on: a Table (columns, rows streamed once, progress, notes), and the helpers every
format shares to build one.

    reader (csv_rows · json_rows · xlsx_rows) ─▶ Table(columns, rows, position, notes)
        columns: unique_columns (a repeated name gets " (2)", an empty one "colN"); refuse_garbled (NUL: UTF-16)
        position: position_of(stream), the share of the file read so far, for progress bars
        notes: what reading quietly lost (NOTES), said by notes_text in Vietnamese, most frequent first

cell_str is a cell as text (a float that is a whole number without its ".0"), used by mapping and dates alike.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterator, Mapping

from collectors.imports.errors import ImportFormatError
from vocab.numbers import fmt_num


@dataclass
class Table:
    """An open file: its columns and a one-pass iterator of rows. `position()` is the share of the file
    read so far (None when unknown), for progress bars."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]
    position: Callable[[], float | None] = lambda: None
    notes: Counter[str] = field(default_factory=Counter)  # what reading quietly lost (NOTES), filled as rows are read


def position_of(stream: BinaryIO) -> Callable[[], float | None]:
    """The share of `stream` read so far, for a progress bar (None for an empty stream)."""
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return lambda: min(1.0, stream.tell() / size) if size else None


def unique_columns(names: list[str]) -> list[str]:
    """Header names made unique by position: a repeated name gets " (2)", " (3)"…, an empty one "colN".
    Rows are read into dicts by name, so two "Nội dung" columns (or two survey questions with the same
    title) kept only the last one's values."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        base = name or f"col{i + 1}"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        out.append(name)
    return out


def refuse_garbled(columns: list[str]) -> None:
    """NUL bytes in the header: a UTF-16 file or no text at all, said before any row is mapped."""
    if any("\x00" in c for c in columns):
        raise ImportFormatError("Tên cột chứa ký tự NUL: tệp có vẻ được lưu bằng UTF-16 (hoặc không phải tệp văn "
                                "bản). Hãy lưu lại dưới dạng CSV UTF-8 rồi nhập.")


def cell_str(v: Any) -> str:
    """A cell as text: None is "", a float that is a whole number loses its ".0" (Excel stores 42 as 42.0)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


# Things a read loses without skipping a row, said in the preview and after the import (notes_text).
NOTES = {
    "formula_no_value": "{n} ô có công thức nhưng chưa có giá trị tính sẵn (tệp do công cụ khác Excel tạo) nên "
                        "được đọc là trống; dòng chỉ có các ô này bị bỏ qua vì không có nội dung. Hãy mở tệp "
                        "bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại.",
    "extra_fields": "{n} dòng có nhiều ô hơn số cột của dòng tiêu đề: các ô thừa (không có tên cột) không được "
                    "nhập. Hãy kiểm tra tệp: dấu phân cách nằm trong nội dung mà thiếu dấu ngoặc kép, hoặc cột "
                    "chưa có tên ở dòng tiêu đề.",
    "replaced_bytes": "{n} dòng có byte không đọc được theo bảng mã của tệp (nhận ra từ phần đầu tệp), được thay "
                      "bằng ký tự �: tệp có lẽ ghép từ nhiều tệp khác bảng mã. Hãy mở tệp, lưu lại toàn bộ dạng "
                      "CSV UTF-8 rồi nhập lại.",
    "us_date": "{n} dòng có ngày viết theo kiểu tháng/ngày/năm (ví dụ 05/13/2026), không đọc được theo "
               "ngày/tháng/năm nên được coi là không có ngày. Hãy xuất lại tệp với ngày dạng ngày/tháng/năm "
               "hoặc năm-tháng-ngày.",
}


def notes_text(notes: Mapping[str, int]) -> list[str]:
    """The Vietnamese warnings for a read's notes, most frequent first."""
    return [NOTES.get(k, k + ": {n}").format(n=fmt_num(n)) for k, n in sorted(notes.items(), key=lambda kv: -kv[1]) if n]
