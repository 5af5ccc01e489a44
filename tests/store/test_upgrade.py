"""Upgrades and copies as an operator meets them: a file a newer release migrated is refused before any change;
a snapshot that fails leaves nothing behind."""

from __future__ import annotations

import duckdb
import pytest

from store.db import Database, DatabaseTooNew, StorageFull, migrations


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "langnghe.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            cur.execute("INSERT INTO schema_migrations VALUES (999, 'tuong_lai', now()::TIMESTAMP)")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as err:
        Database(path)
    assert "mới hơn" in str(err.value) and "999" in str(err.value) and str(path) in str(err.value)
    assert path.read_bytes() == before
    with Database(path, read_only=True) as db:  # the refusal closed the handle: the file opens again
        assert db.schema_version() == 999
        assert db.missing_migrations() == []
    assert migrations()[-1][0] < 999


class _DiskFullOnCopy:
    """The connection, except that copying into the snapshot fails as a full disk makes it fail."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    def cursor(self) -> "_DiskFullOnCopy":
        return _DiskFullOnCopy(self._con.cursor())

    def execute(self, sql: str, *args: object) -> object:
        if sql.startswith("COPY FROM DATABASE"):
            raise duckdb.IOException('Could not write file "snap.duckdb.tmp": No space left on device')
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_a_snapshot_that_fills_the_disk_leaves_no_partial_copy(tmp_path):
    """Left behind, the partial copy kept the disk full (and the database's own writes failing) until the next
    snapshot try, which filled it again (seen: a 12 MB file system, a 24 MB database)."""
    with Database(tmp_path / "langnghe.duckdb") as db:
        real = db._con
        db._con = _DiskFullOnCopy(real)
        with pytest.raises(StorageFull):
            db.snapshot(tmp_path / "snap.duckdb")
        db._con = real
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("snap")]
        with db.write() as cur:  # the database itself goes on
            cur.execute("INSERT INTO ui_settings VALUES ('k', '1', 'quantri', now()::TIMESTAMP)")
