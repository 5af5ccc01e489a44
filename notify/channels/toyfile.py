"""toyfile: appends to a file (toy)."""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from notify.base import Message, SendError
from notify.registry import register


@register
class ToyFile:
    name = "toyfile"
    label = "Tệp (thử)"

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        r = client.post(str(settings.get("base_url", "http://127.0.0.1:9")) + "/x", json={"text": message.text})
        if r.status_code >= 300:
            raise SendError("bị từ chối")
        return "ok"
