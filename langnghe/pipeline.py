"""What happens to newly stored items, in order: full article text (press), then the NLP tagger.

`processor(cfg, db)` returns the callback the collector runner calls with new item ids after their
batch is committed (or None when no step is installed). Each step is optional so a partial install
still collects.

`catch_up(cfg, db)` tags every stored item that still has no tags: items a crash left between commit
and tagging, or a stopped run. Every command that stores items (collect, import, replay) and `serve` at
start call it, so none stays untagged until some later `serve`.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Callable

from langnghe.config import Config
from store.db import Database, table_names

log = logging.getLogger("langnghe.pipeline")


def _nlp_service():  # type: ignore[no-untyped-def]
    """The NLP glue module, or None when the NLP part is not installed."""
    try:
        return importlib.import_module("nlp.service")
    except ModuleNotFoundError:
        return None


def processor(cfg: Config, db: Database) -> Callable[[list[str]], None] | None:
    service = _nlp_service()
    tagger = service.processor(cfg, db) if service is not None else None
    try:
        from collectors.fulltext import wrap_processor
    except ModuleNotFoundError:
        return tagger
    return wrap_processor(cfg, db, tagger)


def catch_up(cfg: Config, db: Database, *, stop: threading.Event | None = None,
             progress: Callable[[int, int], None] | None = None) -> int:
    """Tag every stored item that has no tags, in batches of [nlp] batch_size; returns how many were tagged
    (0 when the NLP part is not installed). `stop` ends it between batches; `progress(done, total)` follows
    each batch. Dropped rows are saved too (as nlp.service.tag_pending does), so each batch makes progress."""
    from langnghe.config import section
    from store import tags as tag_store

    with db.read() as cur:
        total = tag_store.count_untagged(cur) if "item_tags" in table_names(cur) else 0
    if not total:
        return 0
    service = _nlp_service()
    if service is None:
        return 0
    batch = int(section(cfg, "nlp").get("batch_size", 500))
    pipeline = service.get_pipeline(cfg)
    chars = service.fulltext_chars(cfg)
    done = 0
    while done < total and not (stop is not None and stop.is_set()):
        with db.read() as cur:
            rows = tag_store.items_to_tag(cur, pipeline.model_version, batch, chars, only_untagged=True)
        if not rows:
            break
        out = pipeline.tag(rows)
        with db.write() as cur:
            tag_store.save_tags(cur, out)
        done += len(rows)
        if progress is not None:
            progress(min(done, total), total)
    return done
