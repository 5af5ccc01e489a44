"""The caps every read is held to, so memory does not grow with the file.

    text stream ─Lines─▶ one line at a time, NFC; a record (a CSV record can span lines) never read past
        │                [imports] max_line_bytes
        ▼
    row ─check_cells─▶ no cell (nested JSON too) longer than [imports] max_cell_chars
    header ─check_columns─▶ at most MAX_COLUMNS columns (Excel's 16,384), whatever the format
    XLSX ─zipcheck.check_zip─▶ declared zip sizes against max_uncompressed_mb, max_xlsx_part_mb, ZIP_MAX_PARTS

Files are streamed: rows come one at a time from an open binary stream. Every read is bounded by ImportsConfig
(injected; the [imports] settings): a CSV record or JSONL line by max_line_bytes (never read further), a cell by
max_cell_chars, an XLSX by the declared sizes of its zip parts (checked before openpyxl opens it; zipfile stops at
the declared size, so a forged size only fails the CRC). Over a cap: ImportLimitError, naming the setting.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any, Collection, Mapping

from collectors.imports.errors import ImportLimitError
from vocab.numbers import fmt_num


# Constants, not [imports] settings: samples of the reader's own heuristics, Excel's own row limit, and the zip's
# directory (a real workbook has tens of parts; it is read whole). A part openpyxl parses whole (styles, workbook…)
# is bounded by [imports] max_xlsx_part_mb instead: a heavily formatted office workbook may need more.
HEAD_BYTES = 1 << 20             # sample that decides the encoding and the CSV dialect
COLUMN_SCAN_ROWS = 1000          # JSONL: columns are the keys of the first rows…
COLUMN_SCAN_BYTES = 16 << 20     # …read up to this many bytes
XLSX_MAX_ROWS = 1_048_576        # Excel's own row limit; a sheet claiming more is not an export
MAX_COLUMNS = 16_384             # Excel's own column limit (XFD), for every format: a header wider is not an export
ZIP_MAX_PARTS = 10_000           # an XLSX has tens of parts; the zip directory is read whole


class Lines:
    """Lines of a text stream, NFC, never reading more than `max_bytes` for one record: `record` counts
    the UTF-8 bytes since the caller last reset it (a CSV record can span lines)."""

    def __init__(self, text: io.TextIOBase, max_bytes: int):
        self.text, self.max, self.record, self.line_no = text, max_bytes, 0, 0

    def __iter__(self) -> "Lines":
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.max - self.record + 1)
        if not line:
            raise StopIteration
        self.line_no += 1
        self.record += len(line) if line.isascii() else len(line.encode("utf-8", "surrogatepass"))
        if self.record > self.max:
            raise ImportLimitError(f"Dòng {fmt_num(self.line_no)} dài hơn giới hạn {fmt_num(self.max)} byte "
                                   f"(imports.max_line_bytes); tệp không được đọc tiếp.")
        return unicodedata.normalize("NFC", line)


def check_columns(columns: Collection[str]) -> None:
    """Refuse a header of more than MAX_COLUMNS columns (round 31, `hostile34`): a 2 MB header line holds 300,000 of
    them, and every row was filled out to them, a survey sampled each for every row (docs/SECURITY.md)."""
    if len(columns) > MAX_COLUMNS:
        raise ImportLimitError(f"Tệp có {fmt_num(len(columns))} cột, quá giới hạn {fmt_num(MAX_COLUMNS)} "
                               "cột (giới hạn của Excel); tệp không hợp lệ.")


def check_cells(row: Mapping[str, Any], limit: int, where: str, depth: int = 0) -> None:
    """Refuse a row with a cell over `limit` characters (nested JSON objects too, 8 levels); `where` names the row."""
    for v in row.values():
        if isinstance(v, str) and len(v) > limit:
            raise ImportLimitError(f"Một ô ở {where} dài {fmt_num(len(v))} ký tự, quá giới hạn {fmt_num(limit)} "
                                   f"ký tự (imports.max_cell_chars).")
        if isinstance(v, Mapping) and depth < 8:
            check_cells(v, limit, where, depth + 1)
