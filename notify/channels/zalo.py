"""zalo: a Zalo Official Account customer-service message to a follower's user id
([notify.zalo] base_url, token_env; the OA token the zalo_oa source renews with its refresh token, refresh_env).

An access token Zalo says has expired (error -216 / -124, as collectors.zalo_oa.TOKEN_CODES, or HTTP 401), or none
at all, is renewed once inside the send when [notify.zalo] app_id is set: POST {oauth_base}/v4/oa/access_token with
the refresh token and the app's secret key (secret_key_env), both new tokens stored mode 600 as the zalo_oa source's
renewal (collectors.zalo_oa.refresh) stores them, then the message sent again with the new one: the exchange is
vocab.zalo_token.renew, shared with that renewal (fix35), the refusal said here in the channel's words. Until fix33
the push failed and was retried with back-off until the zalo_token_refresh job renewed the token, which it does only
for a zalo_oa source whose own poll said token_expired (with none, never). The renewed token refused again as expired is
`revoked()`, a NotConfigured given up at once (fix35: retried, each try renewed again). notify/ imports only vocab
(docs/ARCHITECTURE.md): the message's POST is written here, the renewal's is vocab's.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Mapping

import httpx

from notify.base import Message, NotConfigured, SendError, json_answer, missing_secret, unreachable
from notify.registry import register
from vocab import zalo_token
from vocab.secrets import secret

TOKEN_CODES = (-216, -124)  # invalid / expired access token (collectors.zalo_oa.TOKEN_CODES)


def _expired(r: httpx.Response, data: Mapping[str, Any]) -> bool:
    return r.status_code == 401 or str(data.get("error")) in {str(c) for c in TOKEN_CODES}


# One renewal at a time in this process: «Gửi thử» (the dashboard's thread) and the delivery pass (the scheduler's)
# may both find the token expired, and Zalo takes each single-use refresh token once; the loser was told to grant
# the app again though the winner had stored a valid pair, and both wrote the same temporary file (review32).
_RENEWING = threading.Lock()


def _renew(client: httpx.Client, settings: Mapping[str, Any], refused: str | None = None) -> str | None:
    """A new access token from the refresh token (both stored, mode 600), or None when this server cannot renew it
    here (no app_id, secret key or refresh token: the zalo_token_refresh job may). SendError when Zalo refuses.
    `refused`: the token Zalo refused; if another thread stored a new one meanwhile, that one, without renewing."""
    with _RENEWING:
        current = secret(str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN")))
        if current and current != refused:
            return current
        return _renew_now(client, settings)


def _renew_now(client: httpx.Client, settings: Mapping[str, Any]) -> str | None:
    app_id = str(settings.get("app_id") or "")
    token_env = str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN"))
    refresh_env = str(settings.get("refresh_env", "LANGNGHE_ZALO_REFRESH"))
    rt = secret(str(settings.get("refresh_env", "LANGNGHE_ZALO_REFRESH")))  # read by their keys: test_channels
    key = secret(str(settings.get("secret_key_env", "LANGNGHE_ZALO_SECRET_KEY")))
    if not (app_id and rt and key):
        return None
    if os.environ.get(token_env) or os.environ.get(refresh_env):  # a variable wins over the file a renewal writes
        return None  # (vocab.secrets): renewed here, the next send would read the old token and spend the new refresh
        # token again, which Zalo refuses once used; the zalo_token_refresh job has the same limit
    try:
        return zalo_token.renew(client, app_id=app_id, refresh_token=rt, secret_key=key, token_env=token_env,
                                refresh_env=refresh_env, read=lambda r: json_answer(r, "Zalo (làm mới mã)", rt),
                                oauth_base=str(settings.get("oauth_base", zalo_token.OAUTH_BASE)))
    except httpx.HTTPError as exc:
        raise unreachable("Zalo (làm mới mã)", exc) from None
    except zalo_token.Refused as refused:
        why = refused.why
        for value in (rt, key):
            why = why.replace(value, "***")
        raise SendError(f"Zalo từ chối làm mới mã truy cập OA ({why[:200]}); cấp lại quyền cho ứng dụng trong Zalo "
                        f"for Developers rồi {where_to_put(refresh_env)}") from None


def where_to_put(refresh_env: str) -> str:
    """Where an administrator puts a new refresh token: the secrets directory's file, not a variable (review35: with
    the variable set, `_renew_now` never renews, so every later expiry would fail again)."""
    return f"ghi mã làm mới mới vào tệp {refresh_env} của [secrets] dir (không dùng biến môi trường)"


def revoked(data: Mapping[str, Any], refresh_env: str) -> NotConfigured:
    """A token Zalo refuses right after its renewal: no try can succeed until an administrator grants the app again
    (the delivery pass gives the message up at once, as a missing setting; «Gửi lại các tin lỗi» sends it after)."""
    return NotConfigured(f"Zalo vẫn từ chối mã truy cập vừa làm mới (mã {str(data.get('error'))[:40]}: "
                         f"{str(data.get('message', ''))[:80]}): quyền gửi của ứng dụng Zalo OA bị thu hồi hoặc hết "
                         f"hạn; quản trị viên cần cấp lại quyền cho ứng dụng trong Zalo for Developers rồi "
                         f"{where_to_put(refresh_env)}")


@register
class Zalo:
    name = "zalo"
    label = "Zalo OA"
    max_chars = 2000  # the OA message's text limit: digests are fitted to it (notify/message.py)

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        name = str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN"))
        token = secret(str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN")))  # read by its key: test_channels checks
        renewed = False
        if not token:
            # with a refresh token the zalo_token_refresh job may renew it: a try later may go (retried). Without one
            # nothing renews it until an administrator sets it: given up at once like the other channels' missing
            # settings, not retried for a day (round 29's ux35 left Zalo; fix29)
            if not secret(str(settings.get("refresh_env", "LANGNGHE_ZALO_REFRESH"))):
                raise missing_secret("mã truy cập Zalo OA (và không có mã làm mới để tự làm mới)", name)
            token, renewed = _renew(client, settings), True  # with app_id set, here and now (fix33)
            if not token:
                raise SendError(f"chưa có mã truy cập Zalo OA ({name}): chờ việc làm mới mã của nguồn Zalo OA")
        base = str(settings.get("base_url", "https://openapi.zalo.me")).rstrip("/")
        while True:
            try:
                r = client.post(f"{base}/v3.0/oa/message/cs", headers={"access_token": token},
                                json={"recipient": {"user_id": address}, "message": {"text": message.text[:2000]}})
            except httpx.HTTPError as exc:
                raise unreachable("Zalo", exc) from None
            data = json_answer(r, "Zalo", token)
            if renewed and _expired(r, data):
                # refused again right after a renewal in this send: the app's permission was revoked (or its grant
                # ran out), and renewing cannot help. A SendError was retried with back-off, each try renewing
                # again and spending the new refresh token (fix35): given up now, in staff's words
                raise revoked(data, str(settings.get("refresh_env", "LANGNGHE_ZALO_REFRESH")))
            if renewed or not _expired(r, data):
                break
            renewed = True  # once: a token refused again right after its renewal is given up above, not renewed
            fresh = _renew(client, settings, refused=token)
            if not fresh:
                break
            token = fresh
        if r.status_code >= 300 or data.get("error", -1) not in (0, "0"):
            raise SendError(f"Zalo từ chối (mã {str(data.get('error'))[:40]}: {str(data.get('message', ''))[:120]})")
        sent = data.get("data")
        return f"message_id {sent.get('message_id', '') if isinstance(sent, dict) else ''}"
