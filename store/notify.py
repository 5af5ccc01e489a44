"""Notifications' SQL: subscriptions, the outbox (filled in the alert's own transaction), the send log.

    store.alerts.raise_alert ─▶ enqueue_for_alert(cur, …)   same transaction: an alert is never raised
                                                              without its notifications, nor they without it
    reports.schedule ─▶ enqueue_note(cur, …)                  the weekly report archived: a line and a link
    orchestration.notify.deliver ─▶ due_rows ─▶ claim ─▶ channel ─▶ mark_sent / mark_retry / log_send
    serve starting ─▶ release_claims: rows left 'sending' by a process that died mid-send go back to pending
UNIQUE (event_key, subscription_id) means a second raise of the same alert never enqueues twice.
Outbox states: pending → sending (claimed, the channel is being called) → sent | pending (retry) | failed | partial;
pending → dropped (its alert was dismissed, or its subscription turned off or deleted, before it went out).
'partial' («gửi được một phần», round 31): some addresses of the row's list took the message, others never will
(refused for good, or refused for now until given up); its address is then theirs (note_refused).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any, Sequence

from store.db import dicts, one
from vocab.alerts import NewAlert
from vocab.folding import fold
from vocab.timefmt import hhmm, to_local, to_utc  # hhmm: store_notify.hhmm for the pages

if TYPE_CHECKING:
    import duckdb

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Subscription:
    id: int
    username: str
    channel: str
    address: str
    min_severity: str = "medium"
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    watchlists: tuple[int, ...] = ()
    mode: str = "immediate"
    daily_at: str = "07:30"
    quiet_start: str = ""
    quiet_end: str = ""
    active: bool = True


_SUB_COLS = ("id, username, channel, address, min_severity, topics, places, watchlists, mode, daily_at, quiet_start, "
             "quiet_end, active")


def _sub(r: Sequence[Any]) -> Subscription:
    return Subscription(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ()), tuple(r[6] or ()), tuple(r[7] or ()),
                        r[8], r[9], r[10], r[11], bool(r[12]))


def save_subscription(cur: "duckdb.DuckDBPyConnection", s: Subscription) -> int:
    """Insert or update (by username, channel, address); returns the id."""
    row = one(cur.execute(
        f"""INSERT INTO subscriptions ({_SUB_COLS.replace('id, ', '', 1)})
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (username, channel, address) DO UPDATE SET min_severity = excluded.min_severity,
              topics = excluded.topics, places = excluded.places, watchlists = excluded.watchlists,
              mode = excluded.mode, daily_at = excluded.daily_at, quiet_start = excluded.quiet_start,
              quiet_end = excluded.quiet_end, active = excluded.active
            RETURNING id""",
        [s.username, s.channel, s.address, s.min_severity, list(s.topics), list(s.places), list(s.watchlists),
         s.mode, s.daily_at, s.quiet_start, s.quiet_end, s.active]))
    return int(row[0])


def subscriptions(cur: "duckdb.DuckDBPyConnection", username: str | None = None) -> list[Subscription]:
    sql = f"SELECT {_SUB_COLS} FROM subscriptions" + (" WHERE username = ?" if username else "") + " ORDER BY id"
    return [_sub(r) for r in cur.execute(sql, [username] if username else []).fetchall()]


def delete_subscription(cur: "duckdb.DuckDBPyConnection", sub_id: int, username: str) -> None:
    cur.execute("DELETE FROM subscriptions WHERE id = ? AND username = ?", [sub_id, username])


def in_quiet_hours(s: Subscription, at_utc: datetime) -> bool:
    """Inside the subscription's quiet hours (Vietnam time; across midnight when the end is earlier). The same
    start and end, as in '00:00–24:00', is quiet all day: it read as never quiet."""
    a, b = hhmm(s.quiet_start), hhmm(s.quiet_end)
    if a is None or b is None:
        return False
    if a == b:
        return True
    t = to_local(at_utc).time()
    start, end = t.replace(hour=a[0], minute=a[1], second=0, microsecond=0), t.replace(hour=b[0], minute=b[1], second=0, microsecond=0)
    return start <= t < end if start <= end else (t >= start or t < end)


def _words(place: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(place))) + " "


def _place_in(wanted: str, place: str) -> bool:
    """'vàng danh', 'Vang Danh' or 'Vàng' is in 'Phường Vàng Danh'; whole words only, since folded
    letters alone ('an') are inside many names ('vang danh', 'quang ninh')."""
    return _words(wanted).strip() != "" and _words(wanted) in _words(place)


def wants(s: Subscription, alert: NewAlert, at_utc: datetime) -> bool:
    """Does this subscription want this alert now? Severity, topics, places, watchlists, quiet hours."""
    if not s.active or SEVERITY_RANK.get(alert.severity, 0) < SEVERITY_RANK.get(s.min_severity, 1):
        return False
    if s.topics and not set(s.topics) & set(alert.topics):
        return False
    if s.places and not any(any(_place_in(p, ap) for ap in alert.places) for p in s.places):
        return False
    if s.watchlists and int((alert.details or {}).get("watchlist_id", -1)) not in s.watchlists:
        return False
    if in_quiet_hours(s, at_utc) and alert.severity != "high" and quiet_end_after(s, at_utc) is None:
        return False  # quiet all day: only high alerts, as the subscriber chose
    return True


def _next_at(hm: tuple[int, int], at_utc: datetime) -> datetime:
    """The first time of day `hm` (hour, minute; Vietnam time) after `at_utc`, in UTC: today's, or tomorrow's when
    today's is not later."""
    local = to_local(at_utc)
    target = local.replace(hour=hm[0], minute=hm[1], second=0, microsecond=0)
    return to_utc(target if target > local else target + timedelta(days=1))


def quiet_end_after(s: Subscription, at_utc: datetime) -> datetime | None:
    """When the quiet hours `at_utc` falls in end (UTC), or None when quiet all day (same start and end)."""
    a, b = hhmm(s.quiet_start), hhmm(s.quiet_end)
    if a is None or b is None or a == b:
        return None
    return _next_at(b, at_utc)


def due_time(s: Subscription, at_utc: datetime) -> datetime:
    """When the message goes: now, the next full hour, or the next daily time (Vietnam time)."""
    if s.mode == "hourly":
        return (at_utc + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    if s.mode == "daily":
        return _next_at(hhmm(s.daily_at) or (7, 30), at_utc)
    return at_utc


def _destination(s: Subscription) -> tuple[str, str]:
    """Where a subscription's messages land: two staff who both subscribe their office's Telegram group
    (or one mailbox) share it. An e-mail address is a list: its mailboxes (display names dropped), each once, sorted,
    so «a@x.vn, b@x.vn», «b@x.vn,a@x.vn» and «Văn phòng <A@X.vn>, b@x.vn» are one destination (until fix34 the
    whole text, trimmed and case-folded: each spelling of one list got its own copy of an alert). A mailbox is
    case-folded whole, local part too, as this key always did (`test_two_staff_subscribed_to_the_same_group_chat_…`
    pins «TruongBan@» and «truongban@» as one person): RFC 5321 lets a server tell such local parts apart, and
    notify.channels.email.recipients sends both when one list names both, but no server staff use does, and a
    second copy to the same person is what this key is for."""
    address = s.address.strip()
    if s.channel != "email":
        return s.channel, address
    boxes = sorted({a.strip().casefold() for _, a in getaddresses([address]) if a.strip()})
    return s.channel, ", ".join(boxes) if boxes else address.casefold()


def _due_for(s: Subscription, alert: NewAlert, at: datetime) -> datetime:
    """When the subscription's message about an alert raised at `at` goes: its mode's time, and a lower alert
    raised in quiet hours held, not dropped, until they end (with the night's others in one message)."""
    due = due_time(s, at)
    if alert.severity != "high" and in_quiet_hours(s, at):
        due = max(due, quiet_end_after(s, at) or due)
    return due


def enqueue_for_alert(cur: "duckdb.DuckDBPyConnection", alert_id: str, alert: NewAlert, at: datetime) -> int:
    """Outbox rows for the subscriptions that want this alert (call inside raise_alert's transaction): one
    per destination — of several subscriptions to the same chat group or address, the one due first — so
    a group never gets the same alert twice."""
    chosen: dict[tuple[str, str], tuple[datetime, Subscription]] = {}
    for s in subscriptions(cur):
        if not wants(s, alert, at):
            continue
        due = _due_for(s, alert, at)
        key = _destination(s)
        if key not in chosen or due < chosen[key][0]:
            chosen[key] = (due, s)
    # where it was queued before, by the address each row was queued to (`destination`): a row's `address` is
    # narrowed to the addresses still to try, and a second subscription to the same list got a second copy (fix33)
    before = {_destination(Subscription(0, "", channel, address)) for channel, address in cur.execute(
        "SELECT channel, coalesce(destination, address) FROM outbox WHERE event_key = ?", [f"alert:{alert_id}"]
    ).fetchall()}
    n = 0
    for due, s in chosen.values():
        if _destination(s) in before:
            continue  # enqueued before, for another subscription to the same place
        row = one(cur.execute(
            """INSERT INTO outbox (event_key, subscription_id, channel, address, destination, alert_id, created_at,
                                   due_at, next_attempt_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""",
            [f"alert:{alert_id}", s.id, s.channel, s.address, s.address, alert_id, at, due, due]))
        n += row is not None
    return n


def enqueue_note(cur: "duckdb.DuckDBPyConnection", event_key: str, note: str, path: str, area: str,
                 at: datetime) -> int:
    """Outbox rows for an event that is not an alert (the scheduled weekly report archived), one per
    destination: every active subscription for the whole province (area ''), else those with no place
    filter or one naming the area. Severity, topics and watchlists filter alerts, not this. Digests and
    quiet hours hold it as they hold a medium alert (quiet all day: not sent). UNIQUE (event_key,
    subscription) keeps a second call from enqueueing twice."""
    chosen: dict[tuple[str, str], tuple[datetime, Subscription]] = {}
    for s in subscriptions(cur):
        if not s.active or (area and s.places and not any(_place_in(p, area) for p in s.places)):
            continue
        due = due_time(s, at)
        if in_quiet_hours(s, at):
            end = quiet_end_after(s, at)
            if end is None:
                continue
            due = max(due, end)
        key = _destination(s)
        if key not in chosen or due < chosen[key][0]:
            chosen[key] = (due, s)
    n = 0
    for due, s in chosen.values():
        row = one(cur.execute(
            """INSERT INTO outbox (event_key, subscription_id, channel, address, destination, created_at, due_at,
                                   next_attempt_at, note, note_path)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""",
            [event_key, s.id, s.channel, s.address, s.address, at, due, due, note, path]))
        n += row is not None
    return n


def hand_over(cur: "duckdb.DuckDBPyConnection", outbox_id: int) -> int | None:
    """A waiting row whose subscription was turned off or deleted goes to another active subscription to the
    same destination that wants its alert, due by that one's timing; returns its id, or None. The alert was
    queued once per destination (enqueue_for_alert), so dropping the row left the other subscriber of an
    office's group without it."""
    row = one(cur.execute(
        """SELECT o.subscription_id, o.channel, coalesce(o.destination, o.address), o.due_at, a.title, a.severity, a.reason, a.topics,
                  a.places, a.details, a.raised_at, o.event_key
           FROM outbox o JOIN alerts a ON a.alert_id = o.alert_id WHERE o.id = ?""", [outbox_id]))
    if row is None:
        return None
    sub_id, channel, address, due_at, title, severity, reason, topics, places, details, raised, event = row
    # rows queued before one-per-destination: a subscription with its own row for the event needs no other
    has_own = {r[0] for r in cur.execute("SELECT subscription_id FROM outbox WHERE event_key = ?", [event]).fetchall()}
    alert = NewAlert.of(title, severity, reason, topics=topics or (), places=places or (),
                        details=json.loads(details) if details else {})
    dest = _destination(Subscription(0, "", channel, address))  # as queued: `address` may be narrowed (fix33)
    for s in subscriptions(cur):
        if s.id not in has_own and _destination(s) == dest and wants(s, alert, raised):
            cur.execute("UPDATE outbox SET subscription_id = ?, due_at = ? WHERE id = ?",
                        [s.id, max(due_at, _due_for(s, alert, raised)), outbox_id])
            return s.id
    return None


def due_rows(cur: "duckdb.DuckDBPyConnection", now: datetime, limit: int = 200) -> list[dict[str, Any]]:
    """Pending rows whose time has come, with their alert, oldest first. A subscription is tried as a whole:
    once one of its rows is due for a try, every row of it past its due time goes too, backing off or not,
    so after an outage the backlog goes as one message in the order raised (a newer row, with a shorter
    back-off, went first and alone before). Past `limit` rows, those due for a try are kept before the ones
    taken along, so a backlog longer than `limit` cannot keep its due rows out of every pass."""
    cur.execute(
        """SELECT o.id, o.subscription_id, o.channel, o.address, o.alert_id, o.attempts, o.created_at, o.last_error,
                  o.note, o.note_path, o.next_attempt_at,
                  a.title, a.reason, a.severity, a.places, a.n_items, a.n_outlets, a.raised_at,
                  a.status AS alert_status, sub.active AS subscription_active
           FROM outbox o LEFT JOIN alerts a ON a.alert_id = o.alert_id
                LEFT JOIN subscriptions sub ON sub.id = o.subscription_id
           WHERE o.status = 'pending' AND o.due_at <= ?
             AND o.subscription_id IN (SELECT subscription_id FROM outbox
                                       WHERE status = 'pending' AND next_attempt_at <= ?)
           ORDER BY o.subscription_id, o.next_attempt_at > ?, o.created_at, o.id LIMIT ?""", [now, now, now, limit])
    return sorted(dicts(cur), key=lambda r: (r["subscription_id"], r["created_at"], r["id"]))


def claim(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int]) -> None:
    """Committed before the channel is called: after a crash, 'sending' says "maybe delivered"."""
    cur.execute("UPDATE outbox SET status = 'sending' WHERE id IN (SELECT unnest(?)) AND status = 'pending'",
                [list(ids)])


def release_claims(cur: "duckdb.DuckDBPyConnection", note: str) -> list[dict[str, Any]]:
    """At start only (one process owns the database, so every claim is a dead process's): claimed rows go
    back to pending — still due, they were when claimed — with `note` as their last error. Returns them
    (id, channel, address)."""
    cur.execute("""UPDATE outbox SET status = 'pending', last_error = ?
                   WHERE status = 'sending' RETURNING id, channel, address""", [note[:500]])
    return dicts(cur)


def mark_dropped(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int], note: str) -> None:
    """Not sent, on purpose (its alert dismissed, its subscription off or deleted, while it waited): status
    'dropped', the why kept."""
    cur.execute("UPDATE outbox SET status = 'dropped', last_error = ? WHERE id IN (SELECT unnest(?)) AND status = 'pending'",
                [note[:500], list(ids)])


def release_carried(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int], error: str) -> None:
    """Rows that went along in a failed try of their subscription before their own next try was due: back to
    pending with the error, their attempts and next try unchanged — counting these tries gave up a push
    raised early in an outage hours before [notify] max_attempts meant (each newer alert's short back-off
    tried the whole backlog again)."""
    cur.execute("UPDATE outbox SET status = 'pending', last_error = ? WHERE id IN (SELECT unnest(?))",
                [error[:500], list(ids)])


def note_refused(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int], *, reached: bool,
                 refused: Sequence[str] = (), retry_to: str | None = None) -> None:
    """After a try whose list a mail server refused in part (orchestration.notify.deliver): `reached` when other
    addresses took the message; `refused` the addresses refused for good (5xx), kept aside and never tried again;
    `retry_to` the addresses refused for now (4xx), which the rows' next tries go to alone (fix30's narrowing; None:
    the address unchanged). A row that ends with something refused, or reached and then given up, is 'partial'
    (`mark_sent`, `mark_retry`; round 31, fix32)."""
    cur.execute("""UPDATE outbox SET reached = coalesce(reached, FALSE) OR ?,
                                     refused = nullif(concat_ws(', ', refused, ?), ''), address = coalesce(?, address)
                   WHERE id IN (SELECT unnest(?))""",
                [reached, ", ".join(refused) or None, retry_to, list(ids)])


# the status and address of a row at its end: what reached none of its list is 'failed' (all of it to try again on
# request); what reached some is 'partial', its address the ones it did not reach (refused for good, or given up)
_PARTLY_END = "CASE WHEN refused IS NULL THEN 'sent' ELSE 'partial' END"


def mark_sent(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int], now: datetime) -> None:
    """Sent to the row's address; a row with addresses refused for good before ends 'partial', addressed to them."""
    cur.execute(f"""UPDATE outbox SET status = {_PARTLY_END}, address = coalesce(refused, address), sent_at = ?,
                                      attempts = attempts + 1
                    WHERE id IN (SELECT unnest(?))""", [now, list(ids)])


def mark_retry(cur: "duckdb.DuckDBPyConnection", ids: Sequence[int], error: str, now: datetime, *,
               max_attempts: int, base_seconds: float, max_seconds: float | None = None) -> None:
    """Back off exponentially (base × 2^attempts), at most `max_seconds` between tries, so a channel back
    after an hour's outage gets the message within that wait, not hours later; give up after max_attempts
    (status failed; 'partial' when other addresses of its list took it before, round 31: it read 'failed' though they
    had it), its address then every address still without it (those refused for good before it too). One read and
    one write for all the rows: a statement per row made each failed pass of a backlog cost two statements a
    message (48 waiting messages, an outage's pass: ~0.1 s → ~10 ms)."""
    if not ids:
        return
    cur.execute("SELECT id, attempts, reached FROM outbox WHERE id IN (SELECT unnest(?))", [list(ids)])
    rows = [(oid, int(att) + 1, bool(reached)) for oid, att, reached in cur.fetchall()]
    if not rows:
        return
    cur.execute(
        """UPDATE outbox SET attempts = v.att, status = v.status, last_error = ?, next_attempt_at = v.next_at,
                             address = CASE WHEN v.status = 'pending' THEN address
                                            ELSE concat_ws(', ', refused, address) END
           FROM (SELECT unnest(?) AS id, unnest(?) AS att, unnest(?) AS status, unnest(?::TIMESTAMP[]) AS next_at) v
           WHERE outbox.id = v.id""",
        [error[:500], [oid for oid, _, _ in rows], [att for _, att, _ in rows],
         [("partial" if reached else "failed") if att >= max_attempts else "pending" for _, att, reached in rows],
         [now + timedelta(seconds=_backoff(att, base_seconds, max_seconds)) for _, att, _ in rows]])


def _backoff(attempt: int, base_seconds: float, max_seconds: float | None) -> float:
    wait = base_seconds * (2 ** min(attempt - 1, 30))  # the exponent capped: 2^100 seconds overflows a timedelta
    return min(wait, max_seconds) if max_seconds else wait


def log_send(cur: "duckdb.DuckDBPyConnection", now: datetime, channel: str, address: str, ids: Sequence[int],
             ok: bool, detail: str, *, dropped: bool = False) -> None:
    """One line of the send log; `dropped`: not sent on purpose (mark_dropped), so the page does not say «được»."""
    cur.execute("""INSERT INTO notify_log (logged_at, channel, address, outbox_ids, ok, detail, dropped)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""", [now, channel, address, list(ids), ok, detail[:500], dropped])


def recent_log(cur: "duckdb.DuckDBPyConnection", limit: int = 200) -> list[dict[str, Any]]:
    cur.execute("""SELECT logged_at, channel, address, outbox_ids, ok, dropped, detail FROM notify_log
                   ORDER BY id DESC LIMIT ?""",
                [limit])
    return dicts(cur)


def delivery_trouble(cur: "duckdb.DuckDBPyConnection", since: datetime,
                     username: str | None = None) -> list[dict[str, Any]]:
    """Subscriptions whose pushes are failing: rows waiting for a retry (a try failed), rows given up
    since `since`; with the oldest waiting row's time, the next try and the latest error. For the pages
    that tell staff their pushes are not arriving. `failed` counts the rows given up for every address or for some:
    `partial` of them reached the list's other addresses, and `missed` names the addresses they did not reach
    (round 31: a row deferred up to max_attempts read «đã bỏ» though the others had it)."""
    cur.execute(
        """SELECT s.id AS subscription_id, s.username, s.channel, s.address,
                  count(*) FILTER (WHERE o.status = 'pending') AS waiting,
                  count(*) FILTER (WHERE o.status IN ('failed', 'partial')) AS failed,
                  count(*) FILTER (WHERE o.status = 'partial') AS partial,
                  array_to_string(list_sort(list_distinct(flatten(
                      list(string_split(o.address, ', ')) FILTER (WHERE o.status = 'partial')))), ', ') AS missed,
                  min(o.created_at) AS since, min(o.next_attempt_at) FILTER (WHERE o.status = 'pending') AS next_try,
                  arg_max(o.last_error, o.id) AS last_error
           FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
           WHERE ((o.status = 'pending' AND o.attempts > 0)
                  OR (o.status IN ('failed', 'partial') AND o.created_at >= ?))
             AND (CAST(? AS VARCHAR) IS NULL OR s.username = ?)
           GROUP BY ALL ORDER BY s.id""", [since, username, username])
    return dicts(cur)


RESEND_NOTE = "gửi lại theo yêu cầu của cán bộ sau khi đã bỏ vì gửi nhiều lần không được"


def subscription(cur: "duckdb.DuckDBPyConnection", sub_id: int) -> Subscription | None:
    row = one(cur.execute(f"SELECT {_SUB_COLS} FROM subscriptions WHERE id = ?", [sub_id]))
    return _sub(row) if row else None


def requeue_failed(cur: "duckdb.DuckDBPyConnection", sub_id: int, since: datetime, now: datetime) -> list[int]:
    """A subscription's given-up rows raised since `since` go back to waiting, due now, with a fresh attempt
    count (the "Gửi lại các tin lỗi" of Thông báo once the channel is fixed); the next pass sends them with
    the subscription's other due rows to the same address as one message, oldest first (due_rows; rows narrowed to
    other addresses go as messages of their own). Returns their ids. A row partly sent goes again to the addresses it
    did not reach alone (its address since it ended), those refused for good too: the staff member asked, having
    fixed the list or the mailbox. Its send time is cleared, so that retention dates it by its new tries."""
    cur.execute("""UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = ?,
                                     refused = NULL, sent_at = NULL
                   WHERE subscription_id = ? AND status IN ('failed', 'partial') AND created_at >= ? RETURNING id""",
                [now, RESEND_NOTE, sub_id, since])
    return sorted(int(r[0]) for r in cur.fetchall())


def outbox_counts(cur: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    return dict(cur.execute("SELECT status, count(*) FROM outbox GROUP BY 1").fetchall())
