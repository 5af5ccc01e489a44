"""Round 30 (fix30): a database renamed (or $LANGNGHE_DB/db_path moved to another name) left its old snapshot beside it,
`x.snapshot.duckdb`: serve writes the snapshot beside the new name, so the old one stayed, a whole copy of every item
as it was that the retention job never purges, and nothing said so. `langnghe status` names it (never deletes it: it
may be the only copy of a database deleted by mistake); another database's snapshot beside it is not stale."""

from __future__ import annotations

import json

from store.db import Database
from tests.conftest import cli_in_process
from vocab.config import snapshot_beside, snapshot_owner


def test_snapshot_owner_is_the_inverse_of_snapshot_beside(tmp_path):
    for db in ("var/langnghe.duckdb", "var/langnghe.db", "var/langnghe", "a.snapshot.duckdb", "b-snapshot", "x.y.duckdb"):
        assert snapshot_owner(snapshot_beside(db)) == db, db
    assert snapshot_owner("var/langnghe.duckdb") is None and snapshot_owner(".snapshot.duckdb") is None
    assert snapshot_owner("var/bao-cao.xlsx") is None


def test_status_names_the_snapshot_a_renamed_database_left(tmp_path):
    old, new = tmp_path / "langnghe.duckdb", tmp_path / "van-phong.duckdb"
    with Database(old) as db:
        db.snapshot(snapshot_beside(str(old)))
    old.rename(new)
    with Database(tmp_path / "khac.duckdb") as other:  # another database of the folder, with its snapshot: not stale
        other.snapshot(snapshot_beside(str(tmp_path / "khac.duckdb")))
    env = {"LANGNGHE_DB": str(new)}
    res = cli_in_process(["status", "--json"], env, unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, (res.stdout, res.stderr)
    assert json.loads(res.stdout)["stale_snapshots"] == [str(tmp_path / "langnghe.snapshot.duckdb")]
    res = cli_in_process(["status"], env, unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, (res.stdout, res.stderr)
    assert f"Bản chụp cũ không còn cơ sở dữ liệu đi kèm (có thể còn lại sau khi đổi tên hoặc xóa cơ sở dữ liệu): " \
           f"{tmp_path / 'langnghe.snapshot.duckdb'}." in res.stdout, res.stdout
    assert (tmp_path / "langnghe.snapshot.duckdb").exists()  # named, not deleted


def test_status_says_nothing_when_every_snapshot_has_its_database(tmp_path):
    db_path = tmp_path / "langnghe.duckdb"
    with Database(db_path) as db:
        db.snapshot(snapshot_beside(str(db_path)))
    res = cli_in_process(["status", "--json"], {"LANGNGHE_DB": str(db_path)}, unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and "stale_snapshots" not in json.loads(res.stdout), (res.stdout, res.stderr)
