"""fix33: a Zalo push whose OA access token had expired (Zalo answers error -216/-124, or HTTP 401) failed and was
retried with back-off until the zalo_token_refresh job renewed the token, and that job renews only for a zalo_oa source
whose own poll said token_expired (none: never). Now the channel, given the app's id and secret key, renews the token
once inside the send with the refresh token (both new tokens stored mode 600, as collectors.zalo_oa.refresh does)
and sends again. Stand-ins on httpx MockTransport; secrets in a temporary folder."""

from __future__ import annotations

import json
import stat
from urllib.parse import parse_qs

import httpx
import pytest

from notify import registry
from notify.base import SendError
from tests.notify.test_channels import MSG
from vocab import secrets

OLD, NEW, RT, RT2, KEY = "ma-cu-het-han-111", "ma-moi-222222", "lam-moi-333333", "lam-moi-444444", "khoa-ung-dung-55"
SETTINGS = {"base_url": "http://zalo.test", "oauth_base": "http://oauth.zalo.test", "app_id": "1234567"}


@pytest.fixture
def keys(tmp_path, monkeypatch):
    for name in ("LANGNGHE_ZALO_TOKEN", "LANGNGHE_ZALO_REFRESH", "LANGNGHE_ZALO_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(secrets, "_dir", str(tmp_path))
    for name, value in (("LANGNGHE_ZALO_TOKEN", OLD), ("LANGNGHE_ZALO_REFRESH", RT),
                        ("LANGNGHE_ZALO_SECRET_KEY", KEY)):
        secrets.store_secret(name, value)
    return tmp_path


class Zalo:
    """The OA API (a message is sent with a valid token only) and its OAuth server (renews a refresh token once)."""

    def __init__(self, expired=httpx.Response(200, json={"error": -216, "message": "Access token is invalid"}),
                 renew=None):
        self.calls: list[tuple[str, str]] = []
        self.valid, self.expired, self.renew = NEW, expired, renew

    def __call__(self, req: httpx.Request) -> httpx.Response:
        if req.url.host == "oauth.zalo.test":
            form = {k: v[0] for k, v in parse_qs(req.content.decode()).items()}
            self.calls.append(("renew", form.get("refresh_token", "")))
            assert req.url.path == "/v4/oa/access_token" and req.headers["secret_key"] == KEY
            assert form == {"refresh_token": RT, "app_id": "1234567", "grant_type": "refresh_token"}
            return self.renew or httpx.Response(200, json={"access_token": NEW, "refresh_token": RT2,
                                                           "expires_in": "90000"})
        token = req.headers["access_token"]
        self.calls.append(("send", token))
        assert json.loads(req.content)["recipient"] == {"user_id": "5566"}
        return httpx.Response(200, json={"error": 0, "data": {"message_id": "z1"}}) if token == self.valid \
            else self.expired


def _send(zalo: Zalo, settings=SETTINGS) -> str:  # type: ignore[no-untyped-def]
    return registry.get("zalo").send("5566", MSG, settings, httpx.Client(transport=httpx.MockTransport(zalo)))


@pytest.mark.parametrize("expired", [httpx.Response(200, json={"error": -216, "message": "Access token is invalid"}),
                                     httpx.Response(200, json={"error": -124, "message": "Access token has expired"}),
                                     httpx.Response(401, json={"error": -216, "message": "Unauthorized"})],
                         ids=["-216", "-124", "401"])
def test_an_expired_token_is_renewed_once_inside_the_send(keys, expired):
    zalo = Zalo(expired)
    assert _send(zalo) == "message_id z1"
    assert zalo.calls == [("send", OLD), ("renew", RT), ("send", NEW)]
    assert secrets.secret("LANGNGHE_ZALO_TOKEN") == NEW and secrets.secret("LANGNGHE_ZALO_REFRESH") == RT2
    for name in ("LANGNGHE_ZALO_TOKEN", "LANGNGHE_ZALO_REFRESH"):  # stored as the renewal job stores them
        assert stat.S_IMODE((keys / name).stat().st_mode) == 0o600
    zalo.calls.clear()
    assert _send(zalo) == "message_id z1" and zalo.calls == [("send", NEW)]  # the next push uses the new one


def test_a_missing_access_token_is_renewed_before_the_send(keys):
    (keys / "LANGNGHE_ZALO_TOKEN").unlink()
    zalo = Zalo()
    assert _send(zalo) == "message_id z1" and zalo.calls == [("renew", RT), ("send", NEW)]


def test_renewed_once_only_and_said_when_zalo_refuses(keys):
    zalo = Zalo(renew=httpx.Response(200, json={"error": -14014, "error_name": "Invalid refresh token"}))
    with pytest.raises(SendError, match="Zalo từ chối làm mới mã truy cập.*Invalid refresh token") as ei:
        _send(zalo)
    assert zalo.calls == [("send", OLD), ("renew", RT)] and RT not in str(ei.value) and KEY not in str(ei.value)
    assert secrets.secret("LANGNGHE_ZALO_TOKEN") == OLD  # nothing stored
    zalo = Zalo()
    zalo.valid = "never"  # renewed, still refused: no second renewal, no loop (given up: test_fix35_zalo_revoked)
    with pytest.raises(SendError, match="Zalo vẫn từ chối mã truy cập vừa làm mới \\(mã -216"):
        _send(zalo)
    assert zalo.calls == [("send", OLD), ("renew", RT), ("send", NEW)]


def test_without_the_apps_id_it_waits_for_the_renewal_job_as_before(keys):
    zalo = Zalo()
    with pytest.raises(SendError, match="Zalo từ chối \\(mã -216"):
        _send(zalo, {k: v for k, v in SETTINGS.items() if k != "app_id"})
    assert zalo.calls == [("send", OLD)] and secrets.secret("LANGNGHE_ZALO_REFRESH") == RT


def test_a_token_given_by_a_variable_is_not_renewed_here(keys, monkeypatch):
    """A variable wins over the secrets file: a token renewed into the file would never be read, and the refresh
    token, spent, would be refused at the next renewal."""
    monkeypatch.setenv("LANGNGHE_ZALO_TOKEN", OLD)
    zalo = Zalo()
    with pytest.raises(SendError, match="Zalo từ chối \\(mã -216"):
        _send(zalo)
    assert zalo.calls == [("send", OLD)] and secrets.secret("LANGNGHE_ZALO_REFRESH") == RT


def test_a_token_another_thread_renewed_meanwhile_is_used_not_renewed_again(keys):
    """«Gửi thử» and the delivery pass may both find the token expired: the second to renew finds the pair the first
    stored and uses it, not the spent refresh token (review32: it was told to grant the app again)."""
    zalo = Zalo()
    real = zalo.__call__

    def first_send_then_another_renews(req: httpx.Request) -> httpx.Response:
        answer = real(req)
        if zalo.calls == [("send", OLD)]:  # while this send holds the refused token, another thread renews
            secrets.store_secret("LANGNGHE_ZALO_TOKEN", NEW)
            secrets.store_secret("LANGNGHE_ZALO_REFRESH", RT2)
        return answer

    client = httpx.Client(transport=httpx.MockTransport(first_send_then_another_renews))
    assert registry.get("zalo").send("5566", MSG, SETTINGS, client) == "message_id z1"
    assert zalo.calls == [("send", OLD), ("send", NEW)]  # no renewal: RT2 is still unspent
