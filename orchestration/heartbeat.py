"""heartbeat: a line in serve's log once an hour saying the scheduler still runs (throwaway example, round 28)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from store.db import Database, utcnow
from vocab.config import Config

log = logging.getLogger("langnghe.heartbeat")


def hook(cfg: Config, db: Database, now: Callable[[], datetime] = utcnow) -> Callable[[], None]:
    state: dict[str, datetime | None] = {"last": None}

    def job() -> None:
        t = now()
        if state["last"] is not None and (t - state["last"]).total_seconds() < 3600:
            return
        state["last"] = t
        log.info("bộ lập lịch vẫn chạy")

    return job
