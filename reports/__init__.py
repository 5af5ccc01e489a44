"""Reports: the weekly opinion summary and rapid reports, in the layout offices file: a Party body's
(Hướng dẫn 36-HD/VPTW) or a state agency's (Decree 30/2020/NĐ-CP), by `[reports] layout`.

    store/reports.py  (all report SQL; proposals text and archive, migration 050)
        │ figures
        ▼
    weekly.py / rapid.py ──▶ document.Doc (format-neutral) + XLSX sheets + chart specs
        (both start from frame.py: heading block, title, closing; neither imports the other)
        ▼
    generate.py ──▶ docx_out (python-docx) · html_out → pdf_out (Chromium or WeasyPrint) · xlsx_out (openpyxl)
                    charts (matplotlib → PNG, no browser)
                    docx_out and html_out break a long body's name in the header alike (textwidth.py)
    schedule.py ──▶ Scheduler hook: the weekly report into the archive at the configured day and time, or
                    the latest due week at the next tick when a stopped server missed it (round 22)

Entry points: `langnghe report weekly|rapid`, the Báo cáo dashboard page, `dashboard/report_buttons.py`.
See docs/REPORTS.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.generate import Result, archive_rapid, archive_weekly, rapid_report, weekly_report
    from reports.settings import ReportSettings

__all__ = ["ReportSettings", "Result", "archive_rapid", "archive_weekly", "rapid_report", "weekly_report"]


def __getattr__(name: str) -> Any:
    """The entry points load on first use (PEP 562): `import reports.steps` (the CLI, for `langnghe report`'s
    words) loaded generate and with it python-docx and pandas, ~0.5 s of CPU in every CLI call (round 25)."""
    if name == "ReportSettings":
        from reports.settings import ReportSettings
        return ReportSettings
    if name in __all__:
        from reports import generate
        return getattr(generate, name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
