"""Items tagged but not yet matched (cases, watchlists: item_steps_pending, migration 176) are said by
`langnghe status` and on the Nguồn tin page; nothing is said when none are (the normal state between passes)."""

from __future__ import annotations

import argparse
import json

from langnghe.commands import status as status_cmd
from store import tags as tag_store
from store.db import Database
from tests.conftest import database, make_config


def _tag(db, ids: list[str]) -> None:
    """First tags mark the items as owing their after-tagging steps (store.tags.save_tags)."""
    with db.write() as cur:
        tag_store.save_tags(cur, [{"id": i, "model_version": "v", "topics": [], "sentiment": "neutral"} for i in ids])


def test_status_says_how_many_items_still_owe_their_matching(tmp_path, capsys):
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    db.close()
    assert status_cmd.run(argparse.Namespace(json=False), cfg) == 0
    assert "chưa đối chiếu" not in capsys.readouterr().out  # none owed: no line
    db = Database(cfg.storage.db_path)
    _tag(db, ["a", "b"])
    db.close()
    assert status_cmd.run(argparse.Namespace(json=False), cfg) == 0
    out = capsys.readouterr().out
    assert "Tin đã gán nhãn nhưng chưa đối chiếu hồ sơ phản ánh và danh sách theo dõi: 2" in out
    assert status_cmd.run(argparse.Namespace(json=True), cfg) == 0
    assert json.loads(capsys.readouterr().out)["items_steps_pending"] == 2



def test_status_counts_items_whose_steps_were_given_up(tmp_path, capsys):
    """An item whose cases / watchlist matching failed STEP_ATTEMPTS times is no longer tried: status says so."""
    from store.db import utcnow

    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    _tag(db, ["a", "b"])
    with db.write() as cur:
        for _ in range(tag_store.STEP_ATTEMPTS):
            tag_store.step_failed(cur, "a", utcnow())
    db.close()
    assert status_cmd.run(argparse.Namespace(json=False), cfg) == 0
    out = capsys.readouterr().out
    assert "chưa đối chiếu hồ sơ phản ánh và danh sách theo dõi: 1" in out
    assert "đã dừng thử: 1" in out
    assert status_cmd.run(argparse.Namespace(json=True), cfg) == 0
    assert json.loads(capsys.readouterr().out)["items_steps_failed"] == 1
