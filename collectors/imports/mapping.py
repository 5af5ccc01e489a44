"""The column mapping: which column of the file fills which field of an item.

    "title=Tiêu đề,text=Nội dung" ─parse_mapping─▶ {"title": "Tiêu đề", "text": "Nội dung"} (fields: FIELDS)
    the file's columns ─guess_mapping─▶ a proposed mapping, header names compared folded ("TIEU DE BAI" is
        "Tiêu đề bài"); the preview shows it and staff confirm it with --map or on the page
    mapping + columns ─check_mapping─▶ a text or title column chosen, every named column there (user.name:
        its first part, for nested JSON)
"""

from __future__ import annotations

import re
from typing import Mapping

from collectors.imports.errors import ImportFormatError
from collectors.textutil import tidy
from vocab.folding import fold
from vocab.labels import IMPORT_FIELDS
from vocab.numbers import fmt_num

FIELDS = IMPORT_FIELDS  # defined in vocab: `langnghe import --help` lists them without loading the readers

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
                                f"tệp: {named_columns(columns)}.")
    missing = [f"{k}={v}" for k, v in mapping.items() if not _has_column(v, columns)]
    if missing:
        raise ImportFormatError(f"Tệp không có cột: {', '.join(missing)}; các cột của tệp: {named_columns(columns)}.")


SAID_COLUMNS, SAID_COLUMN_CHARS = 30, 80


def named_columns(columns: list[str]) -> str:
    """The file's columns as a message lists them: the first SAID_COLUMNS, each cut at SAID_COLUMN_CHARS, and how many
    more. Round 31 (`hostile34`): the whole header went into the message, 16,384 names of up to 2 MB in all."""
    if not columns:
        return "(không có)"
    said = ", ".join(c if len(c) <= SAID_COLUMN_CHARS else c[:SAID_COLUMN_CHARS - 1] + "…" for c in columns[:SAID_COLUMNS])
    more = len(columns) - SAID_COLUMNS
    return said + (f" và {fmt_num(more)} cột khác" if more > 0 else "")


def _has_column(col: str, columns: list[str]) -> bool:
    return col in columns or col.split(".", 1)[0] in columns
