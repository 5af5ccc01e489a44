"""Glue between the store and the NLP pipeline (used by the collector runner and `serve`).

    orchestration.ingest.processor(new ids) → tag_ids → store.tags.items_for_tagging → Pipeline.tag → save_tags(now)
    (text = summary + the first nlp.fulltext_chars of the article when collectors/fulltext fetched it)
    tag_pending(cfg, db)   → items without tags, or tagged by another model version → same path
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from datetime import datetime
from typing import Any, Callable

from store import tags as tag_store

log = logging.getLogger("langnghe.nlp")
_LOCK = threading.Lock()
_PIPELINES: OrderedDict[str, Any] = OrderedDict()  # by _pipeline_key, the most recently used last
_KEEP = 2  # pipelines kept loaded (a few hundred MB each)


def _pipeline_key(cfg: Any) -> str:
    """All that `Pipeline.from_config` reads of a config: the [nlp] settings that make the pipeline
    (nlp.version.PIPELINE_SETTINGS) and the province. Not batch_size, tag_seconds_per_tick or fulltext_chars:
    a config that differs only in those (a test's) reuses the loaded models (round 28)."""
    from nlp.version import nlp_settings, pipeline_settings, province_of

    return json.dumps([pipeline_settings(nlp_settings(cfg)), province_of(cfg)], sort_keys=True, ensure_ascii=False,
                      default=str)


def get_pipeline(cfg: Any):
    """One Pipeline per set of NLP settings, loaded on first use. Keyed by the settings, not by the config
    object: a new Config with the same settings (each test's, a reread file) reuses the loaded models, which are
    read-only once loaded, instead of loading another copy (3–4 s) and keeping it; and a freed config whose id a
    new one reused can no longer be handed the old one's models. At most `_KEEP` are kept."""
    from nlp.pipeline import Pipeline

    key = _pipeline_key(cfg)
    with _LOCK:
        p = _PIPELINES.get(key)
        if p is None:
            p = Pipeline.from_config(cfg)
            _PIPELINES[key] = p
            while len(_PIPELINES) > _KEEP:
                _PIPELINES.popitem(last=False)
        _PIPELINES.move_to_end(key)
        return p


def batch_size(cfg: Any) -> int:
    """[nlp] batch_size: the items tagged (and, after tagging, matched) in one go; at least 1 (the config refuses 0)."""
    from vocab.config import section

    return max(int(section(cfg, "nlp").get("batch_size", 500)), 1)


def fulltext_chars(cfg: Any) -> int:
    from vocab.config import section

    return int(section(cfg, "nlp").get("fulltext_chars", 2000))


def tag_ids(cfg: Any, db: Any, ids: list[str], pipeline: Any = None, now: datetime | None = None) -> int:
    """Tag these stored items and save their tags, stamped `now` (a replay's simulated time; the wall clock
    when None). Returns the number of tag rows saved."""
    if not ids:
        return 0
    pipeline = pipeline or get_pipeline(cfg)
    with db.read() as cur:
        rows = tag_store.items_for_tagging(cur, ids, fulltext_chars(cfg))
    if not rows:
        return 0
    out = pipeline.tag(rows)
    with db.write() as cur:
        return tag_store.save_tags(cur, [o for o in out if not o.get("dropped")], now)


_PROBE = {"id": "__probe__", "title": "Người dân phường Uông Bí phản ánh đường ngập sau mưa lớn",
          "text": "Nhiều hộ dân tổ 5 đề nghị chính quyền sớm khơi thông cống thoát nước.", "source": "probe",
          "url": "", "published": None, "source_type": "press"}


def _proven(pipeline: Any, rows: list[dict[str, Any]], known_good: dict[str, Any] | None) -> bool:
    """Whether the pipeline works although every one of `rows` failed, so they are bad items to drop: it re-tags
    `known_good`, a real stored item it tagged before (a real item's fields, not only the probe's); without one
    (nothing tagged by this release yet), a batch of one is decided by the built-in probe (small2), a bigger batch
    is not (a release broken only on real items' fields would pass the probe and wipe their earlier tags)."""
    item = known_good if known_good is not None else dict(_PROBE) if len(rows) == 1 else None
    if item is None:
        return False
    try:
        pipeline.tag([item])
    except Exception:
        what = "the known-good probe item" if known_good is None else f"item {known_good.get('id')}, tagged before"
        log.exception("the pipeline cannot tag %s either: it is broken, not the items", what)
        return False
    return True


def tag_batch(pipeline: Any, rows: list[dict[str, Any]],
              known_good: Callable[[list[str]], dict[str, Any] | None] | None = None) -> list[dict[str, Any]]:
    """`pipeline.tag(rows)`; when it raises (a step's bug on one item), the rows one by one, and an item that
    still raises is a dropped row (logged). Why: the stored-items queries offer the newest waiting items first,
    so a batch that always failed came back every tick and nothing older was ever re-tagged. When no item of the
    batch can be tagged, the error may be the pipeline's, not the items': a broken release must not replace every
    item's tags with empty ones, so the batch is dropped only when the pipeline proves it works (`_proven`: it
    re-tags `known_good(ids)`, a stored item it tagged before, or, with none, a batch of one and the probe);
    otherwise the error is raised and nothing is saved. Before, a batch of two or more bad items (the newest,
    once everything else was tagged) was raised every tick and the job stalled."""
    try:
        return pipeline.tag(rows)
    except Exception:
        log.exception("tagging a batch of %d stored items failed; tagging them one by one", len(rows))
    from nlp.pipeline import dropped_row

    out: list[dict[str, Any]] = []
    failed: list[Exception] = []
    for r in rows:
        try:
            out += pipeline.tag([r])
        except Exception as exc:
            failed.append(exc)
            out.append(dropped_row(r.get("id"), pipeline.model_version, f"error: {exc!r}"[:200]))
    if len(failed) == len(rows):
        good = known_good([str(r.get("id")) for r in rows]) if known_good is not None else None
        if not _proven(pipeline, rows, good):
            raise failed[0]
    for o in out:
        if o.get("dropped", "").startswith("error: "):
            log.error("item %s cannot be tagged, saved without tags: %s", o["id"], o["dropped"])
    return out


def _known_good(cfg: Any, db: Any, model_version: str, exclude: list[str]) -> dict[str, Any] | None:
    with db.read() as cur:
        return tag_store.known_good_item(cur, model_version, exclude, fulltext_chars(cfg))


def tag_pending(cfg: Any, db: Any, batch: int = 500, pipeline: Any = None, *, only_untagged: bool = False,
                limit: int | None = None, stop: threading.Event | None = None,
                progress: Callable[[int], None] | None = None, enough: Callable[[], bool] | None = None) -> int:
    """Tag every item that has no tags or (unless `only_untagged`) tags from another model version, in
    batches of `batch`; returns how many were tagged. Dropped rows are saved too, so each batch makes
    progress. `limit` stops once that many are done, `stop` between batches, `enough()` after a batch (serve's
    time budget: at least one batch runs); `progress(done)` follows each batch."""
    pipeline = pipeline or get_pipeline(cfg)
    done = 0
    while (limit is None or done < limit) and not (stop is not None and stop.is_set()):
        with db.read() as cur:
            rows = tag_store.items_to_tag(cur, pipeline.model_version, batch, fulltext_chars(cfg),
                                          only_untagged=only_untagged)
        if not rows:
            break
        out = tag_batch(pipeline, rows, lambda ids: _known_good(cfg, db, pipeline.model_version, ids))
        with db.write() as cur:
            tag_store.save_tags(cur, out)
        done += len(rows)
        if progress is not None:
            progress(done)
        if len(rows) < batch or (enough is not None and enough()):
            break
    return done


def _pending(cfg: Any, db: Any, stamp: str) -> bool:
    """Whether any stored item waits for tags of `stamp`, the one the configured models write (read without loading
    them: nlp.version.current_stamp): an idle serve, or one whose items are all tagged, then never loads the models."""
    with db.read() as cur:
        return bool(tag_store.items_to_tag(cur, stamp, 1, fulltext_chars(cfg)))


def scheduler_hook(cfg: Any, db: Any, clock: Callable[[], float] = time.monotonic, *,
                   stop: threading.Event | None = None) -> Callable[[], None]:
    """A periodic job for `serve` (orchestration/jobs.py JOBS): each tick, tag batches of stored items that have
    no tags or tags from another stamp (after a retrain or an upgrade, or a failed batch), one after another
    until `[nlp] tag_seconds_per_tick` have passed (at least one batch). Why a budget, not one batch a tick:
    after an upgrade an office's 300,000 items waited ≈ 3.3 h at one 500-item batch (≈ 0.8 s) per 20-s tick;
    new items never wait on this (the ingest path tags them), and a due source is picked up at most one
    budget late. The models load at the first tick that finds an item to tag (`_pending`), not at serve's start.
    `clock` is injected for tests; `stop` (serve stopping) ends the job between two batches."""
    from vocab.config import section

    nlp = section(cfg, "nlp")
    batch = batch_size(cfg)
    budget = float(nlp.get("tag_seconds_per_tick", 5))
    stamp: list[str] = []  # the configured stamp, read at the first idle tick and kept (`_idle_stamp`)

    def hook() -> None:
        if _pipeline_key(cfg) not in _PIPELINES and not _pending(cfg, db, _idle_stamp(cfg, stamp)):
            return  # nothing to tag: the models (seconds of CPU, hundreds of MB) wait until something is
        pipeline = get_pipeline(cfg)
        start = clock()
        done = tag_pending(cfg, db, batch, pipeline, enough=lambda: clock() - start >= budget, stop=stop)
        if done:
            log.info("tagged %d stored items with model %s", done, pipeline.model_version)

    return hook


def _idle_stamp(cfg: Any, kept: list[str]) -> str:
    """The stamp of `cfg`'s models, read once into `kept` (one hook, one config). Reading it finds the model files
    and hashes the data files, ~17 ms, which an idle serve paid every tick for the same answer; a model or data file
    changed under a running serve waits for its restart, as the models it has loaded do (docs/NLP.md)."""
    if not kept:
        from nlp.version import current_stamp

        kept.append(current_stamp(cfg))
    return kept[0]
