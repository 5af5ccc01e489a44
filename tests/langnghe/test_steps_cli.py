"""`langnghe steps [--retry]`: what the after-tagging queue owes and gave up, by step with the last error, and the
given-up items put back without hand-written SQL. A real DuckDB file, the command run in-process."""

from __future__ import annotations

import argparse

from langnghe.commands import steps as steps_cmd
from store import tags as tag_store
from store.db import Database, utcnow
from tests.conftest import database, make_config


def _setup(tmp_path):
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    with db.write() as cur:
        tag_store.save_tags(cur, [{"id": i, "model_version": "v", "topics": [], "sentiment": "neutral"}
                                  for i in ("a", "b", "c")])
        for _ in range(tag_store.STEP_ATTEMPTS):
            tag_store.step_failed(cur, "a", utcnow(), "watchlists", "ValueError: truy vấn hỏng")
        tag_store.step_failed(cur, "b", utcnow(), "cases", "RuntimeError: hết chỗ")
    db.close()
    return cfg


def test_steps_lists_what_is_owed_and_given_up_by_step_with_the_last_error(tmp_path, capsys):
    cfg = _setup(tmp_path)
    assert steps_cmd.run(argparse.Namespace(retry=False), cfg) == 0
    out = capsys.readouterr().out
    assert "Tin còn chờ đối chiếu hồ sơ phản ánh và danh sách theo dõi: 2" in out
    assert "chưa lỗi lần nào (serve xử lý ở lượt gán nhãn kế tiếp): 1" in out  # c
    assert "lỗi ở bước mở hồ sơ phản ánh: 1" in out and "RuntimeError: hết chỗ" in out  # b, still owed
    assert f"Tin đã dừng thử sau {tag_store.STEP_ATTEMPTS} lần lỗi: 1" in out
    assert "lỗi ở bước đối chiếu danh sách theo dõi: 1" in out and "ValueError: truy vấn hỏng" in out  # a
    assert "langnghe steps --retry" in out


def test_steps_retry_puts_the_given_up_items_back_in_the_queue(tmp_path, capsys):
    cfg = _setup(tmp_path)
    assert steps_cmd.run(argparse.Namespace(retry=True), cfg) == 0
    assert "Đã đưa 1 tin vào lại hàng chờ" in capsys.readouterr().out
    with Database(cfg.storage.db_path) as db, db.read() as cur:
        assert tag_store.count_steps_failed(cur) == 0 and tag_store.count_steps_pending(cur) == 3
        assert cur.execute("SELECT attempts FROM item_steps_pending WHERE item_id = 'a'").fetchone()[0] == 0
        assert [i for i, _ in tag_store.steps_pending(cur)] == ["a", "b", "c"]
    assert steps_cmd.run(argparse.Namespace(retry=True), cfg) == 0
    assert "Không có tin nào đã dừng thử" in capsys.readouterr().out


def test_steps_with_nothing_owed_says_so(tmp_path, capsys):
    cfg = make_config(tmp_path)
    database(cfg.storage.db_path).close()
    assert steps_cmd.run(argparse.Namespace(retry=False), cfg) == 0
    assert "Không có tin nào còn chờ" in capsys.readouterr().out


def test_an_item_that_failed_before_its_step_was_kept_is_not_said_never_to_have_failed(tmp_path, capsys):
    """A mark that counted a failed run before migration 178 kept the step and the error has attempts but no
    last_step: it was listed «chưa lỗi lần nào» until it failed again (review12)."""
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    with db.write() as cur:
        tag_store.save_tags(cur, [{"id": "old", "model_version": "v", "topics": [], "sentiment": "neutral"}])
        cur.execute("UPDATE item_steps_pending SET attempts = 1")  # as migration 177 counted it, no step kept
    db.close()
    assert steps_cmd.run(argparse.Namespace(retry=False), cfg) == 0
    out = capsys.readouterr().out
    assert "chưa lỗi lần nào" not in out and "không rõ bước lỗi" in out
