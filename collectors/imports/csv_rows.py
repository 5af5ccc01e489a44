"""CSV (and TSV, .txt) files read as a Table, one record at a time.

    stream ─text.decoded─▶ text + head ─_dialect(head)─▶ delimiter , ; TAB |, quotes always doubled
        │ csv.DictReader over caps.Lines (a record never read past max_line_bytes)
        ▼
    header: tidied, unique_columns, refuse_garbled, caps.check_columns ─▶ Table(columns, _csv_rows, position, notes)
        each row: the columns it fills (a short row is not padded out to the header), fields past the header
        dropped and counted (notes["extra_fields"]); caps.check_cells;
        (text.decoded counts the byte sequences the sniffed codec could not read: notes["replaced_bytes"])
        csv.Error ─▶ ImportFormatError naming the line (the csv module's field cap ─▶ ImportLimitError)
"""

from __future__ import annotations

import csv
from collections import Counter
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

from collectors.imports.caps import Lines, check_cells, check_columns
from collectors.imports.errors import ImportFormatError, ImportLimitError
from collectors.imports.table import Table, position_of, refuse_garbled, unique_columns
from collectors.imports.text import decoded
from collectors.textutil import tidy
from vocab.config import ImportsConfig
from vocab.numbers import fmt_num


@contextmanager
def csv_table(stream: BinaryIO, limits: ImportsConfig) -> Iterator[Table]:
    """A CSV stream as a Table: the dialect sniffed from its head, records read through caps.Lines."""
    position = position_of(stream)
    notes: Counter[str] = Counter()
    with decoded(stream, notes) as (text, head):
        dialect = _dialect(head[:8192])
        lines = Lines(text, limits.max_line_bytes)
        reader = csv.reader(lines, dialect=dialect)
        try:
            names = next(reader, [])
        except csv.Error as exc:
            raise _csv_error(exc, lines, limits) from None
        check_columns(names)
        columns = unique_columns([tidy(c) for c in names])
        if not columns:
            raise ImportFormatError("Tệp CSV trống hoặc không có dòng tên cột.")
        refuse_garbled(columns)
        lines.record = 0
        yield Table(columns, _csv_rows(reader, columns, lines, limits, notes), position, notes)


def _dialect(head: str) -> type[csv.Dialect]:
    """The sniffed delimiter, read on LF lines: on Excel's CRLF lines the Sniffer misses doubled quotes (a
    doubled quote came out as two) or the delimiter. Quotes are doubled whatever it guesses: Excel, Google
    Sheets and RFC 4180 all write them so, and nothing we are sent escapes them otherwise."""
    try:
        sniffed = csv.Sniffer().sniff(head.replace("\r\n", "\n"), delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    return type("Sniffed", (csv.excel,), {"delimiter": sniffed.delimiter, "quotechar": sniffed.quotechar or '"',
                                          "skipinitialspace": sniffed.skipinitialspace, "doublequote": True})


def _csv_rows(reader: Iterator[list[str]], columns: list[str], lines: Lines, limits: ImportsConfig,
              notes: Counter[str]) -> Iterator[dict[str, Any]]:
    """Each record as {column: field} of the fields it has. Why not csv.DictReader: it fills a short record out to
    the header with None, so a row cost the header's width, not its own: under a header of 100,000 columns (690 KB)
    1,000 rows of one letter took 100 s, and a 2 MB header over 100,000 such rows would take hours (round 31,
    `hostile34`). A column the row does not reach is absent; readers ask with .get (items._get, surveys)."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, lines, limits) from None
        if not fields:  # a blank line, skipped as DictReader skipped it
            continue
        lines.record = 0
        row = dict(zip(columns, fields))
        if any(v.strip() for v in fields[len(columns):]):  # fields past the header: not imported
            notes["extra_fields"] += 1
        check_cells(row, limits.max_cell_chars, f"dòng {fmt_num(lines.line_no)}")
        yield row


def _csv_error(exc: csv.Error, lines: Lines, limits: ImportsConfig) -> ImportFormatError:
    if "field limit" in str(exc):  # the csv module's own cap (131,072 characters) on one field
        limit = min(limits.max_cell_chars, csv.field_size_limit())
        return ImportLimitError(f"Một ô ở dòng {fmt_num(lines.line_no)} dài quá giới hạn {fmt_num(limit)} ký tự "
                                f"(imports.max_cell_chars).")
    return ImportFormatError(f"Tệp CSV lỗi ở dòng {fmt_num(lines.line_no)} ({exc}).")
