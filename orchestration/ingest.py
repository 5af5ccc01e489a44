"""The one ingest path. Every source of items stores them its own way, then hands the new ids here.

    collector runner (a source's batch + health, one transaction) ─┐
    import file (items + import_log)                               │
    collaborator report (item + collab_reports row) ── submit_report
    replay (simulated time)                                        │
                                                                   ▼
                      process(new_ids):  1 full text   collectors.fulltext.run (press items)
                                         2 tags        nlp.service.tag_ids
                                         3 cases       orchestration.cases (own channels, complaints)
                                         3b watchlists detection.watch.match_new (hits stored, alerts raised)
                                            (run_steps; an item's first tags mark 3 and 3b as owed, in the
                                            tags' transaction; done, the mark goes. Marks a stop or a crash left
                                            are run by finish_tagged: the catch-up at start, the tag job each tick)
                                         4 stories     detection.jobs, on the scheduler's next tick
                                                       (grouping and detection share one in-memory index)

`retag(cfg, db, ids)` is the same step 2 for items whose text changed later (full-text catch-up,
a mojibake repair), with their stories' topics and places brought in step.
Nothing here is optional: an import error is a bug and surfaces as one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from collectors import collab as collab_kind
from collectors import fulltext
from detection import watch
from nlp import service as nlp_service
from orchestration import cases
from store import collab as store_collab
from store import stories as store_stories
from store import tags as tag_store
from store.db import Database, utcnow
from vocab.config import Config, section
from vocab.numbers import number
from vocab.timefmt import fmt_local

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("langnghe.ingest")

Processor = Callable[[list[str]], None]


def processor(cfg: Config, db: Database, clock: Callable[[], datetime] = utcnow,
              stop: threading.Event | None = None) -> Processor:
    """The callback every source of items calls with the ids it has just stored. `clock` stamps the
    tags, cases and watchlist hits of a batch (a replay's simulated time; the wall clock otherwise): read
    once before tagging for the tags, and once after, so that live cases are stamped when they open.
    `stop` (serve stopping) ends it between articles and between tagging batches, keeping what is saved: the
    articles left are fetched by the next run, the items left untagged are tagged by the catch-up at the next
    start; cases and watchlists wait for a batch's tags, so they are left out once a stop cut the tagging short, and
    the catch-up runs them (`finish_tagged`) for every item tagged without them."""

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    def process(new_ids: list[str]) -> None:
        if not new_ids:
            return
        if fulltext.settings(cfg).enabled:
            try:
                asyncio.run(fulltext.run(cfg, db, ids=list(new_ids), now=clock(), stop=stop))
            except Exception:
                log.exception("full-text extraction failed; items keep their summaries")
        if stopped():
            log.info("stopping: %d new items are tagged by the catch-up at the next start", len(new_ids))
            return
        try:
            if not _tag_until_stopped(cfg, db, list(new_ids), clock, stopped):
                log.info("stopping: the items of this batch left untagged are tagged by the catch-up at the next start")
                return
        except Exception:
            log.exception("tagging %d new items failed; the tagging job retries them", len(new_ids))
        run_steps(cfg, db, [(i, None) for i in new_ids], clock())

    return process


@dataclass(frozen=True)
class StepFailure:
    """Which after-tagging step failed on a run, and its error in words (kept on the items' marks, shown by
    `langnghe steps`)."""

    step: str  # vocab.labels.STEP_LABELS: "cases" | "watchlists"
    error: str


def after_tagging(cfg: Config, db: Database, ids: list[str], now: datetime,
                  tagged_since: datetime | None = None) -> bool:
    """Steps 3 and 3b for tagged items, once (`run_steps` is the path's entry, which counts failures). Whether both
    ran."""
    return _steps(cfg, db, ids, now, tagged_since) is None


def _steps(cfg: Config, db: Database, ids: list[str], now: datetime,
           tagged_since: datetime | None) -> StepFailure | None:
    """Complaint cases, then watchlist hits and their alerts, stamped `now`. Both are idempotent (one case per item,
    one hit per watchlist and item, a reported hit never re-reported), so a run repeated after a crash opens and
    pushes nothing twice. Once both ran, the items' marks (store.tags steps_pending, written with their first tags)
    go; a step that failed keeps them for the next catch-up, and the first failure is returned."""
    failure: StepFailure | None = None
    try:  # after tagging, so a case knows its place
        cases.open_for_items(cfg, db, ids, now=now)
    except Exception as exc:
        failure = StepFailure("cases", _in_words(exc))
        log.exception("opening complaint cases for %d new items failed", len(ids))
    try:  # after tagging: a watchlist may be narrowed by place or topic
        watch.match_new(db, ids, now, tagged_since=tagged_since)
    except Exception as exc:
        failure = failure or StepFailure("watchlists", _in_words(exc))
        log.exception("matching %d new items against the watchlists failed", len(ids))
    if failure is None:
        _steps_done(db, ids)
    return failure


def _in_words(exc: BaseException) -> str:
    """An error as the maintainer reads it: its class and message (the traceback is in the serve log)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _steps_done(db: Database, ids: list[str]) -> None:
    with db.write() as cur:
        tag_store.steps_done(cur, ids)


def run_steps(cfg: Config, db: Database, pending: list[tuple[str, datetime | None]], now: datetime) -> set[str]:
    """Steps 3 and 3b for items just tagged, (item id, first tagged at or None), on every path alike: the live pass
    (`processor`) and the catch-up (`finish_tagged`). The batch at once; when a step fails, item by item, so one
    bad item holds back nothing else, and each item failing counts an attempt on its mark
    (store.tags.step_failed, with the step and its error); given up after store.tags.STEP_ATTEMPTS, logged once.
    Until round 20 only the catch-up counted, so a failure on the live path cost no attempt. Returns the ids whose
    steps ran."""
    if not pending:
        return set()
    ids = [i for i, _ in pending]
    since = min((t for _, t in pending if t is not None), default=None)
    if _steps(cfg, db, ids, now, since) is None:
        return set(ids)
    ok: set[str] = set()
    for item_id, tagged_at in pending:
        failure = _steps(cfg, db, [item_id], now, tagged_at)
        if failure is None:
            ok.add(item_id)
            continue
        with db.write() as cur:
            given_up = tag_store.step_failed(cur, item_id, now, failure.step, failure.error)
        if given_up:
            log.error("item %s: complaint cases / watchlist matching failed %d times; no longer tried (listed by "
                      "`langnghe steps`, put back by `langnghe steps --retry`)", item_id, tag_store.STEP_ATTEMPTS)
    return ok


def finish_tagged(cfg: Config, db: Database, *, now: datetime | None = None,
                  stop: threading.Event | None = None) -> int:
    """Run the after-tagging steps for items tagged whose steps never ran: a stop of serve between tagging batches
    (the catch-up tagged the rest), a crash between a batch's tags and its steps, or a step that failed on the live
    path. [nlp] batch_size at a time, oldest tagging first, until none is left or `stop` is set, through `run_steps`
    (a failing item counts an attempt and is skipped for the rest of this run). `now` (the wall clock by default)
    stamps the cases and hits and is the time a watchlist's window is counted back from: an item published longer
    ago than its window is stored as a hit and pushes nothing, as it would not have live; one within it is pushed,
    through the outbox's usual quiet hours and digests. Returns how many items were done."""
    size = nlp_service.batch_size(cfg)
    done = 0
    failed: set[str] = set()  # items that failed in this run: not tried again before the next one
    while not (stop is not None and stop.is_set()):
        asked = size + len(failed)
        with db.read() as cur:
            rows = tag_store.steps_pending(cur, asked)
        pending: list[tuple[str, datetime | None]] = [(i, t) for i, t in rows if i not in failed][:size]
        if not pending:
            break
        ok = run_steps(cfg, db, pending, now or utcnow())
        done += len(ok)
        failed.update(i for i, _ in pending if i not in ok)
        if len(rows) < asked:
            break
    if done:
        # in the console's words (an import's or a collect's catch-up printed it in English until round 28)
        log.info("Đã đối chiếu hồ sơ phản ánh và danh sách theo dõi cho %s tin đã gán nhãn trước một lần dừng hoặc sự cố",
                 number(done))
    return done


def _tag_until_stopped(cfg: Config, db: Database, ids: list[str], clock: Callable[[], datetime],
                       stopped: Callable[[], bool]) -> bool:
    """Tag `ids` [nlp] batch_size at a time, each batch saved, until `stopped()` between two; whether all were
    tagged. Why batches: a source's huge batch (thousands of items, seconds each thousand) held a stop of serve
    for all of it. The first batch's clock stamps them all, as one call did."""
    size = nlp_service.batch_size(cfg)
    now = clock()
    for k in range(0, len(ids), size):
        if k and stopped():
            return False
        nlp_service.tag_ids(cfg, db, ids[k:k + size], now=now)
    return True


def retag(cfg: Config, db: Database, ids: list[str]) -> None:
    """Tag these items again (their text changed after they were tagged) and copy the new tags into
    the stories they were grouped in."""
    if not ids:
        return
    nlp_service.tag_ids(cfg, db, ids)
    with db.write() as cur:
        store_stories.resync_tags(cur, ids, utcnow())


class ReportLimitError(ValueError):
    """A collaborator sent `[collab] max_reports_per_hour` reports in the last hour; the message says when to
    send again. Nothing already sent is touched, and the page keeps the refused text in its box."""


def submit_report(db: Database, cfg: Config, report: store_collab.NewReport) -> store_collab.Saved:
    """A collaborator's report: mapped like a collected entry, stored with its report row in one
    transaction, then down the same path. Raises SkipItem/ValueError on bad input, ReportLimitError
    (a ValueError) past the account's hourly limit; a resend of a saved report is answered as before."""
    now = utcnow()
    item = collab_kind.map_report(reporter=report.reporter, text=report.text, place=report.place,
                                  channel=report.channel, link=report.link, now=now)
    rid = collab_kind.report_id_of(item)
    limit = int(section(cfg, "collab").get("max_reports_per_hour", 30))
    with db.write() as cur:  # counted and stored in one transaction: two tabs cannot both slip past the limit
        saved = store_collab.saved_before(cur, report, rid, now)
        if saved is None:
            _check_report_limit(cur, report.reporter, limit, now)
            saved = store_collab.insert_report(cur, report, item, rid, now)
    if saved.new_item:
        processor(cfg, db)([saved.item_id])
    return saved


def _check_report_limit(cur: "duckdb.DuckDBPyConnection", reporter: str, limit: int, now: datetime) -> None:
    """ReportLimitError when `reporter` has sent `limit` reports in the hour before `now`."""
    sent, oldest = store_collab.sent_since(cur, reporter, now - timedelta(hours=1))
    if sent < limit or oldest is None:
        return
    again = fmt_local(oldest + timedelta(hours=1, minutes=1))  # "HH:MM dd/mm", Vietnam time
    raise ReportLimitError(f"tài khoản này đã gửi {sent} báo cáo trong một giờ qua (tối đa {limit} báo cáo một giờ, "
                           f"[collab] max_reports_per_hour). Các báo cáo đã gửi vẫn được giữ nguyên; hãy gửi báo cáo "
                           f"này sau {again.replace(' ', ' ngày ')}.")


def catch_up(cfg: Config, db: Database, *, stop: threading.Event | None = None,
             progress: Callable[[int, int], None] | None = None) -> int:
    """Tag every stored item that has no tags, in batches of [nlp] batch_size: items a crash left
    between commit and tagging, or a stopped run. Then what the ingest path does after tagging (complaint
    cases, watchlists: `finish_tagged`) for every item tagged without it, these and any a crash left between its
    tags and those steps. Every command that stores items (collect, import, replay) and `serve` at start call it,
    so none stays untagged, or tagged without its case or watchlist push, until some later `serve`.
    `stop` ends it between batches; `progress(done, total)` follows each tagging batch (nlp.service.tag_pending
    does the batches). Returns how many were tagged."""
    with db.read() as cur:
        total = tag_store.count_untagged(cur)
    tagged = 0
    if total:
        tagged = nlp_service.tag_pending(
            cfg, db, nlp_service.batch_size(cfg), only_untagged=True, limit=total, stop=stop,
            progress=None if progress is None else (lambda done: progress(min(done, total), total)))
    finish_tagged(cfg, db, stop=stop)
    return tagged
