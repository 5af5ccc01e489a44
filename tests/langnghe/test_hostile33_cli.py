"""Round 30's hostile sweep (`hostile33`) on the CLI's output. `langnghe status`'s stale snapshots (fix30): one named
in bytes that are not UTF-8 was printed as listed, a UnicodeEncodeError traceback under a UTF-8 locale (stdout
strict) and invalid UTF-8 in its JSON; 100,000 of them were one line of 3.6 MB. A path given in such bytes
(`report weekly --out`) ended the same way after the files were written. docs/SECURITY.md «Round 30 sweep»."""

from __future__ import annotations

import json
import os

from orchestration.status import STALE_NAMED, stale_snapshots, stale_snapshots_text
from store.db import Database
from tests.conftest import cli_in_process, make_config


def test_a_snapshot_named_in_bytes_that_are_not_utf8_is_said_printably(tmp_path):
    cfg = make_config(tmp_path)
    folder = os.path.dirname(cfg.storage.db_path)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.snapshot.duckdb"), "wb") as fh:
        fh.write(b"x")
    (stale,) = stale_snapshots(cfg)
    assert stale == os.path.join(folder, "\\xff\\xfe.snapshot.duckdb")
    stale_snapshots_text([stale]).encode("utf-8")  # was a UnicodeEncodeError: surrogates not allowed


def test_status_s_json_names_it_in_utf8(tmp_path):
    db = tmp_path / "langnghe.duckdb"
    Database(db).close()
    with open(os.path.join(os.fsencode(tmp_path), b"c\xe1.snapshot.duckdb"), "wb") as fh:
        fh.write(b"x")
    res = cli_in_process(["status", "--json"], {"LANGNGHE_DB": str(db)}, unset=("LANGNGHE_CONFIG",))
    res.stdout.encode("utf-8")  # what a UTF-8 stdout writes, strict (a surrogate was written as the byte 0xE1)
    assert json.loads(res.stdout)["stale_snapshots"] == [str(tmp_path / "c\\xe1.snapshot.duckdb")], res.stderr


def test_many_stale_snapshots_are_counted_past_the_first_ones():
    paths = [f"/srv/f{i}.snapshot.duckdb" for i in range(1_234)]
    text = stale_snapshots_text(paths)
    assert f"/srv/f{STALE_NAMED - 1}.snapshot.duckdb và 1.224 bản chụp khác cùng thư mục." in text
    assert f"/srv/f{STALE_NAMED}.snapshot" not in text


def test_a_path_in_bytes_that_are_not_utf8_is_printed_as_given_under_a_strict_utf8_stdout(tmp_path):
    """`report weekly --out $'…\\xfe'` wrote its files, then ended on a UnicodeEncodeError printing their paths: under a
    UTF-8 locale (vi_VN.UTF-8) Python's stdout is strict. Now written back as the bytes given."""
    import subprocess
    import sys

    db = tmp_path / "langnghe.duckdb"
    Database(db).close()
    out = os.path.join(os.fsencode(tmp_path), b"bao-cao-\xfe")
    env = {**os.environ, "LANGNGHE_DB": str(db), "PYTHONIOENCODING": "utf-8:strict"}
    env.pop("LANGNGHE_CONFIG", None)
    res = subprocess.run([sys.executable, "-m", "langnghe.cli", "report", "weekly", "--out", out, "--format", "xlsx",
                          "--no-charts"], capture_output=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    assert b"xlsx\t" + out + b"/" in res.stdout, res.stdout


def test_a_database_named_as_a_snapshot_is_not_said_to_be_a_stale_one(tmp_path):
    """LANGNGHE_DB at «langnghe.snapshot.duckdb» (served from the snapshot after the database was lost): `status` named
    the database itself a stale snapshot, «nếu không cần, hãy xóa», its «langnghe.duckdb» being gone."""
    db = tmp_path / "langnghe.snapshot.duckdb"
    Database(db).close()
    res = cli_in_process(["status", "--json"], {"LANGNGHE_DB": str(db)}, unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and "stale_snapshots" not in json.loads(res.stdout), (res.stdout, res.stderr)
