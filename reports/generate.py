"""Generating reports: query once, build one Doc, write DOCX / XLSX / PDF with the slow parts overlapped.

    thread: matplotlib imported (~0.8 s)                                      ┐
    store.reports.weekly_figures ──build_weekly──▶ Doc + sheets + charts       ┘ overlapped
        ├─ thread: charts drawn (~0.3 s each; the PDF embeds them)
        ├─ child:  Chromium prints the HTML to PDF                          ┐ overlapped
        └─ main:   XLSX, then DOCX                                          ┘

Each step's start and end go to an optional `progress` callback (reports/steps.py), which the dashboard draws
as it runs. A chart, PDF, DOCX or XLSX failure does not stop the other files; it is reported in `Result.errors` and the
document says the chart could not be drawn.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from reports import charts
from reports.frame import Built
from reports.html_out import find_font, render_html
from reports.pdf_out import PdfError, start_pdf
from reports.rapid import build_rapid
from reports.settings import Period, ReportSettings, fold_slug, week_period
from reports.steps import Progress
from reports.weekly import build_weekly
from reports.xlsx_out import write_xlsx
from store import reports as store_reports
from store import users as store_users
from store.db import Database, os_error_reason, os_error_text, utcnow
from vocab.timefmt import file_stamp

if TYPE_CHECKING:
    import duckdb

    from reports.document import Doc

log = logging.getLogger("reports")
FORMATS = ("docx", "xlsx", "pdf")


@dataclass
class Result:
    files: dict[str, Path] = field(default_factory=dict)      # format → path
    errors: list[str] = field(default_factory=list)           # Vietnamese, for staff
    timings: dict[str, float] = field(default_factory=dict)   # phase → seconds
    n_items: int = 0
    period: Period | None = None
    title: str = ""

    @property
    def seconds(self) -> float:
        return self.timings.get("total", 0.0)


def weekly_key(week: str, area: str = "") -> str:
    """Key of a weekly report's proposals text: '2026-W47|' (whole province) or '2026-W47|Uông Bí'."""
    return f"{week}|{(area or '').strip()}"


def rapid_key(alert_id: str | None = None, story_id: str | None = None) -> str:
    return alert_id if alert_id else f"story:{story_id}"


def weekly_stem(week: str, area: str = "") -> str:
    slug = fold_slug(area)
    return f"bao-cao-tuan-{week}" + (f"-{slug}" if slug else "")


def rapid_stem(alert_id: str | None = None, story_id: str | None = None) -> str:
    return f"bao-cao-nhanh-{alert_id}" if alert_id else f"bao-cao-nhanh-van-de-{fold_slug(story_id or '')[:16]}"


def weekly_figures(db: Database, s: ReportSettings, period: Period, area: str = "") -> dict[str, Any]:
    with db.read() as cur:
        return store_reports.weekly_figures(cur, period.window, area.strip() or None, top_stories=s.top_stories,
                                            negative_items=s.negative_items, top_places=s.top_places)


def build_weekly_report(db: Database, s: ReportSettings, week: str, area: str = "", *,
                        now: datetime | None = None, proposals: str | None = None) -> tuple[Built, Period]:
    """The weekly Doc without files (the dashboard preview uses this)."""
    now = now or utcnow()
    period = week_period(week, now)
    s = saved_masking(db, s)
    f = weekly_figures(db, s, period, area)
    if proposals is None:
        proposals = saved_text(db, "weekly", weekly_key(period.week, area))
    return build_weekly(f, s, period, area, proposals, now), period


def saved_masking(db: Database, s: ReportSettings) -> ReportSettings:
    """`s` with the masking switch an admin saved in the dashboard, as the pages obey it."""
    with db.read() as cur:
        return s.with_saved_masking(store_users.get_settings(cur))


def saved_text(db: Database, kind: str, key: str) -> str:
    with db.read() as cur:
        t = store_reports.get_text(cur, kind, key)
    return t["body"] if t else ""


def weekly_report(db: Database, s: ReportSettings, week: str, out_dir: str | Path, *, area: str = "",
                  now: datetime | None = None, proposals: str | None = None,
                  formats: Iterable[str] = FORMATS, progress: Progress | None = None) -> Result:
    """Write the weekly report of ISO week `week` ('2026-W47') into `out_dir`."""
    t0 = time.perf_counter()
    on = progress or _quiet
    formats = set(formats)
    with _charts_thread(s, formats) as renderer:
        on("query_build", None)
        built, period = build_weekly_report(db, s, week, area, now=now, proposals=proposals)
        res = Result(n_items=built.n_items, period=period, title=built.doc.meta_title)
        _done(res, "query_build", t0, on)
        write_files(built, s, Path(out_dir), weekly_stem(period.week, area), formats, res, renderer, on)
    res.timings["total"] = time.perf_counter() - t0
    return res


def rapid_report(db: Database, s: ReportSettings, out_dir: str | Path, *, alert_id: str | None = None,
                 story_id: str | None = None, now: datetime | None = None, proposals: str | None = None,
                 formats: Iterable[str] = ("docx", "pdf"), progress: Progress | None = None) -> Result:
    """Write the rapid report of one alert (or a story) into `out_dir`. KeyError: no such alert/story."""
    t0 = time.perf_counter()
    on = progress or _quiet
    now = now or utcnow()
    formats = set(formats) - {"xlsx"}
    with _charts_thread(s, formats) as renderer:
        on("query_build", None)
        with db.read() as cur:
            f = store_reports.rapid_figures(cur, alert_id=alert_id, story_id=story_id)
        if proposals is None:
            proposals = saved_text(db, "rapid", rapid_key(alert_id, story_id))
        built = build_rapid(f, saved_masking(db, s), proposals, now)
        res = Result(n_items=built.n_items, title=built.doc.meta_title)
        _done(res, "query_build", t0, on)
        write_files(built, s, Path(out_dir), rapid_stem(alert_id, story_id), formats, res, renderer, on)
    res.timings["total"] = time.perf_counter() - t0
    return res


def _quiet(step: str, seconds: float | None) -> None:
    """No one listens (the schedule, tests, benches)."""


def _done(res: Result, step: str, since: float, on: Progress) -> None:
    """A step has ended: its time recorded (measured from `since`, the step's own start; the PDF's runs from its
    browser's start, overlapping the XLSX and the DOCX) and told to the listener."""
    res.timings[step] = time.perf_counter() - since
    on(step, res.timings[step])


def write_docx(doc: Doc, path: Path, *, font: str, size: int) -> Path:
    """reports.docx_out and python-docx (~0.2 s of CPU) load when a DOCX is written, not with this module: serve
    imports it for the weekly schedule (reports/schedule.py) and may never write one (round 26)."""
    from reports import docx_out

    return docx_out.write_docx(doc, path, font=font, size=size)


@contextlib.contextmanager
def _charts_thread(s: ReportSettings, formats: set[str]) -> Iterator[charts.Renderer | None]:
    """The chart thread, started now (its matplotlib import overlaps the query) if the report wants charts, and
    ended (`Renderer.cancel`) when anything before its result raises: the query, the progress listener, the
    folder's mkdir, the PDF browser's lookup (round 29: only a failed query cancelled it; review29, 4)."""
    renderer = charts.Renderer(s.browser_timeout_seconds).start() if s.charts and formats & {"docx", "pdf"} else None
    try:
        yield renderer
    except BaseException:
        if renderer is not None:
            renderer.cancel()
        raise


def write_files(built: Built, s: ReportSettings, out: Path, stem: str, formats: set[str], res: Result,
           renderer: charts.Renderer | None = None, progress: Progress | None = None) -> None:
    """Files in the order that keeps both cores busy: the charts first (the PDF embeds them), then the
    PDF's Chromium starts as a child process and the XLSX and the DOCX are written while it prints."""
    on = progress or _quiet
    out.mkdir(parents=True, exist_ok=True)
    chromium = s.chromium()
    t = time.perf_counter()
    if renderer is not None:
        renderer.draw(built.figs)
    if renderer is not None and built.figs:
        on("charts", None)
        pngs, err = renderer.result()
        _done(res, "charts", t, on)
        if err:
            res.errors.append(f"Không vẽ được biểu đồ: {err}")
        for im in built.doc.images():
            im.png = pngs.get(im.name)
            if im.png is None:
                im.missing_text = f"(Không vẽ được biểu đồ «{im.caption}».)"
    elif renderer is not None:
        renderer.result()
    job = tmp = None
    t = time.perf_counter()
    if "pdf" in formats:
        on("pdf", None)
        tmp = Path(tempfile.mkdtemp(prefix="langnghe-report-"))
        html = render_html(built.doc, size=s.font_size, fonts=find_font(s.pdf_fonts))
        html_path = tmp / f"{stem}.html"
        html_path.write_text(html, encoding="utf-8")
        job = start_pdf(html_path, out / f"{stem}.pdf", engine=s.pdf_engine, chromium=chromium,
                        timeout=s.browser_timeout_seconds)
    try:
        if "xlsx" in formats and built.sheets:
            on("xlsx", None)
            t_file = time.perf_counter()
            _write(res, "xlsx", lambda: write_xlsx(built.sheets, out / f"{stem}.xlsx"))
            _done(res, "xlsx", t_file, on)
        if "docx" in formats:
            on("docx", None)
            t_file = time.perf_counter()  # its own start: timed from `t`, «DOCX» included the XLSX's seconds
            _write(res, "docx", lambda: write_docx(built.doc, out / f"{stem}.docx", font=s.docx_font, size=s.font_size))
            _done(res, "docx", t_file, on)
    finally:
        if job is not None:
            try:
                res.files["pdf"] = job.wait()
            except PdfError as exc:
                res.errors.append(str(exc))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)  # type: ignore[arg-type]
            _done(res, "pdf", t, on)


def _write(res: Result, fmt: str, write: Callable[[], Path]) -> None:
    """One file; a failure (a full disk, a value python-docx refuses) is the reason printed for that file while
    the others are still written (exit 1), not a traceback that also hides the files already made. The common
    OS errors get a Vietnamese reason, the OS's English text kept after it as detail."""
    try:
        res.files[fmt] = write()
    except (OSError, ValueError) as exc:
        reason = os_error_reason(exc)
        res.errors.append(f"Không ghi được tệp {fmt.upper()}: " + (f"{reason} (chi tiết: {exc})" if reason else str(exc)))


# --------------------------------------------------------------------------------------------- archive
# The most of an area's name a report's folder carries (characters of its slug): a folder name is at most 255 bytes,
# and an area typed on Báo cáo of 300 characters was an OSError «File name too long», the page's traceback (round 28).
# The archive row keeps the whole name; the time stamp below keeps two areas of the same first words apart.
AREA_SLUG_CHARS = 80


def archive_dir(s: ReportSettings, kind: str, period: str, area: str, at: datetime) -> Path:
    slug = fold_slug(area)[:AREA_SLUG_CHARS].strip("-")
    return Path(s.archive_dir).resolve() / kind / (period + (f"-{slug}" if slug else "")) / file_stamp(at)


class ArchiveFolderError(ValueError):
    """The archive folder of a report could not be made (a file in the way, a read-only or full disk): said in
    Vietnamese, a ValueError as the other refusals Báo cáo shows (dashboard/views/reports.py)."""


def claim_dir(out: Path) -> Path:
    """`out`, or `out-2`, `out-3`… when a report of the same kind, period and area was archived in the same second:
    the folder is stamped to the second, and the second report wrote over the first's files (the same names), which
    its own failed archive row then deleted (`_discard`; round 28's note). Made with `mkdir(exist_ok=False)`, so two
    processes cannot take the same one. Any other OS error is an ArchiveFolderError saying why: it was left to the
    files' writing, whose first step (`write_files`' mkdir) raised the OS's English, «[Errno 20] Not a directory», a
    traceback on Báo cáo ([reports] archive_dir under a file, a read-only disk; round 30's sweep, hostile33)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(out.parent, exc) from None
    for n in range(1, 1000):
        path = out if n == 1 else out.with_name(f"{out.name}-{n}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
        except OSError as exc:
            raise _folder_error(path, exc) from None
    # each taken: writing into `out` was writing over another report's files (and deleting them on a failed push)
    raise ArchiveFolderError(f"Không tạo được thư mục lưu báo cáo «{out}»: đã có 999 thư mục cùng tên trong cùng một "
                             "giây; hãy tạo lại sau ít giây.")


def _folder_error(path: Path, exc: OSError) -> ArchiveFolderError:
    reason = os_error_text(exc)
    if isinstance(exc, FileExistsError):  # a file where a folder of the path goes
        reason = "một phần của đường dẫn là tệp, không phải thư mục; hãy kiểm tra đường dẫn"
    return ArchiveFolderError(f"Không tạo được thư mục lưu báo cáo «{path}»: {reason} ([reports] archive_dir).")


@contextlib.contextmanager
def _claimed(out: Path, stem: str) -> Iterator[None]:
    """The claimed folder removed when the report raises: `claim_dir` makes it before the query, and each failed try
    left an empty stamped folder in the archive (review29, 3). With the files the report wrote before it raised
    (`stem`.pdf/.xlsx/.docx, whole or cut): a report stopped at «docx» (Ctrl+C, the page gone) left its PDF and XLSX
    there with no archive row, shown nowhere and never purged (round 30's sweep; fix31). Only those names: a file
    put there by hand stays, and so does the folder then."""
    try:
        yield
    except BaseException:
        for name in (f"{stem}.{fmt}{part}" for fmt in FORMATS for part in ("", ".part")):
            with contextlib.suppress(OSError):
                (out / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            out.rmdir()  # only when empty
        raise


def archive_weekly(db: Database, s: ReportSettings, week: str, *, area: str = "", generated_by: str,
                   now: datetime | None = None, progress: Progress | None = None, late: bool | None = None,
                   then: "Callable[[duckdb.DuckDBPyConnection, Result], None] | None" = None) -> Result:
    """Generate the weekly report into the archive folder and record it (needs a writable database). `late`: the
    schedule's verdict, kept with the row so Lưu trữ need not judge it again by a schedule since changed. `then`:
    more writes in the archive row's own transaction (the schedule's push: a kill between two transactions left the
    report archived and its push never written, and the next tick found the week made; round 28)."""
    now = now or utcnow()
    period = week_period(week, now)
    out = claim_dir(archive_dir(s, "weekly", period.week, area, now))
    with _claimed(out, weekly_stem(period.week, area)):
        res = weekly_report(db, s, period.week, out, area=area, now=now, progress=progress)
    _record(db, "weekly", period.week, area, now, generated_by, out, res, late, then)
    return res


def archive_rapid(db: Database, s: ReportSettings, *, alert_id: str | None = None, story_id: str | None = None,
                  generated_by: str, now: datetime | None = None, progress: Progress | None = None) -> Result:
    now = now or utcnow()
    key = rapid_key(alert_id, story_id)
    out = claim_dir(archive_dir(s, "rapid", re.sub(r"[^A-Za-z0-9_.-]", "_", key), "", now))
    with _claimed(out, rapid_stem(alert_id, story_id)):
        res = rapid_report(db, s, out, alert_id=alert_id, story_id=story_id, now=now, progress=progress)
    _record(db, "rapid", key, "", now, generated_by, out, res)
    return res


def _record(db: Database, kind: str, period: str, area: str, now: datetime, by: str, out: Path, res: Result,
            late: bool | None = None,
            then: "Callable[[duckdb.DuckDBPyConnection, Result], None] | None" = None) -> None:
    if not res.files:
        return
    try:
        with db.write() as cur:
            store_reports.add_archive(cur, kind=kind, period=period, area=area, generated_at=now, generated_by=by,
                                      dir=str(out), files=[p.name for p in res.files.values()], n_items=res.n_items,
                                      seconds=round(res.seconds, 2), late=late)
            if then is not None:
                then(cur, res)
    except Exception:
        _discard(out, res)
        raise


def _discard(out: Path, res: Result) -> None:
    """The files of a report whose archive row was not written (the row and the schedule's push share a transaction:
    a failed push rolls the row back, and the retry writes a new folder; the review's find, round 28). Only its own
    files (the folder is the report's own since `claim_dir`, but a file put there by hand is not deleted)."""
    for path in res.files.values():
        Path(path).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        out.rmdir()  # when empty
