"""`langnghe tag` end to end through a subprocess, on JSONL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"id", "topics", "sentiment", "in_area", "places", "place_details", "lang", "model_version",
          "no_diacritics", "folded"}


def run_tag(rows: list, extra: list[str] | None = None, raw: str | None = None, code: int = 0) -> list[dict]:
    data = raw if raw is not None else "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    env = {**os.environ, "LANGNGHE_CONFIG": ""}
    env.pop("LANGNGHE_CONFIG")
    p = subprocess.run([sys.executable, "-m", "langnghe.cli", "tag", *(extra or [])], input=data.encode("utf-8"),
                       capture_output=True, cwd=ROOT, env=env, timeout=300)
    assert p.returncode == code, p.stderr.decode()[-2000:]
    return [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]


def test_tag_end_to_end():
    big = ("Người dân phường Vàng Danh phản ánh bụi than từ các xe chở than. " * 16000)[:1_000_000]
    rows = [
        {"id": "a1", "title": "Người dân phường Trưng Vương, TP Uông Bí bức xúc vì ô nhiễm bụi than",
         "text": "Nhiều hộ dân phản ánh xe chở than chạy suốt đêm gây bụi và tiếng ồn.", "source": "x"},
        {"id": "a2", "title": "", "text": ""},
        {"id": "a3", "title": "Tin dài", "text": big},
        {"id": "a4", "title": "City council approves budget",
         "text": "The council of the city approved the budget for the new school year, which was welcomed."},
        {"id": "a5", "title": "nguoi dan xa quang tan buc xuc vi den bu thap",
         "text": "ho dan chua nhan duoc tien den bu giai phong mat bang du an duong", "published": "2025-07-02"},
        {"id": 6, "title": None, "text": None},
    ]
    out = run_tag(rows)
    assert [o["id"] for o in out] == ["a1", "a2", "a3", "a4", "a5", 6]
    for o in out:
        assert FIELDS <= set(o), o.keys()
        assert o["sentiment"] in ("negative", "neutral", "positive")
        assert isinstance(o["topics"], list) and isinstance(o["places"], list)
        assert o["model_version"]
    a1, a2, a3, a4, a5, _ = out
    assert a1["in_area"] is True and a1["lang"] == "vi" and a1["sentiment"] == "negative"
    assert "environment" in a1["topics"]
    assert a2["topics"] == [] and a2["in_area"] is False
    assert a3["in_area"] is True
    assert a4["lang"] == "other" and a4["topics"] == [] and a4["in_area"] is False
    assert a5["no_diacritics"] is True and "land" in a5["topics"] and a5["sentiment"] == "negative"
    assert "den bu" in a5["folded"]


def test_tag_plain_text_and_broken_json_keep_order_and_exit_non_zero(tmp_path, monkeypatch, pipeline):
    """In-process (`cli.main`), so the command tags with the session's pipeline (`nlp.service.get_pipeline`) instead
    of a new interpreter loading the models; `test_tag_end_to_end` keeps the real entry point."""
    import io

    from langnghe.cli import main

    raw = ('{"id": "x1", "title": "Tin", "text": "Bình thường"}\nNgập sâu ở phường Vàng Danh, Uông Bí\n'
           '{"id": broken\n\n{"id": "x2", "title": "", "text": ""}\n')
    (tmp_path / "in.jsonl").write_text(raw, encoding="utf-8")
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    stdout = io.StringIO()
    with open(tmp_path / "in.jsonl", encoding="utf-8") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)  # the command reads its file descriptor
        monkeypatch.setattr("sys.stdout", stdout)
        assert main(["tag"]) == 1  # an error row never comes with exit code 0
    out = [json.loads(x) for x in stdout.getvalue().splitlines()]
    assert [o["id"] for o in out] == ["x1", 2, None, "x2"]
    assert out[1]["in_area"] is True and "error" not in out[1] and "error" in out[2]


def test_tag_help_names_the_json_fields():
    from tests.conftest import cli_in_process

    p = cli_in_process(["tag", "--help"])  # argparse's help: no process needed to read it
    text = p.stdout
    assert p.returncode == 0 and '"title"' in text and '"text"' in text and "văn bản thường" in text
