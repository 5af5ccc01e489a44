"""The office's Zalo Official Account: citizens' messages, read with the OA access token.

    source url = https://openapi.zalo.me/v2.0/oa/listrecentchat      (the base comes from it)
    GET {url}?data={"offset":0,"count":10}                                          header access_token
        │ data[]: src (1 = from a user, 0 = from the OA), time (ms), message_id, from_id,
        │         from_display_name, to_id, type, message
        ▼ the users who wrote recently (up to `max_users`)
    GET {base}/v2.0/oa/conversation?data={"user_id":…,"offset":0,"count":10}      that user's messages
        ▼
    map_message (pure) ─▶ Item(url urn:langnghe:zalo-msg:<id>, flags own_channel, zalo_message,
                               zalo_user:<from_id>)                      → a case on the Phản ánh page
    reply(): POST {base}/v3.0/oa/message/cs  {"recipient":{"user_id"},"message":{"text"}}

Every answer carries {"error": 0, "message": "Success"}; a non-zero error is raised (HTTP is 200):
    -216, -124 (token invalid / expired) → TokenExpiredError, renewed by `refresh()`
    -32 (too many requests)               → RateLimitedError (retry in an hour)
    other                                 → ApiError with Zalo's message

Tokens (vocab/secrets.py, never the TOML): the access token (`token_env`, default LANGNGHE_ZALO_TOKEN,
valid ~25 h) and the refresh token (`refresh_env`, default LANGNGHE_ZALO_REFRESH, valid 3 months, changes
on every use). `refresh()` posts to {oauth_base}/v4/oa/access_token with the app's secret key
(`secret_key_env`) and stores both new tokens in the secrets directory (mode 600): vocab.zalo_token.renew, the
exchange the Zalo channel's renewal inside a push makes too (fix35), its refusal said here; the scheduler job
`zalo_token_refresh` (orchestration/jobs.py) runs it for every zalo_oa source whose token has expired.

options: token_env, refresh_env, secret_key_env, app_id, oauth_base (default https://oauth.zaloapp.com),
         max_users (int, default 20), min_interval_seconds (float, default 1)
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import quote

import httpx

from collectors import _social
from collectors.base import (ApiError, Batch, CollectContext, DocumentError, Fetched, RateLimitedError,
                             SkipItem, TokenExpiredError, map_all)
from collectors.registry import register
from collectors.textutil import tidy
from vocab.config import SourceConfig
from vocab.item import ZALO_MESSAGE_URN, Item
from vocab import zalo_token
from vocab.secrets import secret

GATE = _social.gate("zalo_oa")
TOKEN_CODES = {-216, -124}
RATE_CODES = {-32}


def map_message(m: Mapping[str, Any], source: SourceConfig, fetched_at: datetime, *,
                future_tolerance_minutes: float = 60.0) -> Item:
    """A citizen's message to the OA → Item. The OA's own messages (src 0) are skipped."""
    if not isinstance(m, Mapping) or not (mid := _social.as_text(m.get("message_id"))):
        raise SkipItem("message without message_id")
    if sender_side(m) != 1:
        raise SkipItem("the OA's own message")
    text = tidy(_social.as_text(m.get("message"))) if m.get("type", "text") == "text" else ""
    if not text:
        raise SkipItem("not a text message")
    ts = m.get("time")
    published = _social.parse_iso(ts / 1000) if isinstance(ts, (int, float)) and not isinstance(ts, bool) else None
    return _social.make_item(source, url=f"{ZALO_MESSAGE_URN}{mid}", title=_social.title_from_text(text),
                             text=text, published=published, fetched_at=fetched_at,
                             future_tolerance_minutes=future_tolerance_minutes,
                             author=tidy(_social.as_text(m.get("from_display_name"))) or None, guid=mid,
                             flags=["own_channel", "zalo_message", f"zalo_user:{_social.as_text(m.get('from_id'))}"])


def sender_side(m: Mapping[str, Any]) -> int | None:
    """`src`: 1 a citizen wrote, 0 the OA did (absent: a citizen); None when unreadable (neither is assumed)."""
    return _social.as_int(m.get("src", 1))


def check(doc: Any, source: SourceConfig) -> Mapping[str, Any]:
    """The answer if its error is 0, else the error staff see (pure)."""
    if not isinstance(doc, Mapping):
        raise DocumentError("Zalo OA trả về dữ liệu không đúng dạng (không phải một đối tượng JSON).")
    raw = doc.get("error") or 0
    code = _social.as_int(raw)
    if code is None:
        raise DocumentError(f"Zalo OA trả về mã lỗi không đúng dạng: «{str(raw)[:60]}».")
    if code == 0:
        return doc
    msg = tidy(_social.as_text(doc.get("message")))[:200]
    if code in TOKEN_CODES:
        env = _social.opt(source, "token_env", "LANGNGHE_ZALO_TOKEN")
        raise TokenExpiredError(f"Mã truy cập Zalo OA «{source.outlet}» đã hết hạn hoặc không hợp lệ (mã {code}: {msg}). "
                                f"Lệnh làm mới tự chạy nếu có mã làm mới; nếu không, lấy mã mới trong Zalo for "
                                f"Developers và đặt vào {env}.")
    if code in RATE_CODES:
        raise RateLimitedError(f"Zalo OA báo vượt giới hạn gọi (mã {code}: {msg}).", retry_after=3600.0)
    raise ApiError(f"Zalo OA trả lỗi (mã {code}: {msg or 'không rõ'}).")


def users_of(recent: list[Any]) -> list[str]:
    """The citizens of the recent list, first seen first (the other side of the OA's own messages); an entry
    that names none readably is left out (its message is still mapped, and skipped there with its reason)."""
    users: list[str] = []
    for m in recent:
        if not isinstance(m, Mapping) or (side := sender_side(m)) not in (0, 1):
            continue
        uid = _social.as_text(m.get("from_id") if side == 1 else m.get("to_id"))
        if uid and uid not in users:
            users.append(uid)
    return users


def _data(params: Mapping[str, Any]) -> str:
    return quote(json.dumps(params, separators=(",", ":")))


RECENT = "/v2.0/oa/listrecentchat"


def base_of(source: SourceConfig) -> str:
    url = source.url.split("?", 1)[0].rstrip("/")
    if not url.endswith(RECENT):
        raise ApiError(f"Địa chỉ nguồn Zalo OA phải kết thúc bằng {RECENT}: {source.url}")
    return url[: -len(RECENT)]


def token(source: SourceConfig) -> str:
    name = _social.opt(source, "token_env", "LANGNGHE_ZALO_TOKEN")
    value = secret(name)
    if not value:
        raise TokenExpiredError(f"Chưa có mã truy cập cho Zalo OA «{source.outlet}»: đặt {name} (docs/SOURCES.md).")
    return value


async def _get(ctx: CollectContext, url: str, source: SourceConfig, tok: str) -> tuple[Fetched, Mapping[str, Any]]:
    fetched = await GATE.fetch(ctx, url, source, 1.0, headers={**_social.JSON_ACCEPT, "access_token": tok})
    return fetched, check(_social.decode_json(fetched, ctx.limits), source)


@register
class ZaloOACollector:
    kind = "zalo_oa"
    label = "Zalo OA của cơ quan"
    description = ("Tin nhắn người dân gửi Official Account; mở phản ánh. "
                   "Cần mã truy cập OA (tự làm mới bằng mã làm mới); không đọc được nhóm Zalo.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        tok = token(source)
        base = base_of(source)
        first, doc = await _get(ctx, f"{base}{RECENT}?data={_data({'offset': 0, 'count': 10})}", source, tok)
        recent = doc.get("data")
        if not isinstance(recent, list):
            return Batch(skipped=Counter({"response shape changed: no data list": 1}), http_status=first.status)
        # one fetch, [limits] max_entries messages in all: the recent list and every conversation together (each
        # answer asks for 10; a multiplier by the users let 21 times the cap through when they answered with more)
        msgs: list[Any] = list(recent)
        users = users_of(recent)[: _social.opt(source, "max_users", 20)]
        for uid in users:
            _, conv = await _get(ctx, f"{base}/v2.0/oa/conversation?data={_data({'user_id': uid, 'offset': 0, 'count': 10})}",
                                 source, tok)
            msgs += [m for m in _social.seq(conv.get("data")) if isinstance(m, Mapping)]
        items, skipped = map_all(msgs, lambda m: map_message(m, source, ctx.now,
                                                             future_tolerance_minutes=ctx.future_tolerance_minutes),
                                 _social.gz_json, limit=ctx.limits.max_entries)
        seen: set[str] = set()
        unique = [i for i in items if not (i.id in seen or seen.add(i.id))]  # the recent list repeats messages
        return Batch(items=unique, skipped=skipped, http_status=first.status, entries_seen=len(msgs))


def reply(client: httpx.Client, source: SourceConfig, flags: tuple[str, ...], text: str) -> str:
    """Send a customer-service message to the citizen who wrote; returns Zalo's message id."""
    user = dict(f.split(":", 1) for f in flags if ":" in f).get("zalo_user")
    if not user:
        raise ApiError("Tin này không có người gửi Zalo để trả lời.")
    r = client.post(f"{base_of(source)}/v3.0/oa/message/cs", headers={"access_token": token(source)},
                    json={"recipient": {"user_id": user}, "message": {"text": text}})
    if r.status_code >= 400:
        raise ApiError(f"Zalo OA trả HTTP {r.status_code}.")
    doc = check(_social.answer_json(r, "Zalo OA"), source)
    return _social.as_text(_social.obj(doc.get("data")).get("message_id"))


def refresh(client: httpx.Client, source: SourceConfig, *, directory: str | None = None) -> None:
    """Renew the OA access token with the refresh token and store both new tokens (mode 600)."""
    refresh_env = _social.opt(source, "refresh_env", "LANGNGHE_ZALO_REFRESH")
    rt, key = secret(refresh_env), secret(_social.opt(source, "secret_key_env", "LANGNGHE_ZALO_SECRET_KEY"))
    app_id = str(source.options.get("app_id") or "")
    if not (rt and key and app_id):
        raise TokenExpiredError(f"Không làm mới được mã Zalo OA «{source.outlet}»: thiếu mã làm mới, khóa bí mật "
                                "ứng dụng hoặc app_id.")
    try:
        zalo_token.renew(client, app_id=app_id, refresh_token=rt, secret_key=key,
                         token_env=_social.opt(source, "token_env", "LANGNGHE_ZALO_TOKEN"), refresh_env=refresh_env,
                         read=lambda r: _social.answer_json(r, "Zalo (làm mới mã)"),
                         oauth_base=_social.opt(source, "oauth_base", zalo_token.OAUTH_BASE), directory=directory)
    except zalo_token.Refused as refused:
        why = refused.why
        for value in (rt, key):  # review35: as the channel masks them (an answer may quote what it was sent)
            why = why.replace(value, "***")
        raise TokenExpiredError(f"Zalo từ chối làm mới mã của OA «{source.outlet}» ({tidy(why)[:200]}); "
                                "cấp lại quyền cho ứng dụng trong Zalo for Developers.") from None
