"""The document frame the weekly and rapid reports share, in the layout `[reports] layout` names: a Party
body's (Hướng dẫn 36-HD/VPTW) or a state agency's (Nghị định 30/2020/NĐ-CP).

    issuing-body heading · number · place and date               header()
    title lines and the italic line under them                   document()
    Nơi nhận | signer title and name                             closing()
    staff's proposals text, one paragraph per line               proposal_lines(), proposals_section()
    the figures with people's @mentions masked                   masked()
    what a builder returns: Doc + XLSX sheets + chart specs      Built

Kept apart from weekly.py and rapid.py so neither report imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reports.document import Block, Closing, Doc, Header, Heading, Para
from reports.settings import ReportSettings, place_date
from reports.xlsx_out import Sheet
from vocab.privacy import mask_mentions_in

NBSP = "\u00a0"


@dataclass
class Built:
    doc: Doc
    sheets: list[Sheet]
    figs: dict[str, Any] = field(default_factory=dict)  # chart name → charts.Chart
    n_items: int = 0


def header(s: ReportSettings, today_local: datetime) -> Header:
    """The heading block; the number is left blank (eight spaces) for the office to fill in when filing."""
    return Header(parent_body=s.parent_body, issuing_body=s.issuing_body, number=s.number_line(),
                  place_date=place_date(s.place, today_local.date()), layout=s.layout)


def closing(s: ReportSettings) -> Closing:
    """Nơi nhận and the signing block, from the settings."""
    return Closing(recipients=list(s.recipients), signer_title=list(s.signer_title), signer_name=s.signer_name,
                   layout=s.layout)


def document(s: ReportSettings, today_local: datetime, title: list[str], subtitle: str, meta_title: str,
             created: datetime | None = None) -> Doc:
    """An empty Doc in the shared frame: heading block, title lines, closing; builders add the body.
    `created` (naive UTC, the time of the report) becomes the file's creation date."""
    return Doc(header=header(s, today_local), title=title, subtitle=subtitle, closing=closing(s),
               meta_title=meta_title, created=created)


def proposal_lines(proposals: str | None) -> list[str]:
    """Staff's proposals text as non-empty stripped lines (one paragraph each)."""
    return [x.strip() for x in (proposals or "").splitlines() if x.strip()]


def proposals_section(heading: str, proposals: str | None, missing: str) -> tuple[list[Block], list[str]]:
    """A report's proposals section (rapid VI, weekly VI): its heading, then staff's text one paragraph a line, or
    `missing` in italics (where to enter it, before the export or in the document); and the lines."""
    lines = proposal_lines(proposals)
    return [Heading(1, heading), *([Para.text(x) for x in lines] or [Para.text(missing, italic=True)])], lines


def masked(f: dict[str, Any], s: ReportSettings) -> dict[str, Any]:
    """A copy of store.reports' figures with @mentions in titles and post text masked ("@n***4"), as the dashboard
    and every export masks them ([privacy] mask_mentions): a social post's title is its first words, and the rapid
    report quotes its text. One rule for pages, pushes and reports, `vocab.privacy.mask_mentions_in` (its
    FEED_TEXT_COLUMNS, in frames and in dicts nested at any depth, the alert's reason among them); outlets, places,
    staff notes and display names stay as written. The caller's frames are not changed."""
    return mask_mentions_in(f) if s.mask_mentions else f
