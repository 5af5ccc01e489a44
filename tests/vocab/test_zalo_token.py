"""fix35: Zalo OA's token renewal was written twice, in collectors.zalo_oa.refresh (the zalo_token_refresh job) and
in notify.channels.zalo._renew_now (a push), ~15 lines each: the POST, the answer's check, both tokens stored.
Now one exchange, vocab.zalo_token.renew (collectors/ cannot import notify/ nor notify/ collectors/: R2, R6), each
caller keeping its own words for a refusal. Stand-ins on httpx.MockTransport; secrets in a temporary folder."""

from __future__ import annotations

import os
import stat
from urllib.parse import parse_qs

import httpx
import pytest

from collectors import zalo_oa
from collectors.base import TokenExpiredError
from notify import registry
from notify.base import SendError
from tests.notify.test_channels import MSG
from vocab import secrets, zalo_token
from vocab.config import SourceConfig

RT, KEY = "lam-moi-cu-123456", "khoa-ung-dung-789"
SRC = SourceConfig(name="zalo-phuong", kind="zalo_oa", url="http://zalo.test/v2.0/oa/listrecentchat",
                   outlet="Phường Uông Bí", source_type="social",
                   options={"app_id": "42", "oauth_base": "http://oauth.zalo.test", "token_env": "ZT"})
CHANNEL = {"base_url": "http://zalo.test", "oauth_base": "http://oauth.zalo.test", "app_id": "42", "token_env": "ZT"}


@pytest.fixture
def keys(tmp_path, monkeypatch):
    for name in ("ZT", "LANGNGHE_ZALO_REFRESH", "LANGNGHE_ZALO_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(secrets, "_dir", str(tmp_path))
    secrets.store_secret("LANGNGHE_ZALO_REFRESH", RT)
    secrets.store_secret("LANGNGHE_ZALO_SECRET_KEY", KEY)
    return tmp_path


def oauth(answer: httpx.Response, seen: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    def handle(req: httpx.Request) -> httpx.Response:
        if req.url.host != "oauth.zalo.test":  # the channel's message, with whatever token it has
            return httpx.Response(200, json={"error": -216, "message": "Access token is invalid"})
        assert req.url.path == "/v4/oa/access_token" and req.headers["secret_key"] == KEY
        seen.append({k: v[0] for k, v in parse_qs(req.content.decode()).items()})
        return answer
    return httpx.Client(transport=httpx.MockTransport(handle))


def test_renew_posts_the_refresh_token_and_stores_both_new_tokens(tmp_path):
    seen: list[dict[str, str]] = []
    client = oauth(httpx.Response(200, json={"access_token": "at-moi", "refresh_token": "rt-moi"}), seen)
    got = zalo_token.renew(client, app_id="42", refresh_token=RT, secret_key=KEY, token_env="ZT",
                           refresh_env="RT_ENV", read=lambda r: r.json(), oauth_base="http://oauth.zalo.test/",
                           directory=str(tmp_path))
    assert got == "at-moi" and seen == [{"refresh_token": RT, "app_id": "42", "grant_type": "refresh_token"}]
    for name, value in (("ZT", "at-moi"), ("RT_ENV", "rt-moi")):
        assert (tmp_path / name).read_text() == value and stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


@pytest.mark.parametrize("status,doc,why", [
    (200, {"error": -14014, "error_name": "Invalid refresh token"}, "Invalid refresh token"),
    (200, {"error": -14014, "message": "Refresh token expired"}, "Refresh token expired"),
    (200, {"error": -14014}, "-14014"),
    (200, {"access_token": "a", "refresh_token": ["r"], "error_name": ["x"]}, "200"),
    (400, {"access_token": "a", "refresh_token": "r"}, "400"),
])
def test_an_answer_without_a_new_pair_is_refused_with_zalos_reason_and_nothing_stored(tmp_path, status, doc, why):
    client = oauth(httpx.Response(status, json=doc), [])
    with pytest.raises(zalo_token.Refused) as ei:
        zalo_token.renew(client, app_id="42", refresh_token=RT, secret_key=KEY, token_env="ZT", refresh_env="RT_ENV",
                         read=lambda r: r.json(), oauth_base="http://oauth.zalo.test", directory=str(tmp_path))
    assert ei.value.why == why and ei.value.status == status and not list(tmp_path.iterdir())


def test_both_renewals_are_the_one_exchange(keys, monkeypatch):
    """The source's refresh and the channel's renewal inside a push both go through vocab.zalo_token.renew: a copy
    of the POST written back into either fails here."""
    calls: list[str] = []
    real = zalo_token.renew

    def spy(client, **kw):  # type: ignore[no-untyped-def]
        calls.append(kw["token_env"])
        return real(client, **kw)

    monkeypatch.setattr(zalo_token, "renew", spy)
    seen: list[dict[str, str]] = []
    answer = httpx.Response(200, json={"access_token": "at-moi", "refresh_token": "rt-moi"})
    zalo_oa.refresh(oauth(answer, seen), SRC)
    secrets.store_secret("LANGNGHE_ZALO_REFRESH", RT)  # the first renewal spent it
    with pytest.raises(SendError):  # the stand-in refuses every message: renewed once, then given up
        registry.get("zalo").send("5566", MSG, CHANNEL, oauth(answer, seen))
    assert calls == ["ZT", "ZT"] and len(seen) == 2


def test_each_caller_says_the_same_refusal_its_own_way(keys):
    """The channel: a SendError with the secrets masked (Zalo may echo them) and the variable to set; the source: a
    TokenExpiredError naming the outlet (its health line)."""
    refusal = httpx.Response(200, json={"error": -14014, "error_name": f"Invalid refresh token {RT} / {KEY}"})
    with pytest.raises(TokenExpiredError) as by_source:
        zalo_oa.refresh(oauth(refusal, []), SRC)
    assert str(by_source.value).startswith("Zalo từ chối làm mới mã của OA «Phường Uông Bí» (Invalid refresh token")
    secrets.store_secret("ZT", "ma-cu-het-han")
    with pytest.raises(SendError) as by_channel:
        registry.get("zalo").send("5566", MSG, CHANNEL, oauth(refusal, []))
    said = str(by_channel.value)
    assert said.startswith("Zalo từ chối làm mới mã truy cập OA (Invalid refresh token *** / ***)") and RT not in said
    assert "LANGNGHE_ZALO_REFRESH" in said and KEY not in said
    assert secrets.secret("ZT") == "ma-cu-het-han"  # nothing stored by either
