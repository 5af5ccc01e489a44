"""What happens to newly stored items, in order: full article text (press), then the NLP tagger.

`processor(cfg, db)` returns the callback the collector runner calls with new item ids after their
batch is committed (or None when no step is installed). Each step is optional so a partial install
still collects.
"""

from __future__ import annotations

import importlib
import logging
from typing import Callable

from langnghe.config import Config
from store.db import Database

log = logging.getLogger("langnghe.pipeline")


def processor(cfg: Config, db: Database) -> Callable[[list[str]], None] | None:
    tagger = None
    try:
        tagger = importlib.import_module("nlp.service").processor(cfg, db)
    except ModuleNotFoundError:
        pass
    try:
        from collectors.fulltext import wrap_processor
    except ModuleNotFoundError:
        return tagger
    return wrap_processor(cfg, db, tagger)
