"""A survey's question proposal read its first 500 rows whatever their size: 500 answers ticking 4,000 options each
(45 MB) took 92 s and 1 GB on the Khảo sát page inside serve (hostile34). The sample now also ends at the row that
brings it past surveys.propose.SAMPLE_MAX_CHARS characters (fix34; figures from bench/survey_propose.py in
docs/SCALE.md)."""

from __future__ import annotations

import csv
import io

from orchestration import surveys as importer
from surveys import propose as prop
from vocab.config import ImportsConfig

CELL = 10_000


def _rows(n: int, read: list[int]):
    for i in range(n):
        read.append(i)
        yield {"Giới tính": "Nam" if i % 2 else "Nữ", "Góp ý": "ý kiến " + "x" * (CELL - 7)}


def test_propose_reads_no_more_than_the_character_bound():
    read: list[int] = []
    q = prop.propose(["Giới tính", "Góp ý"], _rows(500, read))
    limit = prop.SAMPLE_MAX_CHARS // (CELL + 3) + 1
    assert len(read) <= limit + 1 < 500, len(read)  # the generator is asked once past the last row taken
    assert [x.kind for x in q.questions] == ["demographic", "text"]


def test_small_rows_are_still_sampled_to_500():
    read: list[int] = []
    small = ({"Giới tính": "Nam" if i % 2 else "Nữ", "Góp ý": f"đường {i} ngập"} for i in range(800)
             if read.append(i) is None)
    prop.propose(["Giới tính", "Góp ý"], small)
    assert len(read) == prop.SAMPLE_ROWS + 1  # asked once past the last row taken


def test_the_preview_keeps_and_proposes_from_the_bounded_sample_only(monkeypatch):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Giới tính", "Góp ý"])
    for i in range(400):
        w.writerow(["Nam" if i % 2 else "Nữ", "ý kiến " + "x" * (CELL - 7)])
    proposed: list[int] = []
    real = importer.propose
    monkeypatch.setattr(importer, "propose", lambda cols, rows: proposed.append(len(rows)) or real(cols, rows))
    pv = importer.preview("gop-y.csv", io.BytesIO(buf.getvalue().encode()), ImportsConfig())
    assert proposed and proposed[0] <= prop.SAMPLE_MAX_CHARS // (CELL + 3) + 1 < 400, proposed
    assert [x.kind for x in pv.questionnaire.questions] == ["demographic", "text"] and len(pv.sample) == 5
