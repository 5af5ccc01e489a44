"""The figures `langnghe status --json` prints and other checks read.

Reads the live database if it is free, otherwise the snapshot `serve` publishes, and says which. A
damaged or unreadable database also falls back to that snapshot, with a note that says so. The live file is
only ever opened read-only (DuckDB `read_only=True`): opened for writing (to migrate) it took DuckDB's write
lock for a second or so, which is what made a `langnghe restore` at that second wait or refuse, and a status
upgraded an older database unasked. A file that lacks this release's migrations is not upgraded: status says so
and counts its items only (its tables may lack what the other figures read).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from collectors.base import ENTRIES_CUT
from vocab.config import Config, LimitsConfig, snapshot_owner
from vocab.numbers import fmt_num, number
from store import items as store_items
from store import sources as store_sources
from store import tags as store_tags
from store.db import Database, NoDatabase, StorageError, open_read_only, utcnow
from orchestration.sources import effective_config
from nlp.version import current_stamp

# where the figures were read (`origin` in the JSON, a code), as `langnghe status` says it to staff
ORIGIN_LABELS = {"database": "cơ sở dữ liệu", "database (read-only)": "cơ sở dữ liệu, chỉ đọc được",
                 "snapshot": "bản chụp của serve", "none": "chưa có cơ sở dữ liệu"}

# a source's health state (`status` of each source row, a code) as staff read it: Nguồn tin, Tổng quan and
# `langnghe sources` say the same words (the CLI printed «ok», «never_run» until round 21)
HEALTH_STATUS = {
    "ok": "Hoạt động",
    "error": "Lỗi",
    "failing": "Lỗi kéo dài",
    "paused": "Tạm dừng",
    "never_run": "Chưa chạy",
}

# problems first (failing, error, never run), then the rest; a state not listed sorts with "ok"
_STATE_RANK = {"failing": 0, "error": 1, "never_run": 2, "ok": 3, "paused": 4}


def state_counts(health: list[dict[str, Any]]) -> Counter[str]:
    """How many sources are in each state (store.sources.health rows): Tổng quan's line and Nguồn's metrics."""
    return Counter(h["status"] for h in health)


def problems_first(health: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failing, erroring and never-run sources first, then the rest in configuration order (a stable sort)."""
    return sorted(health, key=lambda h: _STATE_RANK.get(h["status"], 3))


# How late a collection may be past the scheduler's own plan before a screen says the server has stopped collecting:
# on top of a tick (a due source is picked up at the next one) and one fetch's deadline, what else a tick runs before
# the next pass (ingest's full text of new items, 50 articles at 3 s a site; the catch-up, tagging, a weekly report,
# the day's retention). A stopped server shows within 15 + 11 minutes with the default schedule; a busy one is not
# taken for a stopped one (round 28, ux33).
LATE_MARGIN = timedelta(minutes=10)


def collection_due_by(health: Iterable[dict[str, Any]], last_collected_at: datetime | None,
                      cfg: Config, copy_age: timedelta = timedelta(0)) -> datetime | None:
    """The latest time the server should have collected again, by its own plan, or None when nothing is expected.

    The plan is the scheduler's (collectors.runner.Runner.due): each enabled source is fetched once its
    `next_due_at` (store.sources.health, its interval after its last poll, later while it backs off) has passed;
    a source that never ran, or was enabled again with an old `next_due_at`, was due by the last collection at the
    latest. The soonest of those, plus a tick, one fetch's deadline and LATE_MARGIN. None with no enabled source
    (nothing to collect: paused is not late) or no collection yet (a new database says so, not «late»). The times
    in `health` and `last_collected_at` are in one clock (UTC, or Vietnam time as the dashboard reads them).
    `copy_age`: how old the copy read may be (`langnghe status` beside a running serve reads its snapshot, up to
    `snapshot_every_minutes` behind: without it a serve collecting normally read «đã ngừng»; round 28's review)."""
    if last_collected_at is None:
        return None
    dues = [r.get("next_due_at") or last_collected_at for r in health if r.get("enabled")]
    if not dues:
        return None
    due = max(min(dues), last_collected_at)
    return (due + timedelta(seconds=cfg.schedule.tick_seconds + cfg.http.fetch_deadline_seconds) + LATE_MARGIN
            + copy_age)


def copy_age(cfg: Config, from_snapshot: bool) -> timedelta:
    """How old the figures read may be: serve's snapshot is up to `snapshot_every_minutes` behind (`langnghe status`
    beside a running serve; a dashboard started outside serve, runtime.open_db), the live database not at all."""
    return timedelta(minutes=cfg.storage.snapshot_every_minutes) if from_snapshot else timedelta(0)


def collection_late(health: Iterable[dict[str, Any]], last_collected_at: datetime | None, cfg: Config,
                    now: datetime, copy_age: timedelta = timedelta(0)) -> bool:
    """Whether the server has stopped collecting: `now` past `collection_due_by` (exactly at it is not late)."""
    return _past(collection_due_by(health, last_collected_at, cfg, copy_age), now)


def _past(due_by: datetime | None, now: datetime) -> bool:
    return due_by is not None and now > due_by


def collection_failing(health: Iterable[dict[str, Any]]) -> tuple[bool, datetime | None]:
    """Whether the server runs but brings nothing: every enabled source that has run is `failing` (3 failures in a
    row or more: store.sources._status), and when the last of them last succeeded (None: never). The stopped-server
    rule does not see it, since each failed try is a collection by the scheduler's plan: a network cut at the
    office left Tin bài quiet with no word (round 28; «đang lỗi» was only on Nguồn tin and Tổng quan's last line)."""
    ran = [r for r in health if r.get("enabled") and r.get("last_attempt_at") is not None]
    if not ran or any(r.get("status") != "failing" for r in ran):
        return False, None
    successes = [r["last_success_at"] for r in ran if r.get("last_success_at") is not None]
    return True, max(successes) if successes else None


def last_failed_try(health: Iterable[dict[str, Any]]) -> datetime | None:
    """The latest try when every enabled source that has run failed its latest one (one failure or more: `error` or
    `failing`), None while one source's latest try succeeded. The server still tries but has brought nothing since its
    last success: the collection lines say both times, «thu thập được tin lần gần nhất lúc 08:10:00; từ đó vẫn thử nhưng
    lỗi ở mọi nguồn, lần thử gần nhất lúc 14:58:10», where they said «thu thập lần gần nhất lúc 14:58:10», each failed
    try counted as a collection (round 29, ux35). `collection_failing` is the warning's stricter rule (3 in a row)."""
    ran = [r for r in health if r.get("enabled") and r.get("last_attempt_at") is not None]
    if not ran or any(not r.get("consecutive_failures") for r in ran):
        return None
    return max(r["last_attempt_at"] for r in ran)


@dataclass(frozen=True)
class Collection:
    """What the live pages and `langnghe status` say of collection, in one clock: the last fetch that finished,
    failed or not (`tried_at`: the stopped-server rule's), the last that succeeded (`got_at`: «thu thập lần gần
    nhất»), the latest failed try when every source's latest failed (`failed_try_at`, `last_failed_try`), whether the
    server is late by its schedule (`late`, past `due_by`: `collection_due_by`) and whether every source is failing,
    3 in a row (`failing`, with the last success: `collection_failing`). The one source of these figures: the pages
    (dashboard.data.collection) and `collect_status` (`langnghe status`) both build it (round 30, fix30: status
    judged late and the failed try itself before)."""
    tried_at: datetime | None = None
    got_at: datetime | None = None
    failed_try_at: datetime | None = None
    late: bool = False
    failing: tuple[bool, datetime | None] = (False, None)
    due_by: datetime | None = None

    @classmethod
    def of(cls, health: list[dict[str, Any]], tried_at: datetime | None, got_at: datetime | None, cfg: Config,
           now: datetime, copy_age: timedelta = timedelta(0)) -> "Collection":
        due_by = collection_due_by(health, tried_at, cfg, copy_age)
        return cls(tried_at, got_at, last_failed_try(health), _past(due_by, now), collection_failing(health), due_by)


def stale_snapshots(cfg: Config) -> list[str]:
    """Snapshots in the database's folder whose own database is no longer there (vocab.config.snapshot_owner): the
    database was renamed (or $LANGNGHE_DB/db_path now names another) and `serve` writes its snapshot beside the new
    name, so the old one stayed, a copy of every item as it was, which retention never purges. Named by `langnghe
    status`, never deleted: it may be the only copy of a database deleted by mistake (round 30, fix30). The configured
    snapshot, and another database's beside it, are not stale."""
    folder = os.path.dirname(cfg.storage.db_path)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return []
    # the configured snapshot, and the database itself: one named as a snapshot («x.snapshot.duckdb», a snapshot
    # served from after a loss) was said to be deletable, its «x.duckdb» being gone (round 30's sweep, hostile33)
    mine = {os.path.abspath(cfg.storage.snapshot_path), os.path.abspath(cfg.storage.db_path)}
    out = []
    for name in names:
        path = os.path.join(folder, name)
        owner = snapshot_owner(path)
        if owner is None or os.path.abspath(path) in mine or os.path.lexists(owner) or not os.path.isfile(path):
            continue
        # a name that is not UTF-8 (bytes the listing carries as surrogates) with its bytes as «\xff»: printed as it
        # was, it was a UnicodeEncodeError traceback out of `status` under a UTF-8 locale, and invalid UTF-8 in its
        # JSON (round 30's sweep, hostile33)
        out.append(os.fsencode(path).decode("utf-8", "backslashreplace"))
    return out


STALE_NAMED = 10  # snapshots named by `status`'s line; the others counted (100,000 of them were a 3.6 MB line)


def stale_snapshots_text(paths: list[str]) -> str:
    """What `langnghe status` says of `stale_snapshots` (said only when there is one)."""
    named = ", ".join(paths[:STALE_NAMED])
    if len(paths) > STALE_NAMED:
        named += f" và {number(len(paths) - STALE_NAMED)} bản chụp khác cùng thư mục"
    return (f"Bản chụp cũ không còn cơ sở dữ liệu đi kèm (có thể còn lại sau khi đổi tên hoặc xóa cơ sở dữ liệu): "
            f"{named}. Bản chụp vẫn giữ toàn bộ tin tại thời điểm chụp và không được dọn theo thời hạn lưu "
            "trữ: nếu không cần, hãy xóa; nếu cần khôi phục, dùng `langnghe restore`.")


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") + "Z" if dt else None


def _open(cfg: Config) -> tuple[Database, str, str | None]:
    """(database, origin, note): the live file, read-only, if it can be opened, else what can still be read."""
    path = cfg.storage.db_path
    try:
        db, from_snapshot = open_read_only(cfg.storage)
    except StorageError as exc:
        return _snapshot_or_raise(cfg, exc)
    if from_snapshot:
        return db, "snapshot", f"dữ liệu từ bản chụp {cfg.storage.snapshot_path} (serve đang giữ cơ sở dữ liệu)"
    if not _writable(path):
        return db, "database (read-only)", (
            f"cơ sở dữ liệu {path} chỉ đọc được, không ghi được: tệp, thư mục hoặc ổ đĩa chỉ cho phép đọc; serve và "
            "các lệnh ghi sẽ báo lỗi. Hãy kiểm tra quyền ghi của tài khoản chạy Lắng Nghe.")
    return db, "database", None


def _writable(path: str) -> bool:
    """Whether the database file and its folder (its `.wal` is made there) may be written by this account."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _old_schema(db: Database, origin: str, cfg: Config, now: datetime) -> dict[str, Any] | None:
    """What status can say of a file older than this release (None when it is current): a read-only status does
    not migrate it, and the other figures' queries may name tables and columns it lacks."""
    missing = db.missing_migrations()
    if not missing:
        return None
    n = 0
    if missing[0] != 1:  # the first migration made `items`; without it the file is no Lắng Nghe database yet
        with db.read() as cur:
            n = store_items.count_items(cur)
    return {
        "db_path": cfg.storage.db_path, "origin": origin, "generated_at": _iso(now), "items": n,
        "last_collection_at": None, "last_success_at": None, "last_failed_try_at": None, "collection_due_by": None,
        "collection_late": False, "sources": [], "missing_migrations": missing,
        "note": old_schema_note(db.path, missing, "`langnghe status` chỉ đọc, không nâng cấp, nên chỉ đếm số tin."),
    }


def old_schema_note(path: str, missing: list[int], what: str) -> str:
    """What a read-only command says of a file older than this release: `what` it did instead, and how to upgrade
    (one wording for `status` and `search`)."""
    steps = ", ".join(f"{v:03d}" for v in missing)
    return (f"{path} có cấu trúc cũ hơn phiên bản đang cài (thiếu {len(missing)} bước nâng cấp: {steps}). {what} "
            "Chạy `langnghe serve` (hoặc `langnghe init-db`) để nâng cấp; một bản sao được chép trước khi nâng cấp.")


def _snapshot_or_raise(cfg: Config, exc: StorageError) -> tuple[Database, str, str | None]:
    """The last snapshot, with a note saying why; the storage error itself when there is none."""
    if not os.path.exists(cfg.storage.snapshot_path):
        raise exc
    note = (f"KHÔNG đọc được cơ sở dữ liệu — số liệu dưới đây lấy từ bản chụp gần nhất "
            f"{cfg.storage.snapshot_path}, có thể đã cũ. {exc}")
    return Database(cfg.storage.snapshot_path, read_only=True), "snapshot", note


def _figures(db: Database, cfg: Config, now: datetime) -> tuple[dict[str, int], list[dict[str, Any]], Any, dict]:
    """(totals, health, (last fetch finished, last fetch that succeeded), cut counts)."""
    sources = effective_config(cfg, db).sources  # what serve and collect collect, Nguồn page included
    stamp = _stamp(cfg)
    with db.read() as cur:
        totals = store_items.totals(cur, now)
        totals["to_tag"] = store_tags.count_to_tag(cur, stamp) if stamp else None
        totals["steps_pending"] = store_tags.count_steps_pending(cur)
        totals["steps_failed"] = store_tags.count_steps_failed(cur)
        return (totals, store_sources.health(cur, sources, now),
                (store_sources.last_collection_at(cur), store_sources.last_success_at(cur)), store_items.cut_counts(cur))


def _stamp(cfg: Config) -> str | None:
    """The stamp `serve` tags with; None without trained models (then nothing can be tagged anyway)."""
    try:
        return current_stamp(cfg)
    except FileNotFoundError:
        return None


def collect_status(cfg: Config, db: Database | None = None) -> dict[str, Any]:
    now = utcnow()
    origin = "database"
    note = None
    if db is not None:
        totals, health, last, cuts = _figures(db, cfg, now)
    else:
        try:
            db, origin, note = _open(cfg)
        except NoDatabase as exc:
            return {
                "db_path": cfg.storage.db_path, "origin": "none", "items": 0, "last_collection_at": None,
                "last_success_at": None, "last_failed_try_at": None, "collection_due_by": None, "collection_late": False, "sources": [], "note": str(exc),
            }
        try:
            try:
                if (old := _old_schema(db, origin, cfg, now)) is not None:
                    return old
                totals, health, last, cuts = _figures(db, cfg, now)
            except StorageError as exc:  # damaged blocks show up only when read
                if origin == "snapshot":
                    raise
                db.close()
                db, origin, note = _snapshot_or_raise(cfg, exc)
                totals, health, last, cuts = _figures(db, cfg, now)
        finally:
            db.close()
    # the dashboard's rule (collection_late, ux33), judged before the times become text: `langnghe status` printed
    # the last collection without saying it was long past the server's own schedule (round 28, cli34)
    col = Collection.of(health, *last, cfg, now, copy_age(cfg, origin == "snapshot"))
    for row in health:
        for k, v in list(row.items()):
            if isinstance(v, datetime):
                row[k] = _iso(v)
    out: dict[str, Any] = {
        "db_path": cfg.storage.db_path,
        "origin": origin,
        "generated_at": _iso(now),
        "items": totals["items"],
        "items_last_24h": totals["last_24h"],
        "items_by_source_type": {"press": totals["press"], "social": totals["social"],
                                 "ctv": totals["ctv"]},
        "outlets": totals["outlets"],
        # untagged, or tagged by another model or pipeline: serve tags them a batch per tick, newest first
        "items_to_tag": totals["to_tag"],
        # tagged, but their complaint case and watchlist matching not run yet (a stop, a crash or a failed step
        # came between): 0 between passes; serve runs them at its next start and in each tick's tag job
        "items_steps_pending": totals["steps_pending"],
        # tagged, but their cases / watchlist matching failed store.tags.STEP_ATTEMPTS times: no longer tried
        "items_steps_failed": totals["steps_failed"],
        # the last fetch that finished, failed or not (is the server still trying), and the last that succeeded
        # (when it last collected: round 29, a server whose every source failed read as fresh)
        "last_collection_at": _iso(col.tried_at),
        "last_success_at": _iso(col.got_at),
        # the latest try when every enabled source's latest try failed (None while one succeeds)
        "last_failed_try_at": _iso(col.failed_try_at),
        # when the server should have collected again by its own schedule (None: nothing expected), and whether now
        # is past it: it has stopped collecting (the warning Tổng quan and Tin bài show)
        "collection_due_by": _iso(col.due_by),
        "collection_late": col.late,
        "sources_failing": sum(1 for r in health if r["status"] in ("error", "failing")),
        "sources": health,
        "items_cut": cuts,  # {source: {"title": n, "text": n}}: stored cut to [storage] max_*_chars
    }
    if stale := stale_snapshots(cfg):
        out["stale_snapshots"] = stale
    if note:
        out["note"] = note
    return out


def steps_failed_text(n: int) -> str:
    """What `langnghe status` says of items whose cases and watchlist matching failed every attempt: said only
    when some did, so that an item given up is seen, not silently lost (the serve log names each, once)."""
    return (f"Tin đã gán nhãn nhưng đối chiếu hồ sơ phản ánh và danh sách theo dõi lỗi {store_tags.STEP_ATTEMPTS} "
            f"lần nên đã dừng thử: {n} — `langnghe steps` liệt kê theo bước lỗi và lỗi gần nhất; sửa nguyên nhân rồi "
            "đưa chúng vào lại hàng chờ: quản trị viên bấm «Thử lại các tin đã dừng» ở trang Nguồn tin, hoặc "
            "`langnghe steps --retry` khi serve đã dừng.")


def steps_pending_text(n: int) -> str:
    """What `langnghe status` and the Nguồn tin page say of items tagged but not yet matched (cases, watchlists):
    said only when some are, as 0 is the normal state between passes and a line of 0 is noise."""
    return (f"Tin đã gán nhãn nhưng chưa đối chiếu hồ sơ phản ánh và danh sách theo dõi: {n} — thường do serve dừng "
            "hoặc gặp sự cố giữa chừng; serve xử lý nốt khi khởi động lại và ở lượt gán nhãn kế tiếp.")


def entries_cut(row: dict[str, Any]) -> int:
    """Entries a source's last fetch did not read, past the cap of one answer ([limits] max_entries): counted
    by the collector (`last_skipped`, store.sources.health) and, until dash7, said nowhere."""
    return int((row.get("last_skipped") or {}).get(ENTRIES_CUT, 0))


def last_run_text(row: dict[str, Any]) -> str:
    """A source's last successful fetch as Nguồn tin's table says it, «1.250 mục, 12 tin mới; bỏ qua 250 mục vượt
    giới hạn»; «không có gì mới» for an answer that nothing changed; "" for a source never fetched."""
    if row.get("last_http_status") == 304:
        return "không có gì mới"
    if row.get("last_entries_seen") is None:
        return ""
    cut = entries_cut(row)
    return (f"{number(row['last_entries_seen'])} mục, {number(row.get('last_items_new') or 0)} tin mới"
            + (f"; bỏ qua {number(cut)} mục vượt giới hạn" if cut else ""))


def over_cap_text(health: list[dict[str, Any]], limits: LimitsConfig) -> str:
    """Nguồn tin's word on the sources whose last fetch held more than one answer is read for ([limits] max_entries,
    or an RSS answer's max_feed_mb: its entries past that cut are counted the same); "" when none did, so that a
    feed that always overflows is noticed, not only counted."""
    over = [(h["source"], n) for h in health if (n := entries_cut(h))]
    if not over:
        return ""
    names = ", ".join(f"{s} (bỏ qua {number(n)} mục)" for s, n in over)
    return (f"Lần tải gần nhất của {number(len(over))} nguồn vượt giới hạn một lần tải được đọc "
            f"({number(limits.max_entries)} mục, hoặc {fmt_num(limits.max_feed_mb, 1)} MB với nguồn RSS): {names}. "
            "Các mục vượt giới hạn không được đọc ở lần tải đó; nguồn lần nào cũng vượt thì nên "
            "tải thường xuyên hơn (giảm «Chu kỳ») hoặc tách thành nhiều nguồn nhỏ hơn.")
