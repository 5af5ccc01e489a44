"""The office's own Facebook Page through the Graph API, read with its Page access token.

    source url = https://graph.facebook.com/v21.0/{page_id}/feed   (the base and the page id come from it)
    GET {url}?fields=…comments{…comments{…}}&since=<last poll>&limit=25                    (paged by cursors)
        │ post: id, message, created_time, permalink_url
        │   comments.data[]: id, message, created_time, from{id,name}, permalink_url, comments.data[] (replies)
        ▼
    map_post / map_comment (pure) ─▶ Item(flags own_channel, fb_post | fb_comment | fb_reply, reply_to:<id>)
    GET {base}/{page_id}/conversations?fields=messages.limit(20){id,message,created_time,from}&platform=messenger
        ▼  (only with `messages = true` and the pages_messaging permission)
    map_message (pure) ─▶ Item(url urn:langnghe:fb-msg:<id>, flags own_channel, fb_message, psid:<sender>)

Citizens' comments and messages open cases on the Phản ánh page (orchestration/cases.py); replies go
back through `reply()` (a comment reply, or a Messenger RESPONSE message). The page's own posts are
items but open no case.

The token comes from the environment or the secrets directory (vocab/secrets.py), named by the source's
`token_env` option — never from the TOML. It travels in the Authorization header, never in a URL, and
`paging.next` links are stripped of any access_token before they are followed.

Errors (the JSON body's error.code):
    190                   → TokenExpiredError: the page and how to renew the token
    10, 200–299           → PermissionError_: which permission (pages_read_engagement, pages_messaging…)
    4, 17, 32, 613, 80001 → RateLimitedError: retry after X-Business-Use-Case-Usage's
                            estimated_time_to_regain_access (minutes), else an hour
A page the office does not manage can be read with `public_content = true` (Page Public Content Access;
it needs Meta's approval of the app) — same requests, the token of the approved app.

options:
  token_env          name of the variable/secret holding the Page access token (default LANGNGHE_FB_TOKEN)
  messages           bool, default false — also read Messenger conversations
  public_content     bool, default false — a page the office does not manage (see above)
  max_pages          int, default 5 — cursor pages followed per poll ([limits] max_entries bounds the poll's
                     entries in all: the feed's pages and the Messenger messages together)
  min_interval_seconds float, default 1
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from collectors import _social
from collectors.base import (ApiError, Batch, CollectContext, Fetched, HttpStatusError,
                             PermissionError_, RateLimitedError, SkipItem, TokenExpiredError, map_all)
from collectors.registry import register
from collectors.textutil import tidy
from vocab.config import SourceConfig
from vocab.item import FB_MESSAGE_URN, Item
from vocab.secrets import secret

GATE = _social.gate("facebook_page")
log = logging.getLogger("langnghe.collectors")
COMMENT_FIELDS = "id,message,created_time,from{id,name},permalink_url"
FEED_FIELDS = (f"id,message,created_time,permalink_url,"
               f"comments.limit(100){{{COMMENT_FIELDS},comments.limit(100){{{COMMENT_FIELDS}}}}}")
MESSAGE_FIELDS = "messages.limit(20){id,message,created_time,from},updated_time"
RATE_CODES = {4, 17, 32, 613, 80001}


def _time(v: Any) -> datetime | None:
    """Graph times: 2026-12-04T03:15:00+0000."""
    if not isinstance(v, str):
        return None
    try:
        return datetime.strptime(v, "%Y-%m-%dT%H:%M:%S%z").astimezone(timezone.utc).replace(tzinfo=None)
    except ValueError:
        return _social.parse_iso(v)


def _item(source: SourceConfig, fetched_at: datetime, tolerance: float, *, url: str, text: str, created: Any,
          author: str | None, guid: str, flags: list[str]) -> Item:
    return _social.make_item(source, url=url, title=_social.title_from_text(text), text=text,
                             published=_time(created), fetched_at=fetched_at, future_tolerance_minutes=tolerance,
                             author=author, guid=guid, flags=["own_channel", *flags])


def map_post(post: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *,
             future_tolerance_minutes: float = 60.0) -> Item:
    """The page's own post → Item (no case: the office wrote it)."""
    if not isinstance(post, Mapping) or not (pid := _social.as_text(post.get("id"))):
        raise SkipItem("post without id")
    text = tidy(_social.as_text(post.get("message")))
    if not text:
        raise SkipItem("post without text")
    url = _social.as_text(post.get("permalink_url")) or f"https://www.facebook.com/{pid}"
    return _item(source, fetched_at, future_tolerance_minutes, url=url, text=text, created=post.get("created_time"),
                 author=None, guid=pid, flags=["fb_post", "page_author"])


def map_comment(c: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *, post_id: str = "",
                parent_id: str = "", future_tolerance_minutes: float = 60.0) -> Item:
    """A citizen's comment (or a reply to one) → Item. Comments by the page itself are skipped."""
    if not isinstance(c, Mapping) or not (cid := _social.as_text(c.get("id"))):
        raise SkipItem("comment without id")
    sender = _social.obj(c.get("from"))
    if _social.as_text(sender.get("id")) == (page_id_of(source) or "-"):
        raise SkipItem("the page's own comment")
    text = tidy(_social.as_text(c.get("message")))
    if not text:
        raise SkipItem("comment without text (sticker or photo only)")
    url = _social.as_text(c.get("permalink_url")) or f"https://www.facebook.com/{cid}"
    flags = ["fb_reply" if parent_id else "fb_comment", f"reply_to:{cid}"]
    if post_id:
        flags.append(f"fb_post:{post_id}")
    return _item(source, fetched_at, future_tolerance_minutes, url=url, text=text, created=c.get("created_time"),
                 author=tidy(_social.as_text(sender.get("name"))) or None, guid=cid, flags=flags)


def map_message(m: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *,
                future_tolerance_minutes: float = 60.0) -> Item:
    """A Messenger message from a citizen → Item (no public link: a urn)."""
    if not isinstance(m, Mapping) or not (mid := _social.as_text(m.get("id"))):
        raise SkipItem("message without id")
    sender = _social.obj(m.get("from"))
    psid = _social.as_text(sender.get("id"))
    if psid == (page_id_of(source) or "-"):
        raise SkipItem("the page's own message")
    text = tidy(_social.as_text(m.get("message")))
    if not text:
        raise SkipItem("message without text")
    return _item(source, fetched_at, future_tolerance_minutes, url=f"{FB_MESSAGE_URN}{mid}", text=text,
                 created=m.get("created_time"), author=tidy(_social.as_text(sender.get("name"))) or None, guid=mid,
                 flags=["fb_message", f"psid:{psid}"])


def entries_of_feed(doc: Any) -> list[tuple[str, Mapping[str, Any], str, str]] | None:
    """(kind, entry, post id, parent id) for every post, comment and reply of one feed page; a post's comments
    in any other shape than {"data": [...]} are none (the post is kept), as are a comment's replies."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
        return None
    out: list[tuple[str, Mapping[str, Any], str, str]] = []
    for post in doc["data"]:
        if not isinstance(post, Mapping):
            continue
        out.append(("post", post, "", ""))
        pid = _social.as_text(post.get("id"))
        for c in _social.seq(_social.obj(post.get("comments")).get("data")):
            if isinstance(c, Mapping):
                out.append(("comment", c, pid, ""))
                for r in _social.seq(_social.obj(c.get("comments")).get("data")):
                    out.append(("comment", r, pid, _social.as_text(c.get("id"))))
    return out


def messages_of(doc: Any) -> list[Mapping[str, Any]] | None:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
        return None
    return [m for conv in doc["data"] if isinstance(conv, Mapping)
            for m in _social.seq(_social.obj(conv.get("messages")).get("data")) if isinstance(m, Mapping)]


def api_error(status: int | None, body: bytes, headers: Mapping[str, str], source: SourceConfig) -> ApiError:
    """The Graph API's error body → the error staff see on source health (pure)."""
    err = _social.obj(_social.obj(_social.loads(body.decode("utf-8", "replace"))).get("error"))
    code = _social.as_int(err.get("code")) or 0
    msg = tidy(_social.as_text(err.get("message")))[:200]
    env = _social.opt(source, "token_env", "LANGNGHE_FB_TOKEN")
    if code == 190:
        return TokenExpiredError(
            f"Mã truy cập trang «{source.outlet}» (Page access token) đã hết hạn hoặc bị thu hồi (Graph API mã 190: "
            f"{msg}). Tạo mã mới trong Meta Business Suite (Cài đặt → Tích hợp ứng dụng) hoặc Graph API Explorer, "
            f"rồi đặt vào biến môi trường hoặc tệp bí mật {env}.", http_status=status)
    if code == 10 or 200 <= code <= 299:
        return PermissionError_(
            f"Mã truy cập của trang «{source.outlet}» thiếu quyền (Graph API mã {code}: {msg}). Cần "
            "pages_read_engagement, pages_read_user_content, và pages_messaging để đọc tin nhắn.", http_status=status)
    if code in RATE_CODES or status == 429:
        wait = regain_seconds(headers)
        return RateLimitedError(f"Graph API báo vượt giới hạn gọi (mã {code}: {msg}); thử lại sau {wait / 60:.0f} phút.",
                                retry_after=wait, http_status=status)
    return ApiError(f"Graph API trả lỗi (mã {code or status}: {msg or 'không rõ'}).", http_status=status)


def regain_seconds(headers: Mapping[str, str]) -> float:
    """estimated_time_to_regain_access (minutes) from X-Business-Use-Case-Usage, else an hour."""
    raw = {k.lower(): v for k, v in headers.items()}.get("x-business-use-case-usage")
    usage = _social.obj(_social.loads(raw) if raw else None)
    mins = max((_social.as_int(_social.obj(u).get("estimated_time_to_regain_access")) or 0
                for v in usage.values() for u in _social.seq(v)), default=0)
    return 60.0 * min(mins, 24 * 60) if mins > 0 else 3600.0


def usage_percent(headers: Mapping[str, str]) -> int:
    """The highest share of X-App-Usage (call_count, total_time, total_cputime), in percent."""
    raw = {k.lower(): v for k, v in headers.items()}.get("x-app-usage")
    usage = _social.obj(_social.loads(raw) if raw else None)
    return max((n for v in usage.values() if (n := _social.as_int(v)) is not None), default=0)


def strip_token(url: str) -> str:
    """paging.next links carry access_token=…; never follow (or log) a URL with it."""
    p = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True) if k != "access_token"]
    return urlunsplit((p.scheme, p.netloc, p.path, urlencode(q), ""))


def split_url(url: str) -> tuple[str, str]:
    """https://graph.facebook.com/v21.0/123/feed → ("https://graph.facebook.com/v21.0", "123")."""
    base, _, tail = url.split("?", 1)[0].rstrip("/").rpartition("/")
    if tail != "feed":
        raise ApiError(f"Địa chỉ nguồn Graph API phải kết thúc bằng /{{page_id}}/feed: {url}")
    base, _, page_id = base.rpartition("/")
    return base, page_id


def page_id_of(source: SourceConfig) -> str:
    try:
        return split_url(source.url)[1]
    except ApiError:
        return ""


def token(source: SourceConfig) -> str:
    name = _social.opt(source, "token_env", "LANGNGHE_FB_TOKEN")
    value = secret(name)
    if not value:
        raise TokenExpiredError(f"Chưa có mã truy cập cho trang «{source.outlet}»: đặt biến môi trường hoặc tệp bí mật "
                                f"{name} (xem docs/SOURCES.md, mục facebook_page).")
    return value


async def _get(ctx: CollectContext, url: str, source: SourceConfig, tok: str) -> Fetched:
    try:
        return await GATE.fetch(ctx, url, source, 1.0, headers={**_social.JSON_ACCEPT, "Authorization": f"Bearer {tok}"})
    except HttpStatusError as exc:
        if b'"error"' not in exc.body:
            raise
        raise api_error(exc.http_status, exc.body, {}, source) from None


async def _paged(ctx: CollectContext, first: str, source: SourceConfig, tok: str) -> list[tuple[Fetched, Any]]:
    pages: list[tuple[Fetched, Any]] = []
    url: str | None = first
    for _ in range(max(1, _social.opt(source, "max_pages", 5))):
        if not url:
            break
        fetched = await _get(ctx, url, source, tok)
        doc = _social.decode_json(fetched, ctx.limits)
        if isinstance(doc, Mapping) and doc.get("error"):  # any JSON value but null, false, 0, "", [], {}
            raise api_error(fetched.status, fetched.body, fetched.headers, source)
        pages.append((fetched, doc))
        nxt = _social.obj(_social.obj(doc).get("paging")).get("next")
        url = strip_token(nxt) if isinstance(nxt, str) and nxt.startswith(("http://", "https://")) else None
        if usage_percent(fetched.headers) >= 90:  # leave the rest for the next poll
            break
    return pages


@register
class FacebookPageCollector:
    kind = "facebook_page"
    label = "Fanpage của cơ quan (Graph API)"
    description = ("Bài, bình luận, trả lời và tin nhắn trên fanpage do cơ quan quản lý; mở phản ánh. "
                   "Cần mã truy cập trang (Page access token); trang khác cần Meta duyệt quyền.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        base, page_id = split_url(source.url)
        tok = token(source)
        since = f"&since={ctx.last_modified}" if (ctx.last_modified or "").isdigit() else ""
        feed = f"{base}/{page_id}/feed?fields={FEED_FIELDS}&limit=25{since}"
        pages = await _paged(ctx, feed, source, tok)
        entries = [e for _, doc in pages for e in (entries_of_feed(doc) or [])]
        changed = Counter({"response shape changed: no data list": 1} if pages and entries_of_feed(pages[0][1]) is None
                          else {})
        tol = ctx.future_tolerance_minutes

        def one(e: tuple[str, Mapping[str, Any], str, str]) -> Item:
            kind, entry, post_id, parent = e
            if kind == "post":
                return map_post(entry, source, ctx.now, future_tolerance_minutes=tol)
            return map_comment(entry, source, ctx.now, post_id=post_id, parent_id=parent, future_tolerance_minutes=tol)

        # one fetch, [limits] max_entries entries in all: the feed's posts, comments and replies over every cursor
        # page, then the Messenger messages, together (round 22; a multiplier by the pages let 5 × the cap through
        # the feed and as much again of messages, where staff read «max entries» as the source's total per poll)
        cap = ctx.limits.max_entries
        items, skipped = map_all(entries, one, lambda e: _social.gz_json(e[1]), limit=cap)
        skipped.update(changed)  # the feed's shape changed: said on health; the messages are still read
        if _social.opt(source, "messages", False):
            conv = await _paged(ctx, f"{base}/{page_id}/conversations?platform=messenger&fields={MESSAGE_FIELDS}",
                                source, tok)
            msgs = [m for _, doc in conv for m in (messages_of(doc) or [])]
            more, sk = map_all(msgs, lambda m: map_message(m, source, ctx.now, future_tolerance_minutes=tol),
                               _social.gz_json, limit=max(0, cap - len(entries)))
            items += more
            skipped.update(sk)
            entries += msgs  # type: ignore[arg-type]
        newest = max((int(i.published_at.replace(tzinfo=timezone.utc).timestamp()) for i in items), default=None)
        return Batch(items=items, skipped=skipped, http_status=pages[0][0].status if pages else None,
                     entries_seen=len(entries), last_modified=str(newest) if newest else ctx.last_modified)


# ------------------------------------------------------------------------------------------- replies
def reply_request(base: str, page_id: str, flags: tuple[str, ...], text: str) -> tuple[str, dict[str, Any]] | None:
    """Where and what to POST to answer an item (pure): a comment reply, or a Messenger RESPONSE message."""
    fl = dict(f.split(":", 1) for f in flags if ":" in f)
    if "fb_message" in flags and fl.get("psid"):
        return (f"{base.rstrip('/')}/{page_id}/messages",
                {"recipient": {"id": fl["psid"]}, "messaging_type": "RESPONSE", "message": {"text": text}})
    if fl.get("reply_to"):
        return f"{base.rstrip('/')}/{fl['reply_to']}/comments", {"message": text}
    return None


def reply(client: httpx.Client, source: SourceConfig, flags: tuple[str, ...], text: str) -> str:
    """Send the reply; returns the new object's id. Raises ApiError with the Graph API's reason."""
    base, page_id = split_url(source.url)
    req = reply_request(base, page_id, flags, text)
    if req is None:
        raise ApiError("Tin này không có đích trả lời trên trang (không phải bình luận hay tin nhắn).")
    url, body = req
    r = client.post(url, json=body, headers={"Authorization": f"Bearer {token(source)}"})
    if r.status_code >= 400:
        raise api_error(r.status_code, r.content, r.headers, source)
    try:
        data = _social.answer_json(r, "Graph API")
    except ApiError as exc:
        if not 200 <= r.status_code < 300:
            raise
        # a 2xx is the Graph API's word that the comment or message went out; an unreadable body (a proxy's page, a
        # cut answer) only hides its id. It was «failed», the case left open, and staff could send a second public
        # reply (round 30's sweep, hostile33; fix31): sent, without an id, the body logged
        log.warning("Graph API đã nhận trả lời (HTTP %s) nhưng không đọc được mã tin trả về: %s", r.status_code, exc)
        return ""
    return _social.as_text(data.get("id")) or _social.as_text(data.get("message_id"))
