"""Issue 11, parts 2, 7–10: linear and chunked batches with a clean Ctrl-C, the first storage error
reported (disk full), corrupt and read-only databases, no items left untagged, length caps."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from vocab.item import Item
from store import items as store_items
from store.db import Database
from tests.conftest import cli_in_process, make_config, rss_doc, rss_source, send
from tests.langnghe.test_crash_and_cli import cli
from vocab.numbers import number

T0 = datetime(2026, 11, 22, 8, 0)


def item(i: int, *, source: str = "s", url: str | None = None, title: str | None = None,
         summary: str | None = None, raw: bytes | None = b"raw") -> Item:
    url = url or f"https://bao.vn/tin-{i}"
    title = title if title is not None else f"Tin {i} về Quảng Ninh"
    summary = summary if summary is not None else f"Nội dung {i}"
    return Item(id=hashlib.sha1(url.encode()).hexdigest(), source=source, collector="rss", source_type="press",
                outlet="Báo", url=url, canonical_url=url, title=title, summary=summary,
                published_at=T0 - timedelta(minutes=i), published_estimated=False, fetched_at=T0,
                content_hash=hashlib.sha1(f"{title}|{summary}|{url}".encode()).hexdigest(), raw=raw)


def write_cfg(tmp_path: Path, base: str | None, *, db: Path | None = None, extra: str = "",
              sources: int = 1) -> Path:
    lines = [
        "[storage]",
        f'db_path = "{db or tmp_path / "c.duckdb"}"',
        f'snapshot_path = "{tmp_path / "c.snap.duckdb"}"',
        extra,
        "[http]", "per_host_spacing_seconds = 0.0", 'allow_private_hosts = ["127.0.0.1"]',
        "[fulltext]", "enabled = false",
        # the default [nlp] settings: the steps that tag run in process (cli_in_process) and reuse the pipeline the
        # worker keeps for them (nlp.service.get_pipeline, by settings); with `preload_rows = false` (round 22, when a
        # process paid ≈ 5 s for the rows) each worker built a second one for this file (round 24). The real
        # processes here stop or fail before they tag.
    ]
    for i in range(sources if base else 0):
        lines += ["[[sources]]", f'name = "feed{i}"', 'kind = "rss"', f'url = "{base}/f{i}.rss"',
                  f'outlet = "Báo {i}"']
    p = tmp_path / "cfg.toml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def big_feed(n: int, *, text: str = "", prefix: str = "tin") -> bytes:
    return rss_doc([{"title": f"Tin {j} về Hạ Long", "link": f"https://bao.vn/{prefix}-{j}",
                     "pubDate": "Sun, 22 Nov 2026 08:00:00 +0700", "description": f"Nội dung {j}. {text}"}
                    for j in range(n)])


# --- 2. linear batches, chunks, Ctrl-C ----------------------------------------------------------

def test_insert_builds_the_new_id_set_once_not_per_item(tmp_path, monkeypatch):
    """The raw-payload filter rebuilt set(new_ids) for every item: n² for a batch of n."""
    calls = []

    def counting_set(*a):
        calls.append(1)
        return set(*a)

    monkeypatch.setattr(store_items, "set", counting_set, raising=False)
    with Database(tmp_path / "t.duckdb") as db, db.write() as cur:
        new = store_items.insert_items(cur, [item(i) for i in range(2000)])
    assert len(new) == 2000
    assert len(calls) <= 5, f"set() built {len(calls)} times for one batch"


def test_store_batch_writes_chunks_links_across_them_and_finishes_in_the_last(tmp_path):
    items = [item(i) for i in range(250)] + [item(0, source="other")]  # item 0 seen again, by another source
    progress, finished = [], []
    with Database(tmp_path / "t.duckdb") as db:
        res = store_items.store_batch(db, items, chunk_items=100, progress=lambda d, t: progress.append((d, t)),
                                      finish=lambda cur, ids: finished.append(len(ids)))
        with db.read() as cur:
            n_items = cur.execute("SELECT count(*) FROM items").fetchone()[0]
            links = cur.execute("SELECT count(*) FROM item_links WHERE item_id = ?", [items[0].id]).fetchone()[0]
    assert progress == [(100, 251), (200, 251), (251, 251)]
    assert res.chunks == 3 and not res.interrupted
    assert len(res.new_ids) == n_items == 250 and finished == [250]
    assert links == 2


def test_store_batch_stops_between_chunks_keeping_what_was_committed(tmp_path):
    import threading

    stop = threading.Event()
    with Database(tmp_path / "t.duckdb") as db:
        res = store_items.store_batch(db, [item(i) for i in range(500)], chunk_items=100,
                                      progress=lambda d, t: stop.set() if d >= 200 else None, stop=stop,
                                      finish=lambda cur, ids: pytest.fail("finish must wait for the last chunk"))
        with db.read() as cur:
            n = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert res.interrupted and res.written == n == 200


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_collect_ctrl_c_stops_between_chunks_and_keeps_committed_items(tmp_path, server):
    from vocab.config import DEFAULT_LIMITS

    n = DEFAULT_LIMITS.max_entries  # the most one feed answer is read for (hostile4): 4000 entries were cut to 1000
    server.routes["/f0.rss"] = lambda req, doc=big_feed(n): send(req, 200, doc, headers={"ETag": '"v1"'})
    cfg = write_cfg(tmp_path, server.base, extra="write_chunk_items = 200")
    env = {**os.environ}
    env.pop("LANGNGHE_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "langnghe.cli", "--config", str(cfg), "collect", "--once"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:  # wait for the first chunk's progress line, then press Ctrl-C
        seen.append(line)
        if "đã ghi" in line:
            proc.send_signal(signal.SIGINT)
            break
    rest = proc.communicate(timeout=120)[1]
    out = "".join(seen) + rest
    assert any(f"đã ghi 200/{number(n)}" in s for s in seen), out  # counts written the Vietnamese way (round 28)
    assert proc.returncode == 130, out
    assert "Traceback" not in out and "Đã dừng theo yêu cầu" in out
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    kept = con.execute("SELECT count(*) FROM items").fetchone()[0]
    state = con.execute("SELECT etag, last_error_kind FROM source_state WHERE source = 'feed0'").fetchone()
    con.close()
    assert 200 <= kept < n and kept % 200 == 0  # whole chunks only
    assert state == (None, "interrupted")  # no ETag: the next run fetches the feed again
    res = cli_in_process(["--config", str(cfg), "collect", "--once"])
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    total, distinct = con.execute("SELECT count(*), count(DISTINCT canonical_url) FROM items").fetchone()
    con.close()
    assert total == distinct == n


# --- 7. disk full: the first error, in Vietnamese, with the path ---------------------------------

class _FailingCursor:
    """A cursor whose COMMIT fails like a full disk, and whose ROLLBACK then fails too (as DuckDB's does)."""

    def __init__(self, cur):
        self._cur = cur

    def execute(self, sql, *a, **kw):
        if sql == "COMMIT":
            self._cur.execute("ROLLBACK")
            raise duckdb.TransactionException(
                'TransactionContext Error: Failed to commit: Could not write file "x": No space left on device')
        if sql == "ROLLBACK":
            raise duckdb.TransactionException("TransactionContext Error: cannot rollback - no transaction is active")
        return self._cur.execute(sql, *a, **kw)

    def __getattr__(self, name):
        return getattr(self._cur, name)


class _FailingCon:
    def __init__(self, con):
        self._con = con

    def cursor(self):
        return _FailingCursor(self._con.cursor())

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_disk_full_reports_the_commit_error_not_the_rollback_one(tmp_path):
    path = tmp_path / "t.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1)])
        real = db._con
        db._con = _FailingCon(real)
        with pytest.raises(Exception) as ei:
            with db.write() as cur:
                store_items.insert_items(cur, [item(2)])
        db._con = real
        with db.read() as cur:
            kept = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    msg = str(ei.value)
    assert "No space left on device" in msg, msg
    assert "cannot rollback" not in msg
    assert "Ổ đĩa đã đầy" in msg and str(path) in msg
    assert kept == 1


@contextlib.contextmanager
def tmpfs(where: Path, size: str, why: str = "") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (made here), unmounted after; the test is skipped where it cannot be
    mounted (not root: `why` says what is lost)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                      capture_output=True).returncode:
        pytest.skip(f"cannot mount a tmpfs here{why}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def tiny_fs(tmp_path):
    """A 3 MB tmpfs (root only): the real 'No space left on device'."""
    with tmpfs(tmp_path / "mnt", "3m") as mnt:
        yield mnt


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_collect_on_a_full_disk_says_so_and_keeps_earlier_items(tmp_path, server, tiny_fs):
    server.routes["/f0.rss"] = lambda req, doc=big_feed(20): send(req, 200, doc)
    cfg = write_cfg(tmp_path, server.base, db=tiny_fs / "c.duckdb")
    assert cli_in_process(["--config", str(cfg), "collect", "--once"]).returncode == 0  # the earlier items
    server.routes["/f0.rss"] = lambda req, doc=big_feed(3000, text="x" * 2000, prefix="lon"): send(req, 200, doc)
    res = cli(["--config", str(cfg), "collect", "--once"], timeout=300)
    assert res.returncode == 4, res.stderr
    assert "Ổ đĩa đã đầy" in res.stderr and str(tiny_fs / "c.duckdb") in res.stderr
    assert "Traceback" not in res.stderr and "cannot rollback" not in res.stderr
    con = duckdb.connect(str(tiny_fs / "c.duckdb"), read_only=True)
    kept = con.execute("SELECT count(*) FROM items WHERE url LIKE '%/tin-%'").fetchone()[0]
    con.close()
    assert kept == 20


class _InvalidatedCon:
    """A connection DuckDB invalidated after a fatal error (a CHECKPOINT on a full disk): every statement fails,
    as the real one's do, until the file is opened again."""

    ERROR = ('FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must '
             'be restarted prior to being used again.\nOriginal error: "Failed to create checkpoint because of error: '
             'Could not write file "x": No space left on device"')

    def __init__(self, con):
        self._con = con

    def cursor(self):
        con = self

        class Cur:
            def execute(self, *a, **kw):
                raise duckdb.FatalException(con.ERROR)

            def close(self):
                pass

        return Cur()

    def close(self):
        self._con.close()


def test_after_a_fatal_error_the_next_read_opens_the_file_again_and_nothing_is_lost(tmp_path):
    """DuckDB invalidates the whole instance after a fatal error: every later read and write of serve failed (the
    dashboard and each tick) until serve was restarted, although staff had freed the disk as the message asked."""
    from store.db import StorageFull

    path = tmp_path / "t.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1), item(2)])
        db._con = _InvalidatedCon(db._con)
        with pytest.raises(StorageFull) as ei:
            with db.read() as cur:
                cur.execute("SELECT count(*) FROM items")
        with db.read() as cur:  # the disk freed: no restart needed
            kept = cur.execute("SELECT count(*) FROM items").fetchone()[0]
        with db.write() as cur:
            store_items.insert_items(cur, [item(3)])
        with db.read() as cur:
            after = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert "Ổ đĩa đã đầy" in str(ei.value) and str(path) in str(ei.value)
    assert kept == 2 and after == 3


def test_a_late_error_of_the_replaced_connection_does_not_reopen_the_file_under_the_new_one(tmp_path):
    """Two threads meet the fatal error: one reopens the file, the other's failure (raised on the old connection
    before the reopen) is handled after it. Noted as a new fatal error, it made the next read close the fresh
    connection under the reads and writes already using it ("Connection already closed") and open yet another."""
    from store.db import StorageFull

    path = tmp_path / "t.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1), item(2)])
        db._con = _InvalidatedCon(db._con)
        late = db.read()
        late_cur = late.__enter__()  # thread B's read began on the invalidated connection
        with pytest.raises(StorageFull):
            with db.read() as cur:  # thread C meets the fatal error first
                cur.execute("SELECT 1")
        with db.read() as cur:  # thread A reopens the file and reads on, its cursor open
            first = cur.execute("SELECT count(*) FROM items").fetchone()[0]
            with pytest.raises(StorageFull):
                try:
                    late_cur.execute("SELECT 1")  # B's failure, raised before the reopen, handled now
                except duckdb.Error as exc:
                    late.__exit__(type(exc), exc, exc.__traceback__)
            with db.read() as other:  # another read meanwhile
                other.execute("SELECT 1")
            second = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert first == second == 2


def test_a_read_in_flight_when_another_thread_reopens_the_file_fails_in_vietnamese(tmp_path):
    """The reopen closes the old connection and its cursors: a read in flight then failed with DuckDB's own
    "Connection Error: Connection already closed!", in English, on the dashboard or in serve's log."""
    from store.db import StorageError

    with Database(tmp_path / "t.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1)])
        with pytest.raises(StorageError) as ei:
            with db.read() as cur:  # this thread's read begins
                db._invalidated = True  # meanwhile another thread met the fatal error
                with db.read() as other:  # and a third reopens the file
                    other.execute("SELECT 1")
                cur.execute("SELECT count(*) FROM items")
        with db.read() as cur:
            kept = cur.execute("SELECT count(*) FROM items").fetchone()[0]
    assert "vừa được mở lại" in str(ei.value) and "Hãy thử lại" in str(ei.value) and kept == 1



def test_a_snapshot_failing_on_the_replaced_connection_does_not_reopen_the_file_under_the_new_one(tmp_path):
    """The snapshot's CHECKPOINT meets the fatal error on the old connection while another thread's read reopens
    the file. Noted as a new fatal error, the snapshot's failure made the next read close that fresh connection
    under the reads using it ("Connection already closed") and open yet another (the race review11 fixed for
    reads and writes)."""
    from store.db import StorageFull

    path = tmp_path / "t.duckdb"
    with Database(path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1), item(2)])
        held: dict = {}

        class _FailsLate(_InvalidatedCon):
            def cursor(self):
                class Cur:
                    def execute(self, *a, **kw):
                        db._invalidated = True  # another thread met the fatal error first, and now reads on:
                        held["read"] = db.read()  # its read reopens the file, its cursor kept open
                        held["cur"] = held["read"].__enter__()
                        raise duckdb.FatalException(_InvalidatedCon.ERROR)  # the snapshot's, of the old connection

                    def close(self):
                        pass

                return Cur()

        db._con = _FailsLate(db._con)
        with pytest.raises(StorageFull):
            db.snapshot(tmp_path / "snap.duckdb")
        with db.read() as other:  # another read after the failed snapshot
            other.execute("SELECT 1")
        count = held["cur"].execute("SELECT count(*) FROM items").fetchone()[0]  # the reader's cursor still works
        held["read"].__exit__(None, None, None)
    assert count == 2


@pytest.fixture
def full_fs(tmp_path):
    """A 20 MB tmpfs (root only) and a way to fill it but `room` bytes: the real 'No space left on device'."""
    with tmpfs(tmp_path / "mnt", "20m") as mnt:

        def fill(room: int) -> Path:
            st = os.statvfs(mnt)
            filler = mnt / "filler"
            filler.write_bytes(b"\0" * max(st.f_bavail * st.f_frsize - room, 0))
            return filler

        yield mnt, fill


def test_a_checkpoint_on_a_full_disk_then_space_freed_serve_goes_on_without_a_restart(tmp_path, full_fs):
    """The real thing: commits fill the disk (each refused clearly, the earlier ones kept), serve's snapshot then
    cannot CHECKPOINT the live file (a fatal error for DuckDB), staff free the disk: reads and writes work again."""
    from store.db import StorageFull

    mnt, fill = full_fs
    with Database(mnt / "c.duckdb") as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(i) for i in range(20)])
        filler = fill(400_000)
        stored = 20
        with pytest.raises(StorageFull) as full:
            for k in range(200):
                with db.write() as cur:
                    store_items.insert_items(cur, [item(1000 + 10 * k + i, summary="x" * 2000 + f"{k}-{i}")
                                                   for i in range(10)])
                stored += 10
        with pytest.raises(StorageFull) as snap:
            db.snapshot(tmp_path / "snap.duckdb")  # on another disk: the database's is the full one
        filler.unlink()
        with db.read() as cur:
            kept = cur.execute("SELECT count(*) FROM items").fetchone()[0]
        with db.write() as cur:
            store_items.insert_items(cur, [item(5000)])
        db.snapshot(tmp_path / "snap.duckdb")
        with db.read() as cur:
            items, indexed = cur.execute("SELECT count(*), (SELECT count(*) FROM item_search) FROM items").fetchone()
    assert "Ổ đĩa đã đầy" in str(full.value) and "Traceback" not in str(full.value)
    assert kept == stored and items == indexed == stored + 1
    assert str(snap.value).startswith(f"Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu {mnt / 'c.duckdb'}")
    assert not (tmp_path / "snap.duckdb.tmp").exists()


# --- 8. corrupt and read-only databases ---------------------------------------------------------

def test_corrupt_database_gives_a_clear_error_and_status_falls_back_to_the_snapshot(tmp_path):
    cfg = write_cfg(tmp_path, None)
    (tmp_path / "c.duckdb").write_bytes(os.urandom(64 * 1024))
    for run, args in ((cli_in_process, ["status"]), (cli, ["collect", "--once"])):  # one of them a real process
        res = run(["--config", str(cfg), *args])
        assert res.returncode == 4, (args, res.stderr)
        assert "bị hỏng" in res.stderr and str(tmp_path / "c.duckdb") in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
    with Database(tmp_path / "c.snap.duckdb") as snap, snap.write() as cur:
        store_items.insert_items(cur, [item(1), item(2)])
    res = cli_in_process(["--config", str(cfg), "status"])
    assert res.returncode == 0, res.stderr
    assert "bản chụp" in res.stdout and "Tin bài: 2" in res.stdout
    st = json.loads(cli_in_process(["--config", str(cfg), "status", "--json"]).stdout)
    assert st["origin"] == "snapshot" and "KHÔNG đọc được" in st["note"]


@pytest.fixture
def read_only_db(tmp_path):
    """A database file nobody may write: a read-only tmpfs as root, chmod 0444 otherwise."""
    if os.geteuid() == 0:
        with tmpfs(tmp_path / "ro", "8m", why=" (root ignores file modes)") as mnt:
            with Database(mnt / "c.duckdb") as db, db.write() as cur:
                store_items.insert_items(cur, [item(1)])
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            yield mnt / "c.duckdb"
    else:
        path = tmp_path / "c.duckdb"
        with Database(path) as db, db.write() as cur:
            store_items.insert_items(cur, [item(1)])
        path.chmod(0o444)
        yield path


def test_read_only_database_gives_a_clear_error_and_status_still_reads_it(tmp_path, read_only_db):
    cfg = write_cfg(tmp_path, None, db=read_only_db)
    res = cli(["--config", str(cfg), "collect", "--once"])
    assert res.returncode == 4, res.stderr
    assert "chỉ cho phép đọc" in res.stderr and str(read_only_db) in res.stderr
    assert "Traceback" not in res.stderr
    res = cli_in_process(["--config", str(cfg), "status"])
    assert res.returncode == 0, res.stderr
    assert "Tin bài: 1" in res.stdout and "chỉ đọc" in res.stdout


# --- 9. no command leaves items untagged --------------------------------------------------------

def _untagged(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM items i WHERE NOT EXISTS "
                           "(SELECT 1 FROM item_tags t WHERE t.item_id = i.id)").fetchone()[0]
    finally:
        con.close()


def _leftovers(path: Path, n: int = 30) -> None:
    """What a crash between commit and tagging leaves: stored items, no tags."""
    with Database(path) as db, db.write() as cur:
        store_items.insert_items(cur, [item(i, title=f"Ngập úng ở Hạ Long, tin {i}") for i in range(n)])


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_collect_tags_items_an_earlier_crash_left_untagged(tmp_path, server):
    server.routes["/f0.rss"] = lambda req, doc=big_feed(3, prefix="moi"): send(req, 200, doc)
    cfg = write_cfg(tmp_path, server.base)
    _leftovers(tmp_path / "c.duckdb")
    res = cli_in_process(["--config", str(cfg), "collect", "--once"])
    assert res.returncode == 0, res.stderr
    assert _untagged(tmp_path / "c.duckdb") == 0


def test_import_tags_leftovers_too(tmp_path):
    cfg = write_cfg(tmp_path, None)
    _leftovers(tmp_path / "c.duckdb")
    csv = tmp_path / "posts.csv"
    csv.write_text("title,text,url\nĐường ngập ở Cẩm Phả,Nước lên nhanh,https://fb.com/p/1\n", encoding="utf-8")
    res = cli_in_process(["--config", str(cfg), "import", str(csv), "--map", "title=title,text=text,url=url",
                          "--undated-now"])
    assert res.returncode == 0, res.stderr
    assert _untagged(tmp_path / "c.duckdb") == 0


@pytest.mark.slow  # 10–40 s: CLI processes; started first under xdist
def test_serve_catches_up_on_untagged_items_at_start(tmp_path):
    from orchestration.jobs import Scheduler

    cfg = make_config(tmp_path, [], schedule={"tick_seconds": 0.2}, storage={"snapshot_every_minutes": 0},
                      fulltext={"enabled": False})
    _leftovers(Path(cfg.storage.db_path))
    with Database(cfg.storage.db_path) as db:
        sched = Scheduler(cfg, db)
        sched.start()
        deadline = time.monotonic() + 300  # a guard against hanging, not a speed check
        while sched.passes < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        sched.stop()
        sched.join(timeout=60)
    assert _untagged(Path(cfg.storage.db_path)) == 0


# --- 10. length caps ----------------------------------------------------------------------------

def test_huge_texts_are_cut_flagged_and_counted(tmp_path):
    from orchestration.status import collect_status

    cfg = make_config(tmp_path, [rss_source("s", "http://127.0.0.1:9/f.rss")])
    with Database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_items.insert_items(cur, [item(1, summary="ạ" * 2_000_000, title="T" * 5000), item(2)])
        with db.read() as cur:
            rows = dict(cur.execute("SELECT id, length(summary) + length(title) FROM items").fetchall())
            flags = cur.execute("SELECT flags FROM items WHERE id = ?", [item(1).id]).fetchone()[0]
        st = collect_status(cfg, db)
    assert rows[item(1).id] == 50_000 + 1_000  # the documented defaults of [storage] max_text/title_chars
    assert sorted(flags) == ["cut:text", "cut:title"]
    assert st["sources"][0]["items_cut"] == {"title": 1, "text": 1} == st["items_cut"]["s"]


def test_collect_uses_the_configured_caps(tmp_path, server):
    from collectors.runner import Runner
    import asyncio

    long_title = "Người dân phản ánh " * 20
    server.routes["/f.rss"] = lambda req: send(req, 200, rss_doc([
        {"title": long_title, "link": "https://a.vn/1", "description": "Ngắn"},
        {"title": "Ngắn", "link": "https://a.vn/2", "description": "Nội dung dài " * 50},
    ]))
    cfg = make_config(tmp_path, [rss_source("f", server.url("/f.rss"))], fulltext={"enabled": False},
                      storage={"max_title_chars": 40, "max_text_chars": 100})
    with Database(cfg.storage.db_path) as db:
        asyncio.run(Runner(cfg, db).run_due(force=True))
        with db.read() as cur:
            lens = cur.execute("SELECT max(length(title)), max(length(summary)) FROM items").fetchone()
            health = store_items.cut_counts(cur)
    assert lens == (40, 100)
    assert health == {"f": {"title": 1, "text": 1}}
