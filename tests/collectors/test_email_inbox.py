"""The email_inbox kind against a local IMAP server: Vietnamese in every charset and transfer encoding,
attachments by name only, login errors on health, and messages marked seen only after they are stored."""

from __future__ import annotations

import asyncio
import base64
import quopri
import ssl
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from collectors import email_inbox, netguard, registry
from collectors.base import BlockedAddressError, BudgetSpentError, CollectContext, TokenExpiredError, TransportError
from collectors.budget import ByteBudget
from vocab.config import DEFAULT_LIMITS
from kindhelpers import collect, source  # noqa: F401
from kindspecs import NOW, to_cp1258

sys.path.insert(0, str(Path(__file__).parent))
from imap_server import ImapServer, Mailbox  # noqa: E402


def word(text: str, charset: str, data: bytes) -> str:
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


def msg_utf8_qp() -> bytes:
    subject = "Phản ánh: bãi thải than sạt vào nhà dân"
    body = "Kính gửi phường Vàng Danh,\nĐất đá từ bãi thải tràn vào 3 nhà ở tổ 7, đề nghị kiểm tra gấp.\n"
    return (f"From: =?utf-8?B?{base64.b64encode('Nguyễn Văn Bình'.encode()).decode()}?= <binh@example.vn>\r\n"
            f"Subject: {word(subject, 'utf-8', subject.encode())}\r\n"
            "Message-ID: <m1@example.vn>\r\nDate: Wed, 20 Nov 2024 09:15:00 +0700\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            ).encode() + quopri.encodestring(body.encode())


def msg_cp1258() -> bytes:
    subject = "Đèn đường hỏng ở khu Nam Sơn"
    body = "Đèn đường tổ 5 khu Nam Sơn hỏng cả tháng nay, tối đi rất nguy hiểm."
    return (f"From: dan@example.vn\r\nSubject: {word(subject, 'windows-1258', to_cp1258(subject))}\r\n"
            "Message-ID: <m2@example.vn>\r\nDate: Wed, 20 Nov 2024 10:00:00 +0700\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=windows-1258\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            ).encode() + to_cp1258(body)


def msg_html_with_attachment() -> bytes:
    html = "<html><body><p>Xin gửi ảnh <b>đường ống vỡ</b> ở phường Yên Tử.</p></body></html>"
    return ("From: a@example.vn\r\nSubject: Vỡ ống nước\r\nMessage-ID: <m3@example.vn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
            "--XX\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{base64.b64encode(html.encode()).decode()}\r\n"
            "--XX\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"ong-vo.jpg\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQSkZJRg==\r\n--XX--\r\n").encode()


@pytest.fixture
def mail(monkeypatch):
    box = Mailbox()
    for raw in (msg_utf8_qp(), msg_cp1258(), msg_html_with_attachment()):
        box.add(raw)
    srv = ImapServer(box)
    monkeypatch.setenv("LANGNGHE_MAIL_USER", box.user)
    monkeypatch.setenv("LANGNGHE_MAIL_PASSWORD", box.password)
    yield box, source("email_inbox", f"imap://127.0.0.1:{srv.port}/INBOX", source_type="social", outlet="Hộp thư phản ánh")
    srv.stop()


def test_decodes_every_charset_and_keeps_attachment_names_only(mail):
    box, src = mail
    batch = collect(src)
    by_title = {i.title: i for i in batch.items}
    assert set(by_title) == {"Phản ánh: bãi thải than sạt vào nhà dân", "Đèn đường hỏng ở khu Nam Sơn", "Vỡ ống nước"}
    assert "tràn vào 3 nhà ở tổ 7" in by_title["Phản ánh: bãi thải than sạt vào nhà dân"].summary
    assert "Đèn đường tổ 5 khu Nam Sơn hỏng" in by_title["Đèn đường hỏng ở khu Nam Sơn"].summary  # NFC from cp1258
    html = by_title["Vỡ ống nước"].summary
    assert "đường ống vỡ" in html and "<b>" not in html and "[Tệp đính kèm: ong-vo.jpg]" in html
    assert "/9j/" not in html
    first = by_title["Phản ánh: bãi thải than sạt vào nhà dân"]
    assert first.author == "Nguyễn Văn Bình" and first.url.startswith("urn:langnghe:mail:")
    assert "own_channel" in first.flags and first.published_at.hour == 2          # 09:15 +07 → 02:15 UTC
    assert box.seen == set()                                                       # PEEK: nothing marked yet


def test_marked_seen_only_after_commit(mail):
    box, src = mail
    batch = collect(src)
    assert box.seen == set() and len(batch.after_commit) == 1
    batch.after_commit[0]()                                                        # the runner, after the store
    assert box.seen == set(box.messages)
    assert collect(src).items == []                                                # next poll: nothing unseen


def test_wrong_password_is_a_clear_error(mail, monkeypatch):
    _, src = mail
    monkeypatch.setenv("LANGNGHE_MAIL_PASSWORD", "sai")
    with pytest.raises(TokenExpiredError, match="từ chối đăng nhập"):
        collect(src)
    monkeypatch.delenv("LANGNGHE_MAIL_PASSWORD")
    with pytest.raises(TokenExpiredError, match="Chưa có tài khoản hộp thư"):
        collect(src)


def test_map_message_is_pure_and_skips_empty():
    src = source("email_inbox", "imaps://mail.example.vn/INBOX")
    from kindspecs import NOW
    from collectors.base import SkipItem

    it = email_inbox.map_message(msg_cp1258(), "7", src, NOW)
    assert it.title == "Đèn đường hỏng ở khu Nam Sơn" and "mail_uid:7" in it.flags
    with pytest.raises(SkipItem):
        email_inbox.map_message(b"From: a@b.vn\r\n\r\n", "8", src, NOW)


# --- the public-address guard (collectors/netguard.py) on the IMAP connection ---------------------------------

TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"


def collect_dialling(src, dial):
    """One poll with the runner's kind of `ctx.dial` (here with a chosen allow-list and resolver)."""
    async def go():
        ctx = CollectContext(fetch=None, now=NOW, dial=dial, limits=DEFAULT_LIMITS)  # type: ignore[arg-type] - IMAP fetches nothing
        return await email_inbox.EmailInboxCollector().collect(src, ctx)

    return asyncio.run(go())


@pytest.fixture
def tls_mail(monkeypatch):
    """An IMAPS server on 127.0.0.1 whose certificate names only mail.noibo.test, and a client trusting its CA."""
    box = Mailbox()
    box.add(msg_utf8_qp())
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(TLS / "mail.pem", TLS / "mail.key")
    srv = ImapServer(box, tls=server_ctx)
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))  # ssl.create_default_context() trusts the test CA
    monkeypatch.setenv("LANGNGHE_MAIL_USER", box.user)
    monkeypatch.setenv("LANGNGHE_MAIL_PASSWORD", box.password)
    yield srv
    srv.stop()


def test_a_private_mail_server_is_refused_before_connecting(mail):
    """IMAP opened its socket outside the guard: a mailbox URL (admins edit sources in the dashboard) could
    reach any host of the server's network. Now refused unless [http] allow_private_hosts lists it."""
    box, src = mail
    logins = box.logins
    with pytest.raises(BlockedAddressError) as ei:
        collect_dialling(src, netguard.dialer(frozenset()))  # no allow-list: the runner's default
    assert "Chặn truy cập 127.0.0.1" in str(ei.value) and "allow_private_hosts" in str(ei.value)
    assert box.logins == logins
    named = source("email_inbox", "imaps://mail.example.vn/INBOX")
    with pytest.raises(BlockedAddressError, match=r"mail\.example\.vn \(10\.0\.0\.8\): địa chỉ mạng nội bộ"):
        collect_dialling(named, netguard.dialer(frozenset(), resolve=lambda h, p: ["10.0.0.8"]))


def test_imaps_dials_the_checked_address_and_verifies_the_configured_name(tls_mail):
    port = tls_mail.port
    allow = netguard.parse_allow([f"mail.noibo.test:{port}", f"khac.noibo.test:{port}"])
    looked_up = []

    def resolve(host, p):
        looked_up.append(host)
        return ["127.0.0.1"]

    batch = collect_dialling(source("email_inbox", f"imaps://mail.noibo.test:{port}/INBOX"),
                             netguard.dialer(allow, resolve))
    assert [i.title for i in batch.items] == ["Phản ánh: bãi thải than sạt vào nhà dân"]
    assert looked_up == ["mail.noibo.test"]  # one lookup per connection: the address judged is the one dialled
    # the certificate is checked against the name in the source, not the dialled 127.0.0.1
    with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED|certificate"):
        collect_dialling(source("email_inbox", f"imaps://khac.noibo.test:{port}/INBOX"), netguard.dialer(allow, resolve))


def test_a_huge_message_is_read_only_up_to_the_cap_and_its_text_kept(mail):
    """Anyone can mail the complaints mailbox: a message with a 30 MB attachment was fetched whole (and up to
    max_messages of them, 50, per poll, held together in memory). Only its first [limits] max_mail_mb are fetched
    (an IMAP partial fetch); the text, which comes before the attachments, is kept, and the item says it was cut."""
    box, src = mail
    attachment = base64.encodebytes(b"\0" * (3 * DEFAULT_LIMITS.mail_bytes // 4 + 1000))
    big = ("From: dan@example.vn\r\nSubject: Ảnh bãi thải tràn\r\nMessage-ID: <big@example.vn>\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/mixed; boundary="YY"\r\n\r\n'
           "--YY\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nĐất đá tràn vào nhà ở tổ 7 Vàng Danh.\r\n"
           "--YY\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"anh.jpg\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n").encode() + attachment + b"\r\n--YY--\r\n"
    assert len(big) > DEFAULT_LIMITS.mail_bytes
    box.add(big)
    batch = collect(src)
    assert max(box.fetched) <= DEFAULT_LIMITS.mail_bytes
    item = next(i for i in batch.items if i.title == "Ảnh bãi thải tràn")
    assert "Đất đá tràn vào nhà ở tổ 7 Vàng Danh." in item.summary and "cut:mail" in item.flags
    assert all("cut:mail" not in i.flags for i in batch.items if i is not item)


def test_a_smaller_configured_mail_cap_fetches_less_of_each_message(mail):
    """[limits] max_mail_mb is the partial fetch's size: at 0.1 MB a 300 KB message is fetched up to 100 KB and
    flagged cut, its text kept; a server's literal past that and 64 KB is refused."""
    box, src = mail
    small = replace(DEFAULT_LIMITS, max_mail_mb=0.1)
    body = ("From: dan@example.vn\r\nSubject: Thư dài\r\nMessage-ID: <dai@example.vn>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nBụi than ở Vàng Danh.\r\n").encode() + b"x" * 300_000
    box.add(body)
    batch = collect(src, limits=small)
    assert max(box.fetched) <= small.mail_bytes < len(body)
    item = next(i for i in batch.items if i.title == "Thư dài")
    assert "cut:mail" in item.flags and "Bụi than ở Vàng Danh." in item.summary
    box.ignore_partial = True
    with pytest.raises(TransportError, match="quá giới hạn 0.2 MB"):
        collect(src, limits=small)


def collect_budgeted(src, budget):
    async def go():
        ctx = CollectContext(fetch=None, now=NOW, dial=netguard.dialer(netguard.parse_allow(["127.0.0.1"])), budget=budget,
                             limits=DEFAULT_LIMITS)
        return await registry.get("email_inbox").collect(src, ctx)

    return asyncio.run(go())


def plain_message(n: int, size: int) -> bytes:
    return (f"From: dan{n}@example.vn\r\nSubject: Phản ánh số {n}\r\nMessage-ID: <b{n}@example.vn>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n").encode() + b"Nuoc thai tran ra duong. " * (size // 25)


def test_the_mailbox_reads_its_messages_under_the_download_budget_and_leaves_the_rest_unseen(mail):
    """IMAP was outside `[http] max_bodies_mb`: a poll held up to 50 messages of 5 MB (250 MB) beside the fetches'
    80 MB. Each message's cap is now taken from the same budget before it is fetched and trimmed to what came; with
    no room left the poll stops, the rest stay unseen for the next poll, and the bytes are given back once mapped."""
    box, src = mail
    box.messages.clear()
    for n in range(10):
        box.add(plain_message(n, 1_200_000))
    budget = ByteBudget(8 * 1024 * 1024)  # the 5 MB cap of the next message fits after three of 1.2 MB, not four
    batch = collect_budgeted(src, budget)
    assert len(batch.items) == 3 and batch.skipped[email_inbox.BUDGET_SPENT] == 7
    assert budget.used == 0 and budget.peak <= budget.total
    batch.after_commit[0]()
    assert len(collect_budgeted(src, budget).items) == 3                     # the next poll reads the next three
    assert budget.used == 0


def test_a_mailbox_poll_waits_for_room_then_says_the_budget_is_spent(mail):
    _, src = mail
    budget = ByteBudget(8 * 1024 * 1024)
    assert budget.try_take(budget.total)                                     # other fetches hold all of it
    with pytest.raises(BudgetSpentError, match="max_bodies_mb"):
        collect_budgeted(replace(src, options={**src.options, "timeout_seconds": 0.3}), budget)
    budget.give(budget.total)
    assert len(collect_budgeted(src, budget).items) == 3 and budget.used == 0


def test_a_server_that_sends_more_than_the_part_asked_for_is_cut_off(mail):
    """imaplib reads whatever literal length the server announces: one that ignored the partial fetch sent its
    30 MB message whole (or `{2000000000}`). A literal past the message cap and 64 KB is refused, the connection closed."""
    box, src = mail
    box.ignore_partial = True
    box.add(plain_message(99, email_inbox.literal_cap(DEFAULT_LIMITS.mail_bytes) + 100_000))
    with pytest.raises(TransportError, match="quá giới hạn"):
        collect(src)
