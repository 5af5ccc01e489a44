"""A worksheet's XML slimmed as openpyxl reads it, so empty formatted rows cost nothing.

    sheet part ─SlimRows.read─▶ every <row …> cut to <row r="N">; self-closing rows and cells that name their
        place (<c r="A5" s="1"/>) dropped; a tag cut by a read's end kept for the next read
    slim_rows_of(ws): an openpyxl read-only worksheet made to read its part through SlimRows, and to hand each row
        on as the (column, value) pairs of its cells (_cells_of), not a tuple as wide as its last cell

Values are untouched: cells carry their own coordinates. Why: bench/hostile_imports.py's 1,000,000 empty
styled rows (see SlimRows).
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO


_ROW_TAG = re.compile(rb"(<(?:\w+:)?row)\b([^>]*?)(/?)>|<(?:\w+:)?c\s[^>]*?\br=\"[^\"]*\"[^>]*?/>")
_ROW_NUMBER = re.compile(rb"\sr=\"[^\"]*\"")


def _slim_row(m: "re.Match[bytes]") -> bytes:
    if m.group(1) is None or m.group(3):  # <c r="A5" s="1"/>, <row …/>: no value, only formatting
        return b""
    r = _ROW_NUMBER.search(m.group(2))
    return m.group(1) + (r.group(0) if r else b"") + b">"


class SlimRows:
    """A worksheet part read with every <row> tag cut to its number, and rows and cells that hold nothing (self-closing;
    a cell only when it names its place, r="A5", so that the cells after it keep theirs) left out. openpyxl
    keeps a row's other attributes (style, height…) in a dict for the whole read, and parses every empty row:
    1,000,000 empty styled rows (52 MB unzipped, under max_uncompressed_mb) held 530 MB and took 17 s
    (bench/hostile_imports.py). Values are untouched: cells carry their own coordinates."""

    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.pending = b""  # a tag cut by the end of a read, kept for the next

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.source.read(size if size and size > 0 else 1 << 16)
            data = self.pending + chunk
            if not chunk:
                self.pending = b""
                return _ROW_TAG.sub(_slim_row, data)
            cut = data.rfind(b"<")
            if cut >= 0 and data.find(b">", cut) < 0:
                data, self.pending = data[:cut], data[cut:]
            else:
                self.pending = b""
            out = _ROW_TAG.sub(_slim_row, data)
            if out:
                return out

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> "SlimRows":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def slim_rows_of(ws: Any) -> None:
    """Read `ws` (openpyxl read-only) through SlimRows, each row as the (column, value) pairs of its cells."""
    opened = ws._get_source
    ws._get_source = lambda: SlimRows(opened())
    ws._get_row = _cells_of


def _cells_of(row: list[dict[str, Any]], min_col: int = 1, max_col: int | None = None,
              values_only: bool = False) -> tuple[tuple[int, Any], ...]:
    """A row as openpyxl parsed it, as (column, value) pairs of the cells the file writes, in its order: what
    openpyxl's own `_get_row` makes a tuple of as wide as the row's last cell (a number at column ZZZ is 18,278
    values, and each was looked at again: 2,000 such rows took 3.7 s against 0.4 s at column B; round 31,
    `hostile34`). The read-only reader calls it for every row, missing rows aside (an empty tuple)."""
    return tuple((cell["column"], cell["value"]) for cell in row)
