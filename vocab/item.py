"""`Item`: one collected article or post, the unit every layer speaks of.

Collectors make it (a pure `map_*` per kind), the store writes it, NLP tags it by id. It lives in the
shared vocabulary so that the store can take it without importing the collectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The flag of an item that is a reply in a thread (a Mastodon or Bluesky reply): its topics are read as a comment's
# (nlp.steps.COMMENT_FLAGS), like Facebook's fb_comment / fb_reply. Collectors write it, the NLP reads it.
REPLY_FLAG = "reply"

# `Item.url` of what has no public page, minted by its collector; a page that shows an item says by them why it has
# no link to open (dashboard/views/explorer.no_link_note), so each prefix is written here once.
COLLAB_URN = "urn:langnghe:collab:"  # a collaborator's report without a link (collectors/collab.py)
IMPORT_URN = "urn:langnghe:import:"  # a row of an imported file without an http(s) link (collectors/imports)
ZALO_MESSAGE_URN = "urn:langnghe:zalo-msg:"  # a message to the office's Zalo OA (collectors/zalo_oa.py)
FB_MESSAGE_URN = "urn:langnghe:fb-msg:"  # a Messenger message to the office's fanpage (collectors/facebook_page.py)
MAIL_URN = "urn:langnghe:mail:"  # a mail to the complaints inbox (collectors/email_inbox.py)
OWN_CHANNEL_URNS = (ZALO_MESSAGE_URN, FB_MESSAGE_URN, MAIL_URN)  # sent to the office itself: read on Phản ánh


@dataclass(frozen=True, slots=True)
class Item:
    """One collected article or post. Times are naive UTC. Text is NFC."""

    id: str
    source: str
    collector: str
    source_type: str
    outlet: str
    url: str
    canonical_url: str
    title: str
    summary: str
    published_at: datetime
    published_estimated: bool
    fetched_at: datetime
    content_hash: str
    guid: str | None = None
    author: str | None = None
    flags: tuple[str, ...] = ()
    raw: bytes | None = None  # compressed raw payload for provenance (kept retention.raw_payload_days)
