"""Upgrades as an operator meets them: a file a newer release migrated is refused before any change."""

from __future__ import annotations

import pytest

from store.db import Database, DatabaseTooNew, migrations


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
