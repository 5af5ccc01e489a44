"""The email_inbox kind against a local IMAP server: Vietnamese in every charset and transfer encoding,
attachments by name only, login errors on health, and messages marked seen only after they are stored."""

from __future__ import annotations

import base64
import quopri
import sys
from pathlib import Path

import pytest

from collectors import email_inbox
from collectors.base import TokenExpiredError
from kindhelpers import collect, source  # noqa: F401
from kindspecs import to_cp1258

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
