"""Telegram public channels, read from the web preview `https://t.me/s/<channel>` (no account, no API key).

    https://t.me/s/uongbi24h
        │ HTML: <div class="tgme_widget_message" data-post="uongbi24h/1201"> … 
        │   .tgme_widget_message_text (HTML text)   a.tgme_widget_message_date[href] > time[datetime]
        │   .tgme_widget_message_owner_name (channel)  .tgme_widget_message_from_author (signed posts)
        │   .tgme_widget_message_views ("2.4K")     service messages: class service_message
        ▼
    extract_messages (pure, selectolax) ─▶ dicts ─▶ map_message (pure) ─▶ Item(url = https://t.me/<channel>/<id>)

The preview shows the newest ~20 posts of channels that allow it (public channels only; groups and
private channels have no preview: Telegram redirects to t.me/<channel>, which counts as a changed
shape). robots.txt of t.me is honoured. Limits: t.me answers bursts with 429; poll every 15–30 minutes.

options:
  respect_robots  bool, default true.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Mapping

from selectolax.lexbor import LexborHTMLParser

from collectors import _social
from collectors.base import Batch, CollectContext, SkipItem
from vocab.item import Item
from collectors.registry import register
from collectors.textutil import strip_html, tidy
from vocab.config import SourceConfig


def _views(s: str) -> int | None:
    m = re.match(r"^\s*([0-9.,]{1,15})\s*([KkMm]?)\s*$", s or "")  # «1.2.3K», «.» or 400 digits ended the map
    if not m:  # of the post with a ValueError or an OverflowError: the post lost (round 32, hostile35)
        return None
    try:
        num = float(m.group(1).replace(",", "."))
    except ValueError:
        return None
    mult = {"k": 1_000, "m": 1_000_000}.get(m.group(2).lower(), 1)
    return int(num * mult)


def extract_messages(html: str) -> tuple[list[dict[str, Any]], bool]:
    """(messages as plain dicts, page_is_a_channel_preview). Pure."""
    tree = LexborHTMLParser(html)
    is_preview = tree.css_first(".tgme_channel_history, .tgme_widget_message") is not None
    out = []
    for node in tree.css("div.tgme_widget_message"):
        text_node = node.css_first(".tgme_widget_message_text")
        date_a = node.css_first("a.tgme_widget_message_date")
        time_node = date_a.css_first("time") if date_a is not None else None
        owner = node.css_first(".tgme_widget_message_owner_name")
        signed = node.css_first(".tgme_widget_message_from_author")
        views = node.css_first(".tgme_widget_message_views")
        classes = (node.attributes.get("class") or "").split()
        out.append({
            "post": node.attributes.get("data-post") or "",
            "service": "service_message" in classes,
            "text_html": text_node.html if text_node is not None else "",
            "href": (date_a.attributes.get("href") or "") if date_a is not None else "",
            "datetime": (time_node.attributes.get("datetime") or "") if time_node is not None else "",
            "owner": owner.text(strip=True) if owner is not None else "",
            "signed": signed.text(strip=True) if signed is not None else "",
            "views": views.text(strip=True) if views is not None else "",
            "has_media": node.css_first(".tgme_widget_message_photo_wrap, .tgme_widget_message_video_player,"
                                        " .tgme_widget_message_document") is not None,
        })
    return out, is_preview


def map_message(
    msg: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, future_tolerance_minutes: float = 60.0
) -> Item:
    """One extracted message → Item. Pure. Raises SkipItem with a reason."""
    if msg.get("service"):
        raise SkipItem("service message")
    post = _social.as_text(msg.get("post"))
    if not re.match(r"^[A-Za-z0-9_]+/\d+$", post):
        raise SkipItem("no data-post id")
    parts = re.split(r"<br\s*/?>", _social.as_text(msg.get("text_html")), flags=re.I)
    text = "\n".join(p for p in (strip_html(x) for x in parts) if p)
    if not text:
        raise SkipItem("media without text" if msg.get("has_media") else "no text")
    url = _social.as_text(msg.get("href"))
    if not url.startswith("http"):
        url = f"https://t.me/{post}"
    flags = []
    v = _views(_social.as_text(msg.get("views")))
    if v is not None:
        flags.append(f"views:{v}")
    if msg.get("has_media"):
        flags.append("media")
    return _social.make_item(
        source,
        url=url,
        title=_social.title_from_text(text),
        text=text,
        published=_social.parse_iso(msg.get("datetime")),
        fetched_at=fetched_at,
        future_tolerance_minutes=future_tolerance_minutes,
        author=tidy(msg.get("signed") or msg.get("owner") or "") or None,
        outlet=None,
        guid=f"tg:{post}",
        flags=flags,
    )


@register
class TelegramCollector:
    kind = "telegram"
    label = "Kênh Telegram công khai"
    description = ("Bài mới của kênh công khai (trang xem trước t.me/s). "
                   "Khoảng 20 bài mới nhất; nhóm kín và kênh riêng tư không xem được.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        fetched, html = await _social.fetch_page(source, ctx)
        messages, is_preview = extract_messages(html)
        return _social.to_batch(fetched, messages if is_preview else None, map_message, source, ctx,
                                why_none="response shape changed: not a t.me/s channel preview")
