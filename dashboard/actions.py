"""What staff do in the dashboard, without Streamlit: each function is one transaction that changes the
data and writes the audit trail (who, when, what changed). Pages call these, then `data.refresh()`.

    alert review  → store.alerts (its alert_events rows are the alerts' audit trail)
    label fixes   → store.tags.add_human_label + dashboard_audit
    briefings, sources, users, settings → store.users + dashboard_audit
    watchlists    → store.watchlists + dashboard_audit
    given-up after-tagging steps → store.tags.retry_steps_failed + dashboard_audit

Every function checks the role itself, so a page that forgot to hide a button still cannot act.
Errors are ValueError/PermissionError with a Vietnamese message for the page to show.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any, Iterable, Mapping

from collectors.imports import stored_name
from dashboard import clock
from orchestration import imports as importer
from orchestration.accounts import User, role_allows
from orchestration import sources as sources_store
from store import alerts as store_alerts
from store import tags as store_tags
from store import users as store_users
from store import watchlists as store_watch
from store.search_query import QueryError, over_bounds, parse
from vocab.alerts import SEVERITIES
from vocab.numbers import too_long
from store.db import Database

# The longest text a staff action keeps, in characters (round 28, `hostile31`): none was bounded, and a pasted document
# was stored whole; Trước giao ban then drew an 8.8 MB briefing note as markdown to every account that opened it (3.1 s
# and +241 MB of peak RSS in the page's AppTest run). Generous for what staff write.
NOTE_MAX_CHARS = 2_000  # an alert's note or reason to dismiss, a briefing's note, a case's internal note
REPLY_MAX_CHARS = 5_000  # a reply to a citizen (Zalo OA takes 2,000 a message; a reply recorded by hand more)
REPORT_TEXT_MAX_CHARS = 20_000  # a report's «Đề xuất, kiến nghị», as the Báo cáo CTV form's text
WATCHLIST_NAME_MAX_CHARS = 200  # names the list on Theo dõi, in Tin bài's box, in alerts and pushes


def bounded(text: str | None, limit: int, what: str) -> str | None:
    """`text` when at most `limit` characters; else a ValueError saying the length and the limit (`too_long`)."""
    why = too_long(text, limit, what)
    if why:
        raise ValueError(f"{why} Hãy rút gọn rồi thử lại.")
    return text


def _need(user: User, role: str) -> None:
    if not role_allows(user.role, role):
        raise PermissionError(
            {"analyst": "Cần quyền chuyên viên để thực hiện thao tác này.",
             "admin": "Cần quyền quản trị để thực hiện thao tác này."}.get(role, "Không đủ quyền.")
        )


def _alerts():  # type: ignore[no-untyped-def]
    return store_alerts


# --- alert review ----------------------------------------------------------------------------

def alert_action(db: Database, user: User, alert_id: str, action: str, *, note: str | None = None,
                 reason: str | None = None, assignee: str | None = None, priority: str | None = None,
                 other_id: str | None = None) -> str:
    """One review action on an alert. action: acknowledge | assign | priority | note | resolve | dismiss |
    reopen | merge (merges `other_id` into `alert_id`). Returns a Vietnamese confirmation."""
    _need(user, "analyst")
    A = _alerts()
    note = bounded((note or "").strip() or None, NOTE_MAX_CHARS, "Ghi chú")
    reason = bounded(reason, NOTE_MAX_CHARS, "Lý do")
    with db.write() as cur:
        if action == "acknowledge":
            A.transition(cur, alert_id, "acknowledged", user.username, note=note)
            msg = f"Đã tiếp nhận cảnh báo {alert_id}."
        elif action == "resolve":
            A.transition(cur, alert_id, "resolved", user.username, note=note, reason=reason)
            msg = f"Đã đánh dấu xử lý xong {alert_id}."
        elif action == "dismiss":
            A.transition(cur, alert_id, "dismissed", user.username, note=note, reason=reason)
            msg = f"Đã bỏ qua cảnh báo {alert_id}."
        elif action == "reopen":
            A.transition(cur, alert_id, "reopened", user.username, note=note)
            msg = f"Đã mở lại cảnh báo {alert_id}."
        elif action == "assign":
            A.assign(cur, alert_id, (assignee or "").strip(), user.username, note=note)
            msg = f"Đã giao {alert_id} cho {assignee}."
        elif action == "priority":
            A.set_priority(cur, alert_id, priority or "", user.username)
            if note:
                A.add_note(cur, alert_id, user.username, note)
            msg = f"Đã đổi mức ưu tiên của {alert_id}."
        elif action == "note":
            if not note:
                raise ValueError("Ghi chú đang trống.")
            A.add_note(cur, alert_id, user.username, note)
            msg = f"Đã thêm ghi chú vào {alert_id}."
        elif action == "merge":
            if not other_id:
                raise ValueError("Cần chọn cảnh báo để gộp.")
            A.merge(cur, alert_id, other_id, user.username, note=note)
            msg = f"Đã gộp {other_id} vào {alert_id}."
        else:
            raise ValueError(f"Thao tác không rõ: {action!r}")
    return msg


# --- label corrections -----------------------------------------------------------------------

def correct_labels(db: Database, user: User, item_id: str, changes: dict[str, Any]) -> list[str]:
    """Store staff corrections as human labels (used by retraining); `changes` maps field → new value for
    the fields that differ from what is shown. Returns the fields saved."""
    _need(user, "analyst")
    tags = store_tags
    allowed = tags.HUMAN_FIELDS
    saved = []
    now = clock.now()
    with db.write() as cur:
        for field, value in changes.items():
            if field not in allowed:
                raise ValueError(f"Không sửa được trường {field!r}.")
            if isinstance(value, (list, tuple)):
                value = sorted({str(v).strip() for v in value if str(v).strip()})
            tags.add_human_label(cur, item_id, field, value, user.username, now)
            saved.append(field)
        if saved:
            store_users.audit(cur, user.username, "label.correct", item_id, changes, now)
    return saved


# --- briefings -------------------------------------------------------------------------------

def mark_briefing_held(db: Database, user: User, since: datetime | None, note: str | None = None,
                       held_at: datetime | None = None) -> int:
    _need(user, "analyst")
    bounded(note, NOTE_MAX_CHARS, "Ghi chú về buổi giao ban")
    now = held_at or clock.now()
    with db.write() as cur:
        bid = store_users.add_briefing(cur, now, since, user.username, (note or "").strip() or None)
        store_users.audit(cur, user.username, "briefing.held", str(bid), {"since": since, "held_at": now}, now)
    return bid


# --- sources (config store) ------------------------------------------------------------------

def save_source(db: Database, user: User, src: dict[str, Any], kinds: list[str],
                before: dict[str, Any] | None = None, allow_private_hosts: Iterable[str] = (),
                logins: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Add or edit a source (admins). `before` is the source as shown, for the audit diff; `logins` the config's
    [source_logins] (a login only with a secret declared there for the address's origin; a pause passes none, and
    the runner checks again before any request)."""
    _need(user, "admin")
    clean = sources_store.check_source(src, kinds, allow_private_hosts=allow_private_hosts, logins=logins)
    now = clock.now()
    with db.write() as cur:
        store_users.upsert_managed_source(cur, clean, user.username, now)
        if before:
            diff = {k: {"trước": before.get(k), "sau": v} for k, v in clean.items() if before.get(k) != v}
            action = "source.edit"
        else:
            diff = clean
            action = "source.add"
        store_users.audit(cur, user.username, action, clean["name"], diff, now)
    return clean


def set_source_enabled(db: Database, user: User, current: dict[str, Any], enabled: bool, kinds: list[str],
                       allow_private_hosts: Iterable[str] = ()) -> None:
    _need(user, "admin")
    save_source(db, user, {**current, "enabled": enabled}, kinds, before=current,
                allow_private_hosts=allow_private_hosts)


# --- imports ---------------------------------------------------------------------------------

def import_upload(db: Database, cfg: Any, user: User, file_name: str, stream: Any, mapping: dict[str, str],
                  settings: Any, on_progress: Any = None, opened: Any = None) -> Any:
    """Import an uploaded file (analysts): the same streamed path as `langnghe import`, then the audit row. `opened`:
    the upload as the page opened it for its preview (data.import_opened), not opened again."""
    _need(user, "analyst")

    res = importer.import_file(db, cfg, file_name, stream, mapping, settings, clock.now(), on_progress=on_progress,
                               opened=opened)
    with db.write() as cur:
        store_users.audit(cur, user.username, "import", stored_name(file_name),
                          {"nguồn": settings.source.name, "dòng": res.rows, "mục mới": res.items_new,
                           "đã có": res.items - res.items_new, "bỏ qua": sum(res.skipped.values())}, clock.now())
    return res


# --- after-tagging steps --------------------------------------------------------------------

def retry_given_up_steps(db: Database, user: User) -> int:
    """Put the items whose cases and watchlist matching were given up back in the queue (admins, audited); how many.
    The same store function as `langnghe steps --retry`, through serve's own open database: the CLI writes the file,
    so it needed serve stopped, which an office will not do for this (round 20). The next tag job runs them."""
    _need(user, "admin")
    now = clock.now()
    with db.write() as cur:
        n = store_tags.retry_steps_failed(cur)
        store_users.audit(cur, user.username, "steps.retry", None, {"tin": n}, now)
    return n


# --- users -----------------------------------------------------------------------------------

def create_user(db: Database, auth: Any, user: User, username: str, password: str, role: str,
                display_name: str | None = None) -> None:
    _need(user, "admin")
    auth.create_user(username, password, role, display_name=display_name, by=user.username)


def update_user(db: Database, auth: Any, user: User, username: str, **changes: Any) -> dict[str, Any]:
    _need(user, "admin")
    return auth.update(username, by=user.username, **changes)


def reset_password(db: Database, auth: Any, user: User, username: str, password: str) -> None:
    _need(user, "admin")
    auth.set_password(username, password, by=user.username)


def unlock_user(db: Database, auth: Any, user: User, username: str) -> int:
    _need(user, "admin")
    return int(auth.unlock(username, by=user.username))


# --- settings --------------------------------------------------------------------------------

RETENTION_KEYS = {"items_days": (30, 3650), "raw_payload_days": (1, 365)}


def save_retention(db: Database, user: User, current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    _need(user, "admin")
    now = clock.now()
    diff = {}
    with db.write() as cur:
        for key, value in new.items():
            if key == "mask_author_handles":
                value = bool(value)
            elif key in RETENTION_KEYS:
                lo, hi = RETENTION_KEYS[key]
                value = int(value)
                if not lo <= value <= hi:
                    raise ValueError(f"{key} phải từ {lo} đến {hi} ngày.")
            else:
                raise ValueError(f"Không có thiết lập {key!r}.")
            if current.get(key) != value:
                store_users.set_setting(cur, f"retention.{key}", value, user.username, now)
                diff[key] = {"trước": current.get(key), "sau": value}
        if diff:
            store_users.audit(cur, user.username, "settings.retention", "retention", diff, now)
    return diff


# --- watchlists (Theo dõi) --------------------------------------------------------------------

def check_watchlist(wl: dict[str, Any], stored_query: str | None = None) -> dict[str, Any]:
    """The fields of a watchlist as typed, cleaned; ValueError (Vietnamese) when one cannot be used.

    `stored_query` is the edited watchlist's saved query: kept unchanged, it is held only to what the matcher
    reads (`bounded=False`), so a list saved before the search limits can still be renamed or re-graded; a
    query that is typed anew must meet the limits (docs/SECURITY.md)."""
    name = " ".join(str(wl.get("name") or "").split())
    if not name:
        raise ValueError("Cần đặt tên cho danh sách theo dõi.")
    bounded(name, WATCHLIST_NAME_MAX_CHARS, "Tên danh sách theo dõi")
    query = str(wl.get("query") or "").strip()
    try:
        if parse(query, bounded=not _same_query(query, stored_query)) is None:
            raise ValueError("Cần nhập từ khóa theo dõi.")
    except QueryError as exc:
        raise ValueError(f"Từ khóa không đọc được: {exc}") from exc
    min_items, window = int(wl.get("min_items") or 1), int(wl.get("window_minutes") or 60)
    if min_items < 1 or window < 1:
        raise ValueError("Số tin và khoảng thời gian phải lớn hơn 0.")
    severity = wl.get("severity") or "medium"
    if severity not in SEVERITIES:
        raise ValueError(f"Mức độ không hợp lệ: {severity}.")
    return {"name": name, "query": query, "places": sorted(set(wl.get("places") or ())),
            "topics": sorted(set(wl.get("topics") or ())), "source_types": sorted(set(wl.get("source_types") or ())),
            "min_items": min_items, "window_minutes": window, "severity": severity}


def _same_query(query: str, stored: str | None) -> bool:
    return stored is not None and unicodedata.normalize("NFC", query) == unicodedata.normalize("NFC", stored.strip())


def query_over_limits(query: str) -> str | None:
    """Why a saved watchlist query is over today's search limits (it still runs), in Vietnamese; None when
    it is within them or cannot be read at all (the page says so elsewhere)."""
    try:
        q = parse(query, bounded=False)
    except QueryError:
        return None
    return over_bounds(query, q)


def save_watchlist(db: Database, user: User, wl: dict[str, Any], watchlist_id: int | None = None) -> int:
    """Create (no id) or edit a watchlist (analysts); the change is audited with what changed."""
    _need(user, "analyst")
    # a new one is read (and refused) before the write lock is taken; an edit needs the stored query it may keep
    clean = check_watchlist(wl) if watchlist_id is None else None
    now = clock.now()
    with db.write() as cur:
        before = None if watchlist_id is None else store_watch.get(cur, watchlist_id)
        if watchlist_id is not None and before is None:
            raise ValueError("Danh sách theo dõi này không còn.")
        if clean is None:
            clean = check_watchlist(wl, before["query"])
        if store_watch.name_taken(cur, clean["name"], watchlist_id):
            raise ValueError(f"Đã có danh sách theo dõi tên «{clean['name']}».")
        if before is None:
            watchlist_id = store_watch.create(cur, clean, user.username, now)
            store_users.audit(cur, user.username, "watchlist.create", clean["name"], clean, now)
            return watchlist_id
        diff = {k: {"trước": _plain(before[k]), "sau": v} for k, v in clean.items() if _plain(before[k]) != v}
        if diff:
            store_watch.update(cur, watchlist_id, clean, user.username, now)
            store_users.audit(cur, user.username, "watchlist.edit", clean["name"], diff, now)
    return watchlist_id


def set_watchlist_active(db: Database, user: User, watchlist_id: int, active: bool) -> None:
    """Pause or resume a watchlist (analysts), audited."""
    _need(user, "analyst")
    now = clock.now()
    with db.write() as cur:
        wl = store_watch.get(cur, watchlist_id)
        if wl is None:
            raise ValueError("Danh sách theo dõi này không còn.")
        if bool(wl["active"]) != active:
            store_watch.update(cur, watchlist_id, {"active": active}, user.username, now)
            store_users.audit(cur, user.username, "watchlist.resume" if active else "watchlist.pause", wl["name"],
                              {"đang theo dõi": {"trước": bool(wl["active"]), "sau": active}}, now)


def _plain(v: Any) -> Any:
    return sorted(v) if isinstance(v, (list, tuple)) else v
