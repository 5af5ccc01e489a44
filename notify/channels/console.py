"""console: prints the message on the server's console (the demo's channel; no account needed)."""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from notify.base import Message
from notify.registry import register


@register
class Console:
    name = "console"
    label = "Màn hình máy chủ (demo)"
    demo = True  # reaches no one's phone or mailbox: offered last (notify.registry.labels)

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        print(f"\n📣 Thông báo cho {address}:\n{message.text}\n", flush=True)
        return "printed"
