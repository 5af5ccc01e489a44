"""Opening the DuckDB file, versioned migrations, transactions and snapshots.

Migrations are `store/migrations/NNN_name.sql`, applied once each in number order and recorded in
`schema_migrations`. Number ranges keep parts from colliding: 001–009 foundation, 010–019 nlp,
020–029 stories/alerts, 030–039 extra collectors, 040–049 dashboard/auth, 050–059 reports.
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_RE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class DatabaseLocked(RuntimeError):
    """Another process (normally `langnghe serve`) holds the database file."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for p in sorted(MIGRATIONS_DIR.iterdir()):
        m = _MIGRATION_RE.match(p.name)
        if m:
            found.append((int(m.group(1)), m.group(2), p))
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"duplicate migration numbers in {MIGRATIONS_DIR}")
    return found


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


class Database:
    """One process-wide handle. Reads take a fresh cursor; writes are serialised and transactional."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:" and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if _is_lock_error(exc):
                raise DatabaseLocked(
                    f"{self.path} is held by another process (normally `langnghe serve`). "
                    "Use that process, or read its snapshot (storage.snapshot_path)."
                ) from exc
            raise
        self._write_lock = threading.Lock()
        if not read_only:
            self.migrate()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        applied: list[int] = []
        with self._write_lock:
            cur = self._con.cursor()
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, name, path in migrations():
                if version in done:
                    continue
                cur.execute("BEGIN")
                try:
                    cur.execute(path.read_text(encoding="utf-8"))
                    cur.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, utcnow()])
                    cur.execute("COMMIT")
                except Exception:
                    cur.execute("ROLLBACK")
                    raise
                applied.append(version)
            cur.close()
        return applied

    def schema_version(self) -> int:
        with self.read() as cur:
            row = cur.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.read_only:
            raise RuntimeError(f"{self.path} is open read-only")
        with self._write_lock:
            cur = self._con.cursor()
            cur.execute("BEGIN")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()

    def snapshot(self, dest: str | os.PathLike[str]) -> Path:
        """Write a consistent copy to `dest` (atomic replace), for readers in other processes."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        for p in (tmp, Path(str(tmp) + ".wal")):
            if p.exists():
                p.unlink()
        with self._write_lock:
            cur = self._con.cursor()
            try:
                src = cur.execute("SELECT current_database()").fetchone()[0]
                cur.execute(f"ATTACH '{_sql_str(str(tmp))}' AS __snap")
                try:
                    cur.execute(f'COPY FROM DATABASE "{src}" TO __snap')
                finally:
                    cur.execute("DETACH __snap")
            finally:
                cur.close()
        os.replace(tmp, dest)
        return dest


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


