"""langnghe.commands._storing.open_for_writing: how the writing commands open the database, or say who holds it
(collect, fulltext, import, retention, survey import/recode, tag --pending, users; round 26)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from langnghe.commands._storing import open_for_writing
from store import db as store_db
from store.errors import DatabaseLocked
from vocab.config import load


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    c = load()
    return replace(c, storage=replace(c.storage, db_path=str(tmp_path / "w.duckdb")))


def test_a_free_database_is_opened_for_writing(cfg, capsys):
    db = open_for_writing(cfg, "collect")
    assert db is not None
    with db, db.write() as cur:
        cur.execute("SELECT count(*) FROM items")
    assert capsys.readouterr().err == ""


def test_a_held_database_is_said_with_the_command_and_its_hint_and_nothing_opened(cfg, capsys, monkeypatch):
    def held(*_a, **_k):
        raise DatabaseLocked("Cơ sở dữ liệu đang được một tiến trình khác giữ.")

    monkeypatch.setattr(store_db, "Database", held)
    assert open_for_writing(cfg, "collect", "\n`langnghe serve` đang thu thập theo lịch.") is None
    assert capsys.readouterr().err == ("langnghe collect: Cơ sở dữ liệu đang được một tiến trình khác giữ.\n"
                                       "`langnghe serve` đang thu thập theo lịch.\n")
    assert open_for_writing(cfg, "tag --pending") is None
    assert capsys.readouterr().err == "langnghe tag --pending: Cơ sở dữ liệu đang được một tiến trình khác giữ.\n"
