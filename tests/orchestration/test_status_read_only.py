"""`langnghe status` with serve stopped reads the database read-only: opened for writing (to migrate) it took
DuckDB's write lock for a second or so, so a `restore` (or another reader) at that second was kept waiting or
refused, and a status upgraded an older database unasked."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from orchestration.status import collect_status
from store import items as store_items
from store.db import Database, migrations
from tests.conftest import make_config
from tests.store.test_upgrade import _old_database
from tests.store.test_store import item


def test_status_reads_the_database_beside_another_reader(tmp_path):
    """Two readers may share the file (the dashboard's `report --db`, a second status); a status that opened it for
    writing was refused while another process read it, and said serve held it."""
    cfg = make_config(tmp_path)
    with Database(cfg.storage.db_path) as db, db.write() as cur:
        store_items.insert_items(cur, [item(1), item(2)])
    hold = (f"import duckdb, sys; c = duckdb.connect({cfg.storage.db_path!r}, read_only=True); "
            "print('mở', flush=True); sys.stdin.read(); c.close()")
    reader = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "mở"
        st = collect_status(cfg)
    finally:
        reader.communicate("", timeout=60)
    assert st["origin"] == "database" and st["items"] == 2 and "note" not in st


def test_status_does_not_upgrade_an_older_database_and_says_how(tmp_path, monkeypatch):
    path = _old_database(tmp_path, monkeypatch)
    before = path.read_bytes()
    cfg = make_config(tmp_path)
    cfg = replace(cfg, storage=replace(cfg.storage, db_path=str(path)))
    st = collect_status(cfg)
    assert path.read_bytes() == before and not list(tmp_path.glob("*.truoc-nang-cap-*"))
    assert st["origin"] == "database" and st["items"] == 0
    assert 150 in st["missing_migrations"] and "chỉ đọc, không nâng cấp" in st["note"]
    assert "`langnghe serve`" in st["note"] and "`langnghe init-db`" in st["note"]
    with Database(path, read_only=True) as db:  # the file is as the older release left it
        assert db.missing_migrations() == st["missing_migrations"] != []
    assert max(v for v, _, _ in migrations()) in st["missing_migrations"]
