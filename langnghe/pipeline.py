"""What happens to newly stored items. The NLP issue plugs its tagger in here.

`processor(cfg, db)` returns the callback the collector runner calls with new item ids after their
batch is committed, or None while no processing steps are installed.
"""

from __future__ import annotations

import importlib
import logging
from typing import Callable

from langnghe.config import Config
from store.db import Database

log = logging.getLogger("langnghe.pipeline")


def processor(cfg: Config, db: Database) -> Callable[[list[str]], None] | None:
    try:
        mod = importlib.import_module("nlp.service")
    except ModuleNotFoundError:
        return None
    return mod.processor(cfg, db)
