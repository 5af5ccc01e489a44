"""The scheduler thread of `serve`, and the periodic jobs it runs after each collection pass.

    Scheduler.run(), once at start, before anything loads the NLP model:
        each job marked at_start (notify: the outbox a stopped server left, claims already released;
        survey_masking: personal data in survey answers imported before round 14, once), then serve's own
        `at_start` if given (`langnghe demo`: the demo survey's import, which loads the model; round 27)
    then every schedule.tick_seconds, for as long as serve runs:
        sources (langnghe.toml, with admins' edits merged) ─▶ Runner.run_due ─▶ ingest.processor
            (a pass fetches only the sources that are due: a source's next poll is its interval_minutes,
            or schedule.default_interval_minutes, after its last one, or later when it backs off; the
            tick only bounds how late a due source is picked up, so every source repeats on its interval)
        then each job in JOBS, in order (each decides itself whether it is due):
            tag         nlp.service        items still untagged, or tagged by an older model; then cases and
                                           watchlists for items tagged without them (ingest.finish_tagged)
            detect      detection.jobs     stories and emerging-issue alerts
            notify      orchestration.notify  the outbox: alerts raised this tick go out in the same tick
            fulltext    catch-up           full text a busy pass left out, then re-tag those items
            weekly      reports.schedule   weekly report into the archive at [reports] schedule
            retention   orchestration.retention, once a day (ends between two chunks of items on a stop)
            search      index stragglers, re-sort the search postings when their tail grows
            zalo        renew expired Zalo OA tokens (orchestration.cases), at most every 10 minutes
            survey_masking  nothing after its start run (orchestration.surveys.mask_stored_answers)
        every storage.snapshot_every_minutes ─▶ Database.snapshot

The jobs are imported, not named by strings: a broken job is an import error at start, not a
silent absence. A job that raises while it runs is logged and the next tick runs it again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

import httpx

from collectors import fulltext
from collectors.runner import Runner
from detection import jobs as detection_jobs
from nlp import service as nlp_service
from orchestration import cases, ingest
from orchestration import notify as notify_service
from orchestration import retention, runtime
from orchestration import surveys as survey_import
from orchestration import sources as sources_store
from reports import schedule as report_schedule
from store import search as store_search
from store.db import Database, StorageError, utcnow
from vocab.config import Config

log = logging.getLogger("langnghe.jobs")
status_log = logging.getLogger("langnghe.status")  # the short Vietnamese lines `serve` shows on the console

Job = Callable[[], None]


def fulltext_catchup(cfg: Config, db: Database, *, transport: httpx.AsyncBaseTransport | None = None,
                     stop: threading.Event | None = None) -> Job:
    """Every `fulltext.catchup_minutes`, full text for pending press items that the new-items step left
    (over `max_per_run`, or added while it was off), then re-tag those items and update their stories.
    Runs after detection in the tick, so it never delays an alert. `stop` ends the fetches between articles;
    the texts already saved are still re-tagged (at most `max_per_run` items, well under a second), so none
    keeps tags read from its summary alone."""
    st = fulltext.settings(cfg)
    state: dict[str, Any] = {"last": None}

    def job() -> None:
        if not st.enabled or st.catchup_minutes <= 0:
            return
        now = utcnow()
        if state["last"] is not None and (now - state["last"]).total_seconds() < st.catchup_minutes * 60:
            return
        state["last"] = now
        got: list[str] = []
        asyncio.run(fulltext.run(cfg, db, transport=transport, ok_ids=got, stop=stop))
        ingest.retag(cfg, db, got)

    return job


def tagging(cfg: Config, db: Database, *, stop: threading.Event | None = None) -> Job:
    """Each tick, the tagging job (nlp.service.scheduler_hook: items still untagged, or tagged by an older model),
    then the after-tagging steps (complaint cases, watchlists: ingest.finish_tagged) for items tagged without them:
    the ones this job tagged first (their batch on the ingest path failed) and any a stop or a crash left. Before
    detection and notify, so a watchlist alert raised here goes out in the same tick."""
    tag = nlp_service.scheduler_hook(cfg, db, stop=stop)

    def job() -> None:
        try:
            tag()
        finally:  # a failing model must not keep items it already tagged from their cases and pushes
            ingest.finish_tagged(cfg, db, stop=stop)

    return job


def search_upkeep(cfg: Config, db: Database, *, stop: threading.Event | None = None) -> Job:
    """Every search.compact_check_minutes, index items left unindexed and re-sort the postings once
    their unsorted tail exceeds search.compact_tail_rows. `stop` ends the sort between two ranges (each its own
    transaction; a minute per 40 million postings in all): the tail is not marked sorted, so the next check sorts
    again, from the start."""
    state: dict[str, Any] = {"last": None}

    def job() -> None:
        now = utcnow()
        last = state["last"]
        if last is not None and (now - last).total_seconds() < cfg.search.compact_check_minutes * 60:
            return
        state["last"] = now
        with db.write() as cur:
            added = store_search.index_missing(cur)
            tail = store_search.tail_rows(cur)
        if tail <= cfg.search.compact_tail_rows:
            return
        with db.read() as cur:  # the plan reads only; each range is then its own short write
            mark = store_search.tail_mark(cur)  # appends after this stay the tail
            plan = store_search.compact_plan(cur, cfg.search.compact_chunk_rows)
        total = 0
        for lo, hi in plan:
            if stop is not None and stop.is_set():
                log.info("search index sort stopped on request; it starts again at the next check")
                return
            with db.write() as cur:
                total += store_search.compact_range(cur, lo, hi)
        with db.write() as cur:
            store_search.compact_done(cur, mark, utcnow())
        log.info("search index sorted: %d postings in %d ranges (%d items indexed late)", total, len(plan), added)

    return job


def zalo_token_refresh(cfg: Config, db: Database) -> Job:
    """At most every 10 minutes, renew the token of zalo_oa sources whose last poll said token_expired."""
    state: dict[str, Any] = {"last": None}

    def job() -> None:
        now = utcnow()
        if state["last"] is not None and (now - state["last"]).total_seconds() < 600:
            return
        state["last"] = now
        if cases.refresh_zalo_tokens(cfg, db):
            log.info("Zalo OA token renewed")

    return job


def notify_delivery(cfg: Config, db: Database, *, stop: threading.Event | None = None) -> Job:
    """Every tick: send what the outbox holds that is due (orchestration/notify.py). Made once at serve's
    start, which is when messages a killed process was sending are released for another try; it is also
    a start job (JobSpec.at_start), so what waited through the restart goes out before the model loads."""
    try:
        notify_service.release_claims(db)
    except Exception:  # the job still starts: the rows stay claimed until the next start, nothing is lost
        log.exception("could not release the notifications a stopped server was sending")

    def job() -> None:
        res = notify_service.deliver(cfg, db, stop=stop)
        if res["sent"] or res["retried"]:
            log.info("notifications: %d sent, %d to retry", res["sent"], res["retried"])

    return job


def survey_masking(cfg: Config, db: Database) -> Job:
    """At serve's start, once: mask the free-text answers of surveys imported before round 14 masked them at import
    (orchestration.surveys.mask_stored_answers; a no-op once every survey is marked). Later ticks do nothing."""
    state = {"done": False}

    def job() -> None:
        if not state["done"]:
            survey_import.mask_stored_answers(db)
            state["done"] = True

    return job


@dataclass(frozen=True)
class JobSpec:
    name: str
    factory: Callable[[Config, Database], Job]
    what: str
    at_start: bool = False  # also run once when the scheduler starts, before catch-up tagging loads the model
    stoppable: bool = False  # the factory takes `stop`, the scheduler's stop event: the job ends early on it


JOBS: tuple[JobSpec, ...] = (
    JobSpec("tag", tagging, "tag stored items still untagged, or tagged by an older model; then cases and "
            "watchlists for items tagged without them", stoppable=True),
    JobSpec("detect", detection_jobs.scheduler_hook, "stories and emerging-issue alerts, every tick"),
    JobSpec("notify", notify_delivery, "send due notifications from the outbox, right after detection",
            at_start=True, stoppable=True),
    JobSpec("fulltext", fulltext_catchup, "full text a busy pass left out, then re-tag those items", stoppable=True),
    JobSpec("weekly", report_schedule.weekly_hook, "weekly report into the archive at [reports] schedule"),
    JobSpec("retention", retention.hook, "retention purge, once a day", stoppable=True),
    JobSpec("search", search_upkeep, "search index: index stragglers, re-sort the postings when needed",
            stoppable=True),
    JobSpec("zalo", zalo_token_refresh, "renew expired Zalo OA access tokens with their refresh tokens"),
    JobSpec("survey_masking", survey_masking, "once: mask personal data in survey answers imported before round 14",
            at_start=True),
)


def install_jobs(scheduler: "Scheduler", cfg: Config, db: Database) -> list[str]:
    """Start every job; one whose factory fails is logged and left out, serve runs on without it."""
    installed = []
    for spec in JOBS:
        try:
            job = spec.factory(cfg, db, stop=scheduler.stop_event) if spec.stoppable else spec.factory(cfg, db)
            scheduler.hooks.append(job)
            if spec.at_start:
                scheduler.start_hooks.append(job)
            installed.append(spec.name)
        except Exception:
            log.exception("periodic job not started: %s (%s)", spec.what, spec.name)
    return installed


class Scheduler(threading.Thread):
    """Collects due sources on a fixed tick and publishes snapshots, until stopped."""

    def __init__(self, cfg: Config, db: Database, *, runner: Runner | None = None,
                 clock: Callable[[], datetime] = utcnow):
        super().__init__(name="langnghe-scheduler", daemon=True)
        self.cfg = cfg
        self.db = db
        self._stop_event = threading.Event()  # not `_stop`: Thread.join() calls its own _stop()
        # stopping serve also ends a huge batch between two chunks; `clock` decides which sources are due
        # and the new items' full text and tagging, between articles and between batches
        self.runner = runner or Runner(cfg, db, on_new_items=ingest.processor(cfg, db, stop=self._stop_event),
                                       stop=self._stop_event, clock=clock)
        self._sources_base = self.runner.cfg  # langnghe.toml sources; dashboard edits are merged over them
        self.passes = 0
        self.hooks: list[Callable[[], None]] = []  # extra periodic jobs (alerts, retention…)
        self.start_hooks: list[Callable[[], None]] = []  # run once first, before the model loads (the outbox)

    def stop(self) -> None:
        self._stop_event.set()

    @property
    def stop_event(self) -> threading.Event:
        """Set by `stop()`: the jobs that can end early (JobSpec.stoppable) and the ingest path watch it."""
        return self._stop_event

    def run_start_hooks(self) -> None:
        """What must not wait for the NLP model (5–9 s to load): the outbox a stopped server left goes out
        first. Same thread as the ticks, so a pass never overlaps another and nothing is sent twice."""
        for hook in self.start_hooks:
            if self._stop_event.is_set():
                return
            try:
                hook()
            except StorageError as exc:
                log.error("start-up job failed: %s", exc)
                runtime.set_storage_problem(str(exc))
            except Exception:
                # the outbox's periodic job sends what its start-up run left; a one-off hook (the demo survey's
                # import) is not run again: said so, not promised
                log.exception("start-up job failed (a periodic job's own run retries at the next tick; a one-off "
                              "start-up step does not run again)")

    @staticmethod
    def _run_job(hook: Callable[[], None]) -> None:
        """One periodic job of the tick. Why alone: the jobs run in one pass, tagging first, and a job that
        keeps failing (a stored item a step cannot tag) would otherwise leave detection and notification
        sending out of every tick. A storage error still ends the pass: staff must act, and the later jobs
        would fail on it too."""
        try:
            hook()
        except StorageError:
            raise
        except Exception:
            log.exception("periodic job failed; the other jobs of this tick still run")

    def catch_up(self) -> int:
        """Tag what earlier runs left untagged (a crash between commit and tagging, a stop between tagging
        batches), and open the cases and match the watchlists of items tagged without them, before collecting."""
        try:
            n = ingest.catch_up(self.cfg, self.db, stop=self._stop_event)
        except Exception:
            log.exception("catch-up tagging at start failed; the tagging job retries each tick")
            return 0
        if n:
            log.info("tagged %d items left untagged by earlier runs", n)
        return n

    def run(self) -> None:
        loop = asyncio.new_event_loop()
        last_snapshot = 0.0
        self.run_start_hooks()
        self.catch_up()
        try:
            while not self._stop_event.is_set():
                try:
                    # sources edited by admins in the dashboard (config store) apply from the next tick
                    self.runner.cfg = sources_store.effective_config(self._sources_base, self.db)
                    summary = loop.run_until_complete(self.runner.run_due())
                    if summary.outcomes:
                        log.info(
                            "collected %d sources: %d new items, %d errors",
                            len(summary.outcomes), summary.items_new, len(summary.errors),
                        )
                        status_log.info("Đã thu thập %d nguồn: %d tin mới%s.", len(summary.outcomes), summary.items_new,
                                        f", {len(summary.errors)} nguồn lỗi" if summary.errors else "")
                    for hook in self.hooks:
                        if self._stop_event.is_set():  # the rest is due again at the next start: stop now
                            break
                        self._run_job(hook)
                    runtime.set_storage_problem(None)
                except StorageError as exc:  # disk full, read-only or damaged file: staff must act
                    log.error("scheduler pass failed: %s", exc)
                    runtime.set_storage_problem(str(exc))
                except Exception:
                    log.exception("scheduler pass failed; retrying next tick")
                self.passes += 1
                every = self.cfg.storage.snapshot_every_minutes * 60
                stopping = self._stop_event.is_set()  # serve writes the final snapshot itself: one copy, not two
                if every > 0 and not stopping and time.monotonic() - last_snapshot >= every:
                    try:
                        self.db.snapshot(self.cfg.storage.snapshot_path)
                        last_snapshot = time.monotonic()
                    except StorageError as exc:  # disk full, read-only folder: said in Vietnamese, the old one kept
                        log.error("Không ghi được bản chụp: %s", exc)
                    except Exception:
                        log.exception("snapshot failed")
                self._stop_event.wait(self.cfg.schedule.tick_seconds)
        finally:
            loop.close()
