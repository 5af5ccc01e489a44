"""HTML → PDF with the fonts embedded.

    chromium (default when found)  headless `--print-to-pdf`, started as a child process so the DOCX is
                                   written meanwhile; lays out a 10,000-row appendix in a few seconds
    weasyprint (no browser needed) pure Python; correct, but about 10 s per 1,000 table rows here

Both read the same HTML (html_out) whose @font-face points at the configured TTF files (Liberation
Serif, metric-compatible with Times New Roman, then Noto Serif, DejaVu Serif), so Vietnamese letters
are drawn from one font and embedded as a subset.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.partfile import part_path, written_through_part

log = logging.getLogger("reports.pdf")

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--mute-audio", "--allow-file-access-from-files", "--no-pdf-header-footer",
    # a headless page counts as a background tab, whose renderer Chromium runs at a lower priority: on a busy
    # 2-core machine that made printing 2-3 times slower
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
)


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why (in Vietnamese, for staff)."""


class PdfJob:
    """A PDF being printed. `wait()` returns the path or raises PdfError."""

    def __init__(self, pdf_path: Path, proc: subprocess.Popen | None = None, tmp: str | None = None,
                 timeout: float = 120.0, error: str | None = None):
        self.pdf_path = pdf_path
        self.proc = proc
        self.tmp = tmp
        self.timeout = timeout
        self.error = error

    def wait(self) -> Path:
        """The PDF's path once printed whole: the browser prints to a '.part' file renamed here, so a browser killed
        at its timeout or failing half-way leaves no truncated PDF at the real name (it left one until round 14)."""
        part = part_path(self.pdf_path)
        try:
            if self.error:
                raise PdfError(self.error)
            if self.proc is not None:
                try:
                    _, err = self.proc.communicate(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.communicate()
                    raise PdfError(f"Trình duyệt in PDF quá {self.timeout:g} giây.") from None
                if self.proc.returncode != 0 or not part.is_file() or part.stat().st_size == 0:
                    tail = (err or b"").decode("utf-8", "replace").strip().splitlines()[-3:]
                    raise PdfError(f"Chromium không in được PDF (mã {self.proc.returncode}): {' | '.join(tail)}")
                part.replace(self.pdf_path)
            return self.pdf_path
        finally:
            part.unlink(missing_ok=True)
            if self.tmp:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None


def _cannot_run(exc: OSError) -> str:
    """Why a program could not be started, in Vietnamese: the OS's «Permission denied» reached staff (review30)."""
    import errno

    from vocab.oserrors import os_error_text

    if exc.errno in (errno.EACCES, errno.EPERM):
        return "tệp không có quyền chạy, là một thư mục, hoặc nằm trên ổ gắn không cho chạy chương trình (noexec)"
    if exc.errno == errno.ENOEXEC:
        return "tệp này không phải một chương trình chạy được"
    return os_error_text(exc)


def start_pdf(html_path: Path, pdf_path: Path, *, engine: str, chromium: str | None, timeout: float) -> PdfJob:
    """Begin printing `html_path` to `pdf_path`. engine: auto | chromium | weasyprint."""
    pdf_path = Path(pdf_path)
    if pdf_path.exists():
        pdf_path.unlink()
    if engine in ("auto", "chromium") and chromium:
        tmp = tempfile.mkdtemp(prefix="langnghe-pdf-")
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}", f"--print-to-pdf={part_path(pdf_path).resolve()}",
               Path(html_path).resolve().as_uri()]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as exc:  # a chromium_path that cannot be run: not executable, a folder, on a noexec mount
            shutil.rmtree(tmp, ignore_errors=True)
            return PdfJob(pdf_path, error=f"Không chạy được Chromium để in PDF ({chromium}; xem [reports] "
                                          f"chromium_path): {_cannot_run(exc)}")
        return PdfJob(pdf_path, proc, tmp, timeout)
    if engine == "chromium":
        return PdfJob(pdf_path, error="Không tìm thấy Chromium để in PDF (xem [reports] chromium_path).")
    try:
        from weasyprint import HTML
    except Exception as exc:  # noqa: BLE001 - missing package or system library
        return PdfJob(pdf_path, error=f"Không có Chromium và WeasyPrint không dùng được: {exc}")
    try:
        with written_through_part(pdf_path) as part:
            HTML(filename=str(html_path)).write_pdf(str(part))
    except Exception as exc:  # noqa: BLE001
        return PdfJob(pdf_path, error=f"WeasyPrint không in được PDF: {exc}")
    return PdfJob(pdf_path)
