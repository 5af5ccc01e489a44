"""zalo: a Zalo Official Account customer-service message to a follower's user id
([notify.zalo] base_url, token_env; the OA token the zalo_oa source renews with its refresh token, refresh_env)."""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from notify.base import Message, SendError, json_answer, missing_secret, unreachable
from notify.registry import register
from vocab.secrets import secret


@register
class Zalo:
    name = "zalo"
    label = "Zalo OA"
    max_chars = 2000  # the OA message's text limit: digests are fitted to it (notify/message.py)

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        name = str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN"))
        token = secret(str(settings.get("token_env", "LANGNGHE_ZALO_TOKEN")))  # read by its key: test_channels checks
        if not token:
            # with a refresh token the zalo_token_refresh job may renew it: a try later may go (retried). Without one
            # nothing renews it until an administrator sets it: given up at once like the other channels' missing
            # settings, not retried for a day (round 29's ux35 left Zalo; fix29)
            if not secret(str(settings.get("refresh_env", "LANGNGHE_ZALO_REFRESH"))):
                raise missing_secret("mã truy cập Zalo OA (và không có mã làm mới để tự làm mới)", name)
            raise SendError(f"chưa có mã truy cập Zalo OA ({name}): chờ việc làm mới mã của nguồn Zalo OA")
        base = str(settings.get("base_url", "https://openapi.zalo.me")).rstrip("/")
        try:
            r = client.post(f"{base}/v3.0/oa/message/cs", headers={"access_token": token},
                            json={"recipient": {"user_id": address}, "message": {"text": message.text[:2000]}})
        except httpx.HTTPError as exc:
            raise unreachable("Zalo", exc) from None
        data = json_answer(r, "Zalo", token)
        if r.status_code >= 300 or data.get("error", -1) not in (0, "0"):
            raise SendError(f"Zalo từ chối (mã {str(data.get('error'))[:40]}: {str(data.get('message', ''))[:120]})")
        sent = data.get("data")
        return f"message_id {sent.get('message_id', '') if isinstance(sent, dict) else ''}"
