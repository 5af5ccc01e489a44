"""Nhập dữ liệu page speed: what an upload costs once, and what each later click on the page costs.

    .venv/bin/python bench/import_page.py                 # 20,000 rows, CSV and XLSX, 3 clicks each
    .venv/bin/python bench/import_page.py --rows 5000 --clicks 5

For each format: a synthetic export of --rows rows (Vietnamese title, ~60-word text, link, date) is made
in memory; then the Nhập dữ liệu page runs in AppTest as an analyst on a fresh database: the first run
with the file uploaded (columns and preview read), then --clicks reruns with nothing changed (what any
click on the page costs: a select box, a text box). Also times the reads alone, uncached (the column names;
in one preview read, its first step of 1,000 rows, when the page shows the first items since round 23, and its
end, every row read and mapped under the page's progress bar). Nothing is imported and the NLP models are not
loaded. Prints a table of wall seconds.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ("dân phản ánh bụi than ở vàng danh xe chở chạy đêm gây đường ngập sau mưa lớn cống thoát nước "
         "hạ long cẩm phả uông bí đề nghị chính quyền sớm khắc phục").split()


def rows_of(n: int) -> list[list[str]]:
    rnd = random.Random(22)
    return [[" ".join(rnd.choices(WORDS, k=10)), " ".join(rnd.choices(WORDS, k=60)), f"https://fb.example/p/{i}",
             "02/12/2026 08:00"] for i in range(n)]


HEADER = ["tieu de", "noi dung", "link", "ngay dang"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for r in [HEADER, *rows]:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def reads(cfg, name: str, data: bytes) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Seconds of the column read alone, then in one preview read (uncached, as the page makes it since round 23):
    until its first step, when the page shows the first items, and until its end (every row read and mapped)."""
    from collectors import imports as imp
    from dashboard.data import PREVIEW_PROGRESS_ROWS

    stream = io.BytesIO(data)
    t = time.perf_counter()
    with imp.open_table(name, stream, cfg.imports) as table:
        columns = table.columns
    cols_s = time.perf_counter() - t
    mapping = {k: v for k, v in imp.guess_mapping(columns).items() if v}
    first: list[float] = []
    t = time.perf_counter()
    with imp.open_table(name, stream, cfg.imports) as table:
        imp.preview(table.rows, table.columns, mapping, imp.settings_for(cfg, name), datetime.now(timezone.utc),
                    n=cfg.imports.preview_rows, chunk_rows=PREVIEW_PROGRESS_ROWS, notes=table.notes,
                    on_chunk=lambda _pv: first or first.append(time.perf_counter() - t))
    return cols_s, first[0], time.perf_counter() - t


def page(name: str, data: bytes, mime: str, clicks: int) -> tuple[float, list[float]]:
    """Seconds of the run with the upload, and of each later rerun (a new upload: nothing of it is cached)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("from dashboard.views import imports as _p\n_p.render()\n", default_timeout=600)
    at.session_state["user"] = {"username": "chuyenvien", "display_name": "Chuyên viên", "role": "analyst"}
    at.run()
    t = time.perf_counter()
    at.file_uploader(key="imp_file").set_value((name, data, mime)).run()
    first = time.perf_counter() - t
    if at.exception or not at.metric:
        raise SystemExit(f"the page did not preview {name}: {[e.value for e in at.exception] or [e.value for e in at.error]}")
    later = []
    for _ in range(clicks):
        t = time.perf_counter()
        at.run()
        later.append(time.perf_counter() - t)
    return first, later


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--clicks", type=int, default=3)
    args = ap.parse_args(argv)

    from bench.app_db import installed

    with installed() as (cfg, db):
        rows = rows_of(args.rows)
        print(f"{args.rows:,} rows; seconds (wall)")
        print(f"{'format':7} {'MB':>5} {'columns':>8} {'first items':>12} {'preview':>8} {'upload run':>11} "
              f"{'each click (median, max)':>26}")
        for name, blob, mime in (("bench.csv", csv_bytes(rows), "text/csv"),
                                 ("bench.xlsx", xlsx_bytes(rows), "application/octet-stream")):
            cols_s, head_s, prev_s = reads(cfg, name, blob)
            first, later = page(name, blob, mime, args.clicks)
            print(f"{name.split('.')[1]:7} {len(blob) / 1e6:5.1f} {cols_s:8.2f} {head_s:12.2f} {prev_s:8.2f} {first:11.2f} "
                  f"{statistics.median(later):17.2f}, {max(later):.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
