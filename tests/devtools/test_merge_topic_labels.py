"""devtools.merge_topic_labels: topic labels of a social slice merged line for line, nothing else changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import merge_topic_labels as M


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _data(tmp_path: Path) -> Path:
    rows = [{"id": f"S7-000{i}", "title": "", "text": t, "topics": [], "topics_labelled": False,
             "sentiment": s, "in_area": False, "places": [], "style": "social", "diacritics": True}
            for i, (t, s) in enumerate([("rác bốc mùi quá", "negative"), ("đỉnh của chóp :))", "positive"),
                                        ("thương cô giáo quá", "positive")], start=1)]
    p = tmp_path / "labelled_S7.jsonl"
    _write(p, rows)
    return p


def test_merge_sets_topics_and_keeps_the_rest(tmp_path):
    data = _data(tmp_path)
    before = data.read_text(encoding="utf-8").splitlines()
    labels = tmp_path / "labelled_S7.topics.jsonl"
    _write(labels, [{"id": "S7-0001", "topics": ["environment"]}, {"id": "S7-0002", "topics": []},
                    {"id": "S7-0003", "topics": ["health"]}])
    assert M.main(["merge", str(data), str(labels), "--fix", "S7-0003=education"]) == 0
    after = data.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    for b, a in zip(before, after):
        rb, ra = json.loads(b), json.loads(a)
        assert list(ra) == list(rb)  # same keys, same order
        assert {k: v for k, v in ra.items() if k not in ("topics", "topics_labelled")} == \
            {k: v for k, v in rb.items() if k not in ("topics", "topics_labelled")}
        assert ra["topics_labelled"] is True
    assert [json.loads(a)["topics"] for a in after] == [["environment"], [], ["education"]]


@pytest.mark.parametrize("labels", [
    [{"id": "S7-0001", "topics": ["environment"]}, {"id": "S7-0002", "topics": []}],  # a line short
    [{"id": "S7-0001", "topics": []}, {"id": "S7-0003", "topics": []}, {"id": "S7-0002", "topics": []}],  # order
    [{"id": "S7-0001", "topics": ["pollution"]}, {"id": "S7-0002", "topics": []}, {"id": "S7-0003", "topics": []}],
    [{"id": "S7-0001", "topics": ["land", "traffic", "economy"]}, {"id": "S7-0002", "topics": []},
     {"id": "S7-0003", "topics": []}],
])
def test_bad_labels_write_nothing(tmp_path, labels, capsys):
    data = _data(tmp_path)
    before = data.read_bytes()
    lab = tmp_path / "l.jsonl"
    _write(lab, labels)
    assert M.main(["merge", str(data), str(lab)]) == 2
    assert data.read_bytes() == before
    assert "merge_topic_labels:" in capsys.readouterr().err


def test_review_sample_is_fixed_by_the_slice_number(tmp_path):
    rows = [{"id": f"S3-{i:04d}"} for i in range(100)]
    a = M.review_sample(rows, M.slice_number(Path("labelled_S3.jsonl")))
    assert a == M.review_sample(rows, 3) and len(a) == 25 and a == sorted(set(a))
    assert a != M.review_sample(rows, 4)
