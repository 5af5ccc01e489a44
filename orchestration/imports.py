"""Writing an import: the one place where a file's rows become stored items and go down the ingest path.

    collectors.imports.open_table (streamed, bounded reading) ─▶ map_rows ─▶ chunks of imports.chunk_rows
        each chunk: garbled rows of an earlier import repaired (_repair_garbled), items + import_log totals in one
        transaction ─▶ orchestration.ingest.processor (new and repaired ids)
    the import_log row says how the run ended: done · interrupted · error
    a run whose process died (SIGKILL, a power cut) left its row 'running': the next import, or the next start of
    serve, marks it interrupted (end_abandoned; fix34)

Re-importing a fixed copy of a file whose first import lost bytes to a wrong codec (notes["replaced_bytes"]) repairs
the stored rows instead of adding the fixed ones beside them (round 23): a row with a URL or id column is found by its
URL, as the collectors repair a refetched feed (collectors.repairs.plan_url_repairs); a row without one has a URL hashed
from its (garbled) text, so it is found among the source's stored items holding U+FFFD at the same time.

The CLI (`langnghe import`) and the Nhập dữ liệu page both call `import_file`.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Callable, Mapping

from collectors import imports as imp
from collectors.encoding import plan_repairs
from collectors.repairs import plan_url_repairs
from collectors.imports import ImportFormatError, ImportSettings
from orchestration import ingest
from orchestration.sources import effective_config
from store import imports as store_imports
from store import items as store_items
from store.items import insert_items
from vocab.item import Item

ProgressFn = Callable[[int, int, "float | None"], None]  # rows read, new items, share of the file read


@dataclass
class Imported:
    """How an import_file run went: its totals as the import_log row has them."""

    rows: int
    items_new: int
    items: int                                          # mapped (new + already there)
    skipped: Counter[str] = field(default_factory=Counter)
    status: str = "done"                                # done · interrupted (stopped between chunks)
    log_id: int = 0
    undated: int = 0                                    # mapped without a date of their own
    notes: Counter[str] = field(default_factory=Counter)  # imports.table.NOTES: what the read quietly lost
    repaired: int = 0                                   # stored rows an earlier import had garbled, given this text


# The import_log rows this process is writing, by database file: the dashboard's imports inside serve (one at a time
# per session, several sessions). Added and read under the database's write lock (`Database.write`), so a row started
# by another thread is never taken for an abandoned one.
_IN_FLIGHT: set[tuple[str, int]] = set()
_IN_FLIGHT_LOCK = threading.Lock()

ABANDONED = ("bị ngắt trước khi ghi xong, khi máy hoặc chương trình bị tắt; phần đã ghi được giữ lại, nhập lại tệp "
             "không tạo tin trùng")


def end_abandoned(db: Any) -> int:
    """Mark interrupted («bị ngắt») the import_log rows left 'running' by a process that died; how many. The import
    that process was writing held the database (DuckDB lets one process write it), and this one holds it now, so a
    'running' row that is not one of this process's own imports in flight is dead: no pid is needed to tell (hostile34:
    a `langnghe import` killed mid-file stayed «đang nhập (hoặc bị ngắt)» on Nhập dữ liệu for ever). Called at each
    import's start and at serve's start."""
    with db.write() as cur:
        with _IN_FLIGHT_LOCK:
            keep = {log_id for path, log_id in _IN_FLIGHT if path == db.path}
        return store_imports.end_abandoned(cur, keep=keep, error=ABANDONED)


def check_source_name(cfg: Any, db: Any, name: str) -> None:
    """Refuse to import under the name of a collected source (langnghe.toml or the Nguồn page): the rows
    would mix with that source's items (its health, its filter). A name earlier imports used is fine:
    import sources are not collected sources, and re-importing a file keeps its name. `db` None: the
    sources of langnghe.toml only (a preview when the database is absent or held by the server)."""
    key = name.strip().casefold()
    sources = (cfg if db is None else effective_config(cfg, db)).sources
    taken = next((s.name for s in sources if s.name.casefold() == key), None)
    if taken is not None:
        raise ImportFormatError(f"«{name.strip()}» đã là tên của một nguồn tin đang thu thập («{taken}», trang "
                                "Nguồn tin): tin nhập vào sẽ lẫn với tin của nguồn đó. Hãy đặt tên khác, ví dụ "
                                "«import-tên-tệp».")


def import_file(db: Any, cfg: Any, file_name: str, stream: BinaryIO, mapping: Mapping[str, str],
                settings: ImportSettings, now: datetime, *, sheet: str | None = None,
                on_progress: ProgressFn | None = None, should_stop: Callable[[], bool] | None = None,
                opened: imp.OpenedFile | None = None) -> Imported:
    """Write an import (the CLI and the dashboard page), streamed in chunks of imports.chunk_rows: each
    chunk's new items and the import_log totals commit together, then go through full text and NLP.
    `should_stop()` is asked after each chunk (Ctrl-C in the CLI). Whatever ends the run, its log row
    says so: done, interrupted (also on KeyboardInterrupt; the chunk in flight is rolled back) or error
    (an ImportFormatError deep in the file; the chunks before it stay, re-importing adds no duplicates).
    `opened`: the file already open (the dashboard's upload, read for its preview: an XLSX is not opened again), with
    its SHA-1 when the page computed it to key the upload (not computed again here; the CLI's is)."""
    check_source_name(cfg, db, settings.source.name)
    digest = opened.sha1 if opened is not None and opened.sha1 else imp.file_sha1(stream)
    end_abandoned(db)
    with db.write() as cur:
        log_id = store_imports.start_import(cur, now=now, file_name=imp.stored_name(file_name), file_sha1=digest,
                                            source=settings.source.name, mapping=mapping)
        with _IN_FLIGHT_LOCK:
            _IN_FLIGHT.add((db.path, log_id))
    res = Imported(rows=0, items_new=0, items=0, log_id=log_id, status="interrupted")
    error: str | None = None
    try:  # from here the row is ended whatever happens (review33: a model that failed to load left it «running»)
        proc = ingest.processor(cfg, db)
        with db.read() as cur:
            by_text = store_items.has_garbled(cur, settings.source.name)  # asked once, not for every chunk
        with (opened.table() if opened else imp.open_table(file_name, stream, cfg.imports, sheet=sheet)) as table:
            imp.check_mapping(mapping, table.columns)
            for chunk in imp.chunks(table.rows, cfg.imports.chunk_rows):
                items, skipped = imp.map_rows(chunk, mapping, settings, now)
                with db.write() as cur:
                    repaired = _repair_garbled(cur, items, by_text=by_text)
                    new_ids = insert_items(cur, items)
                    store_imports.import_progress(cur, log_id, rows_read=res.rows + len(chunk),
                                                  items_new=res.items_new + len(new_ids),
                                                  skipped=res.skipped + skipped)
                res.rows += len(chunk)
                res.items_new += len(new_ids)
                res.repaired += len(repaired)
                res.items += len(items)
                res.undated += imp.undated(items)
                res.notes.update(imp.item_notes(items))
                res.skipped.update(skipped)
                if (new_ids or repaired) and proc is not None:
                    proc(new_ids + repaired)  # a repaired item's tags were dropped with its old text
                if on_progress is not None:
                    on_progress(res.rows, res.items_new, table.position())
                if should_stop is not None and should_stop():
                    res.notes.update(table.notes)
                    return res
            res.notes.update(table.notes)
        res.status = "done"
        return res
    except Exception as exc:
        res.status = "error"
        error = str(exc) if isinstance(exc, ImportFormatError) else f"{type(exc).__name__}: {exc}"
        raise
    finally:  # KeyboardInterrupt leaves status "interrupted"
        from store.db import utcnow

        try:
            with db.write() as cur:
                # wall clock: finished_at is when the run really ended (`now` stamps its start and its items)
                store_imports.finish_import(cur, log_id, status=res.status, now=utcnow(), error=error)
        finally:
            with _IN_FLIGHT_LOCK:
                _IN_FLIGHT.discard((db.path, log_id))


def _repair_garbled(cur: Any, items: list[Item], *, by_text: bool = True) -> list[str]:
    """Stored items an earlier import garbled (U+FFFD where its codec could not read the bytes) take the text of
    the same rows re-imported from a fixed file; returns their ids. Before round 23 a row without a URL came back
    as a second item beside the garbled one, and one with a URL left the garbled text in place. `by_text`: the
    source held a garbled item when the import began (`store.items.has_garbled`); without one, rows without a
    stored URL are not looked for by time and text."""
    if not items:
        return []
    plan = plan_url_repairs(cur, [items])  # by URL, as the collectors repair a refetched feed
    fixes = list(plan.fixes[0])
    fresh = [it for it in items if it.canonical_url not in plan.stored]
    if fresh and by_text:
        pool = store_items.garbled_of_source(cur, fresh[0].source, [it.published_at for it in fresh])
        fixes += _fixes_by_text(pool, fresh) if pool else []
    store_items.repair_texts(cur, fixes)
    return [f["id"] for f in fixes]


def _fixes_by_text(pool: list[dict[str, Any]], items: list[Item]) -> list[dict[str, Any]]:
    """Each item paired with the first garbled stored row of its time (or an undated one, if it is undated) that
    it repairs (plan_repairs: every U+FFFD gap filled, the rest equal); a stored row is repaired once."""
    by_time: dict[Any, list[dict[str, Any]]] = {}
    for row in pool:
        by_time.setdefault(row["published_at"], []).append(row)
    fixes: list[dict[str, Any]] = []
    for it in items:
        candidates = by_time.get(None if it.published_estimated else it.published_at, [])
        for row in candidates:
            fix = plan_repairs({it.canonical_url: row}, [it])
            if fix:
                fixes += fix
                candidates.remove(row)
                break
    return fixes
