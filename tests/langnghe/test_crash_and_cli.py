"""The collector killed with SIGKILL mid-batch loses and duplicates nothing; the CLI end to end."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli_in_process, rss_doc, send

N_FEEDS, PER_FEED = 6, 200


def write_config(tmp_path: Path, base: str, n_feeds: int = N_FEEDS) -> Path:
    lines = [
        "[storage]",
        "write_group_max_items = 1",  # one feed per transaction, so the third insert is the third feed
        f'db_path = "{tmp_path / "c.duckdb"}"',
        f'snapshot_path = "{tmp_path / "c.snap.duckdb"}"',
        "[http]",
        "per_host_spacing_seconds = 0.0",
        "max_concurrency = 1",
        'allow_private_hosts = ["127.0.0.1"]',
        "[fulltext]",
        "enabled = false",  # the test feeds link to made-up sites: never fetch them
    ]
    for i in range(n_feeds):
        lines += ["[[sources]]", f'name = "feed{i}"', 'kind = "rss"', f'url = "{base}/f{i}.rss"', f'outlet = "Báo {i}"']
    p = tmp_path / "cfg.toml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def feed_server(server):
    for i in range(N_FEEDS):
        doc = rss_doc([
            {"title": f"Báo {i} tin {j} về Quảng Ninh", "link": f"https://bao{i}.vn/tin-{j}",
             "pubDate": "Sun, 22 Nov 2026 08:00:00 +0700", "description": f"Nội dung {i}-{j}"}
            for j in range(PER_FEED)
        ] + [  # the same story syndicated by every feed: must stay one item
            {"title": "Tin chung của tỉnh", "link": "https://quangninh.gov.vn/tin-chung", "description": "Thông báo chung"}
        ])
        server.routes[f"/f{i}.rss"] = lambda req, doc=doc: send(req, 200, doc)


def cli(args: list[str], env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k not in ("LANGNGHE_DB", "LANGNGHE_CONFIG")}  # a developer's own
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "langnghe.cli", *args], capture_output=True, text=True, env=e,
                          timeout=kw.pop("timeout", 120), **kw)


@pytest.mark.slow  # 10–40 s: CLI processes or a running scheduler; started first under xdist
def test_sigkill_mid_batch_then_restart_keeps_every_item_exactly_once(tmp_path, server):
    feed_server(server)
    cfg = write_config(tmp_path, server.base)
    marker = tmp_path / "marker"
    env = {**os.environ, "LANGNGHE_FAULTPOINT": f"items_inserted:3:{marker}"}
    env.pop("LANGNGHE_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "langnghe.cli", "--config", str(cfg), "collect", "--once"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "fault point never reached"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # inside the third batch's transaction
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = duckdb.connect(str(tmp_path / "c.duckdb"))
    partial = con.execute("SELECT count(*) FROM items").fetchone()[0]
    con.close()
    assert partial == 2 * PER_FEED + 1  # two committed batches; the killed one left nothing

    res = cli_in_process(["--config", str(cfg), "collect", "--once"])  # the restart opens what the kill left
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    total, distinct = con.execute("SELECT count(*), count(DISTINCT canonical_url) FROM items").fetchone()
    links = con.execute("SELECT count(*) FROM item_links WHERE url LIKE '%tin-chung%'").fetchone()[0]
    con.close()
    assert total == distinct == N_FEEDS * PER_FEED + 1
    assert links == N_FEEDS


@pytest.mark.slow  # 10–40 s: CLI processes or a running scheduler; started first under xdist
def test_cli_init_collect_status_sources(tmp_path, server):
    feed_server(server)
    cfg = write_config(tmp_path, server.base, n_feeds=2)
    made = cli_in_process(["--config", str(cfg), "init-db"])
    assert made.returncode == 0 and "phiên bản cấu trúc" in made.stdout and "schema" not in made.stdout
    res = cli(["--config", str(cfg), "collect", "--once"], timeout=300)  # a guard against hanging: it loads the models
    assert res.returncode == 0, res.stderr
    assert "[2/2]" in res.stderr and "tin mới" in res.stderr  # progress per source
    # a real process: in one run of round 23 the in-process status said last_collection_at None (items right);
    # not seen again in two runs, not explained (docs/ARCHITECTURE.md "Tests' speed")
    st = json.loads(cli(["--config", str(cfg), "status", "--json"]).stdout)
    assert st["items"] == 2 * PER_FEED + 1
    assert st["origin"] == "database"
    assert st["last_collection_at"]
    assert [s["source"] for s in st["sources"]] == ["feed0", "feed1"]
    assert all(s["status"] == "ok" for s in st["sources"])
    out = cli_in_process(["--config", str(cfg), "sources"]).stdout
    # in the words Nguồn tin shows, not the codes «ok», «rss» (round 21; `--json` keeps the codes)
    head, *lines = out.splitlines()
    assert head.split()[:2] == ["Nguồn", "Loại"] and "Trạng thái" in head and "Tin 24 giờ" in head
    feed0 = next(line for line in lines if line.startswith("feed0"))
    assert "Báo điện tử (RSS)" in feed0 and "Hoạt động" in feed0
    assert not re.search(r"\b(ok|rss|never_run)\b", out), out
    kinds = json.loads(cli_in_process(["sources", "--kinds", "--json"]).stdout)
    assert "rss" in kinds


def test_status_reads_snapshot_while_db_is_held(tmp_path):
    from store.db import Database

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb") as db:
        db.snapshot(tmp_path / "c.snap.duckdb")
        res = cli(["--config", str(cfg), "status", "--json"])
    assert res.returncode == 0, res.stderr
    st = json.loads(res.stdout)
    assert st["origin"] == "snapshot" and "bản chụp" in st["note"]


def test_status_without_a_snapshot_while_the_db_is_held_is_said_clearly(tmp_path):
    """Walked in round 14: `status` in serve's first minutes (no snapshot yet, or snapshots off) printed a
    Python traceback ending in store.db.DatabaseLocked."""
    from store.db import Database

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb"):
        res = cli(["--config", str(cfg), "status"])
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr and "Chưa có bản chụp" in res.stderr


def test_collect_refuses_clearly_while_serve_holds_the_db(tmp_path):
    from store.db import Database

    from tests.conftest import pretend_serve_holds

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    pretend_serve_holds(tmp_path, tmp_path / "c.duckdb")  # this process is the running serve (its state file)
    with Database(tmp_path / "c.duckdb"):
        res = cli(["--config", str(cfg), "collect", "--once"], cwd=tmp_path)
    assert res.returncode == 3
    assert "`langnghe serve` (pid" in res.stderr and "không phải" not in res.stderr, res.stderr
    assert "đang được một tiến trình khác giữ" in res.stderr and "held by" not in res.stderr  # was English


def test_bad_config_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[http]\nnope = 1\n", encoding="utf-8")
    res = cli_in_process(["--config", str(p), "status"])
    assert res.returncode == 2 and "nope" in res.stderr


def test_collect_a_mistyped_source_and_replay_a_missing_file_are_said_clearly(tmp_path):
    """`collect --source feeed0` collected nothing and said 'Xong: 0 nguồn' as if all went well;
    `replay --input` of a missing file printed the OS's English '[Errno 2]'."""
    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    res = cli_in_process(["--config", str(cfg), "collect", "--source", "feeed0"])
    assert res.returncode == 2 and "không có nguồn «feeed0»" in res.stderr and "Xong" not in res.stderr
    res = cli_in_process(["--config", str(cfg), "replay", "--input", str(tmp_path / "khong-co.jsonl"), "--db",
               str(tmp_path / "r.duckdb"), "--alerts-out", str(tmp_path / "a.jsonl")])
    assert res.returncode == 2 and "không có tệp" in res.stderr and "Errno" not in res.stderr


@pytest.mark.slow  # 10–40 s: CLI processes or a running scheduler; started first under xdist
def test_collect_and_sources_include_the_sources_added_on_the_nguon_page(tmp_path, server):
    """`collect` read only the TOML's [[sources]]: a source staff added on the Nguồn page was never
    collected by the CLI (serve collected it), and `collect --source` said it did not exist."""
    from store import users as store_users
    from store.db import Database, utcnow

    feed_server(server)
    cfg = write_config(tmp_path, server.base, n_feeds=1)
    with Database(tmp_path / "c.duckdb") as db, db.write() as cur:
        store_users.upsert_managed_source(cur, {"name": "trang-them", "kind": "rss", "url": f"{server.base}/f1.rss",
                                                "outlet": "Báo 1"}, "quantri", utcnow())
    res = cli_in_process(["--config", str(cfg), "collect", "--source", "trang-them"])
    assert res.returncode == 0, res.stderr
    assert "[1/1] trang-them: +201 mới" in res.stderr
    res = cli_in_process(["--config", str(cfg), "collect", "--once"])
    assert res.returncode == 0 and "Xong: 2 nguồn" in res.stderr, res.stderr
    listed = json.loads(cli_in_process(["--config", str(cfg), "sources", "--json"]).stdout)
    assert [s["source"] for s in listed] == ["feed0", "trang-them"]


def test_a_second_serve_refuses_clearly_while_one_holds_the_db(tmp_path):
    """Walked in round 13: a second `serve` on the same file printed a Python traceback ending in
    store.db.DatabaseLocked; now the reason in Vietnamese and exit 3, as `collect` does."""
    from store.db import Database

    cfg = write_config(tmp_path, "http://127.0.0.1:9", n_feeds=1)
    with Database(tmp_path / "c.duckdb"):
        res = cli(["--config", str(cfg), "serve"])
    assert res.returncode == 3, res.stderr
    assert "đang được một tiến trình khác giữ" in res.stderr and "Traceback" not in res.stderr
