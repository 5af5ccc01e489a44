"""fix35: a Zalo token refused again right after its renewal (the app's permission revoked, or its grant run out) was
the send's SendError, retried with back-off: each try renewed the token again, spending the refresh token Zalo had
just issued, and failed the same way for about a day. Renewing cannot help there: after a renewal in this send, a
second refusal is a NotConfigured, given up at once with a reason for staff. Stand-ins on httpx MockTransport."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from notify import registry
from notify.base import NotConfigured, SendError
from orchestration import notify
from store import notify as store_notify
from tests.conftest import database, make_config
from tests.notify.test_channels import MSG
from tests.notify.test_fix33_zalo_renew import NEW, OLD, RT, SETTINGS, Zalo, _send, keys  # noqa: F401  (a fixture)
from tests.orchestration.test_notify import NOW, raise_one, subscribe
from vocab import secrets

REASON = "quyền gửi của ứng dụng Zalo OA bị thu hồi hoặc hết hạn; quản trị viên cần cấp lại"


def revoked() -> Zalo:
    zalo = Zalo()
    zalo.valid = "never"  # every token refused as expired, the renewed one too
    return zalo


def test_a_token_refused_right_after_its_renewal_is_given_up_with_the_reason(keys):  # noqa: F811
    zalo = revoked()
    with pytest.raises(NotConfigured, match=REASON) as ei:
        _send(zalo)
    assert zalo.calls == [("send", OLD), ("renew", RT), ("send", NEW)]
    assert "mã -216" in str(ei.value) and NEW not in str(ei.value) and RT not in str(ei.value)


def test_a_missing_token_renewed_then_refused_is_given_up_too(keys):  # noqa: F811
    (keys / "LANGNGHE_ZALO_TOKEN").unlink()
    zalo = revoked()
    with pytest.raises(NotConfigured, match=REASON):
        _send(zalo)
    assert zalo.calls == [("renew", RT), ("send", NEW)]


def test_another_refusal_after_the_renewal_stays_a_retried_error(keys):  # noqa: F811
    """Only Zalo's «token expired» answer says the grant is gone; a follower who left, say, is the send's own error."""
    zalo = Zalo()
    zalo.valid = "never"
    real = zalo.__call__

    def answer(req: httpx.Request) -> httpx.Response:
        if ("renew", RT) in zalo.calls:  # after the renewal, another refusal
            zalo.expired = httpx.Response(200, json={"error": -213, "message": "User has not followed the OA"})
        return real(req)

    client = httpx.Client(transport=httpx.MockTransport(answer))
    with pytest.raises(SendError, match="Zalo từ chối \\(mã -213") as ei:
        registry.get("zalo").send("5566", MSG, SETTINGS, client)
    assert not isinstance(ei.value, NotConfigured)
    assert zalo.calls == [("send", OLD), ("renew", RT), ("send", NEW)]


def test_the_delivery_pass_gives_it_up_and_renews_no_more(tmp_path, monkeypatch, keys):  # noqa: F811
    """Through the notify job: one renewal in all, not one a try; the row failed with the reason and the job's note."""
    cfg = make_config(tmp_path, notify={"public_url": "http://127.0.0.1:8501",
                                        "zalo": {**SETTINGS, "base_url": "http://127.0.0.1:9",
                                                 "oauth_base": "http://127.0.0.1:9/oauth"}})
    zalo = revoked()

    def answer(req: httpx.Request) -> httpx.Response:  # the stand-in tells the two apart by host: here by path
        if req.url.path.startswith("/oauth/"):
            req = httpx.Request("POST", "http://oauth.zalo.test" + req.url.path[len("/oauth"):],
                                headers=req.headers, content=req.content)
        return zalo(req)

    db = database(cfg.storage.db_path)
    try:
        subscribe(db, channel="zalo", address="5566")
        raise_one(db)
        factory = lambda: httpx.Client(transport=httpx.MockTransport(answer))  # noqa: E731
        for minutes in (0, 2, 10, 60, 24 * 60):  # later passes, past every back-off
            notify.deliver(cfg, db, client_factory=factory, now=NOW + timedelta(minutes=minutes))
        assert [c for c in zalo.calls if c[0] == "renew"] == [("renew", RT)]  # once, not at each try
        with db.read() as cur:
            assert store_notify.outbox_counts(cur) == {"failed": 1}
            (line,) = store_notify.recent_log(cur)
        assert REASON in line["detail"] and notify.GIVEN_UP_UNSET in line["detail"], line
        assert secrets.secret("LANGNGHE_ZALO_TOKEN") == NEW  # the renewed pair is kept for the administrator's next step
    finally:
        db.close()
