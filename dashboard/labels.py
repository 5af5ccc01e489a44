"""Vietnamese display labels and safe-rendering helpers shared by pages (no streamlit import)."""

from __future__ import annotations

from urllib.parse import urlsplit

HEALTH_STATUS = {
    "ok": "Hoạt động",
    "error": "Lỗi",
    "failing": "Lỗi kéo dài",
    "paused": "Tạm dừng",
    "never_run": "Chưa chạy",
}


def safe_link(url: str | None) -> str | None:
    """Only http(s) links are shown as links; anything else (javascript:, data:…) is dropped."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None
