"""What a database file just written holds, read back: `langnghe backup` says it of its copy and `langnghe restore`
of the database it put in place («N tin bài, cấu trúc phiên bản V»), both by opening the file again read-only, which
is also the last check that it opens. Each wrote the same three steps until round 26.

Not a command (the leading underscore keeps it out of `langnghe/cli.py` discovery); it loads DuckDB only when called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class CopyFacts:
    """What a database file holds: its items and the schema version (the last migration) it is at."""

    items: int
    schema_version: int


def read_back(path: str | os.PathLike[str]) -> CopyFacts:
    """The file at `path` opened read-only (never migrated) and counted."""
    from store import items as store_items
    from store.db import Database

    with Database(path, read_only=True) as db, db.read() as cur:
        return CopyFacts(items=store_items.count_items(cur), schema_version=db.schema_version())
