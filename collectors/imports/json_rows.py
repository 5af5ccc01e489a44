"""JSONL (.jsonl, .ndjson) and JSON-array (.json) files read as a Table, one object at a time.

    stream ─text.decoded─▶ text + head: starts with "[" ?
        ├─ yes: _json_array_rows — the file capped at max_uncompressed_mb (one element may be all of it);
        │       ijson's basic events re-encoded as UTF-8 (_Utf8Bytes) ─_array_elements─▶ one element at a time,
        │       an element deeper than MAX_JSON_DEPTH skipped and said, not built
        └─ no:  _jsonl_rows — caps.Lines (max_line_bytes), json.loads per line
    a line or element that is not an object ─▶ {"_error": …} (mapping skips it with that reason)
    columns: the keys of the first COLUMN_SCAN_ROWS rows (or COLUMN_SCAN_BYTES), those rows kept and streamed on;
        more than caps.MAX_COLUMNS of them ─▶ ImportLimitError
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
import json
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

from collectors.imports.caps import COLUMN_SCAN_BYTES, COLUMN_SCAN_ROWS, Lines, check_cells, check_columns
from collectors.imports.errors import ImportFormatError, ImportLimitError
from collectors.imports.table import Table, position_of, refuse_garbled
from collectors.imports.text import decoded
from vocab.config import ImportsConfig
from vocab.numbers import fmt_num


@contextmanager
def json_table(stream: BinaryIO, limits: ImportsConfig) -> Iterator[Table]:
    """A JSONL or JSON-array stream as a Table; its columns are the keys of its first rows."""
    position = position_of(stream)
    notes: Counter[str] = Counter()  # text.decoded counts what the codec could not read
    with decoded(stream, notes) as (text, head):
        if head.lstrip().startswith("["):
            rows = _json_array_rows(stream, text, limits)
        else:
            rows = _jsonl_rows(Lines(text, limits.max_line_bytes), limits)
        first: list[dict[str, Any]] = []
        seen: dict[str, None] = {}  # in the order met; a dict, not a list: a first line of 40,000 keys took 8.9 s
        size = 0                    # to look each up in a list (quadratic; round 31, `hostile34`)
        for r in rows:  # columns: keys of the first rows (kept, then streamed on)
            first.append(r)
            size += len(r) + sum(len(v) for v in r.values() if isinstance(v, str))
            seen.update((k, None) for k in r if not k.startswith("_"))
            check_columns(seen)
            if len(first) >= COLUMN_SCAN_ROWS or size >= COLUMN_SCAN_BYTES:
                break
        columns = list(seen)
        refuse_garbled(columns)
        yield Table(columns, itertools.chain(first, rows), position, notes)


def _jsonl_rows(lines: Lines, limits: ImportsConfig) -> Iterator[dict[str, Any]]:
    for line in lines:
        lines.record = 0
        n = lines.line_no
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:  # JSONDecodeError, or a number too long to convert
            yield {"_error": f"line {n}: not JSON"}
            continue
        except RecursionError:  # JSON, nested deeper than Python parses (a .json of one object 10,000 deep)
            yield {"_error": f"line {n}: nested too deeply"}
            continue
        if not isinstance(obj, dict):
            yield {"_error": f"line {n}: not an object"}
            continue
        check_cells(obj, limits.max_cell_chars, f"dòng {fmt_num(n)}")
        yield obj


def _json_array_rows(stream: BinaryIO, text: io.TextIOBase, limits: ImportsConfig) -> Iterator[dict[str, Any]]:
    """A JSON array export, element by element (ijson). One element can be as large as the file, so the
    file is capped at max_uncompressed_mb."""
    import ijson

    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    limit_mb = limits.max_uncompressed_mb
    if size > limit_mb * 1e6:
        raise ImportLimitError(f"Tệp JSON dạng mảng lớn {fmt_num(size / 1e6, 2)} MB, quá giới hạn {fmt_num(limit_mb, 2)} "
                               f"MB (imports.max_uncompressed_mb). Hãy xuất dạng JSONL (mỗi dòng một bài).")
    try:
        for n, r in enumerate(_array_elements(ijson.basic_parse(_Utf8Bytes(text), use_float=True)), 1):
            row = (r if isinstance(r, dict)  # anything else is said as such, not "no text"
                   else {"_error": f"element {n}: nested too deeply"} if r is _TOO_DEEP
                   else {"_error": f"element {n}: not an object"})
            check_cells(row, limits.max_cell_chars, f"phần tử {fmt_num(n)}")
            yield row
    except ijson.JSONError as exc:
        raise ImportFormatError(f"Tệp không phải JSON hợp lệ ({str(exc).splitlines()[0]}).") from None


# An export's post is a few levels deep (author.name, reactions.like…). A constant: memory grows with the square of
# the depth an element is read to (20,000 deep was 970 MB), and a deeper element is skipped, not the file refused.
MAX_JSON_DEPTH = 64
_TOO_DEEP = object()


def _array_elements(events: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    """The elements of a top-level JSON array from ijson's basic events; an element nested deeper than
    MAX_JSON_DEPTH is skipped (its events only counted) and given as _TOO_DEEP. Why not ijson.items: it keeps
    the path of every open level, so memory grows with the square of the depth (a 40 KB array nested 20,000 deep
    took 970 MB; 200,000 deep, 400 KB, was killed for want of memory)."""
    from ijson.common import ObjectBuilder

    first = next(events, None)
    if first is None or first[0] != "start_array":
        return
    depth, builder, too_deep = 1, None, False
    for event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
            too_deep = too_deep or depth > MAX_JSON_DEPTH + 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return
        if not too_deep:
            builder = builder or ObjectBuilder()
            builder.event(event, value)
        if depth == 1:
            yield _TOO_DEEP if too_deep else builder.value  # type: ignore[union-attr]
            builder, too_deep = None, False


class _Utf8Bytes:
    """The decoded text (any encoding, BOM gone) re-encoded as UTF-8 bytes, read by ijson in chunks:
    ijson deprecates text streams (a future release refuses them) and reads bytes as UTF-8."""

    def __init__(self, text: io.TextIOBase):
        self.text = text

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8", "surrogatepass")
