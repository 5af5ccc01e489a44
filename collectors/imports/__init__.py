"""Imports: posts exported from other tools (CSV, JSONL, XLSX) brought in as items, idempotently.

    FILE ─open_table─▶ Table: columns + rows streamed one at a time, bounded by the [imports] caps
        │   .csv .tsv .txt    csv_rows   (text: any encoding; any delimiter)
        │   .jsonl .json      json_rows  (JSONL, or a JSON array element by element)
        │   .xlsx .xlsm       xlsx_rows  (zipcheck first; first or named sheet; xlsx_slim)
        │   caps: max_line_bytes, max_cell_chars, max_uncompressed_mb, max_xlsx_part_mb (errors name the setting)
        │ mapping  title=col,text=col,url=col,published_at=col,author=col,outlet=col,place=col,
        │          source_type=col,id=col      (parse_mapping; guess_mapping proposes one from headers)
        ▼
    items.map_row (pure) ─▶ Item(collector "import", source "import-<file stem>" or --source)
        │ preview(rows, mapping) shows the first items and the skip reasons before anything is written
        ▼
    orchestration.imports.import_file: chunks of imports.chunk_rows, each one transaction (insert_items,
        idempotent: same URL or same text → no new item, + the import_log totals) ─▶ NLP pipeline

The modules of this package, one job each:

    errors      ImportFormatError, ImportLimitError (Vietnamese messages)
    caps        the bounded line reader and cell check; the readers' own constants
    text        a text file's codec from its first bytes
    table       Table, unique column names, NOTES (what a read quietly lost) and notes_text
    csv_rows · json_rows · xlsx_rows · xlsx_slim · zipcheck      the format readers
    times       parse_time: ISO, dd/mm/yyyy, epoch, Excel date numbers (1900 and 1904 systems)
    mapping     FIELDS, parse_mapping, guess_mapping, check_mapping
    items       map_row, map_rows, ImportSettings, settings_for, source_type_of_outlet
    preview     preview, chunks, undated, item_notes

A row without an http(s) link gets a stable address `urn:langnghe:import:<hash>` from the source
name and its external id (the `id` column) or, failing that, its text, time and author: importing the
same file twice, or an export that overlaps an earlier one, adds nothing new.

Times without an offset are local time (imports.utc_offset_hours, 7 for Việt Nam) and are stored as
naive UTC. Accepted: ISO 8601, "dd/mm/yyyy HH:MM", epoch seconds/milliseconds, Excel date cells, and
Excel date numbers (a date column saved as "General": 45992 is 01/12/2025; 20,000–80,000 only). A workbook
saved with the 1904 date system (Mac Excel; `wb.epoch`) counts its numbers from 01/01/1904: openpyxl applies
that to date cells, and the reader marks such a workbook's numbers (`Serial1904`) so a number read as a date
is not 4 years and a day early.

Not a collector kind (nothing is fetched): `langnghe import FILE --map … [--preview]` runs it, and so
does the dashboard page Nhập dữ liệu (upload, mapping, preview, import) while `serve` holds the database.
This module opens a file by its suffix; the names its callers (the CLI, orchestration, the dashboard, survey
imports) use are imported here from the module that defines them.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from collectors.imports.csv_rows import csv_table
from collectors.imports.errors import ImportFormatError
from collectors.imports.items import NO_FILE_NAME, ImportSettings, map_rows, settings_for, stored_name
from collectors.imports.json_rows import json_table
from collectors.imports.mapping import FIELDS, check_mapping, guess_mapping, parse_mapping
from collectors.imports.preview import chunks, item_notes, preview, undated
from collectors.imports.table import Table, notes_text
from collectors.imports.xlsx_rows import open_workbook, sheet_table, xlsx_table
from vocab.config import ImportsConfig

__all__ = ["FIELDS", "NO_FILE_NAME", "ImportFormatError", "ImportSettings", "OpenedFile", "Table", "check_mapping", "chunks", "guess_mapping",
           "item_notes", "map_rows", "notes_text", "open_table", "parse_mapping", "preview", "read_bytes", "read_csv",
           "read_jsonl", "read_rows", "settings_for", "stored_name", "undated"]


_WORKBOOK = (".xlsx", ".xlsm")  # read by xlsx_rows, whether through open_table or an OpenedFile: one list for both


def file_sha1(stream: BinaryIO) -> str:
    """The hex SHA-1 of the whole upload (from its start), which names it in the import log and keys the page's
    opened copy; the stream is left at its end."""
    import hashlib

    stream.seek(0)
    return hashlib.file_digest(stream, "sha1").hexdigest()


@contextmanager
def open_table(file_name: str, stream: BinaryIO, limits: ImportsConfig, *,
               sheet: str | None = None) -> Iterator[Table]:
    """The rows of a .csv/.tsv/.txt, .jsonl/.ndjson/.json or .xlsx/.xlsm stream (seekable; it is
    rewound first and left open). Raises ImportFormatError (ImportLimitError over a limit), also while
    the rows are being iterated."""
    suffix = Path(file_name).suffix.lower()
    stream.seek(0)
    if suffix in (".csv", ".tsv", ".txt"):
        opener: Any = csv_table
    elif suffix in (".jsonl", ".ndjson", ".json"):
        opener = json_table
    elif suffix in _WORKBOOK:
        with xlsx_table(stream, limits, sheet) as table:
            yield table
        return
    else:
        raise ImportFormatError(f"Không nhận loại tệp «{suffix or '(không có đuôi)'}»: hãy dùng CSV, JSONL hoặc XLSX.")
    with opener(stream, limits) as table:
        yield table


class OpenedFile:
    """A file opened once for several passes over its rows (the Nhập dữ liệu page: its columns, its preview, then the
    import). An XLSX's zip check and openpyxl's open, its shared strings read, are done here once; until round 24 the
    page did them for the columns, again for the preview and again for the import (3–9 s each for a 20,000-row sheet
    under load). Each `table()` is a new pass, as `open_table` gives it: a CSV or JSON file is opened again (a codec
    sniff). Bombs and unreadable files are refused here, as open_table refuses them. `close()` lets the workbook go.
    `sha1`: the hex SHA-1 of the bytes when the caller has it (the page keys its upload by it), so that the import log
    takes it rather than reading the file again to compute it (round 25)."""

    def __init__(self, file_name: str, stream: BinaryIO, limits: ImportsConfig, *, sheet: str | None = None,
                 sha1: str | None = None):
        self.file_name, self.stream, self.limits, self.sheet, self.sha1 = file_name, stream, limits, sheet, sha1
        stream.seek(0)
        self._workbook = (open_workbook(stream, limits)
                          if Path(file_name).suffix.lower() in _WORKBOOK else None)

    @contextmanager
    def table(self) -> Iterator[Table]:
        """One pass over the rows (raises ImportFormatError as open_table does, also while they are read)."""
        if self._workbook is None:
            with open_table(self.file_name, self.stream, self.limits, sheet=self.sheet) as table:
                yield table
        else:
            with sheet_table(self._workbook, self.limits, self.sheet) as table:
                yield table

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def read_bytes(file_name: str, data: bytes, *, sheet: str | None = None,
               limits: ImportsConfig | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(rows, columns) of a small file held in memory (tests, tools); imports stream with open_table."""
    with open_table(file_name, io.BytesIO(data), limits or ImportsConfig(), sheet=sheet) as t:
        return list(t.rows), t.columns


def read_rows(path: str | Path, *, sheet: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    p = Path(path)
    return read_bytes(p.name, p.read_bytes(), sheet=sheet)


def read_csv(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    return read_bytes("x.csv", data)


def read_jsonl(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    return read_bytes("x.jsonl", data)
