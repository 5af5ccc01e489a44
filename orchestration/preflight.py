"""Checks `serve` prints at start, before staff wonder why something stays silent.

    mail_servers_refused(cfg, sources) → Vietnamese warnings: the SMTP relay ([notify.email] host) and the
                                         complaints mailboxes (email_inbox sources) the public-address guard
                                         will refuse

Since round 13 IMAP and SMTP connect through the same guard as fetches (collectors/netguard.py). An office
whose relay or mailbox is on its own network (a private address, 127.0.0.1) was reached before the upgrade and
is refused after it until `[http] allow_private_hosts` lists it; each refusal is logged when it happens, but
a push that never goes out is easy to miss, so serve says it once, at start.
"""

from __future__ import annotations

from typing import Iterable

from collectors import netguard
from collectors.email_inbox import imap_server
from notify.channels.email import smtp_server
from orchestration.notify import channel_settings
from vocab.config import Config, SourceConfig


def mail_servers_refused(cfg: Config, sources: Iterable[SourceConfig],
                         resolve: netguard.SyncResolver | None = None) -> list[str]:
    """One warning per mail server that the guard will refuse (a name that does not resolve now is not
    reported: the connection says so when it happens)."""
    allow = netguard.parse_allow(cfg.http.allow_private_hosts)
    out = []
    host, port = smtp_server(channel_settings(cfg, "email"))  # [notify.email], as the e-mail channel reads it
    if host.strip():
        why = netguard.check_host_sync(host, port, allow, resolve)
        if why:
            out.append(f"Thư thông báo sẽ không gửi được qua máy chủ SMTP {host}:{port}. {why}")
    for src in sources:
        server = imap_server(src.url) if src.kind == "email_inbox" and src.enabled else None
        if server is None:  # not a mailbox, paused, or an address the collector refuses anyway
            continue
        _, host, port = server
        why = netguard.check_host_sync(host, port, allow, resolve)
        if why:
            out.append(f"Nguồn «{src.name}» (hộp thư phản ánh) sẽ không đọc được thư. {why}")
    return out
