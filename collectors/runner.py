"""Runs the due sources: fetch concurrently, write each source's batch with its health atomically.

    run_due(now) ─▶ for each enabled source whose next_due_at has passed (or all, with force):
        registry.get(kind).collect(source, ctx) ──▶ Batch ──▶ GroupWriter ──▶ store (items + links + repairs
                                                                                    + health, one txn)
        FetchError / crash ──▶ GroupWriter (health only): consecutive_failures+1, back-off, error text

GroupWriter: sources that finish while a write is in progress are written together, in one transaction
(one items insert, one repair of garbled copies, set-based health rows), up to storage.write_group_max_items
items; a lone source is written at once. A DuckDB statement costs milliseconds of CPU however small, so
per-source transactions made most of a 500-feed pass statement overhead. A source's items and its health
still commit together or not at all; if a group's transaction fails, its sources are retried one per
transaction, so a bad batch fails alone, as before.

A failing source is never disabled: it backs off exponentially (base = its interval, capped at
schedule.max_backoff_hours), honours Retry-After, and its state is on the health table.
New item ids go to `on_new_items` (the NLP pipeline) after the batch is committed.

A huge batch (more than storage.write_chunk_items) is not grouped: it is written in chunks
(`store.items.store_batch`); the source's health and ETag go in with the last chunk. Setting `stop`
(Ctrl-C in `collect`, shutdown in `serve`) ends the pass: fetches in flight are cancelled and a batch being written stops between two chunks,
keeping the committed ones and recording 'interrupted' on the source (no ETag, so the next run fetches
it again). A storage failure (disk full, read-only or damaged file: `store.db.StorageError`) ends the
pass and reaches the caller; any other failure to store one batch is recorded on that source.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Iterable

import httpx

from collectors import registry
from collectors.base import Batch, CollectContext, FetchError
from collectors.repairs import plan_url_repairs
from vocab.item import Item
from collectors.http import BasicLogin, Fetcher
from vocab.config import Config, SourceConfig, source_interval_refusal, source_login_refusal, source_url_refusal
from vocab.secrets import SecretError, secret
from vocab.numbers import fmt_num
from collectors import netguard
from collectors.netguard import Resolver
from store import items as store_items
from store import sources as store_sources
from store.db import Database, StorageError, utcnow

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("langnghe.collect")


@dataclass
class RunSummary:
    outcomes: list[store_sources.Outcome] = field(default_factory=list)
    interrupted: bool = False  # `stop` was set before every source was done

    @property
    def items_new(self) -> int:
        return sum(o.items_new for o in self.outcomes)

    @property
    def errors(self) -> list[store_sources.Outcome]:
        return [o for o in self.outcomes if o.outcome == "error"]


def length_caps(cfg: Config) -> store_items.LengthCaps:
    """The [storage] title and text caps, as the store takes them."""
    return store_items.LengthCaps(title_chars=cfg.storage.max_title_chars, text_chars=cfg.storage.max_text_chars)


def interval_seconds(cfg: Config, source: SourceConfig) -> float:
    """A source's poll interval; the default one for an interval no source may have (source_interval_refusal: a
    managed_sources row saved before fix29's bound, or edited in the database), which `_one` refuses to fetch."""
    minutes = source.interval_minutes or cfg.schedule.default_interval_minutes
    if source_interval_refusal(source.interval_minutes):
        minutes = cfg.schedule.default_interval_minutes
    return max(minutes * 60.0, 1.0)


def backoff_seconds(cfg: Config, source: SourceConfig, failures: int, retry_after: float | None) -> float:
    """Delay before the next try after `failures` consecutive failures (this one included)."""
    cap = cfg.schedule.max_backoff_hours * 3600.0
    base = max(interval_seconds(cfg, source), 60.0)
    delay = base * (2 ** max(failures - 1, 0))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


def missing_password(src: SourceConfig) -> str:
    """A login source whose secret is not there: which variable, and the two ways to give it (vocab/secrets.py)."""
    return (f"chưa có mật khẩu đăng nhập của nguồn {src.name} trên máy chủ: đặt biến môi trường {src.password_env} cho "
            f"serve (rồi khởi động lại serve), hoặc tạo tệp bí mật {src.password_env} trong thư mục [secrets] dir "
            "(chmod 600); xem docs/SOURCES.md, mục «Nguồn phải đăng nhập»")


def login_hint(src: SourceConfig, exc: FetchError) -> str:
    """What a 401 of a source means (its WWW-Authenticate scheme, `FetchError.auth_scheme`): a login of another kind
    than HTTP Basic asked for, its login refused, or a Basic login it does not have. An API's 401 (a token refused,
    the scheme «bearer» or none) is said by its kind, not here."""
    if exc.http_status != 401:
        return ""
    scheme = getattr(exc, "auth_scheme", "")
    if scheme and scheme != "basic" and (src.username or scheme == "digest"):
        return (f" (máy chủ đòi đăng nhập kiểu «{scheme}»; Lắng Nghe chỉ đăng nhập nguồn bằng HTTP Basic: không đọc "
                "được nguồn này, xem docs/SOURCES.md, mục «Nguồn phải đăng nhập»)")
    if src.username:
        return (f" (máy chủ từ chối đăng nhập «{src.username}»: kiểm tra mật khẩu trong {src.password_env}; đăng nhập "
                "chỉ gửi tới đúng scheme, máy chủ và cổng của địa chỉ nguồn, nên một địa chỉ http:// chuyển sang "
                "https:// cần ghi https:// vào địa chỉ)")
    if scheme == "basic":
        return (" (nguồn phải đăng nhập: đặt username và password_env của nguồn, ô «Tên đăng nhập» và «Biến môi trường "
                "chứa mật khẩu» ở trang Nguồn tin; xem docs/SOURCES.md, mục «Nguồn phải đăng nhập»)")
    return ""


class Runner:
    def __init__(
        self,
        cfg: Config,
        db: Database,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        client: httpx.AsyncClient | None = None,
        on_new_items: Callable[[list[str]], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
        resolver: Resolver | None = None,
        stop: threading.Event | None = None,
        on_written: Callable[[str, int, int], None] | None = None,
    ):
        self.cfg = cfg
        self.db = db
        self.transport = transport
        self.client = client
        self.on_new_items = on_new_items
        self.clock = clock
        self.resolver = resolver
        self.stop = stop or threading.Event()
        self.on_written = on_written  # (source, items written, batch size) after each chunk of a huge batch
        self._storing: set[str] = set()  # sources whose batch is being written (not cancelled on stop)

    def due(self, now: datetime, *, force: bool = False, only: Iterable[str] | None = None) -> list[SourceConfig]:
        return self._due(now, force=force, only=only)[0]

    def _due(
        self, now: datetime, *, force: bool, only: Iterable[str] | None
    ) -> tuple[list[SourceConfig], dict[str, store_sources.SourceState]]:
        """The sources to run now, and the states they were chosen by (their ETags, failure counts)."""
        wanted = set(only) if only else None
        with self.db.read() as cur:
            states = store_sources.get_states(cur)
        out = []
        for src in self.cfg.sources:
            if wanted is not None and src.name not in wanted:
                continue
            if not src.enabled and wanted is None:
                continue
            st = states.get(src.name)
            if force or st is None or st.next_due_at is None or st.next_due_at <= now:
                out.append(src)
        return out, states

    async def run_due(
        self,
        *,
        force: bool = False,
        only: Iterable[str] | None = None,
        progress: Callable[[store_sources.Outcome], None] | None = None,
    ) -> RunSummary:
        now = self.clock()
        sources, states = self._due(now, force=force, only=only)
        summary = RunSummary()
        if not sources:
            return summary
        writer = GroupWriter(self.db, max_items=self.cfg.storage.write_group_max_items, caps=length_caps(self.cfg),
                             stop=self.stop)
        async with Fetcher(self.cfg.http, client=self.client, transport=self.transport,
                           resolver=self.resolver) as fetcher:
            names = {asyncio.ensure_future(self._one(fetcher, writer, src, states.get(src.name))): src.name
                     for src in sources}
            pending = set(names)
            try:
                while pending:
                    done, pending = await asyncio.wait(pending, timeout=0.2, return_when=asyncio.FIRST_COMPLETED)
                    for fut in done:
                        outcome = fut.result()  # a StorageError ends the pass here
                        summary.outcomes.append(outcome)
                        if progress:
                            progress(outcome)
                    if self.stop.is_set():
                        # fetches are dropped; a batch being stored stops after its chunk and says so
                        for fut in pending:
                            if names[fut] not in self._storing:
                                summary.interrupted = True
                                fut.cancel()
            finally:
                for fut in pending:
                    fut.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                await writer.aclose()
        summary.interrupted = summary.interrupted or any(o.error_kind == "interrupted" for o in summary.outcomes)
        return summary

    async def _one(
        self, fetcher: Fetcher, writer: "GroupWriter", src: SourceConfig, state: store_sources.SourceState | None
    ) -> store_sources.Outcome:
        started = self.clock()
        ctx = CollectContext(
            fetch=fetcher.get,
            now=started,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            future_tolerance_minutes=self.cfg.http.future_tolerance_minutes,
            dial=netguard.dialer(fetcher.allow),  # IMAP: the same public-address guard as every fetch
            budget=fetcher.budget,  # IMAP: the same body budget as every fetch
            limits=self.cfg.limits,
        )
        failures = (state.consecutive_failures if state else 0) + 1
        refused = source_url_refusal(src.url)
        if refused:  # a managed_sources row saved before round 32 (hostile35): not fetched, said without its password
            return await self._save_error(writer, src, started, "config",
                                          f"Không thu thập: {refused}. Sửa «Địa chỉ» của nguồn ở trang Nguồn tin.",
                                          None, None, 1)
        # the secret only to the origin [source_logins] ties it to: a managed source cannot name another secret, nor
        # carry its login to another host by an edited address (review36)
        refused = source_login_refusal(src.username, src.password_env, src.url, self.cfg.source_logins)
        if not refused and src.username:  # a feed behind a login (fix36): its password from the secret it names
            try:
                password = secret(src.password_env)
            except SecretError as exc:
                refused = str(exc)
            else:
                if password:
                    ctx.fetch = functools.partial(fetcher.get, login=BasicLogin.for_url(src.url, src.username, password))
                else:
                    refused = missing_password(src)
        if refused:  # a managed_sources row edited in the database, or the secret not there: said, not fetched
            return await self._save_error(writer, src, started, "config", f"Không thu thập: {refused}.", None, None, 1)
        refused = source_interval_refusal(src.interval_minutes)
        if refused:  # not fetched, said on its health line; tried again after the default interval (a fix is seen
            # then, not after a back-off of hours); the other sources run (round 30, fix30)
            return await self._save_error(writer, src, started, "config",
                                          f"{refused}. Sửa «Chu kỳ» của nguồn ở trang Nguồn tin (hoặc interval_minutes "
                                          "trong tệp cấu hình).", None, None, 1)
        try:
            collector = registry.get(src.kind)
            batch = await collector.collect(src, ctx)
        except FetchError as exc:
            return await self._save_error(writer, src, started, exc.kind, str(exc) + login_hint(src, exc),
                                          exc.http_status, exc.retry_after, failures)
        except Exception as exc:  # a bug in one collector must not stop the others
            log.exception("collector %s crashed on %s", src.kind, src.name)
            return await self._save_error(writer, src, started, "crash", f"{type(exc).__name__}: {exc}", None, None,
                                          failures)
        finished = self.clock()
        outcome = store_sources.Outcome(
            source=src.name,
            started_at=started,
            finished_at=finished,
            outcome="not_modified" if batch.not_modified else "ok",
            next_due_at=finished + timedelta(seconds=interval_seconds(self.cfg, src)),
            http_status=batch.http_status,
            entries_seen=batch.entries_seen,
            skipped=dict(batch.skipped),
            etag=batch.etag,
            last_modified=batch.last_modified,
            decode_replaced=batch.decode_replaced,
        )

        self._storing.add(src.name)  # from here on, a stop request lets this batch end between chunks
        try:
            return await self._store(writer, src, batch, outcome, started, failures)
        finally:
            self._storing.discard(src.name)

    async def _store(
        self, writer: "GroupWriter", src: SourceConfig, batch: Batch, outcome: store_sources.Outcome,
        started: datetime, failures: int,
    ) -> store_sources.Outcome:
        """Write one fetched batch with its source's health (grouped with others when small, in chunks when
        huge), then hand new and repaired ids to on_new_items."""

        def written(done: int, total: int) -> None:
            if self.on_written and total > self.cfg.storage.write_chunk_items > 0:
                self.on_written(src.name, done, total)

        repaired: list[str] = []

        def finish(cur: "duckdb.DuckDBPyConnection", ids: list[str]) -> None:
            # in the last chunk's transaction: garbled stored copies take the refetch's text, then health
            repaired.extend(_repair_garbled(cur, batch.items))
            store_sources.record_outcome(cur, _with(outcome, items_new=len(ids), items_repaired=len(repaired)))

        def save() -> store_items.StoreResult:
            return store_items.store_batch(
                self.db, batch.items, chunk_items=self.cfg.storage.write_chunk_items, caps=length_caps(self.cfg),
                finish=finish, progress=written, stop=self.stop,
            )

        chunk = self.cfg.storage.write_chunk_items
        try:
            if chunk <= 0 or len(batch.items) <= chunk:
                res, grouped_repaired = await writer.write(batch.items, outcome)
                repaired.extend(grouped_repaired)
            else:
                res = await asyncio.to_thread(save)
        except StorageError:
            raise
        except Exception as exc:  # this batch could not be stored: say so on the source, try again next time
            log.exception("storing the batch of %s failed", src.name)
            return await self._save_error(writer, src, started, "store",
                                          f"Lỗi khi lưu tin: {type(exc).__name__}: {exc}",
                                          batch.http_status, None, failures)
        new_ids = res.new_ids
        if res.interrupted:
            return await self._save_error(
                writer, src, started, "interrupted",
                f"Đã dừng giữa chừng theo yêu cầu: lưu được {res.written}/{res.total} mục ({len(new_ids)} mới); "
                "lần chạy sau sẽ tải lại nguồn này.", batch.http_status, None, failures, due_now=True,
                items_new=len(new_ids))
        for hook in batch.after_commit:
            try:
                await asyncio.to_thread(hook)
            except Exception:
                log.exception("source %s: after-store step failed (it is retried on the next poll)", src.name)
        if batch.decode_replaced:
            log.warning("source %s: %d invalid byte sequences replaced while decoding", src.name, batch.decode_replaced)
        # Repaired items (already stored, so never among new_ids) lost their tags: re-tag them with the new ones.
        todo = new_ids + repaired
        if todo and self.on_new_items and not self.stop.is_set():  # after a stop, catch-up tags them
            try:
                await asyncio.to_thread(self.on_new_items, todo)
            except Exception:
                log.exception("processing new items from %s failed; they stay pending", src.name)
        return _with(outcome, items_new=len(new_ids), items_repaired=len(repaired))

    async def _save_error(
        self,
        writer: "GroupWriter",
        src: SourceConfig,
        started: datetime,
        kind: str,
        message: str,
        http_status: int | None,
        retry_after: float | None,
        failures: int,
        *,
        due_now: bool = False,
        items_new: int = 0,
    ) -> store_sources.Outcome:
        finished = self.clock()
        delay = 0.0 if due_now else backoff_seconds(self.cfg, src, failures, retry_after)
        outcome = store_sources.Outcome(
            source=src.name,
            started_at=started,
            finished_at=finished,
            outcome="error",
            next_due_at=finished + timedelta(seconds=delay),
            http_status=http_status,
            items_new=items_new,
            error_kind=kind,
            error=message[:2000],
        )
        log.warning("nguồn %s lỗi (%s): %s; thử lại sau %s giây", src.name, kind, message.rstrip("."),
                    fmt_num(delay))  # `collect` printed it in English on its console until round 28
        await writer.write([], outcome)
        return outcome


_Result = tuple[store_items.StoreResult, list[str]]  # what store_batch wrote, and the ids it repaired


@dataclass
class _Pending:
    items: list[Item]
    outcome: store_sources.Outcome  # 'error': a health-only write, which a stop request does not skip
    done: "asyncio.Future[_Result]"


class GroupWriter:
    """Writes finished sources' batches from the event loop, several per transaction when they queue up.

    `write()` returns, once the source's transaction has committed, what `store_batch` would (new ids,
    or `interrupted` when a stop request came first) and the ids of stored items it repaired; or it
    raises what writing that source raised. No timer: a lone source is written at once; sources
    finishing while a write runs wait for it and go together in the next one, up to `max_items` items.
    """

    def __init__(
        self, db: Database, *, max_items: int = 5000, caps: store_items.LengthCaps | None = None,
        stop: threading.Event | None = None,
    ):
        self.db = db
        self.max_items = max_items
        self.caps = caps
        self.stop = stop or threading.Event()
        self._queue: deque[_Pending] = deque()
        self._drainer: asyncio.Task[None] | None = None

    async def write(self, items: list[Item], outcome: store_sources.Outcome) -> _Result:
        done: asyncio.Future[_Result] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(list(items), outcome, done))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await done

    async def aclose(self) -> None:
        """Wait for the write in progress (sources whose wait was cancelled are not written)."""
        if self._drainer is not None:
            await asyncio.gather(self._drainer, return_exceptions=True)

    async def _drain(self) -> None:
        while self._queue:
            group = self._take()
            if not group:
                continue
            try:
                results = await asyncio.to_thread(self._write_group, group)
            except asyncio.CancelledError:  # the run is being torn down: nobody waits for these any more
                for p in group:
                    p.done.cancel()
                raise
            for p, res in zip(group, results):
                if p.done.done():
                    continue
                if isinstance(res, BaseException):
                    p.done.set_exception(res)
                else:
                    p.done.set_result(res)

    def _take(self) -> list[_Pending]:
        """The next group: queue order, distinct sources, ≤ max_items items (a bigger batch goes alone)."""
        group: list[_Pending] = []
        names: set[str] = set()
        size = 0
        while self._queue:
            p = self._queue[0]
            if p.done.cancelled():  # its source was cancelled (stop) while waiting
                self._queue.popleft()
                continue
            name = p.outcome.source
            if group and (self.max_items <= 1 or name in names or size + len(p.items) > self.max_items):
                break
            group.append(self._queue.popleft())
            names.add(name)
            size += len(p.items)
        return group

    def _write_group(self, group: list[_Pending]) -> list[_Result | BaseException]:
        """Runs in a worker thread. Like store_batch, a stop request before the write leaves a batch
        unwritten ('interrupted'); health-only writes go ahead."""
        if not self.stop.is_set():
            return self._write_now(group)
        health = [p for p in group if p.outcome.outcome == "error"]
        written = dict(zip(map(id, health), self._write_now(health))) if health else {}
        return [written[id(p)] if id(p) in written
                else (store_items.StoreResult(total=len(p.items), interrupted=True), []) for p in group]

    def _write_now(self, group: list[_Pending]) -> list[_Result | BaseException]:
        """One transaction for the group; one per source if that fails (a storage failure is not retried)."""
        if len(group) > 1:
            try:
                return list(self._commit(group))
            except StorageError as exc:  # the file or disk is at fault, not a batch
                return [exc] * len(group)
            except Exception:
                log.warning("writing %d sources together failed; writing them one by one", len(group), exc_info=True)
        out: list[_Result | BaseException] = []
        for p in group:
            try:
                out.extend(self._commit([p]))
            except Exception as exc:  # noqa: BLE001 - it goes to that source's waiter, which records it
                out.append(exc)
        return out

    def _commit(self, group: list[_Pending]) -> list[_Result]:
        """Items, repairs and health of `group` in one transaction. A new item is credited to the first
        source of the group carrying it (its id is its canonical URL's hash): the one whose row was stored."""
        owner: dict[str, int] = {}
        for k, p in enumerate(group):
            for it in p.items:
                owner.setdefault(it.id, k)
        with self.db.write() as cur:
            new_ids = store_items.insert_items(cur, [it for p in group for it in p.items], self.caps)
            per_source: list[list[str]] = [[] for _ in group]
            for i in new_ids:
                per_source[owner[i]].append(i)
            repaired = _repair_garbled_many(cur, [p.items for p in group])
            store_sources.record_outcomes(cur, [
                p.outcome if p.outcome.outcome == "error"
                else _with(p.outcome, items_new=len(ids), items_repaired=len(fixed))
                for p, ids, fixed in zip(group, per_source, repaired)
            ])
        return [
            (store_items.StoreResult(new_ids=ids, written=len(p.items), total=len(p.items), chunks=1), fixed)
            for p, ids, fixed in zip(group, per_source, repaired)
        ]


def _repair_garbled(cur: "duckdb.DuckDBPyConnection", items: list[Item]) -> list[str]:
    """Stored items whose text an old wrong decode garbled take the text of their refetch (same URL);
    without this a corrected feed adds nothing and repairs nothing. Returns the repaired ids."""
    return _repair_garbled_many(cur, [items])[0]


def _repair_garbled_many(cur: "duckdb.DuckDBPyConnection", batches: list[list[Item]]) -> list[list[str]]:
    """`_repair_garbled` for several sources' batches in one lookup and one update; each batch sees the
    repairs of those before it (as if written one after the other: collectors.repairs). Returns the repaired ids
    per batch."""
    plan = plan_url_repairs(cur, batches)
    store_items.repair_texts(cur, [f for fixes in plan.fixes for f in fixes])
    return [[f["id"] for f in fixes] for fixes in plan.fixes]


def _with(o: store_sources.Outcome, **changes: object) -> store_sources.Outcome:
    return replace(o, **changes)
