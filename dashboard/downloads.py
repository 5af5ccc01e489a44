"""Generated report files for signed-in sessions only: short-lived links signed for one session.

Streamlit's `st.download_button` puts the bytes in its media file manager, which serves them at
`/media/<id>.docx` to any client, without a cookie, even after sign-out. Reports are therefore never
handed to Streamlit; the page shows a link to `/download/<signed>`, a route `langnghe serve` adds to
the Streamlit server (dashboard/server.py), and the route checks, on every request:

    link(path, token)         ──▶ /download/<itsdangerous-signed {"p": path, "s": SHA-256(token)}>
    resolve(signed, cookie)   ──▶ signature made by this process, and younger than download_link_minutes?
                              ──▶ a report file type (.docx / .xlsx / .pdf) that still exists?
                              ──▶ with remember_in_browser: the request's session cookie is that session
                                  (a link copied elsewhere, or fetched without the cookie, is refused)
                              ──▶ the session still valid: not signed out, expired, idle or revoked, the
                                  user active and allowed (min_role)

The signing key is random per process, so links also end when the server restarts. No Streamlit here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from orchestration.accounts import AuthService, token_hash

PREFIX = "/download/"
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}
DENIED = ("Liên kết tải báo cáo không hợp lệ hoặc đã hết hạn. Hãy đăng nhập Lắng Nghe và bấm tải lại "
          "trên trang Báo cáo.")
_KEY = secrets.token_bytes(32)
_SALT = "langnghe-report-download"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_KEY, salt=_SALT)


def link(path: str | Path, token: str, min_role: str = "viewer") -> str:
    """The address at which the session of `token` (and only it) may fetch `path` for a while."""
    payload: dict[str, Any] = {"p": str(Path(path).resolve()), "s": token_hash(token), "r": min_role}
    return PREFIX + str(_signer().dumps(payload))


@dataclass(frozen=True)
class Grant:
    path: Path
    username: str

    @property
    def mime(self) -> str:
        return MIME[self.path.suffix]


def resolve(signed: str, cookie_token: str | None, auth: AuthService) -> Grant | None:
    """The file a link grants to this request, or None (refused: say nothing about why)."""
    try:
        payload = _signer().loads(signed, max_age=max(1, int(auth.s.download_link_minutes * 60)))
        path, bound, min_role = Path(payload["p"]), str(payload["s"]), str(payload["r"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if path.suffix not in MIME or not path.is_file():
        return None
    if auth.s.remember_in_browser and (not cookie_token or token_hash(cookie_token) != bound):
        return None
    user, _why = auth.check_hash(bound)
    if user is None or not user.can(min_role):
        return None
    return Grant(path, user.username)
