"""Half an emoji (a lone UTF-16 surrogate, what an API or an export that cuts text by UTF-16 units leaves as
"\\ud83d" in its JSON) cannot be encoded as UTF-8 (hashes, DuckDB/Arrow): a JSON source lost such a post at
every poll, and an import skipped the row as "mapping error: UnicodeEncodeError". `collectors.textutil.visible`
drops them like the other invisible characters; the rest of the text is kept. Traffic stays on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest

from collectors.runner import Runner
from collectors.textutil import visible
from langnghe import cli
from store.db import Database
from tests.conftest import make_config, send
from kindhelpers import fresh_gates, kserver, server  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")

CUT = "Bà con phường Vàng Danh bức xúc vì bụi than \ud83d"  # the emoji's second half cut off


def test_visible_drops_lone_surrogates_and_keeps_whole_emoji():
    assert visible(CUT + " 😡 \udc00 hết") == "Bà con phường Vàng Danh bức xúc vì bụi than  😡  hết"


def test_a_json_source_with_half_an_emoji_is_stored_not_failed(tmp_path, server):
    statuses = json.loads((FIX / "mastodon/tag_quangninh.json").read_text(encoding="utf-8"))
    statuses[0]["content"] = f"<p>{CUT}</p>"
    body = json.dumps(statuses).encode()  # ensure_ascii: the half is the escape \ud83d, as APIs send it
    assert b"\\ud83d" in body
    server.routes["/api/v1/timelines/tag/quangninh"] = lambda r: send(r, 200, body, "application/json")
    src = {"name": "m", "kind": "mastodon", "url": server.url("/api/v1/timelines/tag/quangninh"),
           "outlet": "Mastodon", "source_type": "social", "options": {"min_interval_seconds": 0}}
    cfg = make_config(tmp_path, [src])
    with Database(cfg.storage.db_path) as db:
        summary = asyncio.run(Runner(cfg, db).run_due(force=True))
        (outcome,) = summary.outcomes
        assert outcome.outcome == "ok", outcome
        with db.read() as cur:
            texts = [r[0] for r in cur.execute("SELECT summary FROM items").fetchall()]
    assert outcome.items_new == len(texts) == 3
    assert any(t.startswith("Bà con phường Vàng Danh bức xúc vì bụi than") for t in texts)


def test_an_imported_row_with_half_an_emoji_is_imported(tmp_path, monkeypatch, capsys):
    dbp = tmp_path / "i.duckdb"
    monkeypatch.setenv("LANGNGHE_DB", str(dbp))
    monkeypatch.setattr("orchestration.ingest.processor", lambda cfg, db: None)
    path = tmp_path / "posts.jsonl"
    rows = [{"title": "Tin A \ud83d", "text": CUT, "url": "https://bao.vn/a", "published_at": "2026-12-01",
             "author": "Nguyễn \udc00", "outlet": "Nhóm \ud83d"},
            {"title": "Tin B", "text": "Nội dung B", "url": "https://bao.vn/b", "published_at": "2026-12-01"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert cli.main(["import", str(path), "--map",
                     "title=title,text=text,url=url,published_at=published_at,author=author,outlet=outlet"]) == 0
    assert "Đã nhập 2 mục mới" in capsys.readouterr().err
    with Database(dbp) as d, d.read() as cur:
        titles = sorted(r[0] for r in cur.execute("SELECT title FROM items").fetchall())
    assert titles == ["Tin A", "Tin B"]
