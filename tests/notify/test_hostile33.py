"""Round 30's hostile sweep (`hostile33`) on the e-mail channel's partly refused lists (fix29, fix30): an address typed
twice in a subscription («a@…, a@…», a list pasted twice) was given to the server twice (RCPT per To entry), so a server
that keeps both delivered two copies (aiosmtpd does), and «b, b» both deferred (451) was not said as refused: two RCPT
and one refusal is no SMTPRecipientsRefused, so smtplib went on to DATA with no recipient, «máy chủ thư trả lỗi 503».
A local aiosmtpd on 127.0.0.1. docs/SECURITY.md «Round 30 sweep»."""

from __future__ import annotations

import pytest

from notify.base import PartlyRefused, SendError
from tests.notify.test_hostile32 import _send


def test_an_address_written_twice_gets_one_copy(smtp_server):
    box, port = smtp_server
    assert _send(port, "a@b.vn, Văn phòng <a@b.vn>, c@d.vn") == "máy chủ thư đã nhận"
    (rcpt, _), = box.messages
    assert rcpt == ["a@b.vn", "c@d.vn"]  # was ["a@b.vn", "a@b.vn", "c@d.vn"]


def test_an_address_written_twice_and_deferred_is_said_as_deferred(smtp_server):
    box, port = smtp_server
    box.defer.add("b@d.vn")
    with pytest.raises(SendError) as got:
        _send(port, "b@d.vn, b@d.vn")
    assert "từ chối người nhận" in str(got.value) and "451" in str(got.value), got.value  # not «trả lỗi 503»
    assert not box.messages


def test_the_count_of_addresses_that_took_it_counts_each_once(smtp_server):
    box, port = smtp_server
    box.defer.add("b@d.vn")
    with pytest.raises(PartlyRefused) as got:
        _send(port, "a@b.vn, a@b.vn, b@d.vn, b@d.vn")
    assert got.value.delivered == "máy chủ thư đã nhận cho 1 địa chỉ" and got.value.retry_address == "b@d.vn"
    (rcpt, _), = box.messages
    assert rcpt == ["a@b.vn"]
