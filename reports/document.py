"""A small, format-neutral model of an administrative document (Party 36-HD/VPTW or Decree 30/2020 layout).

    Doc ── header (issuing body | national motto, number, place and date)
       ├── title lines (BÁO CÁO / subject / period)
       ├── blocks: Heading, Para, Table, Image, PageBreak
       ├── closing: Nơi nhận (left) | signing block (right)
       └── appendix blocks (new page)

The weekly and rapid builders fill one Doc; docx_out and html_out (→ PDF) draw the same Doc, so the
DOCX and the PDF never disagree. All text is NFC and stripped of characters XML cannot hold.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Union

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: object) -> str:
    """NFC text without control characters (feed text is untrusted)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    return _BAD_XML.sub("", s).replace("\r\n", "\n").replace("\r", "\n")


def safe_url(url: object) -> str | None:
    """Only http(s) links become clickable."""
    s = clean(url).strip()
    return s if re.match(r"^https?://[^\s\"<>]+$", s, re.I) else None


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None

    def __post_init__(self) -> None:
        self.text = clean(self.text)
        self.url = safe_url(self.url) if self.url else None


Cell = Union[str, Run, list]  # a cell is text, one run, or a list of runs


@dataclass
class Para:
    runs: list[Run]
    align: str = "justify"        # justify | center | left | right
    indent: bool = True           # first-line indent (body text)
    size: int = 0                 # 0 = body size
    space_before: int = 6         # points

    @classmethod
    def text(cls, text: str, **kw: object) -> "Para":
        bold = bool(kw.pop("bold", False))
        italic = bool(kw.pop("italic", False))
        return cls([Run(text, bold=bold, italic=italic)], **kw)  # type: ignore[arg-type]

    @property
    def plain(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    level: int                    # 1: "I. TỔNG QUAN" (bold, capitals) · 2: "1. …" (bold) · 3: "a) …" (italic)
    text: str

    def __post_init__(self) -> None:
        self.text = clean(self.text)


@dataclass
class Column:
    title: str
    width: float                  # relative width; the renderers scale columns to the text width
    align: str = "left"           # left | center | right


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    size_delta: int = -2          # font size relative to the body text
    caption: str = ""             # shown above the table (italic), e.g. "Bảng 1. …"
    empty_text: str = "Không có."  # drawn as one merged row when there are no rows


@dataclass
class Image:
    name: str                     # chart key; png is filled in when the chart is drawn
    caption: str
    width_cm: float = 16.0
    png: bytes | None = None
    missing_text: str = ""        # said instead when the chart could not be drawn


@dataclass
class PageBreak:
    pass


Block = Union[Heading, Para, Table, Image, PageBreak]


@dataclass
class Header:
    parent_body: str
    issuing_body: str
    number: str                   # Party "Số      -BC/BTGDVTU" · state "Số:      /BC-SVHTTDL"
    place_date: str               # "Quảng Ninh, ngày 20 tháng 11 năm 2026"
    layout: str = "state"         # "party": ĐẢNG CỘNG SẢN VIỆT NAM heading (36-HD/VPTW) · "state": Decree 30


@dataclass
class Closing:
    recipients: list[str]
    signer_title: list[str]
    signer_name: str
    layout: str = "state"         # "party": "Nơi nhận:" underlined, "- Lưu VT." · "state": bold italic, "- Lưu: VT."

    @property
    def archive_line(self) -> str:
        return "Lưu VT." if self.layout == "party" else "Lưu: VT."


@dataclass
class Doc:
    header: Header
    title: list[str]              # first line "BÁO CÁO" / "BÁO CÁO NHANH", then the subject lines (bold)
    subtitle: str                 # period line under the subject (italic in brackets)
    blocks: list[Block] = field(default_factory=list)
    closing: Closing | None = None
    appendix: list[Block] = field(default_factory=list)
    meta_title: str = ""          # document properties / HTML <title>
    created: datetime | None = None  # naive UTC: the DOCX's creation date (python-docx's template says 2013)

    def images(self) -> list[Image]:
        return [b for b in [*self.blocks, *self.appendix] if isinstance(b, Image)]


def cell_runs(cell: Cell) -> list[Run]:
    if isinstance(cell, Run):
        return [cell]
    if isinstance(cell, list):
        return [c if isinstance(c, Run) else Run(str(c)) for c in cell]
    return [Run(clean(cell))]
