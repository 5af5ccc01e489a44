"""A dashboard's database for the page benches, one definition: a temporary file with the shipped settings (and a
bench's own overrides), installed the way `serve` installs it (the pages read it, seeded before or after), taken down after.

    with installed(auth={"bcrypt_rounds": 4}) as (cfg, db):
        ...  # AppTest runs of dashboard/views, which read the installed database

bench/tabs_and_copies.py and bench/import_page.py each wrote the same set-up and tear-down (round 23)."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


@contextmanager
def installed(**overrides: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """(config, Database) of a fresh database under a temporary folder, installed for the pages (runtime.install);
    `overrides`: sections of settings merged over the shipped defaults."""
    from orchestration import runtime
    from store.db import Database
    from vocab import config as config_mod

    with tempfile.TemporaryDirectory(prefix="langnghe-bench-") as tmp:
        data = config_mod._merge(config_mod.read_toml(config_mod.DEFAULTS_PATH),
                                 {"storage": {"db_path": str(Path(tmp) / "bench.duckdb")}, **overrides})
        cfg = config_mod.parse(data)
        db = Database(cfg.storage.db_path)
        runtime.install(cfg, db)
        try:
            yield cfg, db
        finally:
            runtime.reset()
            db.close()

