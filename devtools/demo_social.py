"""The demo's social sources in their real formats, so the demo exercises the real collector kinds.

    demo/corpus/quangninh.jsonl rows with source_type "social"
        feed "mastodon"   ─▶ Mastodon hashtag timeline JSON   /social/mastodon/api/v1/timelines/tag/quangninh
        feed "forum-voz"  ─▶ XenForo forum RSS                 /social/voz/f/chuyen-tro-linh-tinh.17/index.rss
        feed "yt-qtv"     ─▶ YouTube channel Atom feed         /social/youtube/feeds/videos.xml
        feed "fb-uongbi"  ─▶ Telegram t.me/s preview HTML      /social/telegram/s/uongbi24h
                              (stand-in for a public group: Facebook has no open API)
    routes(rows, now) ─▶ {path: (content_type, bytes)}   only rows already published at `now`
    demo_sources(base_url) ─▶ the matching [[sources]] entries (kinds mastodon, xenforo, youtube, telegram)
    mount(server) ─▶ adds the routes to a DemoFeedServer's extra_routes

Links point at the demo server's article pages (/a/<feed>/<slug>.html), so nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any, Iterable, Mapping
from vocab.timefmt import VN_TZ

VN = VN_TZ

PATHS = {
    "mastodon": "/social/mastodon/api/v1/timelines/tag/quangninh",
    "forum-voz": "/social/voz/f/chuyen-tro-linh-tinh.17/index.rss",
    "yt-qtv": "/social/youtube/feeds/videos.xml",
    "fb-uongbi": "/social/telegram/s/uongbi24h",
}
CHANNEL = "uongbi24h"
YT_CHANNEL_ID = "UCdemoQTVQuangNinh000000"
LIMITS = {"mastodon": 40, "forum-voz": 20, "yt-qtv": 15, "fb-uongbi": 20}


def _norm(row: Any, start: datetime | None) -> dict[str, Any] | None:
    """A corpus row (dict) or a devtools.demo_server.DemoItem → plain dict with an aware UTC `published`."""
    if isinstance(row, Mapping):
        if row.get("source_type", "social") != "social" or row.get("feed") not in PATHS:
            return None
        published = row.get("published")
        if published is None:
            if start is None:
                raise ValueError("corpus rows need `published`, or pass start= to use offset_minutes")
            published = start + timedelta(minutes=int(row["offset_minutes"]))
        return {"feed": row["feed"], "slug": row["slug"], "title": row["title"], "summary": row["summary"],
                "published": _aware(published), "author": row.get("author") or None, "id": row.get("id") or row["slug"]}
    feed = getattr(row, "feed", None)
    if feed not in PATHS:
        return None
    return {"feed": feed, "slug": row.slug, "title": row.title, "summary": row.summary,
            "published": _aware(row.published), "author": getattr(row, "author", None), "id": row.slug}


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _handle(name: str | None) -> str:
    plain = unicodedata.normalize("NFD", (name or "nguoidung").replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9_]+", "_", plain).strip("_") or "nguoidung"


def _num_id(s: str, digits: int = 18) -> str:
    import hashlib

    return str(int(hashlib.sha1(s.encode()).hexdigest(), 16))[:digits]


def _link(base_url: str, r: Mapping[str, Any]) -> str:
    return f"{base_url}/a/{r['feed']}/{r['slug']}.html"


def render_mastodon(rows: list[dict[str, Any]], base_url: str) -> bytes:
    out = []
    for r in sorted(rows, key=lambda x: x["published"], reverse=True)[: LIMITS["mastodon"]]:
        sid = _num_id(r["id"])
        acct = _handle(r["author"])
        content = "<p>" + html.escape(r["title"]) + "</p><p>" + html.escape(r["summary"]) + (
            ' <a href="' + base_url + '/tags/quangninh" class="mention hashtag" rel="tag">#<span>quangninh</span></a></p>')
        out.append({
            "id": sid, "created_at": r["published"].strftime("%Y-%m-%dT%H:%M:%S.000Z"), "in_reply_to_id": None,
            "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "", "visibility": "public",
            "language": "vi", "uri": f"{base_url}/users/{acct}/statuses/{sid}", "url": _link(base_url, r),
            "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": None, "content": content,
            "reblog": None,
            "account": {"id": _num_id(acct, 8), "username": acct, "acct": acct, "display_name": r["author"] or acct,
                        "bot": False, "url": f"{base_url}/@{acct}"},
            "media_attachments": [], "mentions": [], "tags": [{"name": "quangninh", "url": f"{base_url}/tags/quangninh"}],
            "emojis": [], "card": None, "poll": None,
        })
    return json.dumps(out, ensure_ascii=False).encode("utf-8")


def render_xenforo(rows: list[dict[str, Any]], base_url: str, now: datetime) -> bytes:
    forum = f"{base_url}/social/voz/f/chuyen-tro-linh-tinh.17/"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">',
        "<channel>", "<title>Chuyện trò linh tinh™</title>", "<description></description>",
        f"<pubDate>{format_datetime(now, usegmt=True)}</pubDate>",
        f"<lastBuildDate>{format_datetime(now, usegmt=True)}</lastBuildDate>", "<generator>voz</generator>",
        f"<link>{forum}</link>",
        f'<atom:link rel="self" type="application/rss+xml" href="{forum}index.rss"/>',
    ]
    for r in sorted(rows, key=lambda x: x["published"], reverse=True)[: LIMITS["forum-voz"]]:
        who = html.escape(_handle(r["author"]))
        link = _link(base_url, r)
        body = html.escape(r["summary"])
        parts += [
            "<item>", f"<title>{html.escape(r['title'])}</title>",
            f"<pubDate>{r['published'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>",
            f"<link>{link}</link>", f'<guid isPermaLink="false">{_num_id(r["id"], 7)}</guid>',
            f"<author>invalid@example.com ({who})</author>",
            f'<category domain="{forum}"><![CDATA[Chuyện trò linh tinh™]]></category>',
            f"<dc:creator>{who}</dc:creator>",
            f'<content:encoded><![CDATA[<div class="bbWrapper">{body}</div><div class="rssFooter">'
            f'<a href="{link}">Read more</a></div>]]></content:encoded>',
            "<slash:comments>0</slash:comments>", "</item>",
        ]
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts).encode("utf-8")


def render_youtube(rows: list[dict[str, Any]], base_url: str) -> bytes:
    name = "QTV - Quảng Ninh TV"
    chan = f"{base_url}/social/youtube/channel/{YT_CHANNEL_ID}"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns="http://www.w3.org/2005/Atom">',
        f' <link rel="self" href="{base_url}/social/youtube/feeds/videos.xml?channel_id={YT_CHANNEL_ID}"/>',
        f" <id>yt:channel:{YT_CHANNEL_ID[2:]}</id>", f" <yt:channelId>{YT_CHANNEL_ID[2:]}</yt:channelId>",
        f" <title>{name}</title>", f' <link rel="alternate" href="{chan}"/>',
        f" <author><name>{name}</name><uri>{chan}</uri></author>",
        " <published>2014-03-10T02:11:42+00:00</published>",
    ]
    for r in sorted(rows, key=lambda x: x["published"], reverse=True)[: LIMITS["yt-qtv"]]:
        vid = re.sub(r"[^A-Za-z0-9_-]", "", _num_id(r["id"], 11))
        when = r["published"].strftime("%Y-%m-%dT%H:%M:%S+00:00")
        t = html.escape(r["title"])
        parts += [
            " <entry>", f"  <id>yt:video:{vid}</id>", f"  <yt:videoId>{vid}</yt:videoId>",
            f"  <yt:channelId>{YT_CHANNEL_ID}</yt:channelId>", f"  <title>{t}</title>",
            f'  <link rel="alternate" href="{_link(base_url, r)}"/>',
            f"  <author><name>{name}</name><uri>{chan}</uri></author>",
            f"  <published>{when}</published>", f"  <updated>{when}</updated>",
            "  <media:group>", f"   <media:title>{t}</media:title>",
            f'   <media:thumbnail url="{base_url}/static/thumb.jpg" width="480" height="360"/>',
            f"   <media:description>{html.escape(r['summary'])}</media:description>",
            '   <media:community><media:starRating count="0" average="0.00" min="1" max="5"/>'
            '<media:statistics views="0"/></media:community>',
            "  </media:group>", " </entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def render_telegram(rows: list[dict[str, Any]], base_url: str) -> bytes:
    title = "Uông Bí 24h"
    msgs = sorted(rows, key=lambda x: x["published"])[-LIMITS["fb-uongbi"]:]  # oldest first, like t.me/s
    parts = [
        "<!DOCTYPE html>", "<html>", "<head>", '<meta charset="utf-8">', f"<title>{title} – Telegram</title>",
        f'<meta property="og:title" content="{title}">',
        f'<link rel="canonical" href="{base_url}/social/telegram/s/{CHANNEL}" />', "</head>",
        '<body class="widget_frame_base tgme_webpreview_body"><main class="tgme_main">',
        '<section class="tgme_channel_history js-message_history">',
    ]
    for r in msgs:
        n = int(_num_id(r["id"], 6))
        text = html.escape(r["title"]) + "<br/>" + html.escape(r["summary"])
        when = r["published"].strftime("%Y-%m-%dT%H:%M:%S+00:00")
        local = r["published"].astimezone(VN).strftime("%H:%M")
        signed = (f'&nbsp;<span class="tgme_widget_message_from_author" dir="auto">{html.escape(r["author"])}</span>'
                  if r["author"] else "")
        parts += [
            '<div class="tgme_widget_message_wrap js-widget_message_wrap">',
            f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{CHANNEL}/{n}">',
            '<div class="tgme_widget_message_bubble">',
            f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
            f'href="{base_url}/social/telegram/{CHANNEL}"><span dir="auto">{title}</span></a>{signed}</div>',
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>',
            '<div class="tgme_widget_message_footer compact js-message_footer">'
            '<div class="tgme_widget_message_info short js-message_info">'
            '<span class="tgme_widget_message_views">0</span><span class="tgme_widget_message_meta">'
            f'<a class="tgme_widget_message_date" href="{_link(base_url, r)}"><time datetime="{when}" class="time">'
            f"{local}</time></a></span></div></div>",
            "</div></div></div>",
        ]
    parts += ["</section></main></body></html>"]
    return "\n".join(parts).encode("utf-8")


def routes(rows: Iterable[Any], now: datetime, *, base_url: str = "", start: datetime | None = None
           ) -> dict[str, tuple[str, bytes]]:
    """{path: (content_type, body)} for the social feeds, with the rows published by `now`."""
    now = _aware(now)
    by_feed: dict[str, list[dict[str, Any]]] = {f: [] for f in PATHS}
    for row in rows:
        r = _norm(row, start)
        if r is not None and r["published"] <= now:
            by_feed[r["feed"]].append(r)
    return {
        PATHS["mastodon"]: ("application/json; charset=utf-8", render_mastodon(by_feed["mastodon"], base_url)),
        PATHS["forum-voz"]: ("application/rss+xml; charset=utf-8",
                             render_xenforo(by_feed["forum-voz"], base_url, now)),
        PATHS["yt-qtv"]: ("application/atom+xml; charset=utf-8", render_youtube(by_feed["yt-qtv"], base_url)),
        PATHS["fb-uongbi"]: ("text/html; charset=utf-8", render_telegram(by_feed["fb-uongbi"], base_url)),
    }


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """[[sources]] entries for the four social feeds, in the real kinds."""
    return [
        {"name": "demo-fb-uongbi", "kind": "telegram", "url": base_url + PATHS["fb-uongbi"],
         "outlet": "Nhóm Uông Bí 24h", "source_type": "social", "interval_minutes": 1,
         "options": {"respect_robots": True}},
        {"name": "demo-forum-voz", "kind": "xenforo", "url": base_url + PATHS["forum-voz"],
         "outlet": "Diễn đàn VOZ", "source_type": "social", "interval_minutes": 1},
        {"name": "demo-yt-qtv", "kind": "youtube", "url": base_url + PATHS["yt-qtv"] + f"?channel_id={YT_CHANNEL_ID}",
         "outlet": "QTV Quảng Ninh (YouTube)", "source_type": "social", "interval_minutes": 1},
        {"name": "demo-mastodon", "kind": "mastodon", "url": base_url + PATHS["mastodon"] + "?limit=40",
         "outlet": "Mastodon #QuangNinh", "source_type": "social", "interval_minutes": 1,
         "options": {"min_interval_seconds": 0.0}},
    ]


def mount(server: Any) -> None:
    """Add the social routes to a devtools.demo_server.DemoFeedServer (its `items`, `base_url`, `extra_routes`)."""

    def make(path: str):
        return lambda now: routes(server.items, now, base_url=server.base_url)[path]

    for path in PATHS.values():
        server.extra_routes[path] = make(path)
