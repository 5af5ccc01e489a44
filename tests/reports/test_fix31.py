"""fix31: a report stopped after its first files (Ctrl+C, the page gone: KeyboardInterrupt from the progress listener
at «docx») left its PDF and XLSX in the stamped archive folder with no archive row, shown nowhere and never purged
(`_claimed` removed only an empty folder; round 30's sweep, hostile33). docs/SECURITY.md, docs/REPORTS.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports import generate
from tests.conftest import database
from tests.reports.conftest import WEEK, settings


class _Printed:
    """A PDF job that has printed: no Chromium in this test (the file is what matters)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def wait(self) -> Path:
        self.path.write_bytes(b"%PDF-1.4 thu")
        return self.path


def test_a_report_stopped_after_its_first_files_leaves_none(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "start_pdf", lambda html, pdf, **kw: _Printed(pdf))
    db = database(tmp_path / "f.duckdb")
    s = settings(charts=False, archive_dir=str(tmp_path / "archive"))
    seen: list[str] = []

    def stopped(step, seconds):  # type: ignore[no-untyped-def]
        seen.append(step)
        if step == "docx" and seconds is None:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate.archive_weekly(db, s, WEEK, generated_by="a", progress=stopped)
    assert "xlsx" in seen  # the XLSX was written, the PDF printed, before the stop
    assert not list((tmp_path / "archive").glob("weekly/*/*")), list((tmp_path / "archive").rglob("*"))
    db.close()


def test_a_file_put_there_by_hand_stays(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "start_pdf", lambda html, pdf, **kw: _Printed(pdf))
    db = database(tmp_path / "f.duckdb")
    s = settings(charts=False, archive_dir=str(tmp_path / "archive"))
    real = generate.write_files

    def by_hand(built, s_, out, stem, *a, **kw):  # type: ignore[no-untyped-def]
        (out / "ghi-chu.txt").write_text("của cán bộ", encoding="utf-8")
        real(built, s_, out, stem, *a, **kw)
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "write_files", by_hand)
    with pytest.raises(KeyboardInterrupt):
        generate.archive_weekly(db, s, WEEK, generated_by="a")
    left = sorted(p.name for p in (tmp_path / "archive").glob("weekly/*/*/*"))
    assert left == ["ghi-chu.txt"], left
    db.close()
