"""The dashboard's only data layer and only cache.

    the Database: none cached here; `db()` asks orchestration.runtime, which holds the one handle (shared with
        the scheduler under `langnghe serve`)
    cache_data(ttl): each query, calling a named function in store/; results are DataFrames/dicts

Times come out of the store as naive UTC and are converted to Vietnam time here, for display.
Writes go through dashboard/actions.py; after one, a page calls `refresh()` so every query re-reads.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

import pandas as pd
import streamlit as st

from dashboard import clock
from orchestration import runtime

from orchestration import sources as sources_store
from vocab.config import Config
from store import dashboard as q
from store import items as store_items
from store import search as store_search
from store import sources as store_sources
from store import alerts as store_alerts
from store import collab as store_collab
from store import tags as store_tags
from store import users as store_users
from store import watchlists as store_watch
from store.db import Database
from vocab.privacy import mask_mentions_in, mentions_masked_by
from vocab.timefmt import TZ_NAME, VN_OFFSET

if TYPE_CHECKING:
    from collectors.fulltext import FulltextSettings, SourceFulltext
    from orchestration.status import Collection

TZ = TZ_NAME
TZ_OFFSET = VN_OFFSET
TTL = 10
OFFSET_HOURS = int(TZ_OFFSET.total_seconds() // 3600)  # Vietnam time has no daylight saving: buckets by local hour/day
SLOW_TTL = 120
# A map unit's click expands to the place names items tagged this recently carry for it; the map counts a
# staff-corrected place name by the same names (store.dashboard.place_trends `names_since`).
UNIT_NAMES_AGE = timedelta(days=180)


def db() -> Database:
    """The handle runtime holds, asked each time: an `st.cache_resource` copy of it kept a database runtime had
    closed and replaced (tests, benches: tests/dashboard/test_data_handle.py)."""
    return runtime.get_db()


def config() -> Config:
    return runtime.get_config()


def refresh() -> None:
    """Forget every cached query (after a write)."""
    st.cache_data.clear()


def now() -> datetime:
    """The pages' clock: dashboard/clock.py's, read at each call (a test stops either and every read follows)."""
    return clock.now()


def to_local(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for c in cols:
        if c in df and len(df):
            df[c] = pd.to_datetime(df[c]).dt.tz_localize("UTC").dt.tz_convert(TZ).dt.tz_localize(None)
    return df


def local(dt: datetime | None) -> datetime | None:
    return dt + TZ_OFFSET if dt is not None else None


def utc_from_local(dt: datetime) -> datetime:
    return dt - TZ_OFFSET


def local_day_start(at: datetime | None = None) -> datetime:
    """UTC time of the last local (Vietnam) midnight."""
    loc = (at or now()) + TZ_OFFSET
    return loc.replace(hour=0, minute=0, second=0, microsecond=0) - TZ_OFFSET


F = TypeVar("F", bound=Callable[..., Any])


def feed_text(fn: F) -> F:
    """A cached query whose result shows feed text (titles, summaries, quotes, story and alert titles), returned
    with @mentions masked while masking is on: every page, and the CSV its tables download, shows "@n***4"
    without code of its own. Put above @st.cache_data: the cache keeps the text as stored, so the admin's switch
    applies at the next rerun; `.clear` is passed through."""
    @functools.wraps(fn)
    def masked(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        return mask_mentions_in(out) if mask_mentions_now() else out

    masked.clear = getattr(fn, "clear", None)  # type: ignore[attr-defined]
    return masked  # type: ignore[return-value]


# --- overview --------------------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False)
def totals() -> dict[str, int]:
    with db().read() as cur:
        return store_items.totals(cur, now())


@st.cache_data(ttl=TTL, show_spinner=False)
def today_vs_usual(baseline_days: int) -> dict[str, float]:
    t = now()
    with db().read() as cur:
        return q.today_vs_usual(cur, t, local_day_start(t), baseline_days)


@st.cache_data(ttl=TTL, show_spinner=False)
def sentiment_share(days: int) -> pd.DataFrame:
    with db().read() as cur:
        return q.sentiment_share(cur, now() - timedelta(days=days))


@st.cache_data(ttl=TTL, show_spinner=False)
def topics_over_time(days: int = 14) -> pd.DataFrame:
    with db().read() as cur:
        return q.topics_over_time(cur, local_day_start() - timedelta(days=days - 1), "day", offset_hours=OFFSET_HOURS)


@st.cache_data(ttl=TTL, show_spinner=False)
def items_over_time(days: int = 14, bucket: str = "day") -> pd.DataFrame:
    """Items per local day (or hour) and outlet over the last `days` local days (today included)."""
    with db().read() as cur:
        return store_items.items_over_time(cur, local_day_start() - timedelta(days=days - 1), bucket, OFFSET_HOURS)


@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def latest_items(limit: int = 50, in_area_only: bool = False) -> pd.DataFrame:
    with db().read() as cur:
        df = q.latest_items(cur, limit, in_area_only)
    return to_local(df, "published_at")


# --- alerts ----------------------------------------------------------------------------------

@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def alerts(statuses: tuple[str, ...] | None = None, limit: int = 500, order: str = "newest") -> pd.DataFrame:
    with db().read() as cur:
        df = store_alerts.list_alerts(cur, statuses=list(statuses) if statuses else None, limit=limit, order=order)
    return to_local(df, "raised_at", "updated_at")


@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def alert(alert_id: str) -> dict[str, Any] | None:
    with db().read() as cur:
        try:
            a = store_alerts.get_alert(cur, alert_id)
        except KeyError:
            return None
    for k in ("raised_at", "updated_at"):
        a[k] = local(a.get(k))
    return a


@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def alert_items(alert_id: str) -> pd.DataFrame:
    with db().read() as cur:
        return to_local(store_alerts.alert_items(cur, alert_id), "published_at")


@st.cache_data(ttl=TTL, show_spinner=False)
def alert_items_gone(alert_id: str) -> int:
    """How many of the alert's items retention has deleted (the page says so instead of blank rows)."""
    with db().read() as cur:
        return store_alerts.alert_items_gone(cur, alert_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def alert_timeline(alert_id: str) -> pd.DataFrame:
    """hour (Vietnam time), n: the alert's items that still exist, as the timeline draws them."""
    with db().read() as cur:
        return store_alerts.alert_timeline(cur, alert_id, OFFSET_HOURS)


@st.cache_data(ttl=TTL, show_spinner=False)
def alert_history(alert_id: str) -> pd.DataFrame:
    with db().read() as cur:
        return to_local(q.alert_history(cur, alert_id), "at")


@st.cache_data(ttl=TTL, show_spinner=False)
def alert_status_counts() -> dict[str, int]:
    with db().read() as cur:
        return q.alert_status_counts(cur)


@st.cache_data(ttl=TTL, show_spinner=False)
def source_alarms() -> pd.DataFrame:
    with db().read() as cur:
        return to_local(store_alerts.source_alarms(cur), "raised_at", "cleared_at")


# --- briefing --------------------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False)
def last_briefing() -> dict[str, Any] | None:
    with db().read() as cur:
        return store_users.last_briefing(cur)


@st.cache_data(ttl=TTL, show_spinner=False)
def briefings(limit: int = 10) -> pd.DataFrame:
    with db().read() as cur:
        df = pd.DataFrame(store_users.list_briefings(cur, limit))
    return to_local(df, "held_at", "since")


@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def briefing(since: datetime, n_negative: int) -> dict[str, Any]:
    with db().read() as cur:
        return {
            "alerts": to_local(q.alerts_for_briefing(cur, since), "raised_at", "updated_at"),
            "alert_counts": q.briefing_alert_counts(cur, since),
            "notes": to_local(q.alert_notes_since(cur, since), "at"),
            "stories": to_local(q.top_stories(cur, since, 10), "first_seen", "last_seen"),
            "negative": to_local(q.negative_items(cur, since, n_negative), "published_at"),
        }


# --- collaborator (Báo cáo CTV) ---------------------------------------------------------------

def my_reports(reporter: str, limit: int = 20) -> list[dict[str, Any]]:
    """A collaborator's own latest reports. Not cached: read right after a report is sent, and the page confirms
    it from the list's first row («đã được ghi nhận lúc …»)."""
    with db().read() as cur:
        return store_collab.recent_reports(cur, limit=limit, reporter=reporter)


# --- explorer --------------------------------------------------------------------------------

@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def search_text(query: str, since: datetime | None, until: datetime | None, source_types: tuple[str, ...],
                outlets: tuple[str, ...], topics: tuple[str, ...], sentiments: tuple[str, ...], places: tuple[str, ...],
                in_area_only: bool, order: str, limit: int, alert: str | None = None,
                watch: int | None = None) -> tuple[pd.DataFrame, int, bool]:
    """Items matching a typed query (store.search; an empty query lists the newest), best or newest
    first, how many match in all, and whether that count is exact. Raises store.search.QueryError (not
    cached) when the query cannot be read."""
    with db().read() as cur:
        res = store_search.search(cur, query, since=since, until=until, source_types=source_types, outlets=outlets,
                                  topics=topics, sentiments=sentiments, places=places, in_area_only=in_area_only,
                                  order=order, limit=limit, alert_id=alert, watchlist_id=watch)
    return to_local(res.items, "published_at"), res.total, res.total_exact


@st.cache_data(ttl=SLOW_TTL, show_spinner=False)
def filter_options() -> dict[str, list[str]]:
    with db().read() as cur:
        return q.filter_options(cur, now() - timedelta(days=90))


@st.cache_data(ttl=TTL, show_spinner=False)
def item_detail_as_stored(item_id: str) -> dict[str, Any] | None:
    """One item for Tin bài's detail with its text as stored: only for an analyst's reveal (the explorer's toggle,
    the one deliberate way to read a handle); every other read is `item_detail`."""
    with db().read() as cur:
        d = q.item_detail(cur, item_id)
        if d is not None:
            d["history"] = store_tags.label_history(cur, item_id)
    if d is not None:
        d["published_at"] = local(d["published_at"])
        d["fetched_at"] = local(d["fetched_at"])
    return d


# One item for Tin bài's detail, @mentions masked as every feed text is (the same cache, masked on the way out)
item_detail = feed_text(item_detail_as_stored)


# --- topics and places -----------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False)
def trends(days: int) -> dict[str, pd.DataFrame]:
    end = now()
    mid = end - timedelta(days=days)
    start = mid - timedelta(days=days)
    with db().read() as cur:
        return {"topics": q.topic_trends(cur, start, mid, end),
                "places": q.place_trends(cur, start, mid, end, names_since=end - UNIT_NAMES_AGE)}


@st.cache_data(ttl=TTL, show_spinner=False)
def unit_place_names(units: tuple[str, ...]) -> list[str]:
    with db().read() as cur:
        return q.unit_place_names(cur, units, now() - UNIT_NAMES_AGE)


@st.cache_data(ttl=None, show_spinner=False)
def ward_cells() -> dict[str, Any] | None:
    from dashboard.places import ward_cells as wc

    return wc(config().area.province)


@st.cache_data(ttl=None, show_spinner=False)
def area_examples() -> dict[str, str]:
    """Place names of the configured area for the pages' examples (places.area_examples); Quảng Ninh's when the
    shipped list has nothing of it."""
    from dashboard.places import QUANG_NINH_EXAMPLES, area_examples as ae

    return ae(config().area.province, config().area.focus) or dict(QUANG_NINH_EXAMPLES)


@st.cache_data(ttl=None, show_spinner=False)
def ward_coordinates() -> pd.DataFrame:
    from dashboard.places import ward_coordinates as wc

    return wc(config().area.province)


# --- sources ---------------------------------------------------------------------------------

def effective_sources() -> list[Any]:
    return list(sources_store.effective_config(config(), db()).sources)


@st.cache_data(ttl=TTL, show_spinner=False)
def source_health() -> list[dict[str, Any]]:
    srcs = effective_sources()
    with db().read() as cur:
        rows = store_sources.health(cur, srcs, now())
    for r in rows:
        for k in ("last_success_at", "last_attempt_at", "last_error_at", "next_due_at"):
            r[k] = local(r.get(k))
    return rows


@st.cache_data(ttl=TTL, show_spinner=False)
def last_collection_at() -> Any:
    with db().read() as cur:
        return local(store_sources.last_collection_at(cur))


@st.cache_data(ttl=TTL, show_spinner=False)
def last_success_at() -> Any:
    """The last fetch that succeeded (local time): when the server last collected (`last_collection_at` counts failed
    tries too; round 29)."""
    with db().read() as cur:
        return local(store_sources.last_success_at(cur))


def collection() -> "Collection":
    """What the live pages say of collection (`orchestration.status.Collection`, local time, from the cached health
    rows and times): the last try, the last success, the latest failed try when every source's latest failed, whether
    the server is late by its own schedule (`status.collection_late`; Tổng quan and Tin bài then warn, ux33) and
    whether every source is failing (`status.collection_failing`). Replaces `collection_late()` and
    `collection_failing()` (round 29)."""
    from orchestration import status

    cfg = config()
    # a dashboard started outside serve reads serve's snapshot (runtime.open_db)
    age = status.copy_age(cfg, db().path == cfg.storage.snapshot_path)
    return status.Collection.of(source_health(), last_collection_at(), last_success_at(), cfg, local(now()), age)


@st.cache_data(ttl=TTL, show_spinner=False)
def steps_owed() -> tuple[int, int]:
    """(pending, failed): items tagged whose cases and watchlist matching have not run yet
    (store.tags.count_steps_pending), and those whose matching failed every attempt (count_steps_failed); one read,
    as Nguồn tin shows both."""
    with db().read() as cur:
        return store_tags.count_steps_pending(cur), store_tags.count_steps_failed(cur)


def fulltext_settings() -> "FulltextSettings":
    """[fulltext] as collectors.fulltext reads it (whether it runs, its window), for Nguồn tin's words."""
    from collectors import fulltext

    return fulltext.settings(config())


@st.cache_data(ttl=TTL, show_spinner=False)
def fulltext_by_source(days: int) -> list["SourceFulltext"]:
    """Per source, its items of the last `days` days (fetch time) by full-text outcome
    (collectors.fulltext.SourceFulltext): what `langnghe fulltext` says after a run, shown on Nguồn tin."""
    from collectors import fulltext
    from store import fulltext as store_fulltext

    fs, t = fulltext_settings(), now()
    with db().read() as cur:
        rows = store_fulltext.status_by_source(cur, since=t - timedelta(days=days),
                                               window_start=t - timedelta(hours=fs.max_age_hours),
                                               source_types=fs.source_types)
    return fulltext.by_source(rows)


@st.cache_data(ttl=TTL, show_spinner=False)
def recent_errors(limit: int = 50) -> pd.DataFrame:
    with db().read() as cur:
        return to_local(q.recent_errors(cur, limit), "started_at")


@st.cache_data(ttl=TTL, show_spinner=False)
def managed_sources() -> list[dict[str, Any]]:
    with db().read() as cur:
        return store_users.list_managed_sources(cur)


def collector_kinds() -> list[str]:
    from collectors import registry

    registry.load_all()
    return sorted(registry.kinds())


def collector_kind_descriptions() -> dict[str, tuple[str, str]]:
    """kind → (Vietnamese label, one-line description), from each kind's own module."""
    from collectors import registry

    return registry.describe()


# --- admin -----------------------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False)
def users() -> pd.DataFrame:
    with db().read() as cur:
        df = pd.DataFrame(store_users.list_users(cur))
    return to_local(df, "created_at", "updated_at", "last_login_at")


@st.cache_data(ttl=TTL, show_spinner=False)
def display_names() -> dict[str, str]:
    """login name → display name (the login name when none is set), for everything outside Quản trị."""
    with db().read() as cur:
        rows = store_users.list_users(cur)
    return {r["username"]: (r.get("display_name") or "").strip() or r["username"] for r in rows}


# the logins the system's own steps are recorded under: alerts' events «system» (store.alerts), a case's opening
# «hệ thống» (store.cases.open_cases)
SYSTEM_LOGINS = ("system", "hệ thống")


def person(username: object) -> str:
    """A staff member as every page but Quản trị names them: the display name; the system's own steps «Hệ thống»;
    "" for nobody, and for a login no account has (synthetic events by «demo», an import): until round 22 that login
    showed as it was, on Trước giao ban too. Login names appear only on Quản trị."""
    if not isinstance(username, str) or not username:
        return ""
    if username in SYSTEM_LOGINS:
        return "Hệ thống"
    return display_names().get(username, "")


def people(usernames: Iterable[object]) -> list[str | None]:
    """A table column of staff (Giao cho, Người thực hiện, Người sửa): each as `person` names them, None for nobody
    (the table's «—»)."""
    return [person(u) or None for u in usernames]


def named(username: object, words: str) -> str:
    """`words` with the person put in at «{}», or "" when `person` names nobody: a sentence that names who did
    something («Lưu lần cuối bởi {} lúc …») leaves that part out, rather than reading «bởi  lúc» or «()»."""
    who = person(username)
    return words.format(who) if who else ""


@st.cache_data(ttl=TTL, show_spinner=False)
def audit(days: int, limit: int = 1000, include_system: bool = False) -> dict[str, Any]:
    """The newest `limit` rows of each log over `days` days, and how many there are in all (`total`: alert
    events, staff's only unless `include_system`, plus dashboard actions)."""
    since = now() - timedelta(days=days)
    with db().read() as cur:
        dash = pd.DataFrame(store_users.list_audit(cur, since, limit))
        logins = pd.DataFrame(store_users.recent_logins(cur, limit))
        alerts_log = store_alerts.audit_log(cur, since=since, limit=limit, include_system=include_system)
        total = store_alerts.count_events(cur, since, include_system) + store_users.count_audit(cur, since)
    return {"dashboard": to_local(dash, "at_time"), "logins": to_local(logins, "at_time"),
            "alerts": to_local(alerts_log, "at"), "total": total}


@st.cache_data(ttl=TTL, show_spinner=False)
def ui_settings() -> dict[str, Any]:
    with db().read() as cur:
        return store_users.get_settings(cur)


def mask_mentions_now() -> bool:
    """Whether @mentions in feed text are masked now: the admin's saved switch over the config's, and
    [privacy] mask_mentions (vocab.privacy.mentions_masked_by, the question reports and notifications ask too)."""
    return mentions_masked_by(config(), ui_settings())


def author_masking() -> dict[str, Any]:
    """Whether author handles are masked (admin setting over config) and which authors are public."""
    from vocab.config import section

    cfg = config()
    enabled = ui_settings().get("retention.mask_author_handles", cfg.retention.mask_author_handles)
    priv = section(cfg, "privacy")
    return {"enabled": bool(enabled), "public_authors": list(priv.get("public_authors", []))}


@dataclass
class OpenedUpload:
    """The upload the Nhập dữ liệu page has open (data.import_opened): its digest, the file opened once, its columns."""

    file_id: str
    key: tuple[str, str]  # (SHA-1 of the bytes, file name)
    opened: Any  # collectors.imports.OpenedFile
    columns: list[str]


_OPENED = "_import_opened_"  # session key of the OpenedUpload


def import_opened(upload: Any) -> OpenedUpload:
    """The page's upload opened once (collectors.imports.OpenedFile), kept in the session by the SHA-1 of its bytes:
    its columns, its previews and its import read it without opening it again (an XLSX was opened for the columns, the
    preview and the import, 3–9 s each for a 20,000-row sheet under load; round 24). The same bytes uploaded again are
    not opened again; another file closes the last. An unreadable file or a bomb raises ImportFormatError, as before,
    and is not kept."""
    from collectors import imports as imp

    kept: OpenedUpload | None = st.session_state.get(_OPENED)
    if kept is not None and kept.file_id == upload.file_id:
        return kept
    key = (imp.file_sha1(upload), str(upload.name))
    if kept is not None and kept.key == key:
        kept.file_id = upload.file_id
        return kept
    forget_import()
    opened = imp.OpenedFile(upload.name, upload, config().imports, sha1=key[0])  # the import log's, computed once
    try:
        with opened.table() as table:
            columns = list(table.columns)
    except Exception:
        opened.close()
        raise
    st.session_state[_OPENED] = OpenedUpload(upload.file_id, key, opened, columns)
    return st.session_state[_OPENED]


def forget_import() -> None:
    """Let the page's open upload go (the box emptied, another file chosen)."""
    kept: OpenedUpload | None = st.session_state.pop(_OPENED, None)
    if kept is not None:
        kept.opened.close()
    st.session_state.pop(_PREVIEW, None)


PREVIEW_PROGRESS_ROWS = 1000  # rows between two steps of the preview's progress (the first items come after one)
_PREVIEW = "_import_preview_"  # session key of the latest preview: (its arguments, its Preview)


def import_preview(upload: OpenedUpload, mapping: tuple[tuple[str, str], ...], settings: Any,
                   n: int, chunk_rows: int, on_progress: Callable[[Any, float | None], None] | None = None) -> Any:
    """The Nhập dữ liệu page's preview of one upload (import_opened) with one mapping and settings: every row read and
    mapped (counts, skip reasons, a limit deep in the file) in constant memory. A 20,000-row CSV took 3 s at rest
    and 15–20 s on a busy server, an XLSX three times that, behind «Đang đọc tệp…» and nothing else (round 23):
    `on_progress(the preview so far, share of the file read)` every PREVIEW_PROGRESS_ROWS rows lets the page show
    the first items after the first step and move its bar. Kept in the session (the latest one, so a click on the
    page reads nothing again), not in st.cache_data: a cached function must not draw on the page's boxes
    (Streamlit replays what a cached call drew, and a box it did not make breaks the replay). An unreadable file
    raises, and is not kept."""
    from collectors import imports as imp

    key = (upload.key, mapping, repr(settings), n, chunk_rows)
    kept = st.session_state.get(_PREVIEW)
    if kept and kept[0] == key:
        return kept[1]
    with upload.opened.table() as table:
        step = None if on_progress is None else (lambda part: on_progress(part, table.position()))
        pv = imp.preview(table.rows, table.columns, dict(mapping), settings, now(), n=n,
                         chunk_rows=min(chunk_rows, PREVIEW_PROGRESS_ROWS), notes=table.notes, on_chunk=step)
    st.session_state[_PREVIEW] = (key, pv)
    return pv


@st.cache_data(ttl=TTL, show_spinner=False)
def recent_imports(limit: int = 20) -> list[dict[str, Any]]:
    from store import imports as store_imports

    with db().read() as cur:
        return store_imports.recent_imports(cur, limit)


# --- watchlists (Theo dõi) --------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False)
def watchlists() -> list[dict[str, Any]]:
    with db().read() as cur:
        return store_watch.list_watchlists(cur)


@st.cache_data(ttl=TTL, show_spinner=False)
def watch_counts(days: int) -> tuple[pd.DataFrame, dict[int, int]]:
    """Hits per watchlist and local day over the last `days` local days (today included), and the totals
    over the same days (what the chart adds up to)."""
    since = local_day_start() - timedelta(days=days - 1)
    with db().read() as cur:
        df = store_watch.hit_counts(cur, since, "day", OFFSET_HOURS)
        totals = store_watch.hit_totals(cur, since)
    return df, totals


@feed_text
@st.cache_data(ttl=TTL, show_spinner=False)
def watch_hits(watchlist_id: int, limit: int = 100) -> pd.DataFrame:
    with db().read() as cur:
        return to_local(store_watch.recent_hits(cur, watchlist_id, limit), "published_at")
