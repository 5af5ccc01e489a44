"""webhook: a JSON POST to the subscriber's URL, signed with HMAC-SHA256 of the body in
`X-LangNghe-Signature: sha256=<hex>` (secret: [notify.webhook] secret_env). `X-LangNghe-Delivery` is the
same on every try of one message: a receiver that keeps the last few can drop a repeat."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Mapping

import httpx

from notify.base import Message, SendError, missing_secret, unreachable
from notify.registry import register
from vocab.secrets import secret


def signature(secret_value: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret_value.encode(), body, hashlib.sha256).hexdigest()


@register
class Webhook:
    name = "webhook"
    label = "Webhook (JSON)"
    address_is_url = True  # the subscriber types the URL: checked when saved, one host's timeout holds back only it

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        key = secret(str(settings.get("secret_env", "LANGNGHE_WEBHOOK_SECRET")))
        name = str(settings.get("secret_env", "LANGNGHE_WEBHOOK_SECRET"))  # said when it is missing
        if not key:  # a setting missing: given up at once, not retried for a day (round 29)
            raise missing_secret("khóa ký webhook", name)
        body = json.dumps({"subject": message.subject, "text": message.text, "alerts": list(message.alert_ids),
                           "link": message.link}, ensure_ascii=False).encode()
        try:
            r = client.post(address, content=body, headers={"Content-Type": "application/json; charset=utf-8",
                                                            "X-LangNghe-Signature": signature(key, body),
                                                            **({"X-LangNghe-Delivery": message.key}
                                                               if message.key else {})})
        except httpx.HTTPError as exc:
            raise unreachable("webhook", exc) from None
        if r.status_code >= 300:
            raise SendError(f"webhook trả HTTP {r.status_code}")
        return f"HTTP {r.status_code}"
