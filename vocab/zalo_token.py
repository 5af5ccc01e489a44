"""Zalo OA's token renewal, the one exchange both its users make: the zalo_oa source (`collectors.zalo_oa.refresh`,
run by the zalo_token_refresh job) and the Zalo channel (`notify.channels.zalo`, inside a push).

    POST {oauth_base}/v4/oa/access_token   header secret_key;  form refresh_token, app_id, grant_type=refresh_token
        ▼ {"access_token": "…", "refresh_token": "…", "expires_in": "90000"}   (the refresh token changes each use)
    both stored in the secrets directory, mode 600 (vocab/secrets.py) ─▶ the new access token

It lives here because the two callers cannot import each other: collectors/ may import only store/ and vocab/, and
notify/ only vocab/ (docs/ARCHITECTURE.md, R2 and R6). Each caller keeps its own words for a refusal (the channel a
SendError with the secrets masked, the source a TokenExpiredError naming the outlet): this module raises `Refused`
with Zalo's reason as it came, and reads the answer with the caller's own `read` (each layer's JSON check and error
class). The client is the caller's httpx.Client, used by duck typing: vocab imports no HTTP library.
It was written twice, ~15 lines each, until fix35.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from vocab.secrets import store_secret

OAUTH_BASE = "https://oauth.zaloapp.com"
PATH = "/v4/oa/access_token"


class Refused(Exception):
    """Zalo answered without a new pair (an HTTP error, or an answer lacking either token): `why` is Zalo's reason as
    it came (error_name, message or error, else the HTTP status), uncut and unmasked: the caller says it its way."""

    def __init__(self, why: str, status: int) -> None:
        self.why, self.status = why, status
        super().__init__(why)


def reason(doc: Mapping[str, Any], status: int) -> str:
    """Zalo's reason for a refusal: the first text of error_name, message, error (a code), else the HTTP status."""
    for key in ("error_name", "message", "error"):
        value = doc.get(key)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            continue
        if str(value).strip():
            return str(value).strip()
    return str(status)


def renew(client: Any, *, app_id: str, refresh_token: str, secret_key: str, token_env: str, refresh_env: str,
          read: Callable[[Any], Mapping[str, Any]], oauth_base: str = OAUTH_BASE,
          directory: str | None = None) -> str:
    """Exchange the refresh token for a new pair, store both (mode 600) and return the new access token. `read` turns
    the answer into a JSON object or raises the caller's own error; Refused when the answer holds no new pair (then
    nothing is stored). A request error is the client's own, for the caller to say."""
    r = client.post(f"{oauth_base.rstrip('/')}{PATH}", headers={"secret_key": secret_key},
                    data={"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"})
    doc = read(r)
    access, renewal = doc.get("access_token"), doc.get("refresh_token")
    if r.status_code >= 400 or not (access and isinstance(access, str)) or not (renewal and isinstance(renewal, str)):
        raise Refused(reason(doc, r.status_code), r.status_code)
    store_secret(token_env, access, directory=directory)
    store_secret(refresh_env, renewal, directory=directory)
    return access
