"""What cli33 and ux33 left on the command line (round 28, cli34): `status` judges the last collection by the
dashboard's rule, `train` speaks Vietnamese on the console, `tag --pending` honours --batch and refuses --workers,
`search ""` says it lists the newest items."""

from __future__ import annotations

import pytest

from tests.conftest import cli_in_process


def _env(db) -> dict[str, str]:
    return {"LANGNGHE_DB": str(db)}


# --- tag --pending: --batch honoured, --workers refused ------------------------------------------------------------

def _fake_pending(monkeypatch) -> dict:
    from nlp import service

    class Pipe:
        model_version = "9.9/test"

    calls: dict = {}

    def tag_pending(cfg, db, batch=500, pipeline=None, **_kw):
        calls["batch"] = batch
        return 0

    monkeypatch.setattr(service, "get_pipeline", lambda cfg: Pipe())
    monkeypatch.setattr(service, "tag_pending", tag_pending)
    return calls


def test_tag_pending_tags_in_batches_of_the_batch_given(tmp_path, monkeypatch):
    """`tag --pending --batch 50` tagged in batches of [nlp] batch_size (500) without a word (round 28)."""
    from store.db import Database

    calls = _fake_pending(monkeypatch)
    with Database(tmp_path / "t.duckdb"):
        pass
    res = cli_in_process(["tag", "--pending", "--batch", "50"], _env(tmp_path / "t.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and calls["batch"] == 50, (res.stderr, calls)
    res = cli_in_process(["tag", "--pending"], _env(tmp_path / "t.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0 and calls["batch"] == 500, (res.stderr, calls)  # [nlp] batch_size's default


@pytest.mark.parametrize("workers", ["4", "0"])
def test_tag_pending_refuses_workers_in_vietnamese(tmp_path, monkeypatch, workers):
    """`tag --pending --workers 4` ran in one process, as stored items are always tagged, and said nothing."""
    from store.db import Database

    calls = _fake_pending(monkeypatch)
    with Database(tmp_path / "t.duckdb"):
        pass
    res = cli_in_process(["tag", "--pending", "--workers", workers], _env(tmp_path / "t.duckdb"),
                         unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 2 and "--workers không dùng được cùng --pending" in res.stderr, res.stderr
    assert "batch" not in calls


def test_tag_help_says_what_pending_does_with_batch_and_workers():
    res = cli_in_process(["tag", "--help"])
    text = " ".join(res.stdout.split())
    assert "với --pending mặc định theo [nlp] batch_size" in text and "không dùng cùng --pending" in text, text


# --- status: the last collection judged by the dashboard's rule ----------------------------------------------------

LAST_UTC = __import__("datetime").datetime(2026, 12, 7, 1, 10)  # 08:10 in Vietnam: the last collection


def _collected(cfg) -> None:
    """Every configured source fetched at 08:10, each due again 15 minutes later, as the scheduler leaves them."""
    from datetime import timedelta

    from store.db import Database
    from store.sources import Outcome, record_outcome

    with Database(cfg.storage.db_path) as db, db.write() as cur:
        for s in cfg.sources:
            record_outcome(cur, Outcome(source=s.name, started_at=LAST_UTC - timedelta(seconds=5),
                                        finished_at=LAST_UTC, outcome="ok", next_due_at=LAST_UTC + timedelta(minutes=15),
                                        http_status=200, entries_seen=3))


def _status(cfg, monkeypatch, capsys, now, as_json: bool):
    import argparse
    import json

    from langnghe.commands import status as status_cmd
    from orchestration import status

    monkeypatch.setattr(status, "utcnow", lambda: now)
    code = status_cmd.run(argparse.Namespace(json=as_json), cfg)
    out = capsys.readouterr().out
    return code, (json.loads(out) if as_json else out)


def test_status_says_when_the_server_stopped_collecting_by_its_own_schedule(tmp_path, monkeypatch, capsys):
    """Stopped at 08:10, read at 15:00: status printed «Lần thu thập gần nhất: 08:10:00 …» as calmly as a minute
    after a pass, and its JSON had no field for it (round 28). Exit code unchanged: 0 (codes do not carry health)."""
    from datetime import timedelta

    from tests.conftest import make_config

    cfg = make_config(tmp_path)
    _collected(cfg)
    code, out = _status(cfg, monkeypatch, capsys, LAST_UTC + timedelta(hours=6, minutes=50), as_json=False)
    assert code == 0
    assert "CHÚ Ý: máy chủ đã ngừng thu thập tin (lần gần nhất cách đây 6 giờ 50 phút" in out, out
    assert "lẽ ra đã thu thập lại trước 08:35:23 07/12/2026 (giờ Việt Nam)" in out, out  # 08:25 + 20 s + 3 s + 10 min
    code, js = _status(cfg, monkeypatch, capsys, LAST_UTC + timedelta(hours=6, minutes=50), as_json=True)
    assert code == 0 and js["collection_late"] is True and js["collection_due_by"] == "2026-12-07T01:35:23Z", js


def test_status_on_schedule_or_never_collected_is_not_late(tmp_path, monkeypatch, capsys):
    from datetime import timedelta

    from store.db import Database
    from tests.conftest import make_config

    cfg = make_config(tmp_path)
    code, js = _status(cfg, monkeypatch, capsys, LAST_UTC, as_json=True)
    assert js["origin"] == "none" and js["collection_late"] is False, js  # no database yet: the field is there too
    with Database(cfg.storage.db_path):
        pass
    code, js = _status(cfg, monkeypatch, capsys, LAST_UTC + timedelta(days=3), as_json=True)
    assert js["collection_late"] is False and js["collection_due_by"] is None, js  # never collected: not «stopped»
    _collected(cfg)
    code, out = _status(cfg, monkeypatch, capsys, LAST_UTC + timedelta(minutes=14), as_json=False)
    assert code == 0 and "ngừng thu thập" not in out, out
    code, js = _status(cfg, monkeypatch, capsys, LAST_UTC + timedelta(minutes=14), as_json=True)
    assert js["collection_late"] is False, js


# --- train: the console in Vietnamese -------------------------------------------------------------------------------

def _train_log_templates() -> list[tuple[str, int]]:
    """Every `log.<level>("…", args…)` of nlp/train.py: its template and how many arguments it takes."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[2] / "nlp" / "train.py").read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "log" and node.func.attr in ("debug", "info", "warning", "error", "exception")):
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), ast.dump(first)
            out.append((first.value, len(node.args) - 1))
    return out


def test_every_line_train_logs_has_its_vietnamese_console_line():
    """«labelled: 2914 (train …)», «restorer: …» reached the console in English (round 28); a line added to
    nlp/train.py without its Vietnamese one fails here."""
    import re

    from langnghe.commands.train import _PLACEHOLDER, CONSOLE_LINES

    found = _train_log_templates()
    assert len(found) >= 12, found
    for template, n_args in found:
        assert template in CONSOLE_LINES, template
        vi = CONSOLE_LINES[template]
        assert sorted(set(re.findall(r"\{(\d+)\}", vi))) == [str(i) for i in range(n_args)], (template, vi)
        assert len(_PLACEHOLDER.findall(template)) == n_args, template  # a %r or %5.1f would raise in the filter


def test_the_technical_lines_are_left_to_minus_v_and_a_filter_error_leaves_the_english_line():
    """«Quy tắc chủ đề đã chọn: {'threshold': -0.25, …}»: a Python dict with English codes on the console (the third
    review, round 28); and logging does not catch a filter's error, which would have ended a training run."""
    import logging

    from langnghe.commands.train import TECHNICAL, VietnameseConsole, console_text

    assert console_text("topic rule %s (cross-validated macro-F1 %.4f)", ({"threshold": -0.25}, 0.8123)) == TECHNICAL
    line = logging.LogRecord("langnghe.train", logging.INFO, "", 0, "topic rule %s (cross-validated macro-F1 %.4f)",
                             ({"threshold": -0.25}, 0.8123), None)
    assert VietnameseConsole().filter(line) is False
    broken = logging.LogRecord("langnghe.train", logging.INFO, "", 0, "restorer: %d syllables, %d bigrams (%.1fs)",
                               (1, 2, "x"), None)  # float("x") raises
    assert VietnameseConsole().filter(broken) is True and broken.msg.startswith("restorer:")


def test_train_console_is_vietnamese_and_minus_v_keeps_the_technical_line(tmp_path, monkeypatch):
    """Through the real CLI console: the Vietnamese line, numbers the Vietnamese way; `-v` shows the line as logged."""
    from langnghe.commands import train as train_cmd
    from nlp import train as T

    def fake_run(args, cfg):
        T.log.info("labelled: %d (train %d, held-out %d), staff corrections: %d", 2914, 2300, 614, 3)
        T.log.info("restorer: %d syllables, %d bigrams (%.1fs)", 12345, 678901, 12.34)
        return 0

    monkeypatch.setattr(train_cmd, "_run", fake_run)
    res = cli_in_process(["train", "--no-save"], _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, res.stderr
    assert "Chia dữ liệu: 2.914 mục gán nhãn (huấn luyện 2.300, để riêng đánh giá 614); sửa nhãn của cán bộ: 3" \
        in res.stderr, res.stderr
    assert "Bộ khôi phục dấu: 12.345 âm tiết, 678.901 cặp âm tiết (12,3 giây)" in res.stderr, res.stderr
    assert "labelled:" not in res.stderr and "restorer:" not in res.stderr, res.stderr
    res = cli_in_process(["-v", "train", "--no-save"], _env(tmp_path / "x.duckdb"), unset=("LANGNGHE_CONFIG",))
    assert "labelled: 2914 (train 2300, held-out 614), staff corrections: 3" in res.stderr, res.stderr


# --- search "": the newest items, said so ---------------------------------------------------------------------------

def _items(path, ages_hours: list[int]) -> None:
    from datetime import timedelta

    from collectors.textutil import canonical_url, content_hash, sha1
    from store import items as store_items
    from store.db import Database, utcnow
    from vocab.item import Item

    rows = []
    for n, age in enumerate(ages_hours):
        url, pub = f"https://baoquangninh.vn/tin-{n}", utcnow() - timedelta(hours=age)
        title = f"Tin số {n} về mưa lớn ở Hạ Long"
        rows.append(Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type="press",
                         outlet="Báo Quảng Ninh", url=url, canonical_url=canonical_url(url), title=title, summary="",
                         published_at=pub, published_estimated=False, fetched_at=pub,
                         content_hash=content_hash(title, "", url)))
    with Database(str(path)) as db, db.write() as cur:
        store_items.insert_items(cur, rows)


def test_search_without_words_says_it_lists_the_newest_items(tmp_path):
    """`langnghe search ""` printed «2 tin khớp.» (a count of the last 30 days only) over rows of score 0, as if every
    item matched a search; Tin bài's empty box lists the newest items, and now the command says it does the same."""
    db = tmp_path / "s.duckdb"
    _items(db, [1, 48, 24 * 40])
    res = cli_in_process(["search", "", "--limit", "2"], _env(db), unset=("LANGNGHE_CONFIG",))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Không có từ khóa: liệt kê 2 tin mới nhất (như trang Tin bài khi ô tìm để trống).", lines
    assert lines[1] == "2+ tin.", lines  # at least: counted in the last 30 days only
    assert [ln.split("Tin số ")[1][0] for ln in lines if "Tin số" in ln] == ["0", "1"], lines  # the newest first
    res = cli_in_process(["search", " ", "--json"], _env(db), unset=("LANGNGHE_CONFIG",))
    assert "Không có từ khóa" in res.stderr and "Không có từ khóa" not in res.stdout, (res.stdout, res.stderr)
    assert len(res.stdout.splitlines()) == 3
    res = cli_in_process(["search", "mưa"], _env(db), unset=("LANGNGHE_CONFIG",))
    assert res.stdout.splitlines()[0] == "3 tin khớp.", res.stdout  # words: as before
    for signs in ("...", "?!"):  # nothing the parser reads as a word: the same (the third review, round 28)
        res = cli_in_process(["search", signs, "--limit", "2"], _env(db), unset=("LANGNGHE_CONFIG",))
        assert res.stdout.startswith("Không có từ khóa: liệt kê 2 tin mới nhất"), (signs, res.stdout, res.stderr)


def test_search_help_says_what_an_empty_query_does():
    res = cli_in_process(["search", "--help"])
    assert '""' in res.stdout and "không có từ khóa: các tin mới nhất" in res.stdout, res.stdout
