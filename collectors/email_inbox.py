"""A complaints mailbox over IMAP (imaplib, TLS): unseen messages become items and open cases.

    imaps://mail.example.gov.vn:993/INBOX   (source url; imap:// without TLS only for allowed private hosts)
        │ LOGIN (username_env / password_env secrets) · SELECT mailbox · UID SEARCH UNSEEN
        │ UID FETCH <uid> (BODY.PEEK[]<0.cap>) — PEEK: reading does not mark the message seen; only the first
        │   [limits] max_mail_mb (5 MB) of a message (its text comes before its attachments): flagged cut:mail if cut
        ▼
    map_message (pure, bytes → Item): subject and body decoded whatever their charset (RFC 2047 words,
        quoted-printable, base64, Windows-1258 → NFC), HTML bodies as text, attachments' names only;
        url urn:langnghe:mail:<sha1 of Message-ID>, flags own_channel, email, mail_uid:<uid>
        ▼
    Batch.after_commit: UID STORE +FLAGS (\\Seen) — only after the runner committed the items, so a
    crash or a full disk between fetch and store leaves the messages unseen for the next poll.

    Memory: each message's cap is taken from the process-wide body budget (`[http] max_bodies_mb`, the one every
    fetch reads under, collectors/budget.py) before it is fetched, trimmed to what came, and given back once the
    messages are mapped; a poll that holds messages and finds no room stops there, the rest left unseen for the
    next poll (counted on health); one that holds none waits up to timeout_seconds. imaplib reads whatever length
    the server announces: a literal over the message cap and 64 KB (`literal_cap`) is refused and the connection closed.

imaplib is blocking: the whole poll runs in a worker thread. Timeouts: http.read_timeout_seconds.
The connection goes through the public-address guard like every fetch (collectors/netguard.py): the server's
name is resolved once, each address judged (a private one only when listed in [http] allow_private_hosts,
else BlockedAddressError), and only a judged address dialled (`ctx.dial`); TLS still checks the certificate
against the name in the source URL (SNI too).

options: username_env (default LANGNGHE_MAIL_USER), password_env (default LANGNGHE_MAIL_PASSWORD),
         max_messages (int, default 50), timeout_seconds (float, default 30)
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import imaplib
import re
import socket
import ssl
import time
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from typing import Callable, NamedTuple
from urllib.parse import unquote, urlsplit

from collectors import _social, netguard
from collectors.base import (ApiError, Batch, BodyBudget, BudgetSpentError, CollectContext, SkipItem,
                             TokenExpiredError, TransportError, map_all)
from collectors.registry import register
from collectors.netguard import Dial
from collectors.textutil import strip_html, tidy
from vocab.config import LimitsConfig, SourceConfig
from vocab.item import MAIL_URN, Item
from vocab.secrets import secret
from vocab.timefmt import VN_TZ

# Bytes of one message fetched at most (an IMAP partial fetch) are [limits] max_mail_mb (LimitsConfig.mail_bytes,
# CollectContext.limits). Anyone can mail the complaints mailbox: a message with a 30 MB attachment was fetched
# whole, up to max_messages (50) of them held together per poll. The text parts come first, so a cut message keeps
# its words and attachment names that came before the cut.
# The longest literal (`{N}` then N bytes) imaplib may read from the server is a message's part and a little
# (LITERAL_SLACK): imaplib reads whatever length the server announces, so a broken or hostile server's
# `{2000000000}` was read whole.
LITERAL_SLACK = 64 * 1024


def literal_cap(message_bytes: int) -> int:
    """The longest literal read from the server when a message is fetched up to `message_bytes`."""
    return message_bytes + LITERAL_SLACK
BUDGET_SPENT = "left for the next poll (download budget spent)"

_CHARSET_ALIASES = {"windows-1258": "cp1258", "x-windows-1258": "cp1258", "cp-1258": "cp1258"}


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    cs = (part.get_content_charset() or "utf-8").lower()
    cs = _CHARSET_ALIASES.get(cs, cs)
    try:
        text = payload.decode(cs, errors="replace")
    except LookupError:
        text = payload.decode("utf-8", errors="replace")
    return strip_html(text) if part.get_content_type() == "text/html" else text


def body_and_attachments(msg: EmailMessage) -> tuple[str, list[str]]:
    """The plain-text body (HTML as text when there is no plain part) and the attachments' file names."""
    plain: list[str] = []
    html: list[str] = []
    names: list[str] = []
    for part in msg.walk() if msg.is_multipart() else [msg]:
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment" or part.get_filename():
            names.append(tidy(part.get_filename() or "tệp đính kèm"))
            continue
        if part.get_content_type() == "text/plain":
            plain.append(_part_text(part))
        elif part.get_content_type() == "text/html":
            html.append(_part_text(part))
    return "\n".join(plain or html), names


def map_message(raw: bytes, uid: str, source: SourceConfig, fetched_at: datetime, *,
                future_tolerance_minutes: float = 60.0, cut: bool = False) -> Item:
    """One RFC 822 message → Item (pure). Personal data: the sender is the item's author (masked in views).
    `cut`: only the message's first [limits] max_mail_mb were fetched (flag cut:mail)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    subject = unicodedata.normalize("NFC", tidy(str(msg.get("subject") or "")))
    body, attachments = body_and_attachments(msg)  # type: ignore[arg-type]
    body = unicodedata.normalize("NFC", re.sub(r"\n{3,}", "\n\n", body).strip())
    if not subject and not body:
        raise SkipItem("empty message")
    if attachments:
        body += "\n[Tệp đính kèm: " + ", ".join(attachments) + "]"
    mid = str(msg.get("message-id") or f"{source.name}-{uid}-{subject}")
    try:
        written = parsedate_to_datetime(str(msg.get("date")))
        if written.tzinfo is None:  # no zone, or «-0000»: the writer's own clock, Vietnam's (round 32; it was read as
            written = written.replace(tzinfo=VN_TZ)  # the machine's zone, 7 hours off on a server kept in UTC)
        published = written.astimezone(timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError, OverflowError):  # «31 Dec 9999 23:00 -1400» is past year 9999 in UTC:
        published = None  # an OverflowError lost the complaint (round 32, hostile35); now dated at the fetch, flagged
    name, addr = parseaddr(str(msg.get("from") or ""))
    return _social.make_item(source, url=f"{MAIL_URN}{hashlib.sha1(mid.encode()).hexdigest()}",
                             title=subject or _social.title_from_text(body), text=body, published=published,
                             fetched_at=fetched_at, future_tolerance_minutes=future_tolerance_minutes,
                             author=tidy(name) or addr or None, guid=mid,
                             flags=["own_channel", "email", f"mail_uid:{uid}"] + (["cut:mail"] if cut else []))


class _BoundedLiterals:
    """imaplib's `read(size)` of a literal, refused past `max_literal` (the connection is closed: its rest
    is never read)."""

    max_literal: int  # the connection's own (literal_cap of [limits] max_mail_mb), set before it connects

    def read(self, size: int) -> bytes:
        if size > self.max_literal:
            self.shutdown()  # type: ignore[attr-defined]
            raise imaplib.IMAP4.error(f"máy chủ thư gửi một khối {size / 1e6:.1f} MB, quá giới hạn "
                                      f"{self.max_literal / 1e6:.1f} MB: ngừng đọc")
        return super().read(size)  # type: ignore[misc]


class _GuardedIMAP4(_BoundedLiterals, imaplib.IMAP4):
    """imaplib connecting through `dial` (netguard): the judged address, never a second lookup."""

    def __init__(self, host: str, port: int, *, dial: Dial, timeout: float, max_literal: int) -> None:
        self._dial, self.max_literal = dial, max_literal
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return self._dial(self.host, self.port, timeout)


class _GuardedIMAP4_SSL(_BoundedLiterals, imaplib.IMAP4_SSL):  # noqa: N801 - imaplib's own naming
    """`_GuardedIMAP4` with TLS: the certificate and SNI are checked against the configured name."""

    def __init__(self, host: str, port: int, *, dial: Dial, ssl_context: ssl.SSLContext, timeout: float,
                 max_literal: int) -> None:
        self._dial, self.max_literal = dial, max_literal
        super().__init__(host, port, ssl_context=ssl_context, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return self.ssl_context.wrap_socket(self._dial(self.host, self.port, timeout), server_hostname=self.host)


_IMAP_PORTS = {"imaps": 993, "imap": 143}


def imap_server(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a source URL as `_connect` dials it, or None when it is no imap(s) URL with a host.
    orchestration/preflight.py judges the same server at start."""
    u = urlsplit(url)
    if u.scheme not in _IMAP_PORTS or not u.hostname:
        return None
    return u.scheme, u.hostname, u.port or _IMAP_PORTS[u.scheme]


def _connect(source: SourceConfig, dial: Dial, max_literal: int) -> tuple[imaplib.IMAP4, str]:
    server = imap_server(source.url)
    if server is None:
        raise ApiError(f"Nguồn {source.name}: địa chỉ phải có dạng imaps://máy-chủ:993/INBOX.")
    scheme, host, port = server
    timeout = _social.opt(source, "timeout_seconds", 30.0)
    try:
        if scheme == "imaps":
            conn: imaplib.IMAP4 = _GuardedIMAP4_SSL(host, port, dial=dial, timeout=timeout, max_literal=max_literal,
                                                    ssl_context=ssl.create_default_context())
        else:
            conn = _GuardedIMAP4(host, port, dial=dial, timeout=timeout, max_literal=max_literal)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise TransportError(f"Không kết nối được máy chủ thư {host}: {exc}") from None
    return conn, unquote(urlsplit(source.url).path.strip("/")) or "INBOX"


def _login(conn: imaplib.IMAP4, source: SourceConfig) -> None:
    user = secret(_social.opt(source, "username_env", "LANGNGHE_MAIL_USER"))
    password = secret(_social.opt(source, "password_env", "LANGNGHE_MAIL_PASSWORD"))
    if not user or not password:
        raise TokenExpiredError(f"Chưa có tài khoản hộp thư cho nguồn {source.name} (đặt biến môi trường hoặc tệp bí mật "
                                f"{_social.opt(source, 'username_env', 'LANGNGHE_MAIL_USER')} và "
                                f"{_social.opt(source, 'password_env', 'LANGNGHE_MAIL_PASSWORD')}).")
    try:
        conn.login(user, password)
    except imaplib.IMAP4.error:
        raise TokenExpiredError(f"Máy chủ thư từ chối đăng nhập cho nguồn {source.name}: kiểm tra tên và mật khẩu "
                                "(hoặc mật khẩu ứng dụng).") from None


class Unseen(NamedTuple):
    """What one poll read: the messages (uid, raw), how many were left unseen for want of budget, and the
    bytes taken from the body budget for them (given back once they are mapped)."""

    messages: list[tuple[str, bytes]]
    left: int
    held: int


def message_cap(budget: BodyBudget | None, max_bytes: int) -> int:
    """Bytes of one message fetched at most: `max_bytes` ([limits] max_mail_mb), or the whole budget when it is
    smaller."""
    return min(max_bytes, budget.total) if budget else max_bytes


def _room(budget: BodyBudget, n: int, held: int, wait_until: float) -> bool:
    """Take `n` bytes for the next message. A poll that holds messages already does not wait (it stops, the rest
    stay unseen for the next poll); one that holds none waits for room until `wait_until`, then BudgetSpentError."""
    if held:
        return budget.try_take(n)
    budget.take_blocking(n, 0, wait_until, then="hộp thư được đọc ở lần thu thập sau")
    return True


def fetch_unseen(source: SourceConfig, dial: Dial | None, budget: BodyBudget | None,
                 limits: LimitsConfig) -> tuple[Unseen, Callable[[list[str]], None]]:
    """The unseen messages, and a function that marks uids seen (run after the store). `dial`: the runner's
    guarded connect (CollectContext.dial); None is the guard with no allow-list. `budget`: the process-wide
    body budget (CollectContext.budget), one message's cap taken before each fetch and trimmed to what came;
    the caller gives back `held`. None: only the per-message cap, `limits` max_mail_mb."""
    dial = dial or netguard.dialer(frozenset())
    cap = message_cap(budget, limits.mail_bytes)
    max_literal = literal_cap(limits.mail_bytes)
    wait_until = time.monotonic() + _social.opt(source, "timeout_seconds", 30.0)
    out: list[tuple[str, bytes]] = []
    held = left = 0
    conn, mailbox = _connect(source, dial, max_literal)
    try:
        _login(conn, source)
        typ, _ = conn.select(mailbox)
        if typ != "OK":
            raise ApiError(f"Không mở được hộp thư «{mailbox}».")
        typ, data = conn.uid("SEARCH", None, "UNSEEN")
        uids = (data[0] or b"").split()[: _social.opt(source, "max_messages", 50)] if typ == "OK" else []
        for i, uid in enumerate(uids):
            if budget and not _room(budget, cap, held, wait_until):
                left = len(uids) - i
                break
            held += cap
            typ, parts = conn.uid("FETCH", uid, f"(BODY.PEEK[]<0.{cap}>)")
            raw = next((p[1] for p in parts or [] if isinstance(p, tuple) and len(p) > 1), None)
            if budget:  # keep what came (a server may send more than asked: counted whole)
                extra = len(raw or b"") - cap
                if extra > 0 and not budget.try_take(extra):  # `held` is given back below
                    raise BudgetSpentError("máy chủ thư gửi nhiều hơn phần thư đã hỏi và vượt bộ nhớ dành cho tải về")
                budget.give(max(0, -extra))
                held += extra
            if typ == "OK" and raw:
                out.append((uid.decode(), raw))
    except BaseException:
        if budget:
            budget.give(held)
        raise
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass

    def mark_seen(stored: list[str]) -> None:
        if not stored:
            return
        c, box = _connect(source, dial, max_literal)
        try:
            _login(c, source)
            c.select(box)
            c.uid("STORE", ",".join(stored), "+FLAGS", "(\\Seen)")
        finally:
            c.logout()

    return Unseen(out, left, held if budget else 0), mark_seen


@register
class EmailInboxCollector:
    kind = "email_inbox"
    label = "Hộp thư phản ánh (IMAP)"
    description = ("Thư chưa đọc trong hộp thư phản ánh; mở phản ánh. "
                   "IMAP qua TLS (imaps://; imap:// không mã hóa chỉ cho máy chủ nội bộ được phép); chỉ lưu tên tệp đính kèm.")

    async def collect(self, source: SourceConfig, ctx: CollectContext) -> Batch:
        try:
            unseen, mark_seen = await asyncio.to_thread(fetch_unseen, source, ctx.dial, ctx.budget, ctx.limits)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise TransportError(f"Lỗi khi đọc hộp thư: {exc}") from None
        cap = message_cap(ctx.budget, ctx.limits.mail_bytes)
        unmapped: set[str] = set()

        def one(m: tuple[str, bytes]) -> Item:
            try:
                return map_message(m[1], m[0], source, ctx.now, cut=len(m[1]) >= cap,
                                   future_tolerance_minutes=ctx.future_tolerance_minutes)
            except SkipItem:
                raise
            except Exception:  # a message this code could not read stays unread in the mailbox, for the next poll
                unmapped.add(m[0])  # and for staff: marked seen, it was lost (round 32, hostile35)
                raise

        try:
            items, skipped = map_all(unseen.messages, one)
        finally:
            if ctx.budget:
                ctx.budget.give(unseen.held)  # the raw messages are mapped: their bytes are the items' now
        if unseen.left:
            skipped[BUDGET_SPENT] += unseen.left
        uids = [uid for uid, _ in unseen.messages if uid not in unmapped]
        return Batch(items=items, skipped=Counter(skipped), entries_seen=len(unseen.messages),
                     after_commit=[lambda: mark_seen(uids)] if uids else [])
