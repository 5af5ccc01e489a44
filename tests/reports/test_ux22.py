"""What staff tripped over in reports, left from round 21 (round 22): each file timed from its own start, the
weekly report a stopped server missed made late, the Decree 30 page layout measured in the DOCX."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from reports import generate
from reports.generate import weekly_report
from tests.conftest import database
from tests.reports.conftest import NOW, WEEK, settings


def test_each_file_is_timed_from_its_own_start(tmp_path, monkeypatch):
    """The XLSX and the DOCX were both timed from one start, so «DOCX» also counted the XLSX's seconds (the CLI's
    timings line and the page's «✓ DOCX: …» said the DOCX took as long as both). A fake clock that only the fake
    writers move: the XLSX takes 10 «seconds», the DOCX 1."""
    clock = SimpleNamespace(now=0.0)
    monkeypatch.setattr(generate, "time", SimpleNamespace(perf_counter=lambda: clock.now))

    def writer(seconds: float):  # type: ignore[no-untyped-def]
        def write(_what, path: Path, **_kw) -> Path:  # type: ignore[no-untyped-def]
            clock.now += seconds
            path.write_bytes(b"x")
            return path
        return write

    monkeypatch.setattr(generate, "write_xlsx", writer(10.0))
    monkeypatch.setattr(generate, "write_docx", writer(1.0))
    db = database(tmp_path / "t.duckdb")
    res = weekly_report(db, settings(charts=False), WEEK, tmp_path / "out", now=NOW, formats=("docx", "xlsx"))
    assert res.timings["xlsx"] == 10.0 and res.timings["docx"] == 1.0, res.timings
    assert res.timings["total"] == 11.0
