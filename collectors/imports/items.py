"""A row of an import as an Item: pure, so the same row, mapping and settings give the same item.

    row ─map_row─▶ Item(collector "import", source "import-<file stem>" or --source)
        text, title (HTML stripped; neither ─▶ SkipItem), published_at (times.parse_time; unreadable ─▶
        flag unparsed_date, month-first ─▶ us_date; none ─▶ undated), author, place (added to the text),
        outlet, source_type (the column, else source_type_of_outlet of either, else the import's default)
        url: an http(s) link, else urn:langnghe:import:<hash> of the source name and the id column (or the
        text, time and author), so a second import of the same rows adds nothing
    rows ─map_rows─▶ (items, skip reasons counted), through _social.map_all; raw_row keeps the row gzipped
    settings_for(cfg, file) ─▶ ImportSettings: the source and the local time offset, from [imports]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from collectors import _social
from collectors.base import SkipItem
from collectors.imports.table import cell_str
from collectors.imports.times import parse_time, us_order_date
from collectors.textutil import is_http_url, one_line, sha1, strip_html, tidy
from vocab.config import SourceConfig
from vocab.folding import fold
from vocab.item import IMPORT_URN, Item
from vocab.labels import SOURCE_TYPES

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


@dataclass(frozen=True)
class ImportSettings:
    source: SourceConfig
    utc_offset_hours: float = 7.0


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


def map_row(row: Mapping[str, Any], mapping: Mapping[str, str], settings: ImportSettings, fetched_at: datetime) -> Item:
    """One row → Item. Pure: same row, mapping and settings → same Item. Raises SkipItem with a reason."""
    if "_error" in row:
        raise SkipItem(str(row["_error"]).split(":", 1)[-1].strip())
    src = settings.source
    text = strip_html(cell_str(_get(row, mapping.get("text"))))
    title = strip_html(cell_str(_get(row, mapping.get("title"))))
    if not text and not title:
        raise SkipItem("no title or text")
    raw_time = _get(row, mapping.get("published_at"))
    published = parse_time(raw_time, utc_offset_hours=settings.utc_offset_hours) if mapping.get("published_at") else None
    flags = ["imported"]
    if mapping.get("published_at") and raw_time not in (None, "") and published is None:
        flags.append("unparsed_date")
        if isinstance(raw_time, str) and us_order_date(raw_time):
            flags.append("us_date")
    author = tidy(cell_str(_get(row, mapping.get("author")))) or None
    place = tidy(cell_str(_get(row, mapping.get("place"))))
    body = text + (f"\nĐịa bàn: {place}" if place else "")
    outlet = tidy(cell_str(_get(row, mapping.get("outlet"))))
    stype = tidy(cell_str(_get(row, mapping.get("source_type")))).lower()
    if stype not in SOURCE_TYPES:
        stype = source_type_of_outlet(stype) or source_type_of_outlet(outlet) or src.source_type
    if published is None:
        flags.append("undated")
    url = tidy(cell_str(_get(row, mapping.get("url"))))
    ext_id = tidy(cell_str(_get(row, mapping.get("id"))))
    if not is_http_url(url):
        key = ext_id or f"{title}\n{text}\n{published}\n{author}"
        url = f"{IMPORT_URN}{sha1(src.name + chr(10) + key)}"
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


def map_rows(rows: Iterable[Mapping[str, Any]], mapping: Mapping[str, str], settings: ImportSettings,
             fetched_at: datetime, *, keep_raw: bool = True) -> tuple[list[Item], Counter[str]]:
    return _social.map_all(rows, lambda r: map_row(r, mapping, settings, fetched_at), raw_row if keep_raw else None)


MAX_FILE_NAME_CHARS = 255  # what file systems allow; a crafted upload may send any length
SOURCE_STEM_CHARS = 80  # of the file's name in the `import-…` source named after it (shown in tables, filters)


NO_FILE_NAME = "tệp"  # stored_name of a name with nothing visible in it


def stored_name(file_name: str) -> str:
    """An uploaded file's name as it is kept and shown (import log, survey list, audit, `import-…` source): its
    folders dropped (a crafted upload may send `../../x.csv`), control, bidi and other invisible characters dropped
    (the CLI prints it to a terminal, pages show it: `\x1b]…` or U+202E in a name were kept as sent until round
    22), at most MAX_FILE_NAME_CHARS characters, its extension kept. A name of dots only (`..`, `a/..`: a folder,
    kept as the base name until the round 22 review) is no name."""
    name = one_line(Path(str(file_name).replace("\\", "/")).name)
    if not name.strip(". "):
        name = ""
    if len(name) > MAX_FILE_NAME_CHARS:
        suffix = Path(name).suffix[:16]
        name = name[:MAX_FILE_NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return name or NO_FILE_NAME


def settings_for(cfg: Any, file_name: str, *, source: str | None = None, outlet: str | None = None,
                 source_type: str | None = None) -> ImportSettings:
    """Import settings for one file: source `import-<file stem>` unless named, defaults from [imports]."""
    s = cfg.imports
    file_name = stored_name(file_name)
    stem = tidy(Path(file_name).stem).lower().replace(" ", "-")
    name = source or f"import-{stem[:SOURCE_STEM_CHARS]}"
    src = SourceConfig(name=name, kind="import", url=f"file:{file_name}",
                       outlet=outlet or s.default_outlet or name,
                       source_type=source_type or s.default_source_type)
    return ImportSettings(source=src, utc_offset_hours=s.utc_offset_hours)
