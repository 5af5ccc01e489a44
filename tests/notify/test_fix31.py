"""fix31: what round 30's sweep (`hostile33`) and walk left on the notification channels. A local aiosmtpd on
127.0.0.1; docs/SECURITY.md «Round 30 sweep», docs/NOTIFY.md."""

from __future__ import annotations

import pytest

from notify.base import PartlyRefused
from notify.channels.email import recipients
from tests.notify.test_hostile32 import _send


def test_an_address_whose_domain_differs_only_in_case_gets_one_copy(smtp_server):
    box, port = smtp_server
    assert _send(port, "a@X.vn, Văn phòng <a@x.VN>, c@d.vn") == "máy chủ thư đã nhận"
    (rcpt, _), = box.messages
    assert rcpt == ["a@X.vn", "c@d.vn"]  # was ["a@X.vn", "a@x.VN", "c@d.vn"]: two copies in one mailbox


def test_the_local_part_keeps_its_case():
    # RFC 5321 2.4: the local part may be case-sensitive; the first spelling of a mailbox is the one sent to
    assert recipients("A@x.vn, a@x.vn, a@X.VN") == ["A@x.vn", "a@x.vn"]


# a mail server's reply of several lines whose lines would be markdown blocks: a heading, a quote, a list
SEVERAL = "550-5.1.1 mailbox unavailable\r\n550-# TIÊU ĐỀ\r\n550-> trích dẫn\r\n550 - mục"


def test_a_reply_of_several_lines_is_said_on_one_line(smtp_server):
    box, port = smtp_server
    box.answers["x@b.vn"] = SEVERAL
    with pytest.raises(PartlyRefused) as got:
        _send(port, "a@b.vn, x@b.vn")
    said = str(got.value)
    assert "(550 5.1.1 mailbox unavailable # TIÊU ĐỀ > trích dẫn - mục)" in said, said  # was «…\n# TIÊU ĐỀ\n> …»
    assert "\n" not in said  # «Gửi thử»'s answer is markdown (tests/dashboard/test_fix31.py)

