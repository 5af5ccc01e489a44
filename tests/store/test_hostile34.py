"""Round 31 sweep (`hostile34`, docs/SECURITY.md): the error that failed a write is the one said, not DuckDB's
«Current transaction is aborted» that a store function's clean-up raised over it; a file-size limit (EFBIG) is a
storage error in Vietnamese, as a full disk is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from store.db import Database, StorageFull

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_error_of_a_transaction_is_raised_not_the_clean_up_that_failed_after_it(tmp_path):
    """store.search.index_items drops its temporary tables in a `finally`: on a transaction DuckDB already aborted the
    DROP fails too, and Python raised that error in place of the first."""
    with Database(tmp_path / "t.duckdb") as db:
        with pytest.raises(duckdb.Error) as ei:
            with db.write() as cur:
                try:
                    cur.execute("SELECT error('the first failure')")
                finally:
                    cur.execute("DROP TABLE IF EXISTS _not_there")
        with db.read() as cur:
            assert cur.execute("SELECT 1").fetchone() == (1,)  # the database is usable after it
    assert "the first failure" in str(ei.value), str(ei.value)
    assert "transaction is aborted" not in str(ei.value).lower()


_CHILD = """
import os, resource, sys
from store import items as store_items
from store.db import Database
from tests.store.test_batch_storage import item

path = sys.argv[1]
with Database(path) as db:
    with db.write() as cur:
        store_items.insert_items(cur, [item(0)])
    limit = os.path.getsize(path) + (256 << 10)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: a write fails with EFBIG
    try:
        with db.write() as cur:
            store_items.insert_items(cur, [item(i, summary=f"Nội dung {i} " + " ".join(f"w{i}x{j}" for j in range(300)))
                                           for i in range(1, 2001)])
        print("stored")
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux applies it")
def test_a_database_past_a_file_size_limit_says_so_in_vietnamese_and_keeps_what_was_stored(tmp_path):
    """A database on a FAT32 disk (4 GB a file) or under `ulimit -f`: the insert that passes the limit fails with
    EFBIG («File too large») inside the search index's statements; it was «lỗi ngoài dự kiến của phần mềm
    (TransactionException)»."""
    path = tmp_path / "t.duckdb"
    res = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = res.stdout.strip()
    assert out.startswith(StorageFull.__name__), out + res.stderr
    assert "giới hạn dung lượng một tệp" in out, out
    with Database(path) as db, db.read() as cur:
        assert cur.execute("SELECT count(*) FROM items").fetchone() == (1,)


def test_an_os_error_past_a_file_size_limit_has_its_vietnamese_reason():
    """`langnghe backup` to a FAT32 stick of a database over 4 GB: «lỗi của hệ điều hành … (chi tiết: File too
    large)» before; now what the limit is and what to do."""
    import errno

    from vocab.oserrors import os_error_reason

    reason = os_error_reason(OSError(errno.EFBIG, "File too large"))
    assert reason is not None and "FAT32" in reason and "giới hạn dung lượng một tệp" in reason
