"""Imports: posts exported from other tools (CSV, JSONL, XLSX) brought in as items, idempotently.

    FILE ─read_rows─▶ list of dict rows (CSV in any encoding and delimiter; JSONL; XLSX first sheet)
        │ mapping  title=col,text=col,url=col,published_at=col,author=col,outlet=col,place=col,
        │          source_type=col,id=col      (parse_mapping; guess_mapping proposes one from headers)
        ▼
    map_row (pure) ─▶ Item(collector "import", source "import-<file stem>" or --source)
        │ preview(rows, mapping) shows the first items and the skip reasons before anything is written
        ▼
    insert_items (idempotent: same URL or same text → no new item) ─▶ NLP pipeline

A row without an http(s) link gets a stable address `urn:langnghe:import:<hash>` from the source
name and its external id (the `id` column) or, failing that, its text, time and author: importing the
same file twice, or an export that overlaps an earlier one, adds nothing new.

Times without an offset are local time (imports.utc_offset_hours, 7 for Việt Nam) and are stored as
naive UTC. Accepted: ISO 8601, "dd/mm/yyyy HH:MM", epoch seconds/milliseconds, Excel date cells.

Not a collector kind (nothing is fetched): `langnghe import FILE --map … [--preview]` runs it, and so
does the dashboard page Nhập dữ liệu (upload, mapping, preview, import) while `serve` holds the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Mapping

from collectors import _social
from collectors.base import SkipItem
from vocab.item import Item
from collectors.encoding import decode
from collectors.html_list import parse_vn_date
from collectors.textutil import is_http_url, sha1, strip_html, tidy
from vocab.config import SourceConfig

FIELDS = ("title", "text", "url", "published_at", "author", "outlet", "place", "source_type", "id")

# header names other tools use, folded to lower case without diacritics-insensitive tricks
_GUESS: dict[str, tuple[str, ...]] = {
    "title": ("title", "tiêu đề", "tieu de", "headline", "subject"),
    "text": ("text", "content", "nội dung", "noi dung", "message", "body", "post", "description", "caption"),
    "url": ("url", "link", "permalink", "đường dẫn", "duong dan", "post_url", "post url"),
    "published_at": ("published_at", "published", "date", "time", "created_time", "created_at", "created",
                     "timestamp", "ngày", "ngay", "thời gian", "thoi gian", "ngày đăng", "ngay dang"),
    "author": ("author", "tác giả", "tac gia", "user", "username", "người đăng", "nguoi dang", "from"),
    "outlet": ("outlet", "source", "nguồn", "nguon", "site", "page", "group", "nhóm", "nhom", "platform"),
    "place": ("place", "địa bàn", "dia ban", "location", "địa điểm", "dia diem"),
    "source_type": ("source_type", "loại nguồn", "loai nguon", "type"),
    "id": ("id", "post_id", "post id", "mã", "ma"),
}


class ImportFormatError(ValueError):
    """The file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong."""


def parse_mapping(spec: str) -> dict[str, str]:
    """'title=Tiêu đề,text=Nội dung' → {'title': 'Tiêu đề', 'text': 'Nội dung'}. Unknown fields are an error."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportFormatError(f"mapping part {part!r} is not field=column")
        k, v = part.split("=", 1)
        k, v = k.strip(), v.strip()
        if k not in FIELDS:
            raise ImportFormatError(f"unknown field {k!r}; fields: {', '.join(FIELDS)}")
        if not v:
            raise ImportFormatError(f"field {k!r} has no column")
        out[k] = v
    return out


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """A proposed mapping from header names (the preview shows it; staff confirm with --map)."""
    out: dict[str, str] = {}
    lowered = {c: tidy(c).lower() for c in columns}
    for fld, names in _GUESS.items():
        for c, low in lowered.items():
            if low in names and c not in out.values():
                out[fld] = c
                break
    return out


def check_mapping(mapping: Mapping[str, str], columns: list[str]) -> None:
    if "text" not in mapping and "title" not in mapping:
        raise ImportFormatError("map at least text= or title= to a column")
    missing = [f"{k}={v}" for k, v in mapping.items() if not _has_column(v, columns)]
    if missing:
        raise ImportFormatError(f"columns not in the file: {', '.join(missing)}; columns: {', '.join(columns)}")


def _has_column(col: str, columns: list[str]) -> bool:
    return col in columns or col.split(".", 1)[0] in columns


# ---------------------------------------------------------------------------------------------- reading


def read_rows(path: str | Path, *, sheet: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(rows, columns) of a .csv/.tsv, .jsonl/.ndjson/.json or .xlsx file."""
    p = Path(path)
    return read_bytes(p.name, p.read_bytes(), sheet=sheet)


def read_bytes(file_name: str, data: bytes, *, sheet: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(rows, columns) of a file's content, by the type its name ends with (a dashboard upload)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(data)
    if suffix in (".jsonl", ".ndjson", ".json"):
        return read_jsonl(data)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, sheet=sheet)
    raise ImportFormatError(f"unsupported file type {suffix!r}: use CSV, JSONL or XLSX")


def read_csv(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    text, _enc = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [tidy(c) for c in (reader.fieldnames or [])]
    if not columns:
        raise ImportFormatError("CSV has no header row")
    rows = []
    for raw in reader:
        rows.append({tidy(k): v for k, v in raw.items() if k is not None})
    return rows, columns


def read_jsonl(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    text, _enc = decode(data)
    stripped = text.lstrip()
    rows: list[dict[str, Any]] = []
    if stripped.startswith("["):  # a JSON array export
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"not JSON: {exc.msg}") from None
        rows = [r if isinstance(r, dict) else {"_value": r} for r in doc]
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                rows.append({"_error": f"line {n}: not JSON"})
                continue
            rows.append(obj if isinstance(obj, dict) else {"_error": f"line {n}: not an object"})
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns and not k.startswith("_"):
                columns.append(k)
    return rows, columns


def read_xlsx(data: bytes, *, sheet: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFormatError(f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if not header:
            raise ImportFormatError("the sheet is empty")
        columns = [tidy(str(h)) if h is not None else f"col{i + 1}" for i, h in enumerate(header)]
        rows = []
        for values in it:
            if values is None or all(v is None or v == "" for v in values):
                continue
            rows.append({columns[i]: v for i, v in enumerate(values) if i < len(columns)})
    finally:
        wb.close()
    return rows, columns


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
        secs = float(v) / 1000.0 if v > 10**11 else float(v)
        return _social.parse_iso(secs)
    s = str(v).strip()
    if re.fullmatch(r"\d{9,13}", s):
        return parse_time(int(s), utc_offset_hours=utc_offset_hours)
    return parse_vn_date(s, utc_offset_hours=utc_offset_hours)


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
    author = tidy(_str(_get(row, mapping.get("author")))) or None
    place = tidy(_str(_get(row, mapping.get("place"))))
    body = text + (f"\nĐịa bàn: {place}" if place else "")
    stype = tidy(_str(_get(row, mapping.get("source_type")))).lower() or src.source_type
    if stype not in ("press", "social"):
        stype = "social" if stype in ("mxh", "facebook", "zalo", "tiktok", "forum", "mạng xã hội") else src.source_type
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
        outlet=tidy(_str(_get(row, mapping.get("outlet")))) or None,
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


def map_rows(rows: list[Mapping[str, Any]], mapping: Mapping[str, str], settings: ImportSettings,
             fetched_at: datetime) -> tuple[list[Item], Counter[str]]:
    return _social.map_all(rows, lambda r: map_row(r, mapping, settings, fetched_at), raw_row)


def preview(rows: list[Mapping[str, Any]], columns: list[str], mapping: Mapping[str, str],
            settings: ImportSettings, fetched_at: datetime, n: int = 10) -> Preview:
    """What an import would do, without writing: the first `n` items and every skip reason."""
    items, skipped = map_rows(rows, mapping, settings, fetched_at)
    return Preview(columns=columns, mapping=dict(mapping), rows=len(rows), items=items[:n], skipped=skipped,
                   mappable=len(items))


def settings_for(cfg: Any, file_name: str, *, source: str | None = None, outlet: str | None = None,
                 source_type: str | None = None) -> ImportSettings:
    """Import settings for one file: source `import-<file stem>` unless named, defaults from [imports]."""
    from vocab.config import section

    s = section(cfg, "imports")
    stem = tidy(Path(file_name).stem).lower().replace(" ", "-")
    name = source or f"import-{stem}"
    src = SourceConfig(name=name, kind="import", url=f"file:{Path(file_name).name}",
                       outlet=outlet or s.get("default_outlet") or name,
                       source_type=source_type or s.get("default_source_type", "social"))
    return ImportSettings(source=src, utc_offset_hours=float(s.get("utc_offset_hours", 7)))


@dataclass
class Imported:
    rows: int
    new_ids: list[str]
    items: int                                          # mapped (new + already there)
    skipped: Counter[str] = field(default_factory=Counter)


def import_file(db: Any, cfg: Any, file_name: str, data: bytes, rows: list[Mapping[str, Any]],
                mapping: Mapping[str, str], settings: ImportSettings, now: datetime) -> Imported:
    """Write an import (the CLI and the dashboard page): new items in one transaction with the
    import_log row, then the new ones through the same full-text and NLP steps as collected items."""
    import hashlib

    from orchestration import ingest as pipeline
    from store import imports as store_imports
    from store.items import insert_items

    items, skipped = map_rows(list(rows), mapping, settings, now)
    with db.write() as cur:
        new_ids = insert_items(cur, items)
        store_imports.log_import(cur, now=now, file_name=Path(file_name).name,
                                 file_sha1=hashlib.sha1(data).hexdigest(), source=settings.source.name,
                                 mapping=mapping, rows_read=len(rows), items_new=len(new_ids), skipped=skipped)
    proc = pipeline.processor(cfg, db)
    if new_ids and proc is not None:
        proc(new_ids)
    return Imported(rows=len(rows), new_ids=list(new_ids), items=len(items), skipped=skipped)
