"""What every notification channel shares: the message, the channel protocol, its error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Protocol, runtime_checkable

import httpx


class SendError(Exception):
    """The channel could not deliver; the message is kept and retried. Never contains a secret."""


class NoAnswer(SendError):
    """The far end did not answer within [notify] timeout_seconds. The delivery pass then holds back the
    other messages to the same server for this pass: each would hold the scheduler thread as long."""


class NotConfigured(SendError):
    """The channel lacks a setting on this server (a signing secret, a bot token, the mail server): no try can succeed
    until an administrator sets it. The delivery pass gives the message up at once with this reason, rather than
    retrying it with back-off for about a day ([notify] max_attempts), each try saying the same (round 29, ux35); once
    the setting is made, Thông báo's «Gửi lại các tin lỗi» sends what was given up. Not for a token that a job renews
    on its own (Zalo's, while its refresh token is set): that one may come back without an administrator; Zalo's
    with no refresh token is one (fix29), and so is a token Zalo refuses right after its renewal (the app's permission
    revoked: renewing again cannot help, fix35)."""


class RecipientsRefused(SendError):
    """The far end refused addresses of the message (a mail server's answer at RCPT): `refused` maps each to the
    server's answer, `temporary` names those refused for now (SMTP 4xx, RFC 5321: «try again later»), `final` the
    others (5xx: for good, never tried again), `retry_address` the temporary ones as the channel's address ("" when
    none). Raised as it is when every address was refused (nothing went out): a list whose every address was refused
    for good was retried with back-off for about a day, as one address is (round 31, fix32); now the delivery pass
    gives it up at once and tries again only the addresses refused for now."""

    def __init__(self, text: str, refused: dict[str, str], temporary: tuple[str, ...] = ()) -> None:
        self.refused = dict(refused)
        self.temporary = tuple(a for a in temporary if a in self.refused)
        self.final = tuple(a for a in self.refused if a not in self.temporary)
        self.retry_address = ", ".join(self.temporary)
        super().__init__(text)


class PartlyRefused(RecipientsRefused):
    """The far end took the message for some of a subscription's addresses and refused the others (a mail server's
    550 for one address of a comma list). The message went out: the delivery pass logs each refused address as
    refused, not to be tried again. Retried as a SendError, each try was one more copy to the addresses that had taken
    it, under the same Message-ID, until given up a day later (round 29's sweep; fix29). `delivered` is what the log
    says of the addresses that took it. Those refused for now (`temporary`) the delivery pass tries again, alone, by
    the outbox's retry rules (round 30, fix30: they were given up as a 550 was); a row whose list lost an address for
    good, or gave one up, ends «gửi được một phần» (outbox 'partial', round 31, fix32)."""

    def __init__(self, delivered: str, refused: dict[str, str], temporary: tuple[str, ...] = ()) -> None:
        self.delivered = delivered
        super().__init__(refused_text(refused, tuple(a for a in temporary if a in refused)), refused, temporary)


def refused_text(refused: dict[str, str], temporary: tuple[str, ...] = ()) -> str:
    """«máy chủ thư từ chối người nhận c@d.vn (550 …): không gửi lại cho địa chỉ này, …», then those refused for now:
    «máy chủ thư tạm từ chối người nhận e@f.vn (451 …): sẽ gửi lại riêng cho địa chỉ này theo lịch thử lại»."""
    def each(addresses: list[str]) -> str:
        return "; ".join(f"{a} ({refused[a][:120]})" if refused[a] else a for a in addresses)

    final = [a for a in refused if a not in temporary]
    later = [a for a in refused if a in temporary]
    parts = []
    if final:
        parts.append(f"máy chủ thư từ chối người nhận {each(final)}: không gửi lại cho địa chỉ này (các địa chỉ khác "
                     "đã nhận thư); hãy sửa đăng ký nhận tin ở trang Thông báo")
    if later:
        parts.append(f"máy chủ thư tạm từ chối người nhận {each(later)}: sẽ gửi lại riêng cho địa chỉ này theo lịch "
                     "thử lại (các địa chỉ khác đã nhận thư)")
    return ". ".join(parts)


def missing_secret(what: str, name: str) -> NotConfigured:
    """«chưa có khóa ký webhook trên máy chủ: đặt biến môi trường LANGNGHE_WEBHOOK_SECRET …»: what is missing, its
    name, and the two ways to give it (vocab/secrets.py: the variable, read when serve starts, or a file in the
    secrets folder, read at each send)."""
    return NotConfigured(f"chưa có {what} trên máy chủ: quản trị viên cần đặt biến môi trường {name} cho serve (rồi "
                         f"khởi động lại serve), hoặc tạo tệp bí mật {name} trong thư mục [secrets] dir (chmod 600)")


@dataclass(frozen=True)
class Message:
    subject: str          # one line (e-mail subject, first line elsewhere)
    text: str             # the whole message, plain text
    alert_ids: tuple[str, ...] = ()
    link: str = ""
    # the same for every try of the same outbox rows, so a message sent again after a crash is recognisable
    # (e-mail Message-ID, webhook X-LangNghe-Delivery); "" for messages outside the outbox (the admin's test)
    key: str = ""


@runtime_checkable
class Channel(Protocol):
    """A channel class may also set `max_chars` (the longest text it sends), `demo = True` (it reaches no one:
    offered last) and `address_is_url = True` (the address is a URL the subscriber types, which the server dials:
    refused when saved unless public http(s), and a timeout holds back only that host's messages), and
    `address_pattern` / `address_form` (a regular expression an address must match, and its form said to staff when
    it does not: the e-mail address, checked when a subscription is saved and before a «Gửi thử»)."""
    name: ClassVar[str]
    label: ClassVar[str]

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        """Deliver; return a short detail for the log (an id). Raise SendError on failure."""
        ...


def unreachable(who: str, exc: httpx.HTTPError) -> SendError:
    """The error of a request that got no answer, saying why in Vietnamese, the exception's name last for the
    log: «webhook không kết nối được (máy chủ không chạy, sai địa chỉ hoặc cổng, hoặc tường lửa chặn; ConnectError)».
    It was «webhook không trả lời: ConnectError» (round 28's walk: the admin's «Gửi thử» to a server that was down).
    A timeout is a NoAnswer (the pass holds back that server's other messages)."""
    if isinstance(exc, httpx.TimeoutException):
        return NoAnswer(f"{who} không trả lời trong thời gian chờ ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        why = "không kết nối được (máy chủ không chạy, sai địa chỉ hoặc cổng, hoặc tường lửa chặn"
    elif isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        why = "ngắt kết nối giữa chừng (máy chủ đóng kết nối trước khi trả lời"
    else:
        why = "không trả lời được (lỗi kết nối"
    return SendError(f"{who} {why}; {type(exc).__name__})")


def json_answer(r: httpx.Response, channel: str, secret: str = "") -> dict[str, Any]:
    """A channel API's answer as a JSON object ({} when empty). Anything else (an HTML page from a proxy or
    an error page, a cut body, a JSON list) is a SendError saying what came back, cut short and with the
    secret masked (a page may echo the URL, which holds a bot token): it was a ValueError out of the channel."""
    if not r.content:
        return {}
    try:
        data = r.json()
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than Python parses
        data = None
    if isinstance(data, dict):
        return data
    text = r.content.decode("utf-8", "replace")
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    cut = text if len(text) <= 120 else text[:120] + "…"
    raise SendError(f"{channel} trả lời không phải JSON như mong đợi (HTTP {r.status_code}): «{cut}»")
