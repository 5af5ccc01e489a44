"""devtools/vntc_topics.py (round 16) merges the labellers' topics into labelled_V<k>.jsonl only when they match the
V rows line for line and carry our codes; a refused merge leaves the file as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import vntc_topics as VT


def _v_row(i: int) -> dict:
    return {"id": f"V-PL_TN_-{i}", "title": f"Bắt đối tượng lừa đảo {i}", "text": "Công an quận khởi tố.", "topics": [],
            "topics_labelled": False, "sentiment": "negative", "in_area": False, "places": [], "style": "press",
            "diacritics": True, "vntc_section": "Phap luat", "vntc_id": f"PL_TN_ ({i})", "sure": False}


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture()
def dirs(tmp_path):
    out, labels = tmp_path / "training", tmp_path / "labels"
    out.mkdir()
    labels.mkdir()
    _write(out / "labelled_V1.jsonl", [_v_row(i) for i in range(3)])
    return out, labels


def _labels(labels: Path, topics: list[list[str]], ids: list[str] | None = None) -> None:
    ids = ids or [f"V-PL_TN_-{i}" for i in range(len(topics))]
    _write(labels / "T1_labels.jsonl", [{"id": i, "topics": t, "sure": n != 1} for n, (i, t) in enumerate(zip(ids, topics))])


def test_merge_sets_topics_and_keeps_round_15_fields(dirs):
    out, labels = dirs
    _labels(labels, [["misinformation_fraud", "public_order"], [], ["public_order"]])
    VT.merge(labels, 1, VT.parse_fixes(["V-PL_TN_-1=governance+public_order"]), out)
    rows = [json.loads(ln) for ln in (out / "labelled_V1.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["topics"] for r in rows] == [["misinformation_fraud", "public_order"], ["governance", "public_order"],
                                           ["public_order"]]
    assert all(r["topics_labelled"] for r in rows) and [r["topics_sure"] for r in rows] == [True, False, True]
    assert rows[1]["topics_reviewed_from"] == [] and "topics_reviewed_from" not in rows[0]
    assert all(r["sentiment"] == "negative" and r["sure"] is False for r in rows)  # round 15's labels untouched


@pytest.mark.parametrize("topics, ids", [
    ([["public_order"], ["public_order"]], None),  # a line missing
    ([["public_order"]] * 3, ["V-PL_TN_-0", "V-PL_TN_-2", "V-PL_TN_-1"]),  # same ids, another order
    ([["public_order"], ["crime"], []], None),  # not one of our codes
    ([["public_order"], "public_order", []], None),  # not a list
])
def test_merge_refuses_labels_that_do_not_match_and_writes_nothing(dirs, topics, ids):
    out, labels = dirs
    before = (out / "labelled_V1.jsonl").read_bytes()
    _labels(labels, topics, ids)
    with pytest.raises(VT.LabelError):
        VT.merge(labels, 1, {}, out)
    assert (out / "labelled_V1.jsonl").read_bytes() == before


def test_fixes_refuse_unknown_codes_and_rows(dirs):
    out, labels = dirs
    _labels(labels, [["public_order"], [], []])
    with pytest.raises(VT.LabelError):
        VT.parse_fixes(["V-PL_TN_-1=public_order+crime"])
    with pytest.raises(VT.LabelError):
        VT.parse_fixes(["V-PL_TN_-1"])
    assert VT.parse_fixes(["V-PL_TN_-1="]) == {"V-PL_TN_-1": []}
    with pytest.raises(VT.LabelError):
        VT.merge(labels, 1, {"V-PL_TN_-9": ["health"]}, out)
