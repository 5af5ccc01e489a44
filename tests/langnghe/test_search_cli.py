"""`langnghe search` masks @mentions of private persons as the Tin bài page does (the admin's saved switch first)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest

from collectors.textutil import canonical_url, content_hash, sha1
from langnghe import cli
from store import items as store_items
from store import users as store_users
from store.db import Database, utcnow
from vocab.item import Item


def _stored(path) -> None:  # type: ignore[no-untyped-def]
    url = "https://facebook.com/tin/1"
    pub = utcnow() - timedelta(hours=1)
    title = "@nguoidung4 ơi, bãi thải than sau nhà sạt rồi"
    it = Item(id=sha1(canonical_url(url)), source="s", collector="facebook_page", source_type="social", outlet="Nhóm",
              url=url, canonical_url=canonical_url(url), title=title, summary="bùn đất tràn vào nhà",
              published_at=pub, published_estimated=False, fetched_at=pub,
              content_hash=content_hash(title, "bùn đất tràn vào nhà", url))
    db = Database(str(path))
    with db.write() as cur:
        store_items.insert_items(cur, [it])
    db.close()


@contextmanager
def _held(path, *, read_only: bool) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Another process holds the DuckDB file (read-only: a second reader; else: serve, the writer) while the body runs."""
    hold = (f"import duckdb, sys; c = duckdb.connect({str(path)!r}{', read_only=True' if read_only else ''}); "
            "print('mở', flush=True); sys.stdin.read(); c.close()")
    other = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "mở"
        yield
    finally:
        other.communicate("", timeout=60)


def test_search_masks_mentions_unless_the_admin_switched_masking_off(tmp_path, monkeypatch, capsys):
    path = tmp_path / "s.duckdb"
    _stored(path)
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    assert cli.main(["search", "bãi thải"]) == 0
    out = capsys.readouterr().out
    assert "@n***4" in out and "@nguoidung4" not in out
    assert not re.search(r"\s\d+\.\d\s", out), out  # the score with the decimal comma (round 21: «10.6»)
    assert cli.main(["search", "bãi thải", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["title"].startswith("@n***4")
    db = Database(str(path))
    with db.write() as cur:  # Quản trị: masking off
        store_users.set_setting(cur, "retention.mask_author_handles", False, "quantri", utcnow())
    db.close()
    assert cli.main(["search", "bãi thải"]) == 0
    assert "@nguoidung4" in capsys.readouterr().out


def test_search_reads_read_only_and_does_not_upgrade_an_older_database(tmp_path, monkeypatch, capsys):
    """`langnghe search` opened the live file for writing: it upgraded an older database unasked and held DuckDB's
    write lock meanwhile. Now read-only, as `langnghe status`, with the same words for an older file."""
    from tests.store.test_upgrade import _old_database

    path = _old_database(tmp_path, monkeypatch)
    before = path.read_bytes()
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    assert cli.main(["search", "bãi thải"]) == 3
    err = capsys.readouterr().err
    assert path.read_bytes() == before and not list(tmp_path.glob("*.truoc-nang-cap-*"))
    assert "chỉ đọc, không nâng cấp" in err and "`langnghe serve`" in err and "`langnghe init-db`" in err


def test_search_leaves_the_database_free_for_a_writer(tmp_path, monkeypatch, capsys):
    """Another process holding the file read-only (a second search, the dashboard's `report --db`) no longer makes a
    search say serve holds it: readers share the file."""
    path = tmp_path / "s.duckdb"
    _stored(path)
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    with _held(path, read_only=True):
        assert cli.main(["search", "bãi thải"]) == 0
    captured = capsys.readouterr()
    assert "1 tin khớp" in captured.out and "serve đang giữ" not in captured.err


def test_search_while_serve_holds_the_database_without_a_snapshot_says_when_one_comes(tmp_path, monkeypatch, capsys):
    """`search` and `status` opened the database each with its own code (store.db.open_read_only now): search said
    only that there was no snapshot, status also when serve writes the first one."""
    path = tmp_path / "s.duckdb"
    _stored(path)
    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\nsnapshot_path = "{tmp_path / "chua-co.duckdb"}"\n', encoding="utf-8")
    monkeypatch.setenv("LANGNGHE_CONFIG", str(conf))
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    with _held(path, read_only=False):
        assert cli.main(["search", "bãi thải"]) == 3
    err = capsys.readouterr().err
    assert "Chưa có bản chụp" in err and "storage.snapshot_every_minutes" in err


def test_the_first_and_last_days_are_refused_or_searched_not_a_traceback(tmp_path, monkeypatch, capsys):
    """`--since 0001-01-01` / `--until 9999-12-31` overflowed turning the day into UTC bounds, and `--since 0001-01-02
    --in-area` overflowed in the store's tag bound (a day before the window): tracebacks (round 29, `hostile32`)."""
    path = tmp_path / "s.duckdb"
    _stored(path)
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    for edge in (["--since", "0001-01-01"], ["--until", "9999-12-31"]):
        with pytest.raises(SystemExit) as exit_:  # argparse's refusal, as every value the parser reads
            cli.main(["search", "bùn", *edge])
        assert exit_.value.code == 2 and "ngày ngoài khoảng tìm được" in capsys.readouterr().err
    for widest, found in ((["--since", "0001-01-02", "--until", "9999-12-30", "--in-area"], "0 tin."),  # not in area
                          (["--since", "02/01/0001", "--until", "30/12/9999"], "1 tin.")):
        assert cli.main(["search", "", *widest]) == 0
        assert f"\n{found}\n" in capsys.readouterr().out


def test_a_limit_past_the_largest_is_refused_not_a_traceback(tmp_path, monkeypatch, capsys):
    """`--limit 99999999999999999999` was DuckDB's ConversionException (INT128 to INT64) out of LIMIT (round 29)."""
    path = tmp_path / "s.duckdb"
    _stored(path)
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    for limit in ("99999999999999999999", "100001"):
        assert cli.main(["search", "", "--limit", limit]) == 2
        assert "tối đa 100.000" in capsys.readouterr().err
    assert cli.main(["search", "", "--limit", "100000"]) == 0
