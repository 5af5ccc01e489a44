"""Delivering notifications: the scheduler job that empties the outbox (store/notify.py).

Each tick: due rows (immediate ones at once, digests at their hour; a subscription's whole backlog once
one of its rows is due for a try), rows of alerts staff dismissed (or subscriptions turned off) meanwhile dropped, the rest grouped per
subscription so a digest is one message, rendered to fit the channel (notify/message.py), claimed
('sending', committed), sent through the channel (notify/registry.py) with an httpx client made here
(tests inject a transport; each request bounded by [notify] timeout_seconds in all), then marked sent — or
retried with a capped back-off and given up after [notify] max_attempts (about a day). Every try is logged.

What a crash (kill -9, power cut) does, by where it lands:
    before the claim             the row is pending: sent after the restart, once
    between claim and acceptance  the far end has nothing: sent after the restart, once
    between acceptance and mark   the far end has it: sent AGAIN after the restart (at least once, never
                                  lost), with the same delivery key (e-mail Message-ID, webhook
                                  X-LangNghe-Delivery), opening with REPEAT_LINE, and a log line saying it
                                  may be a repeat
The last window lasts from the far end reading the request to the local write after its answer: milliseconds
when it answers at once, up to timeout_seconds when it is slow (docs/NOTIFY.md). At start, release_claims() applies the rule,
and the scheduler's first step is a delivery pass (orchestration/jobs.py), before the NLP model loads.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from collectors import netguard
from collectors.base import FetchError
from notify import message as render
from notify import registry
from notify.base import Message, NoAnswer, NotConfigured, PartlyRefused, RecipientsRefused, SendError
from store import notify as store_notify
from store import users as store_users
from store.db import Database, utcnow
from vocab.config import Config, section
from vocab.privacy import FEED_TEXT_COLUMNS, mask_mentions_in, mask_reason, mentions_masked_by
from vocab.numbers import too_long
from vocab.secrets import redact, secret

log = logging.getLogger("langnghe.notify")


@dataclass(frozen=True)
class NotifySettings:
    enabled: bool = True
    max_attempts: int = 100
    retry_base_seconds: float = 60.0
    retry_max_seconds: float = 900.0
    timeout_seconds: float = 20.0
    public_url: str = ""

    @classmethod
    def from_config(cls, cfg: Config) -> "NotifySettings":
        raw = section(cfg, "notify")
        return cls(bool(raw.get("enabled", True)), int(raw.get("max_attempts", 100)),
                   float(raw.get("retry_base_seconds", 60)), float(raw.get("retry_max_seconds", 900)),
                   float(raw.get("timeout_seconds", 20)), str(raw.get("public_url", "")))


def channel_settings(cfg: Config, channel: str) -> dict[str, Any]:
    """`[notify.<channel>]`, with what a channel that opens its own connection (SMTP) rather than using the
    injected client needs too: `[notify] timeout_seconds`, and `dial`, the public-address guard's connect
    (collectors/netguard.dialer with [http] allow_private_hosts; a refusal is a SendError)."""
    extra = {"timeout_seconds": NotifySettings.from_config(cfg).timeout_seconds,
             "dial": netguard.dialer(netguard.parse_allow(cfg.http.allow_private_hosts), refuse=SendError)}
    return {**extra, **(section(cfg, "notify").get(channel, {}) or {})}


def _secrets(cfg: Config) -> list[str | None]:
    """Every configured secret value, so none can reach a log line."""
    raw = section(cfg, "notify")
    return [secret(str(v)) for ch in raw.values() if isinstance(ch, dict)
            for k, v in ch.items() if k.endswith("_env")]


RESTART_NOTE = ("máy chủ dừng đột ngột khi đang gửi tin này: có thể đã gửi rồi; gửi lại với cùng mã "
                "(Message-ID của thư, X-LangNghe-Delivery của webhook)")


def delivery_key(rows: list[dict[str, Any]]) -> str:
    """The same for every try of the same outbox rows; the first row's creation time keeps two databases'
    row 1 apart (mail systems treat one Message-ID as one message)."""
    ids = sorted(int(r["id"]) for r in rows)
    first = min(r["created_at"] for r in rows)
    shown = "-".join(map(str, ids[:8])) + (f"-n{len(ids)}" if len(ids) > 8 else "")
    return f"langnghe.{first:%Y%m%d%H%M%S%f}.{shown}"


def release_claims(db: Database) -> int:
    """At serve's start: rows a dead process left 'sending' go out again (see the module docstring)."""
    now = utcnow()
    with db.write() as cur:
        rows = store_notify.release_claims(cur, RESTART_NOTE)
        for r in rows:
            store_notify.log_send(cur, now, r["channel"], r["address"], [r["id"]], False, RESTART_NOTE)
    if rows:
        log.warning("%d notifications were being sent when the server stopped; sending again", len(rows))
    return len(rows)


# the longest address a subscription keeps (characters): a webhook URL with a token in its query is a few hundred, an
# e-mail address at most 254. A 1 MB one was saved, listed on the page and written to the send log at every try.
MAX_ADDRESS_CHARS = 2000


def channel_offered(cfg: Config, channel: str) -> bool:
    """Whether Thông báo offers `channel` for a subscription or a «Gửi thử»: every channel, except one that reaches
    no one (`demo = True`: the console, «Màn hình máy chủ (demo)») unless its section turns it on
    (`[notify.console] enabled`, on in the demo's config, off in the shipped one). The one place of the rule (ux42,
    round 32: a real install offered the console to every user, and a subscription to it reached nobody)."""
    if channel not in registry.names():
        return False
    if not getattr(registry.get(channel), "demo", False):
        return True
    return bool((section(cfg, "notify").get(channel) or {}).get("enabled", False))


def address_refusal(cfg: Config, channel: str, address: str) -> str | None:
    """Why a subscription's address is refused (Vietnamese), or None. Any channel: at most MAX_ADDRESS_CHARS and no
    control or format character (a CR/LF was an e-mail header's `HeaderParseError` at every try, a bidi override
    shows another address than the one sent to). A channel whose address is a URL (`address_is_url`, the webhook)
    is POSTed to by the server at any URL a signed-in user types: one the HTTP client can read (round 28: «http://[::1»
    passed the prefix check, then failed the delivery pass of every subscription at its host's name), and only
    public http(s) addresses, as for fetches (collectors/netguard.py), unless its host is in
    [http] allow_private_hosts. A channel with an `address_pattern` (e-mail) is checked for its form."""
    address = address.strip()
    label = registry.labels().get(channel, channel)
    too = too_long(address, MAX_ADDRESS_CHARS, "Địa chỉ nhận")
    if too:
        return too
    # Zl/Zp: U+2028/U+2029, which Python's str.splitlines and regular expressions' \s take for line ends (round 29)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in address):
        return "Địa chỉ nhận có ký tự điều khiển hoặc ký tự ẩn (xuống dòng, đảo chiều chữ…): hãy gõ lại địa chỉ."
    pattern = _trait(channel, "address_pattern", None)
    if pattern and not re.fullmatch(pattern, address):
        return f"Địa chỉ «{address[:80]}» không đúng dạng {label}: cần dạng {_trait(channel, 'address_form', '')}."
    if not _trait(channel, "address_is_url", False):
        return None
    if not re.match(r"^https?://[^\s/]+", address, re.I):
        return f"Địa chỉ {label} phải bắt đầu bằng http:// hoặc https://."
    try:
        httpx.URL(address).raw_host.decode("ascii")
        urlsplit(address).port  # noqa: B018 (a port past 65535 or not a number: ValueError)
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return f"Địa chỉ {label} «{address[:80]}» không phải một địa chỉ web đọc được: hãy kiểm tra lại."
    return netguard.check_sync(address, netguard.parse_allow(cfg.http.allow_private_hosts))


def _client(cfg: Config, timeout: float) -> httpx.Client:
    """The channels' HTTP client: every request (webhook, Telegram, Zalo) checked by the public-address
    guard just before it is sent, so an address saved earlier, or a name that now resolves to the
    server's own network, is still refused; a name that does not resolve now is refused too. The
    connection then dials only addresses it checked itself (collectors/netguard: no DNS rebinding). Each
    request is over within `timeout` seconds in all, so an address that answers a byte at a time cannot
    hold the scheduler thread (collection, tagging) beyond it."""
    return netguard.guarded_client(netguard.parse_allow(cfg.http.allow_private_hosts), timeout, SendError,
                                   deadline_seconds=timeout, answer_max_bytes=cfg.limits.answer_bytes)


def send_one(cfg: Config, channel: str, address: str, msg: Message, client: httpx.Client) -> str:
    return registry.get(channel).send(address, msg, channel_settings(cfg, channel), client)


def _trait(channel: str, attr: str, default: Any) -> Any:
    """One of the optional attributes of the channel's class (notify/base.py's `Channel` lists them): `max_chars`,
    the message size limit a digest is fitted to (Telegram, Zalo); `address_is_url`, an address the subscriber
    types as a URL, which the server itself then dials (the webhook). A channel's property, not a name written here
    (round 27: a new URL channel had to be named in two places of this module, and nothing failed when it was not).
    `default` for a channel removed since the subscription was saved (its send fails and is logged as a retry)."""
    try:
        return getattr(registry.get(channel), attr, default)
    except KeyError:
        return default


REPEAT_LINE = ("(Gửi lại: máy chủ dừng đột ngột khi đang gửi tin này. Nếu đã nhận tin này trước đó, "
               "đây là bản trùng.)")


def _message(grp: list[dict[str, Any]], public_url: str, channel: str) -> Message:
    """The group's message, fitted to the channel, with its delivery key; after a crash mid-send it opens
    with REPEAT_LINE: Telegram and Zalo carry no key, so their readers could not tell a repeat otherwise."""
    repeat = any(str(r.get("last_error") or "").startswith(RESTART_NOTE) for r in grp)
    limit = _trait(channel, "max_chars", None)
    room = limit - len(REPEAT_LINE) - 1 if limit and repeat else limit
    msg = replace(render.render(grp, public_url, room), key=delivery_key(grp))
    if repeat:
        msg = replace(msg, subject=f"(Gửi lại) {msg.subject}", text=f"{REPEAT_LINE}\n{msg.text}")
    return msg


# in front of the error of a row whose list took the message but for addresses refused for now (4xx, fix30), kept
# through its later tries: Thông báo's «đang lỗi» named the subscription's whole list as failing, then given up, with
# nothing saying the others had it (review30)
PARTLY_NOTE = "các địa chỉ khác của đăng ký đã nhận tin; chỉ còn gửi lại cho "


def _errors(grp: list[dict[str, Any]], detail: str) -> dict[str, list[dict[str, Any]]]:
    """The error each row of a failed try keeps: a row the far end may already have (a crash mid-send) keeps
    RESTART_NOTE in front, so the try that succeeds later still opens with REPEAT_LINE; a row narrowed to the
    addresses refused for now keeps its PARTLY_NOTE line."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in grp:
        last = str(r.get("last_error") or "")
        if last.startswith(RESTART_NOTE):
            out[f"{RESTART_NOTE} — lần thử sau: {detail}"].append(r)
        elif last.startswith(PARTLY_NOTE):
            out[f"{last.split(' — ', 1)[0]} — lần thử sau: {detail}"].append(r)
        else:
            out[detail].append(r)
    return out


# after a refusal of every address for good (SMTP 5xx): what happened to the rows. A list whose every address was
# refused for good was retried with back-off for about a day, as one address is (round 31, fix32)
GIVEN_UP_REFUSED = ("Không thử lại cho các địa chỉ này, vì máy chủ thư từ chối hẳn (mã 5xx) và thử lại cũng vậy; "
                    "hãy kiểm tra địa chỉ trong đăng ký nhận tin ở trang Thông báo")

# after a NotConfigured reason in the send log and the rows' last error: what happened to them, and how to send them
# once the setting is made. A webhook without its signing secret was retried with back-off for about a day, each try
# logging the same reason, before it was given up (round 29, ux35)
GIVEN_UP_UNSET = ("Không thử lại: tin đã bỏ ngay, vì thử lại cũng không gửi được cho đến khi có thiết lập này; đặt xong "
                  "thì bấm «Gửi lại các tin lỗi» ở trang Thông báo")

DROPPED_NOTE = "không gửi: cảnh báo đã được cán bộ bỏ qua trước khi đến lượt gửi"
UNSUBSCRIBED_NOTE = "không gửi: đăng ký nhận thông báo đã tắt hoặc đã xóa trước khi đến lượt gửi"


def _why_dropped(r: dict[str, Any]) -> str | None:
    if r.get("alert_status") == "dismissed":
        return DROPPED_NOTE
    if not r.get("subscription_active"):  # False: turned off; None: deleted
        return UNSUBSCRIBED_NOTE
    return None


def _drop_unwanted(db: Database, rows: list[dict[str, Any]], now: Any) -> list[dict[str, Any]]:
    """Rows that should no longer go while they waited (a digest's hour, quiet hours, a channel's back-off):
    the alert was dismissed by staff, or the subscriber turned the subscription off or deleted it. They are
    marked 'dropped' and logged, not pushed to a chat group as if the issue were live or still wanted — but
    a row whose destination another active subscription shares and wants is handed to that one (it goes
    from the next pass)."""
    gone = [(r, why) for r in rows if (why := _why_dropped(r))]
    if not gone:
        return rows
    with db.write() as cur:
        for r, why in gone:
            if why == UNSUBSCRIBED_NOTE and (other := store_notify.hand_over(cur, r["id"])):
                # another subscription to the same group or mailbox still wants it: it goes under that one
                store_notify.log_send(cur, now, r["channel"], r["address"], [r["id"]], True,
                                      f"chuyển sang đăng ký số {other} cùng nơi nhận ({r['alert_id']})")
                continue
            store_notify.mark_dropped(cur, [r["id"]], why)
            what = r["alert_id"] or (r.get("note") or "")[:60]
            store_notify.log_send(cur, now, r["channel"], r["address"], [r["id"]], True, f"{why} ({what})", dropped=True)
    return [r for r in rows if not _why_dropped(r)]


def _server(channel: str, address: str) -> str:
    """Who answers a send: for a channel whose address is a URL, that URL's host; for the other channels one
    server serves every address."""
    if _trait(channel, "address_is_url", False):
        try:
            return f"{channel}:{urlsplit(address.strip()).netloc.lower()}"
        except ValueError:  # saved before address_refusal read it («http://[::1»): its own; it fails at its send
            return f"{channel}:{address.strip()}"
    return channel


# an outbox row's feed-text columns but its reason, which _masked masks with personal data first
_MENTION_COLUMNS = tuple(c for c in FEED_TEXT_COLUMNS if c != "reason")


def _masked(row: dict[str, Any]) -> dict[str, Any]:
    """An outbox row as a push may send it: @mentions masked in its feed text (title, quotes), and its `reason`
    (detection's words, which the message quotes under «Vì sao») by vocab.privacy.mask_reason: personal data, then
    @mentions, once (an e-mail's "@" must meet the e-mail rule first)."""
    out = mask_mentions_in(row, _MENTION_COLUMNS)
    if isinstance(out.get("reason"), str):
        out["reason"] = mask_reason(out["reason"])
    return out


def deliver(cfg: Config, db: Database, *, client_factory: Callable[[], httpx.Client] | None = None,
            now: Any = None, stop: threading.Event | None = None) -> dict[str, int]:
    """One pass over the due outbox; returns counts {sent, retried}. `stop` (serve stopping) ends it between two
    messages: each channel that does not answer holds a pass up to [notify] timeout_seconds, so a few of them
    outlasted serve's wait for the scheduler; the messages not tried stay due, unclaimed, for the next start."""
    s = NotifySettings.from_config(cfg)
    if not s.enabled:
        return {"sent": 0, "retried": 0}
    fixed = now  # a pass run at a given time (tests, replays) stamps and schedules by that time, not the wall clock

    def stamp() -> Any:
        return fixed or utcnow()

    now = stamp()
    with db.read() as cur:
        rows = store_notify.due_rows(cur, now)
        # a push leaves the machine (Telegram, Zalo, a mailbox): masked by the pages' and reports' one rule
        if rows and mentions_masked_by(cfg, store_users.get_settings(cur)):
            rows = [_masked(r) for r in rows]
    rows = _drop_unwanted(db, rows, now)
    groups: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["subscription_id"], r["channel"], r["address"])].append(r)
    out = {"sent": 0, "retried": 0}
    if not groups:
        return out
    hidden = _secrets(cfg)
    silent: dict[str, str] = {}  # servers that did not answer in this pass → why
    with (client_factory() if client_factory else _client(cfg, s.timeout_seconds)) as client:
        for (_, channel, address), grp in groups.items():
            if stop is not None and stop.is_set():
                break
            ids = [r["id"] for r in grp]
            server = _server(channel, address)
            unset = False  # no try can do better (a setting missing, every address refused for good): given up at once
            partly = ""  # some addresses of the subscription refused (PartlyRefused): logged, not tried again
            retry_to = ""  # ...but those refused for now (4xx): the rows are tried again, to them alone (fix30)
            refusal: RecipientsRefused | None = None  # which addresses were refused, for good or for now (fix32)
            if server in silent:  # a failed try like the one before it, without waiting timeout_seconds again
                detail, ok = f"chưa gửi lượt này: {silent[server]}", False
            else:
                msg = _message(grp, s.public_url, channel)
                with db.write() as cur:
                    store_notify.claim(cur, ids)
                try:
                    detail = send_one(cfg, channel, address, msg, client)
                    ok = True
                except PartlyRefused as exc:  # sent to the others: a retry was a copy to them at each try
                    detail, ok, partly = redact(exc.delivered, hidden), True, redact(str(exc), hidden)
                    retry_to, refusal = exc.retry_address, exc
                except RecipientsRefused as exc:  # every address refused: those for good are not tried again
                    detail, ok, refusal = redact(str(exc), hidden), False, exc
                    if not exc.temporary:
                        detail, unset = f"{detail}. {GIVEN_UP_REFUSED}", True
                except NoAnswer as exc:
                    detail, ok = redact(str(exc), hidden), False
                    silent[server] = detail
                except NotConfigured as exc:
                    detail, ok, unset = f"{redact(str(exc), hidden)}. {GIVEN_UP_UNSET}", False, True
                except (SendError, KeyError, FetchError) as exc:
                    detail, ok = redact(str(exc), hidden), False
                except Exception as exc:  # a channel's bug must not leave the rows claimed until the next start
                    detail, ok = redact(f"{type(exc).__name__}: {exc}"[:300], hidden), False
            with db.write() as cur:
                if refusal is not None and (ok or (refusal.final and refusal.temporary)):
                    # those refused for good kept aside (the row ends «gửi được một phần» if others had it), the
                    # next tries to those refused for now alone (fix30); nothing else changed by a refusal of all
                    # for good, given up below as a missing setting is
                    store_notify.note_refused(cur, ids, reached=ok, refused=refusal.final,
                                              retry_to=refusal.retry_address or None)
                if ok and retry_to:  # sent to the others, once; a try counted for every row, as a failed one's
                    store_notify.mark_retry(cur, ids, f"{PARTLY_NOTE}{retry_to} — {partly}", stamp(),
                                            max_attempts=s.max_attempts,
                                            base_seconds=s.retry_base_seconds, max_seconds=s.retry_max_seconds)
                elif ok:  # 'sent', or 'partial' when an address of the list was refused for good (fix32)
                    store_notify.mark_sent(cur, ids, stamp())
                elif unset:  # every row of the message, carried ones too: no later try can do better
                    for error, part in _errors(grp, detail).items():
                        store_notify.mark_retry(cur, [r["id"] for r in part], error, stamp(), max_attempts=1,
                                                base_seconds=s.retry_base_seconds, max_seconds=s.retry_max_seconds)
                else:  # a try counts for the rows due for one; the rows taken along keep their own schedule
                    for error, part in _errors(grp, detail).items():
                        tried = [r["id"] for r in part if r["next_attempt_at"] <= now]
                        store_notify.mark_retry(cur, tried, error, stamp(), max_attempts=s.max_attempts,
                                                base_seconds=s.retry_base_seconds, max_seconds=s.retry_max_seconds)
                        store_notify.release_carried(cur, [r["id"] for r in part if r["id"] not in tried], error)
                store_notify.log_send(cur, stamp(), channel, address, ids, ok, detail)
                if partly:
                    store_notify.log_send(cur, stamp(), channel, address, ids, False, partly)
            out["sent" if ok and not retry_to else "retried"] += len(ids)  # narrowed: waiting for its retry
            if not ok:
                log.warning("notification via %s failed: %s", channel, detail)
            if partly:
                log.warning("notification via %s partly refused: %s", channel, partly)
    return out


def send_test(cfg: Config, db: Database, channel: str, address: str, username: str, *,
              client_factory: Callable[[], httpx.Client] | None = None) -> tuple[bool, str]:
    """The admin's «Gửi thử» on Thông báo: one message, logged, nothing queued; an address refused is said before
    any try."""
    s = NotifySettings.from_config(cfg)
    msg = Message("Lắng Nghe: tin nhắn thử", f"Lắng Nghe: tin nhắn thử do {username} gửi từ trang Thông báo.", (), s.public_url)
    refused = address_refusal(cfg, channel, address) if channel in registry.names() else None
    if refused:  # said before any try, as a subscription's save says it: «khong-phai-url» read «Không tra được địa
        # chỉ của ([Errno -2] Name or service not known)», and a bad e-mail address «accepted»; logged as every try
        # (Nhật ký gửi: a refused private address leaves a trace; the review's find, round 28)
        _log_test(db, channel, address, False, redact(refused, _secrets(cfg)))
        return False, refused
    try:
        with (client_factory() if client_factory else _client(cfg, s.timeout_seconds)) as client:
            detail, ok = send_one(cfg, channel, address, msg, client), True
    except (SendError, KeyError, FetchError) as exc:
        detail, ok = redact(str(exc), _secrets(cfg)), False
    except Exception as exc:  # a channel's bug (an address its library refuses): the admin's answer, not a traceback
        detail, ok = redact(f"Lỗi của kênh: {type(exc).__name__}: {exc}"[:300], _secrets(cfg)), False
    _log_test(db, channel, address, ok, detail)
    return ok, detail


def _log_test(db: Database, channel: str, address: str, ok: bool, detail: str) -> None:
    """A «Gửi thử» in Nhật ký gửi; the address cut at MAX_ADDRESS_CHARS: one refused for its length (1 MB pasted) was
    written whole at each click and drawn in the log's table (round 29, `hostile32`)."""
    if len(address) > MAX_ADDRESS_CHARS:
        address = address[:MAX_ADDRESS_CHARS - 1] + "…"
    with db.write() as cur:
        store_notify.log_send(cur, utcnow(), channel, address, [], ok, f"(thử) {detail}")
