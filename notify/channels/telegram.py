"""telegram: a bot's sendMessage to a chat id ([notify.telegram] base_url, token_env)."""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from notify.base import Message, SendError, json_answer, missing_secret, unreachable
from notify.registry import register
from vocab.secrets import secret


@register
class Telegram:
    name = "telegram"
    label = "Telegram (bot)"
    max_chars = 4096  # sendMessage refuses a longer text ("message is too long"): digests are fitted to it

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        token = secret(str(settings.get("token_env", "LANGNGHE_TELEGRAM_TOKEN")))
        name = str(settings.get("token_env", "LANGNGHE_TELEGRAM_TOKEN"))  # said when it is missing
        if not token:  # a setting missing: given up at once, not retried for a day (round 29)
            raise missing_secret("mã bot Telegram", name)
        base = str(settings.get("base_url", "https://api.telegram.org")).rstrip("/")
        try:
            r = client.post(f"{base}/bot{token}/sendMessage", json={"chat_id": address, "text": message.text,
                                                                 "disable_web_page_preview": True})
        except httpx.HTTPError as exc:
            raise unreachable("Telegram", exc) from None  # the URL holds the token
        data = json_answer(r, "Telegram", token)
        if r.status_code >= 300 or not data.get("ok"):
            raise SendError(f"Telegram từ chối (HTTP {r.status_code}: {str(data.get('description', ''))[:120]})")
        result = data.get("result")
        return f"message_id {result.get('message_id', '') if isinstance(result, dict) else ''}"
