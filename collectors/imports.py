"""Imports: posts exported from other tools (CSV, JSONL, XLSX) brought in as items, idempotently.

    FILE ─open_table─▶ columns + rows streamed one at a time (CSV in any encoding and delimiter; JSONL or
        │              JSON array; XLSX first sheet), bounded by [imports] max_line_bytes, max_cell_chars,
        │              max_uncompressed_mb (errors name the limit)
        │ mapping  title=col,text=col,url=col,published_at=col,author=col,outlet=col,place=col,
        │          source_type=col,id=col      (parse_mapping; guess_mapping proposes one from headers)
        ▼
    map_row (pure) ─▶ Item(collector "import", source "import-<file stem>" or --source)
        │ preview(rows, mapping) shows the first items and the skip reasons before anything is written
        ▼
    import_file: chunks of imports.chunk_rows, each one transaction (insert_items, idempotent: same URL
        or same text → no new item, + the import_log totals) ─▶ NLP pipeline; progress callback;
        stops between chunks when asked (Ctrl-C); import_log.status done / interrupted / error

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
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import struct
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping

from collectors import _social
from collectors import base
from collectors.base import SkipItem
from vocab.item import Item
from vocab.labels import SOURCE_TYPES
from collectors.encoding import decode
from collectors.html_list import DMY, full_year, parse_vn_date
from collectors.textutil import is_http_url, sha1, strip_html, tidy
from vocab.config import ImportsConfig, SourceConfig
from vocab.folding import fold
from vocab.numbers import fmt_num

FIELDS = ("title", "text", "url", "published_at", "author", "outlet", "place", "source_type", "id")

# header names other tools use, compared folded (vocab.folding.fold: lower case, no diacritics), so
# "Tiêu đề bài", "TIEU DE BAI" and "tiêu đề bài" are one name
_GUESS: dict[str, tuple[str, ...]] = {
    "title": ("title", "tieu de", "tieu de bai", "tieu de bai viet", "headline", "subject"),
    "text": ("text", "content", "noi dung", "noi dung bai", "message", "body", "post", "description", "caption"),
    "url": ("url", "link", "permalink", "duong dan", "lien ket", "post_url", "post url"),
    "published_at": ("published_at", "published", "date", "time", "created_time", "created_at", "created",
                     "timestamp", "ngay", "thoi gian", "ngay dang", "thoi gian dang", "ngay gio dang"),
    "author": ("author", "tac gia", "user", "username", "nguoi dang", "from"),
    "outlet": ("outlet", "source", "nguon", "site", "page", "group", "nhom", "platform", "kenh", "trang",
               "noi dang", "bao"),
    "place": ("place", "dia ban", "location", "dia diem"),
    "source_type": ("source_type", "loai nguon", "type"),
    "id": ("id", "post_id", "post id", "ma", "ma bai"),
}

# an outlet ("Kênh", "Nguồn"…) naming a platform makes the row social media; one naming a newspaper,
# magazine or broadcaster makes it press. Folded words, matched as whole words.
_SOCIAL_OUTLET = ("facebook", "fb", "zalo", "tiktok", "youtube", "instagram", "threads", "twitter", "x.com",
                  "telegram", "reddit", "voz", "otofun", "webtretho", "mang xa hoi", "mxh", "dien dan", "forum",
                  "fanpage", "group", "nhom")
_PRESS_OUTLET = ("bao", "tap chi", "truyen hinh", "phat thanh", "dai", "thong tan xa", "ttxvn", "vnexpress",
                 "dan tri", "tuoi tre", "thanh nien", "vietnamnet", "vnanet", "zing", "znews", "lao dong",
                 "tien phong", "nhan dan", "vtv", "vov", "cafef", "cafebiz", "vietnamplus", "baoquangninh",
                 "quang ninh tv", "nld", "nguoi lao dong", "kinh te do thi", "suc khoe doi song")


def source_type_of_outlet(outlet: str) -> str | None:
    """'social' for an outlet naming a platform (Facebook, Zalo, TikTok…), 'press' for a newspaper,
    magazine or broadcaster, None when it says neither (the import's default then applies)."""
    words = f" {' '.join(re.split(r'[^0-9a-z.]+', fold(outlet)))} "
    if any(f" {w} " in words for w in _SOCIAL_OUTLET):
        return "social"
    if any(f" {w} " in words for w in _PRESS_OUTLET) or re.search(r"\.(vn|com\.vn)\b", words):
        return "press"
    return None


# why a row was skipped: the labels live with SkipItem (collectors/base.py), shared by feeds and imports
SKIP_LABELS, skip_label = base.SKIP_LABELS, base.skip_label


class ImportFormatError(ValueError):
    """The file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong."""


def parse_mapping(spec: str) -> dict[str, str]:
    """'title=Tiêu đề,text=Nội dung' → {'title': 'Tiêu đề', 'text': 'Nội dung'}. Unknown fields are an error."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportFormatError(f"Phần ánh xạ «{part.strip()}» không có dạng trường=cột.")
        k, v = part.split("=", 1)
        k, v = k.strip(), v.strip()
        if k not in FIELDS:
            raise ImportFormatError(f"Không có trường «{k}»; các trường: {', '.join(FIELDS)}.")
        if not v:
            raise ImportFormatError(f"Trường «{k}» chưa có tên cột.")
        out[k] = v
    return out


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """A proposed mapping from header names (the preview shows it; staff confirm with --map)."""
    out: dict[str, str] = {}
    lowered = {c: " ".join(re.split(r"[\s_:()\-]+", fold(tidy(c)))).strip() for c in columns}
    lowered = {c: low.replace(" ", "_") if low in ("post id", "post url") else low for c, low in lowered.items()}
    for fld, names in _GUESS.items():
        for c, low in lowered.items():
            if low in names and c not in out.values():
                out[fld] = c
                break
    return out


def check_mapping(mapping: Mapping[str, str], columns: list[str]) -> None:
    if "text" not in mapping and "title" not in mapping:
        raise ImportFormatError("Cần chọn cột cho ít nhất nội dung (text=) hoặc tiêu đề (title=); các cột của "
                                f"tệp: {', '.join(columns) or '(không có)'}.")
    missing = [f"{k}={v}" for k, v in mapping.items() if not _has_column(v, columns)]
    if missing:
        raise ImportFormatError(f"Tệp không có cột: {', '.join(missing)}; các cột của tệp: {', '.join(columns)}.")


def _has_column(col: str, columns: list[str]) -> bool:
    return col in columns or col.split(".", 1)[0] in columns


# ---------------------------------------------------------------------------------------------- reading
#
# Files are streamed: rows come one at a time from an open binary stream, so memory does not grow with
# the file. Every read is bounded by ImportsConfig: a CSV record or JSONL line by max_line_bytes (never
# read further), a cell by max_cell_chars, an XLSX by the declared sizes of its zip parts (checked
# before openpyxl opens it; zipfile stops at the declared size, so a forged size only fails the CRC).

# Constants, not [imports] settings: samples of the reader's own heuristics, Excel's own row limit, and the zip's
# directory (a real workbook has tens of parts; it is read whole). A part openpyxl parses whole (styles, workbook…)
# is bounded by [imports] max_xlsx_part_mb instead: a heavily formatted office workbook may need more.
_HEAD_BYTES = 1 << 20             # sample that decides the encoding and the CSV dialect
_COLUMN_SCAN_ROWS = 1000          # JSONL: columns are the keys of the first rows…
_COLUMN_SCAN_BYTES = 16 << 20     # …read up to this many bytes
_XLSX_MAX_ROWS = 1_048_576        # Excel's own row limit; a sheet claiming more is not an export
_ZIP_MAX_PARTS = 10_000           # an XLSX has tens of parts; the zip directory is read whole


class ImportLimitError(ImportFormatError):
    """The file goes over a size limit; the message (Vietnamese) names the limit and its setting."""


@dataclass
class Table:
    """An open file: its columns and a one-pass iterator of rows. `position()` is the share of the file
    read so far (None when unknown), for progress bars."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]
    position: Callable[[], float | None] = lambda: None
    notes: Counter[str] = field(default_factory=Counter)  # what reading quietly lost (NOTES), filled as rows are read


@contextmanager
def open_table(file_name: str, stream: BinaryIO, limits: ImportsConfig, *,
               sheet: str | None = None) -> Iterator[Table]:
    """The rows of a .csv/.tsv/.txt, .jsonl/.ndjson/.json or .xlsx/.xlsm stream (seekable; it is
    rewound first and left open). Raises ImportFormatError (ImportLimitError over a limit), also while
    the rows are being iterated."""
    suffix = Path(file_name).suffix.lower()
    stream.seek(0)
    if suffix in (".csv", ".tsv", ".txt"):
        opener: Any = _csv_table
    elif suffix in (".jsonl", ".ndjson", ".json"):
        opener = _json_table
    elif suffix in (".xlsx", ".xlsm"):
        with _xlsx_table(stream, limits, sheet) as table:
            yield table
        return
    else:
        raise ImportFormatError(f"Không nhận loại tệp «{suffix or '(không có đuôi)'}»: hãy dùng CSV, JSONL hoặc XLSX.")
    with opener(stream, limits) as table:
        yield table


def sniff_encoding(head: bytes) -> str:
    """Codec of a text file from its first bytes: BOM, UTF-16 without BOM (NUL bytes on one side),
    else collectors.encoding's choice (UTF-8, Windows-1258, …) on whole lines of the sample."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bomless = _utf16_without_bom(head)
    if bomless:
        return bomless
    cut = head.rfind(b"\n")
    sample = head[:cut + 1] if len(head) >= _HEAD_BYTES and cut > 0 else head
    return decode(sample)[1]


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text puts a NUL beside every ASCII character (commas, newlines, Latin letters) and
    Vietnamese text is mostly those; UTF-8 and Windows code pages have no NULs."""
    n = len(head) // 2 * 2
    if n < 4:
        return None
    even, odd = head[0:n:2].count(0), head[1:n:2].count(0)
    half = n // 2
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 * half and other <= 0.05 * half:
            try:
                codecs.getincrementaldecoder(enc)("strict").decode(head[:n])
            except UnicodeDecodeError:
                continue
            return enc
    return None


@contextmanager
def _text(stream: BinaryIO) -> Iterator[tuple[io.TextIOWrapper, str]]:
    """The stream decoded (codec from its first bytes), detached again afterwards so it stays open."""
    head = stream.read(_HEAD_BYTES)
    stream.seek(0)
    enc = sniff_encoding(head)
    text = io.TextIOWrapper(stream, encoding=enc, errors="replace", newline="")
    try:
        yield text, head.decode(enc, errors="replace").lstrip("\ufeff")
    finally:
        text.detach()


class _Lines:
    """Lines of a text stream, NFC, never reading more than `max_bytes` for one record: `record` counts
    the UTF-8 bytes since the caller last reset it (a CSV record can span lines)."""

    def __init__(self, text: io.TextIOBase, max_bytes: int):
        self.text, self.max, self.record, self.line_no = text, max_bytes, 0, 0

    def __iter__(self) -> "_Lines":
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


def _check_cells(row: Mapping[str, Any], limit: int, where: str, depth: int = 0) -> None:
    for v in row.values():
        if isinstance(v, str) and len(v) > limit:
            raise ImportLimitError(f"Một ô ở {where} dài {fmt_num(len(v))} ký tự, quá giới hạn {fmt_num(limit)} "
                                   f"ký tự (imports.max_cell_chars).")
        if isinstance(v, Mapping) and depth < 8:
            _check_cells(v, limit, where, depth + 1)


def _position(stream: BinaryIO) -> Callable[[], float | None]:
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


def _garbled(columns: list[str]) -> None:
    if any("\x00" in c for c in columns):
        raise ImportFormatError("Tên cột chứa ký tự NUL: tệp có vẻ được lưu bằng UTF-16 (hoặc không phải tệp văn "
                                "bản). Hãy lưu lại dưới dạng CSV UTF-8 rồi nhập.")


@contextmanager
def _csv_table(stream: BinaryIO, limits: ImportsConfig) -> Iterator[Table]:
    position = _position(stream)
    with _text(stream) as (text, head):
        dialect = _dialect(head[:8192])
        lines = _Lines(text, limits.max_line_bytes)
        reader = csv.DictReader(lines, dialect=dialect)
        try:
            names = reader.fieldnames or []
        except csv.Error as exc:
            raise _csv_error(exc, lines, limits) from None
        columns = unique_columns([tidy(c) for c in names])
        if not columns:
            raise ImportFormatError("Tệp CSV trống hoặc không có dòng tên cột.")
        _garbled(columns)
        reader.fieldnames = columns
        lines.record = 0
        notes: Counter[str] = Counter()
        yield Table(columns, _csv_rows(reader, lines, limits, notes), position, notes)


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


def _csv_rows(reader: csv.DictReader, lines: _Lines, limits: ImportsConfig,
              notes: Counter[str]) -> Iterator[dict[str, Any]]:
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, lines, limits) from None
        lines.record = 0
        row = {k: v for k, v in raw.items() if k is not None}
        if any(str(v).strip() for v in raw.get(None) or ()):  # fields past the header: not imported
            notes["extra_fields"] += 1
        _check_cells(row, limits.max_cell_chars, f"dòng {fmt_num(lines.line_no)}")
        yield row


def _csv_error(exc: csv.Error, lines: _Lines, limits: ImportsConfig) -> ImportFormatError:
    if "field limit" in str(exc):  # the csv module's own cap (131,072 characters) on one field
        limit = min(limits.max_cell_chars, csv.field_size_limit())
        return ImportLimitError(f"Một ô ở dòng {fmt_num(lines.line_no)} dài quá giới hạn {fmt_num(limit)} ký tự "
                                f"(imports.max_cell_chars).")
    return ImportFormatError(f"Tệp CSV lỗi ở dòng {fmt_num(lines.line_no)} ({exc}).")


@contextmanager
def _json_table(stream: BinaryIO, limits: ImportsConfig) -> Iterator[Table]:
    position = _position(stream)
    with _text(stream) as (text, head):
        if head.lstrip().startswith("["):
            rows = _json_array_rows(stream, text, limits)
        else:
            rows = _jsonl_rows(_Lines(text, limits.max_line_bytes), limits)
        first: list[dict[str, Any]] = []
        columns: list[str] = []
        size = 0
        for r in rows:  # columns: keys of the first rows (kept, then streamed on)
            first.append(r)
            size += len(r) + sum(len(v) for v in r.values() if isinstance(v, str))
            for k in r:
                if k not in columns and not k.startswith("_"):
                    columns.append(k)
            if len(first) >= _COLUMN_SCAN_ROWS or size >= _COLUMN_SCAN_BYTES:
                break
        _garbled(columns)
        yield Table(columns, itertools.chain(first, rows), position)


def _jsonl_rows(lines: _Lines, limits: ImportsConfig) -> Iterator[dict[str, Any]]:
    for line in lines:
        lines.record = 0
        n = lines.line_no
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):  # JSONDecodeError, or a number too long to convert
            yield {"_error": f"line {n}: not JSON"}
            continue
        if not isinstance(obj, dict):
            yield {"_error": f"line {n}: not an object"}
            continue
        _check_cells(obj, limits.max_cell_chars, f"dòng {fmt_num(n)}")
        yield obj


def _json_array_rows(stream: BinaryIO, text: io.TextIOBase, limits: ImportsConfig) -> Iterator[dict[str, Any]]:
    """A JSON array export, element by element (ijson). One element can be as large as the file, so the
    file is capped at max_uncompressed_mb."""
    import ijson

    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    limit_mb = limits.max_uncompressed_mb
    if size > limit_mb * 1e6:
        raise ImportLimitError(f"Tệp JSON dạng mảng lớn {fmt_num(size / 1e6)} MB, quá giới hạn {fmt_num(limit_mb)} "
                               f"MB (imports.max_uncompressed_mb). Hãy xuất dạng JSONL (mỗi dòng một bài).")
    try:
        for n, r in enumerate(_array_elements(ijson.basic_parse(_Utf8Bytes(text), use_float=True)), 1):
            row = (r if isinstance(r, dict)  # anything else is said as such, not "no text"
                   else {"_error": f"element {n}: nested too deeply"} if r is _TOO_DEEP
                   else {"_error": f"element {n}: not an object"})
            _check_cells(row, limits.max_cell_chars, f"phần tử {fmt_num(n)}")
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


def check_zip(stream: BinaryIO, limits: ImportsConfig) -> None:
    """Refuse a zip (XLSX) whose parts would unzip past the limits, from the sizes it declares; its
    directory is read only when the end record says it is small."""
    import zipfile

    _check_zip_directory(stream)
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFormatError(f"Không đọc được tệp XLSX: tệp hỏng hoặc không phải XLSX ({type(exc).__name__}).") from None
    _check_is_workbook([i.filename for i in infos])
    total = sum(i.file_size for i in infos)
    limit_mb = limits.max_uncompressed_mb
    if total > limit_mb * 1e6:
        raise ImportLimitError(f"Tệp XLSX khi giải nén chiếm {fmt_num(total / 1e6)} MB, quá giới hạn "
                               f"{fmt_num(limit_mb)} MB (imports.max_uncompressed_mb). Hãy chia nhỏ tệp hoặc xuất sang CSV.")
    for i in infos:
        streamed = i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml"
        if not streamed and i.file_size > limits.max_xlsx_part_mb * 1e6:
            raise ImportLimitError(f"Phần «{i.filename}» của tệp XLSX khi giải nén chiếm {fmt_num(i.file_size / 1e6, 1)} "
                                   f"MB, quá giới hạn {fmt_num(limits.max_xlsx_part_mb, 1)} MB cho phần này "
                                   "(imports.max_xlsx_part_mb).")
    stream.seek(0)


# what a zip named .xlsx turns out to be, from a part only that format has → how staff are told
_NOT_A_WORKBOOK = (("word/document.xml", "một văn bản Word (DOCX) đổi tên thành .xlsx"),
                   ("ppt/presentation.xml", "một tệp PowerPoint (PPTX) đổi tên thành .xlsx"),
                   ("content.xml", "một tệp OpenDocument (LibreOffice: ODS/ODT) đổi tên thành .xlsx"))


def _check_is_workbook(names: list[str]) -> None:
    """An ImportFormatError saying what the zip is when it holds no workbook (no xl/ part): openpyxl said only
    «KeyError» (a zip of other files) or «OSError» (a DOCX)."""
    lower = {n.lower() for n in names}
    if any(n.startswith("xl/") for n in lower):
        return
    what = next((said for part, said in _NOT_A_WORKBOOK if part in lower), "một tệp nén ZIP thường đổi tên thành .xlsx")
    shown = ", ".join(tidy(n)[:60] for n in sorted(names)[:5]) + (" …" if len(names) > 5 else "")
    raise ImportFormatError(f"Tệp này không phải bảng tính Excel mà là {what} (trong tệp có: {shown or 'không có gì'}). "
                            "Hãy mở bảng tính bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx hoặc CSV UTF-8.")


def _check_zip_directory(stream: BinaryIO) -> None:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(max(0, size - (1 << 16) - 22))
    tail = stream.read((1 << 16) + 22)  # bounded: a stream whose end is unknown (a device) never ends
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise ImportFormatError("Không đọc được tệp XLSX: tệp hỏng hoặc không phải XLSX (không có mục lục zip).")
    parts, dir_size = struct.unpack_from("<HI", tail, at + 10)
    if parts > _ZIP_MAX_PARTS or dir_size > _ZIP_MAX_PARTS * 1024:
        raise ImportLimitError(f"Tệp XLSX có {fmt_num(parts)} phần, quá giới hạn {fmt_num(_ZIP_MAX_PARTS)} phần.")


@contextmanager
def _xlsx_table(stream: BinaryIO, limits: ImportsConfig, sheet: str | None) -> Iterator[Table]:
    from openpyxl import load_workbook

    check_zip(stream, limits)
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFormatError(f"Không đọc được tệp XLSX: tệp hỏng hoặc không phải XLSX ({type(exc).__name__}).") from None
    try:
        if sheet and sheet not in wb.sheetnames:
            raise ImportFormatError(f"Không có trang tính «{sheet}»; các trang: {', '.join(wb.sheetnames)}.")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        _slim_rows_of(ws)
        declared = ws.max_row if isinstance(ws.max_row, int) else None
        ws.reset_dimensions()  # no padding to a declared A1:XFD1048576
        it = ws.iter_rows(values_only=True)
        if wb.epoch == _EXCEL_EPOCH_1904:
            it = (tuple(_mark_1904(v) for v in values) for values in it)
        header = next(_xlsx_values(it, {"n": 0}), None)
        if not header:
            raise ImportFormatError("Trang tính trống: không có dòng tên cột.")
        columns = unique_columns([tidy(str(h)) if h is not None else "" for h in header])
        state = {"n": 1}
        notes: Counter[str] = Counter()

        def position() -> float | None:
            return min(1.0, state["n"] / declared) if declared else None

        yield Table(columns, _xlsx_rows(it, columns, limits, state, notes, ws), position, notes)
    finally:
        wb.close()


_ROW_TAG = re.compile(rb"(<(?:\w+:)?row)\b([^>]*?)(/?)>|<(?:\w+:)?c\s[^>]*?\br=\"[^\"]*\"[^>]*?/>")
_ROW_NUMBER = re.compile(rb"\sr=\"[^\"]*\"")


def _slim_row(m: "re.Match[bytes]") -> bytes:
    if m.group(1) is None or m.group(3):  # <c r="A5" s="1"/>, <row …/>: no value, only formatting
        return b""
    r = _ROW_NUMBER.search(m.group(2))
    return m.group(1) + (r.group(0) if r else b"") + b">"


class _SlimRows:
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

    def __enter__(self) -> "_SlimRows":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _slim_rows_of(ws: Any) -> None:
    """Read `ws` (openpyxl read-only) through _SlimRows."""
    opened = ws._get_source
    ws._get_source = lambda: _SlimRows(opened())


class Serial1904(float):
    """A number cell of a workbook saved with the 1904 date system (Mac Excel): as an Excel date number it
    counts days from 01/01/1904, not from 30/12/1899. As a number it is the cell's value."""

    def __str__(self) -> str:
        return _str(int(self) if self.is_integer() else float(self))


def _mark_1904(v: Any) -> Any:
    return Serial1904(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _xlsx_rows(it: Iterator[tuple[Any, ...]], columns: list[str], limits: ImportsConfig,
               state: dict[str, int], notes: Counter[str], ws: Any = None) -> Iterator[dict[str, Any]]:
    for values in _xlsx_values(it, state):
        state["n"] += 1
        if state["n"] > _XLSX_MAX_ROWS:
            raise ImportLimitError(f"Trang tính có hơn {fmt_num(_XLSX_MAX_ROWS)} dòng (giới hạn của Excel); "
                                   "tệp không hợp lệ.")
        if not values or all(v is None or v == "" for v in values):
            continue
        row = {columns[i]: v for i, v in enumerate(values) if i < len(columns)}
        if any(v is not None and str(v).strip() for v in values[len(columns):]):  # cells right of the header
            notes["extra_fields"] += 1
        _check_cells(row, limits.max_cell_chars, f"dòng {fmt_num(state['n'])}")
        yield row
    if ws is not None:  # all rows read: now say which cells read as empty only because nothing computed them
        if uncomputed := _uncomputed_formulas(ws):
            notes["formula_no_value"] += uncomputed


def _xlsx_values(it: Iterator[tuple[Any, ...]], state: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    """openpyxl's rows; a damaged cell (text in a number cell, a bad date, broken XML) raised a bare
    ValueError/KeyError/XML error mid-file and ended the command in a traceback: said in Vietnamese now."""
    while True:
        try:
            values = next(it)
        except StopIteration:
            return
        except (ValueError, KeyError, IndexError, TypeError, SyntaxError) as exc:  # ParseError is a SyntaxError
            raise ImportFormatError(f"Trang tính hỏng ở dòng {fmt_num(state['n'] + 1)}: có ô không đọc được "
                                    f"({type(exc).__name__}). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại "
                                    "rồi nhập lại.") from None
        yield values


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _uncomputed_formulas(ws: Any) -> int:
    """Formula cells without a cached value. Excel and LibreOffice store each formula's result; other tools
    (openpyxl, scripts) often write only the formula, and a values-only read sees an empty cell. A second,
    streamed pass over the sheet's XML (openpyxl's read-only part), run only when the XML has a formula."""
    from openpyxl.xml.functions import iterparse

    with ws._get_source() as src:  # one pass of plain byte search: most exports have no formula at all
        tail = b""
        while chunk := src.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                break
            tail = chunk[-16:]
        else:
            return 0
    n = 0
    with ws._get_source() as src:
        rows = None
        for event, el in iterparse(src, events=("start", "end")):
            if event == "start":
                if el.tag == f"{_SHEET_NS}sheetData":
                    rows = el
                continue
            if el.tag == f"{_SHEET_NS}c":
                if el.find(f"{_SHEET_NS}f") is not None and not (el.findtext(f"{_SHEET_NS}v") or "").strip():
                    n += 1
            elif el.tag == f"{_SHEET_NS}row" and rows is not None:
                rows.remove(el)  # memory stays one row
    return n


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


# ---------------------------------------------------------------------------------------------- mapping


def _get(row: Mapping[str, Any], col: str | None) -> Any:
    if not col:
        return None
    if col in row:
        return row[col]
    cur: Any = row
    for part in col.split("."):  # nested JSON: user.name
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def parse_time(v: Any, *, utc_offset_hours: float = 7.0) -> datetime | None:
    """A cell or field → naive UTC. Local time unless the value carries an offset."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            return v.astimezone(timezone.utc).replace(tzinfo=None)
        return v - timedelta(hours=utc_offset_hours)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if _EXCEL_SERIALS[0] <= v < _EXCEL_SERIALS[1]:  # a date cell saved as a number (column left "General")
            epoch = _EXCEL_EPOCH_1904 if isinstance(v, Serial1904) else _EXCEL_EPOCH
            return epoch + timedelta(days=float(v)) - timedelta(hours=utc_offset_hours)
        if v < _EPOCH_MIN:  # a year, a count, a phone number: not a time (it read as 1970)
            return None
        secs = float(v) / 1000.0 if v > 10**11 else float(v)
        return _social.parse_iso(secs)
    s = str(v).strip()
    if re.fullmatch(r"\d{9,13}", s):
        return parse_time(int(s), utc_offset_hours=utc_offset_hours)
    if re.fullmatch(r"\d{5}(?:[.,]\d+)?", s):
        return parse_time(float(s.replace(",", ".")), utc_offset_hours=utc_offset_hours)
    return parse_vn_date(s, utc_offset_hours=utc_offset_hours)


_EXCEL_EPOCH = datetime(1899, 12, 30)   # day 0 of Excel's (1900) date numbers
_EXCEL_EPOCH_1904 = datetime(1904, 1, 1)  # day 0 of a 1904-system workbook (openpyxl.utils.datetime.CALENDAR_MAC_1904)
_EXCEL_SERIALS = (20_000, 80_000)       # 1954-10-03 … 2119-01-10 as Excel date numbers
_EPOCH_MIN = 10**9                      # 2001-09-09 as epoch seconds: smaller numbers are not epoch times


def us_order_date(s: str) -> bool:
    """A date that is impossible day-first but valid month-first (05/13/2026): an export in US order.
    It is left undated and counted (NOTES["us_date"]), never swapped: 05/06/2026 cannot be told apart."""
    m = DMY.search(s)
    if not m:
        return False
    first, second, year = (int(g) for g in m.groups())
    try:
        datetime(full_year(year), first, second)
    except ValueError:
        return False
    return second > 12


# Things a read loses without skipping a row, said in the preview and after the import (notes_text).
NOTES = {
    "formula_no_value": "{n} ô có công thức nhưng chưa có giá trị tính sẵn (tệp do công cụ khác Excel tạo) nên "
                        "được đọc là trống; dòng chỉ có các ô này bị bỏ qua vì không có nội dung. Hãy mở tệp "
                        "bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại.",
    "extra_fields": "{n} dòng có nhiều ô hơn số cột của dòng tiêu đề: các ô thừa (không có tên cột) không được "
                    "nhập. Hãy kiểm tra tệp: dấu phân cách nằm trong nội dung mà thiếu dấu ngoặc kép, hoặc cột "
                    "chưa có tên ở dòng tiêu đề.",
    "us_date": "{n} dòng có ngày viết theo kiểu tháng/ngày/năm (ví dụ 05/13/2026), không đọc được theo "
               "ngày/tháng/năm nên được coi là không có ngày. Hãy xuất lại tệp với ngày dạng ngày/tháng/năm "
               "hoặc năm-tháng-ngày.",
}


def notes_text(notes: Mapping[str, int]) -> list[str]:
    """The Vietnamese warnings for a read's notes, most frequent first."""
    return [NOTES.get(k, k + ": {n}").format(n=fmt_num(n)) for k, n in sorted(notes.items(), key=lambda kv: -kv[1]) if n]


@dataclass(frozen=True)
class ImportSettings:
    source: SourceConfig
    utc_offset_hours: float = 7.0


def map_row(row: Mapping[str, Any], mapping: Mapping[str, str], settings: ImportSettings, fetched_at: datetime) -> Item:
    """One row → Item. Pure: same row, mapping and settings → same Item. Raises SkipItem with a reason."""
    if "_error" in row:
        raise SkipItem(str(row["_error"]).split(":", 1)[-1].strip())
    src = settings.source
    text = strip_html(_str(_get(row, mapping.get("text"))))
    title = strip_html(_str(_get(row, mapping.get("title"))))
    if not text and not title:
        raise SkipItem("no title or text")
    raw_time = _get(row, mapping.get("published_at"))
    published = parse_time(raw_time, utc_offset_hours=settings.utc_offset_hours) if mapping.get("published_at") else None
    flags = ["imported"]
    if mapping.get("published_at") and raw_time not in (None, "") and published is None:
        flags.append("unparsed_date")
        if isinstance(raw_time, str) and us_order_date(raw_time):
            flags.append("us_date")
    author = tidy(_str(_get(row, mapping.get("author")))) or None
    place = tidy(_str(_get(row, mapping.get("place"))))
    body = text + (f"\nĐịa bàn: {place}" if place else "")
    outlet = tidy(_str(_get(row, mapping.get("outlet"))))
    stype = tidy(_str(_get(row, mapping.get("source_type")))).lower()
    if stype not in SOURCE_TYPES:
        stype = source_type_of_outlet(stype) or source_type_of_outlet(outlet) or src.source_type
    if published is None:
        flags.append("undated")
    url = tidy(_str(_get(row, mapping.get("url"))))
    ext_id = tidy(_str(_get(row, mapping.get("id"))))
    if not is_http_url(url):
        key = ext_id or f"{title}\n{text}\n{published}\n{author}"
        url = f"urn:langnghe:import:{sha1(src.name + chr(10) + key)}"
    item = _social.make_item(
        SourceConfig(name=src.name, kind="import", url=src.url, outlet=src.outlet, source_type=stype),
        url=url,
        title=title or _social.title_from_text(text),
        text=body,
        published=published,
        fetched_at=fetched_at,
        author=author,
        outlet=outlet or None,
        guid=ext_id or None,
        flags=flags,
    )
    return item


def raw_row(row: Mapping[str, Any]) -> bytes:
    return _social.gz_json(dict(row))


@dataclass
class Preview:
    columns: list[str]
    mapping: dict[str, str]
    rows: int
    items: list[Item] = field(default_factory=list)     # first `n` mapped items
    skipped: Counter[str] = field(default_factory=Counter)
    mappable: int = 0
    undated: int = 0          # mapped rows without a usable date: imported with the import time
    notes: Counter[str] = field(default_factory=Counter)  # NOTES: what the read quietly lost


def undated(items: Iterable[Item]) -> int:
    """How many items carry no date of their own (stored with the import time, published_estimated)."""
    return sum(1 for it in items if "undated" in it.flags)


def map_rows(rows: Iterable[Mapping[str, Any]], mapping: Mapping[str, str], settings: ImportSettings,
             fetched_at: datetime, *, keep_raw: bool = True) -> tuple[list[Item], Counter[str]]:
    return _social.map_all(rows, lambda r: map_row(r, mapping, settings, fetched_at), raw_row if keep_raw else None)


def chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def preview(rows: Iterable[Mapping[str, Any]], columns: list[str], mapping: Mapping[str, str],
            settings: ImportSettings, fetched_at: datetime, n: int = 10, chunk_rows: int = 5000,
            notes: Counter[str] | None = None) -> Preview:
    """What an import would do, without writing: the first `n` items and every skip reason. Reads the
    whole file (so a limit deep inside it shows here, before anything is written) in constant memory."""
    pv = Preview(columns=columns, mapping=dict(mapping), rows=0)
    for chunk in chunks(rows, chunk_rows):
        items, skipped = map_rows(chunk, mapping, settings, fetched_at, keep_raw=False)
        pv.rows += len(chunk)
        pv.mappable += len(items)
        pv.undated += undated(items)
        pv.notes.update(item_notes(items))
        pv.skipped.update(skipped)
        pv.items.extend(items[:max(0, n - len(pv.items))])
    pv.notes.update(notes or {})  # the table's own, complete once its rows are read
    return pv


def item_notes(items: Iterable[Item]) -> Counter[str]:
    """Notes carried by mapped items (a US-order date)."""
    return Counter("us_date" for it in items if "us_date" in it.flags)


def settings_for(cfg: Any, file_name: str, *, source: str | None = None, outlet: str | None = None,
                 source_type: str | None = None) -> ImportSettings:
    """Import settings for one file: source `import-<file stem>` unless named, defaults from [imports]."""
    s = cfg.imports
    stem = tidy(Path(file_name).stem).lower().replace(" ", "-")
    name = source or f"import-{stem}"
    src = SourceConfig(name=name, kind="import", url=f"file:{Path(file_name).name}",
                       outlet=outlet or s.default_outlet or name,
                       source_type=source_type or s.default_source_type)
    return ImportSettings(source=src, utc_offset_hours=s.utc_offset_hours)


ProgressFn = Callable[[int, int, "float | None"], None]  # rows read, new items, share of the file read


@dataclass
class Imported:
    rows: int
    items_new: int
    items: int                                          # mapped (new + already there)
    skipped: Counter[str] = field(default_factory=Counter)
    status: str = "done"                                # done · interrupted (stopped between chunks)
    log_id: int = 0
    undated: int = 0                                    # mapped without a date of their own
    notes: Counter[str] = field(default_factory=Counter)  # NOTES: what the read quietly lost
