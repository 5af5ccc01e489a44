"""Collaborator reports (báo cáo của cộng tác viên DLXH) as items: the pure mapping.

    dashboard form "Báo cáo CTV" (text, place, where it was heard, optional link, optional screenshot)
        │ store.collab.saved_before, else insert_report
        ▼
    map_report (pure) ─▶ Item(collector "collab", source "ctv", source_type "ctv" when heard in person
                              (CTV / trực tiếp: no platform, no link), "press" for press, else "social",
                              outlet "CTV DLXH – <channel label>", url = the link or urn:langnghe:collab:<id>)
        ▼
    the same insert_items + NLP pipeline as collected items

Not a collector kind (nothing is fetched). A report without a link gets a `urn:` address from its id, which
is one per sent report (`report_id`: its words, place, channel, link and the moment it was sent); an identical
resend (same collaborator, words, place, channel, link and screenshot within store.collab.RESEND_MINUTES) is
recognised when it is stored (`store.collab.saved_before`), so it stays one report, across a minute's turn too.
The collaborator's name stays in collab_reports only: the item has no author (we measure issues, not people).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from collectors import _social
from collectors.base import SkipItem
from vocab.item import COLLAB_URN, Item
from collectors.textutil import is_http_url, sha1, tidy
from vocab.config import SourceConfig

# where the collaborator heard or saw it → label shown to staff
CHANNELS: dict[str, str] = {
    "offline": "Nghe trực tiếp (ngoài đời)",
    "facebook": "Nhóm/trang Facebook",
    "zalo": "Nhóm Zalo",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "forum": "Diễn đàn",
    "press": "Báo chí",
    "other": "Khác",
}

# The longest fields a report may have. A report is a few paragraphs; without a bound a 1 MB paste (or a
# request crafted around the form) was stored whole in collab_reports. Refused with the limit named, never
# cut: the whole text stays in the box (no max_chars on the page, which would cut a paste at the limit).
# Constants: the form's own contract, said on the page; the item made of a report is cut to [storage] max_text_chars.
MAX_TEXT_CHARS = 20_000
MAX_PLACE_CHARS = 300
MAX_LINK_CHARS = 2_000

SOURCE = SourceConfig(name="ctv", kind="collab", url="", outlet="Cộng tác viên DLXH", source_type="social")


def channel_source_type(channel: str) -> str:
    """Heard in person is its own source type (counted apart from social media); press is press."""
    return {"offline": "ctv", "press": "press"}.get(channel, "social")


GUID_PREFIX = "collab:"  # an item's guid is this and its report id


def report_id(reporter: str, text: str, place: str, when: datetime, *, channel: str = "",
              link: str | None = None) -> str:
    """Id of one sent report, from what it says and the moment it was sent (to the microsecond). Why not the
    minute, as before: two different reports of one collaborator with the same words (heard in person and read in
    a Zalo group, or two links) sent in the same minute shared an id and the second was lost, while a resend after
    the minute turned became a second report. Resends are recognised by store.collab.saved_before instead."""
    return sha1(f"{reporter}\n{tidy(text)}\n{tidy(place)}\n{channel}\n{tidy(link or '')}\n{when.isoformat()}")


def report_id_of(item: Item) -> str:
    """The report id `map_report` gave `item` (its guid): the report row's id is this one, never recomputed."""
    return item.guid.removeprefix(GUID_PREFIX)

def map_report(
    *, reporter: str, text: str, place: str, channel: str, link: str | None, now: datetime
) -> Item:
    """One collaborator report → Item. Pure. Raises SkipItem when there is nothing to report."""
    text = (text or "").strip()
    if len(tidy(text)) < 5:
        raise SkipItem("report text is empty or too short")
    for value, limit, what in ((text, MAX_TEXT_CHARS, "report text"), (place or "", MAX_PLACE_CHARS, "place"),
                               ((link or "").strip(), MAX_LINK_CHARS, "link")):
        if len(value) > limit:
            raise SkipItem(f"{what} is too long")
    if channel not in CHANNELS:
        raise SkipItem(f"unknown channel {channel!r}")
    link = tidy(link or "")
    if link and not is_http_url(link):
        raise SkipItem("link is not an http(s) address")
    rid = report_id(reporter, text, place, now, channel=channel, link=link)
    place = tidy(place)
    body = text + (f"\nĐịa bàn: {place}" if place else "")
    url = link or f"{COLLAB_URN}{rid}"
    return _social.make_item(
        replace(SOURCE, source_type=channel_source_type(channel)),
        url=url,
        title=_social.title_from_text(text),
        text=body,
        published=now,
        fetched_at=now,
        outlet=f"CTV DLXH – {CHANNELS[channel]}",
        guid=f"{GUID_PREFIX}{rid}",
        flags=[f"channel:{channel}"] + (["has_link"] if link else []),
    )
