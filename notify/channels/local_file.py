"""local_file: appends each message to a text file in a folder on the server (throwaway example, round 28)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import httpx

from notify.base import Message, SendError
from notify.registry import register


@register
class LocalFile:
    name = "local_file"
    label = "Tệp trên máy chủ"

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        folder = Path(str(settings.get("directory", "var/thong-bao")))
        path = folder / f"{Path(address).name or 'thong-bao'}.txt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(f"{message.subject}\n{message.text}\n\n")
        except OSError as exc:
            raise SendError(f"không ghi được tệp thông báo: {exc.strerror}") from None
        return str(path.name)
