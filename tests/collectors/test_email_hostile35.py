"""Round 32's sweep (hostile35): a complaint mail that the mapping could not read was marked seen with the others
after the commit, so it was lost: neither stored nor left unread in the mailbox (docs/SECURITY.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from collectors import email_inbox
from kindhelpers import collect, source  # noqa: F401

sys.path.insert(0, str(Path(__file__).parent))
from imap_server import ImapServer, Mailbox  # noqa: E402


def message(n: int, date: str) -> bytes:
    return (f"From: dan{n}@example.vn\r\nSubject: Phản ánh số {n}\r\nMessage-ID: <m{n}@example.vn>\r\n"
            f"Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Nước thải tràn ra đường ở tổ {n}, phường Vàng Danh.\r\n").encode()


@pytest.fixture
def box(monkeypatch):
    b = Mailbox()
    srv = ImapServer(b)
    monkeypatch.setenv("LANGNGHE_MAIL_USER", b.user)
    monkeypatch.setenv("LANGNGHE_MAIL_PASSWORD", b.password)
    yield b, source("email_inbox", f"imap://127.0.0.1:{srv.port}/INBOX", source_type="social", outlet="Hộp thư")
    srv.stop()


def test_a_mail_dated_past_year_9999_in_utc_is_stored_dated_at_the_fetch(box):
    """«Fri, 31 Dec 9999 23:00:00 -1400» is year 10000 in UTC: an OverflowError out of the mapping, counted
    «mapping error» and the mail marked seen with the others."""
    b, src = box
    b.add(message(1, "Wed, 20 Nov 2024 09:15:00 +0700"))
    b.add(message(2, "Fri, 31 Dec 9999 23:00:00 -1400"))
    batch = collect(src)
    assert sorted(i.title for i in batch.items) == ["Phản ánh số 1", "Phản ánh số 2"]
    late = next(i for i in batch.items if i.title == "Phản ánh số 2")
    assert late.published_estimated


def test_a_mail_the_mapping_cannot_read_stays_unread(box, monkeypatch):
    b, src = box
    b.add(message(1, "Wed, 20 Nov 2024 09:15:00 +0700"))
    b.add(message(2, "Wed, 20 Nov 2024 09:16:00 +0700"))
    real = email_inbox.map_message

    def flaky(raw, uid, *a, **k):
        if b"<m2@" in raw:
            raise AttributeError("a header the parser trips on")
        return real(raw, uid, *a, **k)

    monkeypatch.setattr(email_inbox, "map_message", flaky)
    batch = collect(src)
    assert [i.title for i in batch.items] == ["Phản ánh số 1"]
    assert sum(n for k, n in batch.skipped.items() if k.startswith("mapping error")) == 1
    batch.after_commit[0]()
    assert len(b.seen) == 1  # the one stored; the other left for the next poll
    monkeypatch.setattr(email_inbox, "map_message", real)
    assert [i.title for i in collect(src).items] == ["Phản ánh số 2"]


@pytest.mark.parametrize("written", ["Wed, 20 Nov 2024 09:15:00", "Wed, 20 Nov 2024 09:15:00 -0000"])
def test_a_mail_time_without_a_zone_is_vietnam_time_whatever_the_machine_zone(monkeypatch, written):
    """Round 32: read in the machine's zone, so a server kept in UTC dated such a complaint 7 hours late."""
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        item = email_inbox.map_message(message(3, written), "3", source("email_inbox", "imap://127.0.0.1/INBOX",
                                                                         source_type="social", outlet="Hộp thư"),
                                       datetime(2024, 11, 20, 5, 0))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert item.published_at == datetime(2024, 11, 20, 2, 15) and not item.published_estimated
