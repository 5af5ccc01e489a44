"""Round 29's hostile sweep (`hostile32`) on the e-mail address form of round 28 (comma lists, «Tên <a@b>», dotless
domains): what the form lets through is what the channel sends, to the addresses it shows, through a local SMTP
server (aiosmtpd on 127.0.0.1). docs/SECURITY.md «Round 29 sweep»."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from notify import registry
from notify.base import SendError
from notify.channels.email import Email
from tests.notify.test_channels import LOCAL_DIAL, MSG, mock


def _send(port: int, address: str) -> str:
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "lang-nghe@example.vn",
                "dial": LOCAL_DIAL}
    return registry.get("email").send(address, MSG, settings, mock(lambda r: None))


def _to(raw: bytes) -> list[tuple[str, str]]:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return [(a.display_name, a.addr_spec) for a in parsed["To"].addresses]


def test_display_names_are_encoded_apart_from_their_addresses(smtp_server):
    box, port = smtp_server
    _send(port, 'Văn phòng Sở <vp@x.vn>, "Nguyễn, Văn A" <a@b.vn>, tp@x.vn')
    (rcpt, raw), = box.messages
    assert rcpt == ["vp@x.vn", "a@b.vn", "tp@x.vn"]
    # the whole «Văn phòng Sở <vp@x.vn>» was one encoded word: a reader saw a name and no address
    assert _to(raw) == [("Văn phòng Sở", "vp@x.vn"), ("Nguyễn, Văn A", "a@b.vn"), ("", "tp@x.vn")]


@pytest.mark.parametrize("address", [", ".join(f"a{i}@b" for i in range(300)).replace(", ", ","),
                                     "Á" * 1_900 + " <a@b.vn>"])
def test_a_long_list_or_name_under_the_address_cap_folds_and_is_delivered(smtp_server, address):
    box, port = smtp_server
    assert len(address) <= 2_000  # orchestration.notify.MAX_ADDRESS_CHARS
    assert _send(port, address) == "máy chủ thư đã nhận"  # was the server's «500 Line too long» at every try
    (rcpt, raw), = box.messages
    assert rcpt == [a for _, a in email.utils.getaddresses([address])]
    assert max(map(len, raw.split(b"\r\n"))) <= 998


@pytest.mark.parametrize("address", ["cánbộ@b.vn", "a@bộ.vn", "x; y <a@b.vn>"])
def test_an_address_saved_before_the_form_was_narrowed_fails_in_vietnamese(smtp_server, address):
    box, port = smtp_server  # an accented one was smtplib's TypeError against a server offering SMTPUTF8
    with pytest.raises(SendError, match="không phải dạng ten@donvi.gov.vn"):
        _send(port, address)
    assert not box.messages  # «x; y <a@b.vn>» was sent to «x», «<>» and a@b.vn


REFUSED = ["cánbộ@uongbi.gov.vn", "vp@bộ.vn",  # never sendable: smtplib's TypeError at every try
           "x; y <a@b.vn>", "Bcc: <c@d.vn>", "nhóm:; <a@b.vn>",  # a group: RCPT TO «x» and «<>»
           '"x <a@b.vn>, "y <c@d.vn>',  # an unclosed quote: a@b.vn silently dropped
           'x\\" <a@b.vn>', "a@b.vn\u00a0,\u00a0c@d.vn",  # a backslash; a no-break space pasted from a document
           "A ( <a@b.vn>", "A (x <a@b.vn>, b@c.vn"]  # an unbalanced parenthesis: the parser took «A» for the address  # a backslash; a no-break space pasted from a document


@pytest.mark.parametrize("address", REFUSED)
def test_the_form_refuses_what_would_not_reach_the_addresses_it_shows(address):
    assert not re.fullmatch(Email.address_pattern, address), address


FINE = ["a@uongbi.gov.vn, b@uongbi.gov.vn", "Văn phòng <vp@uongbi.gov.vn>", "canbo@noibo", "Văn phòng <vp@x.vn>, tp@x.vn",
        '"Nguyễn, Văn A" <a@b.vn>', '"Văn phòng" <vp@x.vn>', "can.bo+tin@uongbi.quangninh.gov.vn",
        "Phòng Văn hóa (UBND phường) <vh@uongbi.gov.vn>", "A (x) <a@b.vn>, b@c.vn"]  # review29: refused in round 29


@pytest.mark.parametrize("address", FINE)
def test_the_forms_offices_use_still_pass(address):
    assert re.fullmatch(Email.address_pattern, address), address


def test_a_name_in_parentheses_reaches_its_address(smtp_server):
    """«Phòng Văn hóa (UBND phường) <vh@…>» was refused by round 29's first form (review29); the name goes with it."""
    box, port = smtp_server
    _send(port, "Phòng Văn hóa (UBND phường) <vh@uongbi.gov.vn>, b@c.vn")
    (rcpt, raw), = box.messages
    assert rcpt == ["vh@uongbi.gov.vn", "b@c.vn"]
    assert _to(raw)[0] == ("Phòng Văn hóa (UBND phường)", "vh@uongbi.gov.vn")


def test_addresses_the_parser_reads_otherwise_are_not_sent(smtp_server):
    """A saved address whose parse differs from what is written («A ( <a@b.vn>» parses as the address «A») is not
    sent to anyone rather than to a wrong one."""
    box, port = smtp_server
    with pytest.raises(SendError, match="không phải dạng ten@donvi.gov.vn"):
        _send(port, "( <a@b.vn>, ) <c@d.vn>")
    assert not box.messages
