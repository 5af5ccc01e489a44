"""serve's start-up warning for mail servers the public-address guard will refuse (orchestration/preflight.py)."""

from __future__ import annotations

from tests.conftest import make_config
from orchestration.preflight import mail_servers_refused

MAILBOX = {"name": "Hộp thư phản ánh", "kind": "email_inbox", "url": "imaps://mail.noibo.test/INBOX",
           "outlet": "Hộp thư", "source_type": "social"}


def _resolve(host: str, port: int) -> list[str]:
    return {"mail.noibo.test": ["10.0.0.5"], "smtp.noibo.test": ["192.168.1.2"]}.get(host, ["93.184.216.34"])


def test_relay_and_mailbox_on_the_office_network_are_named_at_start(tmp_path):
    """Before round 13 IMAP and SMTP connected anywhere; now an office relay on a private address is refused
    until listed, and serve says so once instead of leaving pushes silently unsent."""
    cfg = make_config(tmp_path, sources=[MAILBOX], http={"allow_private_hosts": []},
                      notify={"email": {"host": "smtp.noibo.test", "port": 25, "security": "none"}})
    warnings = mail_servers_refused(cfg, cfg.sources, _resolve)
    assert len(warnings) == 2
    assert "SMTP smtp.noibo.test:25" in warnings[0] and '"smtp.noibo.test:25"' in warnings[0]
    assert "Hộp thư phản ánh" in warnings[1] and '"mail.noibo.test:993"' in warnings[1]
    assert all("allow_private_hosts" in w for w in warnings)


def test_listed_or_public_servers_give_no_warning(tmp_path):
    cfg = make_config(tmp_path, sources=[MAILBOX, {**MAILBOX, "name": "Tắt", "enabled": False}],
                      http={"allow_private_hosts": ["mail.noibo.test:993", "smtp.noibo.test"]},
                      notify={"email": {"host": "smtp.noibo.test", "port": 587}})
    assert mail_servers_refused(cfg, cfg.sources, _resolve) == []
    off = make_config(tmp_path, sources=[{**MAILBOX, "url": "imaps://mail.congcong.test/INBOX"}],
                      http={"allow_private_hosts": []})
    assert mail_servers_refused(off, off.sources, _resolve) == []  # public address, e-mail off
