"""email: SMTP with STARTTLS, SSL or (local test servers only) plain, with login
([notify.email] host, port, security, sender, username_env, password_env).

The connection is opened by `settings["dial"]`, (host, port, timeout) -> socket: orchestration/notify.py gives
the public-address guard (collectors/netguard.dialer with [http] allow_private_hosts), which resolves the
server's name once, judges each address and dials only a judged one. TLS (SSL or STARTTLS) still verifies
the certificate against the configured host name (SNI too). Without a `dial` nothing is sent: this layer
cannot judge addresses itself (notify/ imports only vocab)."""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from email.header import Header
from email.utils import formataddr, getaddresses, make_msgid
from email.mime.text import MIMEText
from typing import Any, Callable, Mapping

import httpx

from notify.base import Message, NoAnswer, NotConfigured, PartlyRefused, RecipientsRefused, SendError
from notify.registry import register
from vocab.secrets import secret


Dial = Callable[[str, int, "float | None"], socket.socket]


class _GuardedSMTP(smtplib.SMTP):
    """smtplib connecting through `dial`: the address the guard judged, never a lookup of its own."""

    def __init__(self, host: str, port: int, *, dial: Dial, timeout: float) -> None:
        self._dial = dial
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float | None) -> socket.socket:
        return self._dial(host, port, timeout)


class _GuardedSMTP_SSL(smtplib.SMTP_SSL):  # noqa: N801 - smtplib's own naming
    """`_GuardedSMTP` with implicit TLS, verified against the configured name (smtplib keeps it as `_host`)."""

    def __init__(self, host: str, port: int, *, dial: Dial, timeout: float, context: ssl.SSLContext) -> None:
        self._dial = dial
        super().__init__(host, port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float | None) -> socket.socket:
        return self.context.wrap_socket(self._dial(host, port, timeout), server_hostname=self._host)


def message_id(key: str, sender: str) -> str:
    """The delivery key as Message-ID: a repeat of the same message (a crash right after the server
    accepted it) carries the same id, which mail systems and readers use to spot duplicates."""
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "lang-nghe"
    return f"<{key}@{domain}>"


def smtp_server(settings: Mapping[str, Any]) -> tuple[str, int]:
    """([notify.email] host, port) as the channel connects to them; host "" when e-mail is not configured.
    orchestration/preflight.py judges the same pair at start."""
    return str(settings.get("host", "")), int(settings.get("port", 587))


# the parts of `Email.address_pattern`: an address (RFC 5322's atext before the @, a host name after it, dotless or not)
# and a display name, quoted (anything but a quote, backslash, <, > or @ inside) or plain (no character that makes it
# a group, a comment, a route or a second address)
_ADDR = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+"
_PLAIN = r'[^"\\<>@,;:()\[\]]*'
# a plain name may hold balanced parentheses, «Phòng Văn hóa (UBND phường) <vh@…>» (review29: refused since round
# 29's first rule; an unbalanced one makes the parser take the name for the address)
_NAME = rf'(?:"[^"\\<>@]*"|{_PLAIN}(?:\({_PLAIN}\){_PLAIN})*)'
_ITEM = rf"(?:{_NAME} *<{_ADDR}>|{_ADDR})"


def to_header(address: str) -> str:
    """A subscription's address as the To header: each address with its display name encoded alone (the whole
    «Văn phòng <vp@x.vn>» was one encoded word, which mail readers show as a name with no address), joined by «, »
    so that a long list folds (300 addresses joined by bare commas were one 3,000-byte line: the server's «500 Line
    too long» at every try). An address that is not a plain ASCII one (saved before round 29's form) is a
    SendError naming it, rather than smtplib's TypeError or a send to «<>»."""
    pairs = getaddresses([address])
    bad = [a for _, a in pairs if not re.fullmatch(_ADDR, a)]
    written = [a or b for a, b in re.findall(rf"<({_ADDR})>|({_ADDR})", address)]
    if not bad and [a for _, a in pairs] != written:
        bad = [address]  # the parser read other addresses than those written: none is sent rather than a wrong one
    if bad or not pairs:
        raise SendError(f"địa chỉ nhận «{(bad[0] if bad else address)[:80]}» không phải dạng ten@donvi.gov.vn "
                        "(chỉ chữ không dấu): hãy sửa đăng ký nhận tin ở trang Thông báo")
    return ", ".join(_named(name, a) for name, a in pairs)


def recipients(address: str) -> list[str]:
    """The RCPT list of a subscription's address: each mailbox once, as first written. The domain is
    case-insensitive (RFC 5321 2.4; the local part may not be), so «A@X.vn, a@x.vn» is two mailboxes and
    «a@X.vn, a@x.vn» one, sent to «a@X.vn» (round 30 dropped exact repeats only; fix31)."""
    seen: dict[tuple[str, str], str] = {}
    for _, a in getaddresses([address]):
        local, _, domain = a.rpartition("@")
        seen.setdefault((local, domain.lower()), a)
    return list(seen.values())


def _named(name: str, address: str) -> str:
    """One address with its display name: an accented or long name as encoded words of at most 76 characters, which
    fold (a name of 2,000 characters as one encoded word was a line the server refused, «500 Line too long»)."""
    if name and (not name.isascii() or len(name) > 60):
        return f"{Header(name, 'utf-8').encode()} <{address}>"
    return formataddr((name, address))


@register
class Email:
    name = "email"
    label = "Thư điện tử (SMTP)"
    # an address with one @ and no space: «khong-phai-email» was saved and «Gửi thử» said it was sent (the test
    # server took it; a real one bounces it later, to the sender) (round 28's walk). The forms the To header always
    # took still pass (the review's find): several addresses by commas, «Văn phòng <vp@x.vn>», an office's internal
    # domain without a dot («canbo@noibo»). Round 29 (`hostile32`): the address itself in ASCII (an accented one,
    # «cánbộ@…» or «…@bộ.vn», was saved and then failed every try with smtplib's TypeError against a server offering
    # SMTPUTF8), a name quoted or without the characters that make it something else («x; y <a@b>» sent to «x» and
    # «<>», an unclosed quote dropped the first address), and spaces, not any Unicode space, around the commas
    address_pattern = rf" *{_ITEM}(?: *, *{_ITEM})* *"
    # said after «cần dạng»: the three ways a typed list goes wrong (review29: staff saw only the form, and a no-break
    # space pasted from Word looks like a space)
    address_form = ("ten@donvi.gov.vn (nhiều địa chỉ ngăn cách bằng dấu phẩy; tên có dấu phẩy hoặc dấu hai chấm thì "
                    "đặt trong ngoặc kép; dán từ tài liệu thì gõ lại các khoảng trắng)")

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        host, port = smtp_server(settings)
        if not host:
            # a setting missing: given up at once, not retried for a day (round 29)
            raise NotConfigured("chưa cấu hình máy chủ thư ([notify.email] host)")
        security = str(settings.get("security", "starttls"))
        # MIMEText + Header: the newer EmailMessage folding drops the space between two encoded words
        # ("tràn vào" arrives as "trànvào" in mail readers), which Vietnamese subjects hit all the time
        msg = MIMEText(message.text, "plain", "utf-8")
        msg["Subject"] = Header(message.subject, "utf-8")
        msg["From"] = str(settings.get("sender", "lang-nghe@localhost"))
        msg["To"] = to_header(address)
        msg["Message-ID"] = message_id(message.key, msg["From"]) if message.key else make_msgid(domain="lang-nghe")
        user = secret(str(settings.get("username_env", "LANGNGHE_SMTP_USER")))
        password = secret(str(settings.get("password_env", "LANGNGHE_SMTP_PASSWORD")))
        timeout = float(settings.get("timeout_seconds", 20))
        dial = settings.get("dial")
        if not callable(dial):
            raise SendError("chưa có bộ kiểm tra địa chỉ máy chủ thư (settings[\"dial\"]): không gửi")
        try:
            if security == "ssl":
                smtp: smtplib.SMTP = _GuardedSMTP_SSL(host, port, dial=dial, timeout=timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = _GuardedSMTP(host, port, dial=dial, timeout=timeout)
            with smtp:
                if security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if user and password:
                    smtp.login(user, password)
                # each address once: smtplib's RCPT per header entry sent «a, a» twice to a server that keeps both
                # (aiosmtpd), and «b, b» both deferred was no SMTPRecipientsRefused (2 RCPT, 1 refusal) but DATA with
                # no recipient, «máy chủ thư trả lỗi 503», for a 451 (round 30's sweep, hostile33)
                rcpt = recipients(address)
                refused = smtp.send_message(msg, to_addrs=rcpt)
        except smtplib.SMTPRecipientsRefused as exc:  # every address refused: which for good, which for now (fix32)
            raise RecipientsRefused(f"gửi thư không được: {mail_failure(exc, host, port, address)}",
                                    _answers(exc.recipients), _for_now(exc.recipients)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise (NoAnswer if isinstance(exc, TimeoutError) else SendError)(
                f"gửi thư không được: {mail_failure(exc, host, port, address)}") from None
        if refused:  # the others took it (smtplib raises when all are refused): sent once, the refused ones said;
            # those refused with a 4xx (temporary, RFC 5321) are tried again alone by the delivery pass (fix30)
            took = len(rcpt) - len(refused)
            raise PartlyRefused(f"máy chủ thư đã nhận cho {took} địa chỉ", _answers(refused),
                                temporary=_for_now(refused))
        return "máy chủ thư đã nhận"


def mail_failure(exc: BaseException, host: str, port: int, address: str) -> str:
    """Why the mail server did not take the message, in Vietnamese, the exception's name and text after it for the
    log: it was «ConnectionRefusedError: [Errno 111] Connection refused» alone (round 28's walk, the admin's «Gửi
    thử» with the mail server down)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):  # every address refused: each with the server's answer, not
        # the exception's dict («{'a@…': (451, b'4.2.2 …')}», Thông báo's «đang lỗi», review30)
        # which for good (5xx: not tried again, fix32), which for now (4xx: tried again by the retry rules)
        answers, for_now = _answers(exc.recipients), _for_now(exc.recipients)
        final = [a for a in answers if a not in for_now]

        def each(addresses: list[str] | tuple[str, ...]) -> str:
            return "; ".join(f"{a} ({answers[a][:120]})" for a in addresses)

        parts = []
        if final:
            parts.append(f"máy chủ thư từ chối người nhận {each(final)}: địa chỉ không nhận thư"
                         + ("; không thử lại cho địa chỉ này" if for_now else ""))
        if for_now:
            parts.append(f"máy chủ thư tạm từ chối người nhận {each(for_now)}: sẽ thử lại "
                         + ("riêng cho địa chỉ này " if final else "") + "theo lịch thử lại")
        return ". ".join(parts)[:600]
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        why = "máy chủ thư từ chối đăng nhập (sai tài khoản hoặc mật khẩu gửi thư)"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        why = f"máy chủ thư {host}:{port} ngắt kết nối giữa chừng"
    elif isinstance(exc, ConnectionRefusedError):
        why = f"máy chủ thư {host}:{port} không nhận kết nối (không chạy, hoặc sai cổng)"
    elif isinstance(exc, socket.gaierror):
        why = f"không tìm thấy máy chủ thư «{host}» (sai tên, hoặc mạng không tra được tên)"
    elif isinstance(exc, TimeoutError):
        why = f"máy chủ thư {host}:{port} không trả lời trong thời gian chờ"
    elif isinstance(exc, ssl.SSLError):
        why = "lỗi mã hóa kết nối (xem [notify.email] security: starttls, ssl hay none)"
    elif isinstance(exc, smtplib.SMTPResponseException):
        why = f"máy chủ thư trả lỗi {exc.smtp_code}"
    else:
        why = "lỗi kết nối tới máy chủ thư"
    return f"{why} ({type(exc).__name__}: {_one_line(str(exc))[:120]})"


def _answers(refused: Mapping[str, tuple[int, bytes | str]]) -> dict[str, str]:
    """smtplib's refused recipients (address → (code, text)) as address → «451 4.2.2 mailbox full», on one line."""
    return {a: _one_line(f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}")
            for a, (code, text) in refused.items()}


def _for_now(refused: Mapping[str, tuple[int, bytes | str]]) -> tuple[str, ...]:
    """The addresses refused for now: a 4xx is temporary (RFC 5321), tried again; a 5xx is final."""
    return tuple(a for a, (code, _) in refused.items() if 400 <= int(code) < 500)


def _one_line(text: str) -> str:
    """A mail server's words on one line: smtplib joins a reply's lines with «\\n», and «Gửi thử»'s answer, drawn as
    markdown (`ui.flash`), showed a line of a 550 starting with «#» as a heading, «-» as a list (round 30's sweep;
    fix31). Its lines are one sentence to staff."""
    return " ".join(text.split())
