"""SIGKILL in the middle of a large write: a chunk of 20,000 items (its search postings are row groups DuckDB writes
to the file before the commit) and a batch of full texts. Reopened, the database opens, holds no half item or half
text (every stored item indexed, every text's body searchable), and the next run completes the rest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import Database
from tests.conftest import database

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 20_000

WRITER = """
import sys
from datetime import datetime
from store import fulltext, items
from store.db import Database
from tests.store.test_crash_mid_batch import articles, many

path, what = sys.argv[1], sys.argv[2]
with Database(path) as db:
    if what == "items":
        items.store_batch(db, many(), chunk_items={chunk})
    else:
        for batch in articles():
            with db.write() as cur:
                fulltext.save_many(cur, batch, now=datetime(2026, 11, 22, 9, 0))
"""


def many(n: int = 2 * CHUNK) -> list:
    from tests.store.test_batch_storage import item

    return [item(i, title=f"Tin {i} về ô nhiễm ở Uông Bí", summary=f"Người dân phản ánh số {i}") for i in range(n)]


def articles(per_batch: int = 300) -> list[list]:
    from store.fulltext import Extracted

    its = many(3 * per_batch)
    text = "Bụi than bay khắp phường Vàng Danh, người dân bức xúc phản ánh nhiều lần. " * 5
    rows = [Extracted(it.id, f"{text} Bài {k}.", "ok", it.url) for k, it in enumerate(its)]
    return [rows[k:k + per_batch] for k in range(0, len(rows), per_batch)]


def killed_at(point: str, nth: int, path: Path, what: str, tmp_path: Path) -> None:
    """Run the writer in a child process and SIGKILL it once it stalls at the `nth` pass of `point`, uncommitted."""
    marker = tmp_path / "marker"
    env = {**os.environ, "LANGNGHE_FAULTPOINT": f"{point}:{nth}:{marker}",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(chunk=CHUNK), str(path), what], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # a guard against hanging, not a speed check
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "fault point never reached"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def index_state(db: Database) -> tuple[int, int, int, int, int]:
    """items, indexed items, items with title postings, texts, texts whose body is in the postings."""
    with db.read() as cur:
        return cur.execute("""
            SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM item_search),
                   (SELECT count(DISTINCT doc) FROM search_postings WHERE field = 0),
                   (SELECT count(*) FROM item_fulltext),
                   (SELECT count(DISTINCT doc) FROM search_postings WHERE field = 1)
        """).fetchone()


@pytest.mark.slow  # 10–40 s: a child process writing 20,000 items; started first under xdist
def test_sigkill_inside_a_large_chunk_leaves_the_committed_chunk_whole_and_the_next_run_completes(tmp_path):
    path = tmp_path / "c.duckdb"
    database(path).close()
    killed_at("items_indexed", 2, path, "items", tmp_path)  # the second chunk inserted and indexed, not committed
    with Database(path) as db:
        after_kill = index_state(db)
        with db.read() as cur:
            found = cur.execute("SELECT next_doc FROM search_state").fetchone()[0]
        from store import items as store_items
        from store import search

        store_items.store_batch(db, many(), chunk_items=CHUNK)  # the next run
        final = index_state(db)
        with db.read() as cur:
            hits = search.search(cur, '"ô nhiễm"').total
    assert after_kill == (CHUNK, CHUNK, CHUNK, 0, 0) and found == CHUNK + 1
    assert final == (2 * CHUNK, 2 * CHUNK, 2 * CHUNK, 0, 0) and hits == 2 * CHUNK


@pytest.mark.slow  # 10–40 s: child processes; started first under xdist
def test_sigkill_inside_a_batch_of_full_texts_keeps_texts_and_postings_together(tmp_path):
    from store import fulltext as store_fulltext
    from store import items as store_items
    from store import search

    path = tmp_path / "c.duckdb"
    with database(path) as db, db.write() as cur:
        store_items.insert_items(cur, many(900))
    killed_at("fulltexts_indexed", 2, path, "texts", tmp_path)
    with Database(path) as db:
        after_kill = index_state(db)
        with db.read() as cur:
            left = len(store_fulltext.pending(cur, limit=10_000, since=many(1)[0].fetched_at))
        for batch in articles():  # the next run: the texts of the killed batch are fetched again
            with db.write() as cur:
                store_fulltext.save_many(cur, batch, now=many(1)[0].fetched_at)
        final = index_state(db)
        with db.read() as cur:
            hits = search.search(cur, '"bụi than"').total
    assert after_kill == (900, 900, 900, 300, 300) and left == 600
    assert final == (900, 900, 900, 900, 900) and hits == 900
