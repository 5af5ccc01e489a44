"""Round 31 sweep (`hostile34`, docs/SECURITY.md): wide headers in imports and survey imports, and a write that fails
on a full disk or past a file-size limit. Each case runs in a child process (time and peak RSS from os.wait4, at most
6 GB of address space, a timeout); nothing is fetched.

Usage: PYTHONPATH=. .venv/bin/python bench/hostile34.py [--root DIR] [--only NAME] [--timeout 300]
  --root: the checkout whose code the children run (default: this one), e.g. /work/main for the code before the round.

Cases: a CSV whose header has 16,000 / 100,000 / 200,000 columns under short rows, read as an import and previewed
as a survey; a JSONL file whose first line has 16,000 / 40,000 keys; an XLSX of 2,000 rows each with one cell at
column ZZZ (openpyxl pads a row out to its last cell), and one whose header reaches ZZZ; a feed whose <title> has
20,000 / 80,000 attributes, and 7.5 MB of elements of 64 attributes each (the most a feed may have); strip_html (every
feed summary, imported cell, message) on 150 KB of «<a b='» and 100 KB of «<!--», and a CSV of 5 such cells of
100,000 characters (imports.max_cell_chars) read and mapped as an import; `langnghe import` of 20,000
rows into a database under `ulimit -f` (EFBIG) and, as root, on a 3 MB tmpfs (ENOSPC).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.imports import write_skeleton  # noqa: E402
from bench.measure import child_peak_mb  # noqa: E402

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              b'2006/main"><sheetData>')


def wide_csv(columns: int, rows: int) -> bytes:
    """A header of «Giới tính», «Ý kiến» and `columns` more names, then `rows` rows filling only the first two."""
    head = "Giới tính,Ý kiến," + ",".join(f"c{i}" for i in range(columns)) + "\n"
    return (head + "".join(f"{'Nam' if i % 2 else 'Nữ'},ý kiến số {i}\n" for i in range(rows))).encode()


def wide_jsonl(keys: int) -> bytes:
    """A first line of `keys` keys, then one ordinary row."""
    return ("{" + ",".join(f'"k{i}":0' for i in range(keys)) + "}\n" + '{"text": "Bụi than ở Vàng Danh"}\n').encode()


def far_cell_xlsx(rows: int, column: str, *, header_at: str = "A") -> bytes:
    """An XLSX whose header is «text» at `header_at`1 and whose `rows` rows each hold a number at `column`: openpyxl
    builds each row out to its last cell (ZZZ is 18,278 wide)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        write_skeleton(z, shared_strings=False)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(SHEET_HEAD + f'<row r="1"><c r="{header_at}1" t="inlineStr"><is><t>text</t></is></c></row>'.encode())
            fh.write(f'<row><c r="{column}1"><v>1</v></c></row>'.encode() * rows)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def attributes_feed(attributes: int, elements: int = 1) -> bytes:
    """An RSS feed of one entry holding `elements` elements of `attributes` attributes each (one: its <title>)."""
    tag = b" ".join(b'a%d="1"' % i for i in range(attributes))
    if elements == 1:
        inner = b"<title " + tag + b">Tin</title>"
    else:
        inner = b"<title>Tin</title>" + (b"<x " + tag + b"/>") * elements
    return (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>' + inner
            + b"<link>https://bao.vn/1</link></item></channel></rss>")


def big_csv(rows: int) -> bytes:
    words = ("bụi", "than", "đường", "người", "dân", "phản", "ánh", "Vàng", "Danh", "Yên", "Tử")
    lines = ["Tiêu đề,Nội dung,Ngày đăng"]
    for i in range(rows):
        text = " ".join(words[(i * 7 + j) % len(words)] for j in range(60))
        lines.append(f"Tin {i} về phường Vàng Danh,Nội dung {i} {text},01/12/2026 08:00")
    return ("\n".join(lines) + "\n").encode()


READ = """
import sys, time
from collectors import imports as imp
from vocab.config import ImportsConfig
t = time.perf_counter()
try:
    with open(sys.argv[1], "rb") as fh, imp.open_table(sys.argv[1], fh, ImportsConfig()) as tb:
        n = sum(1 for _ in tb.rows)
    print(f"{len(tb.columns)} columns, {n} rows read")
except Exception as exc:
    print(f"{type(exc).__name__}: {str(exc)[:110]}")
"""

FEED = """
import sys
from collectors import rss
from vocab.config import DEFAULT_LIMITS
try:
    with open(sys.argv[1], "rb") as fh:
        parsed, _, _ = rss.parse_feed_bounded(fh.read(), None, DEFAULT_LIMITS)
    print(f"{len(parsed.entries)} entries")
except Exception as exc:
    print(f"{type(exc).__name__}: {str(exc)[:110]}")
"""

STRIP = """
import sys
from collectors.textutil import strip_html
with open(sys.argv[1], encoding="utf-8") as fh:
    text = fh.read()
print(f"{len(strip_html(text)):,} characters of text")
"""

MAP = """
import sys
from datetime import datetime
from collectors import imports as imp
from vocab.config import ImportsConfig, SourceConfig
settings = imp.ImportSettings(SourceConfig(name="t", kind="import", url="", outlet="t"))
with open(sys.argv[1], "rb") as fh, imp.open_table(sys.argv[1], fh, ImportsConfig()) as tb:
    items, skipped = imp.map_rows(list(tb.rows), {"text": "Nội dung"}, settings, datetime(2026, 12, 7))
print(f"{len(items)} items mapped, {sum(skipped.values())} skipped")
"""

SURVEY = """
import sys
from orchestration import surveys
from vocab.config import ImportsConfig
try:
    with open(sys.argv[1], "rb") as fh:
        pv = surveys.preview(sys.argv[1], fh, ImportsConfig())
    print(f"{len(pv.questionnaire.questions)} questions proposed")
except Exception as exc:
    print(f"{type(exc).__name__}: {str(exc)[:110]}")
"""


def _limits(address_gb: int, fsize: int | None):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_gb << 30, address_gb << 30))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def run(root: Path, argv: list[str], timeout: float, *, env: dict[str, str] | None = None,
        fsize: int | None = None) -> tuple[str, float, int]:
    """(the child's last line of output, seconds, peak RSS in MB); killed at `timeout`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONPATH": str(root), **(env or {})},
                            preexec_fn=_limits(6, fsize))
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return f"stopped after {timeout:.0f} s", time.perf_counter() - t0, int(child_peak_mb(usage))
        time.sleep(0.05)
    out = [line for line in (proc.stdout.read() if proc.stdout else "").strip().splitlines() if line.strip()]
    return (out[-1].strip() if out else f"exit {status}"), time.perf_counter() - t0, int(child_peak_mb(usage))


def tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    root = a.root.resolve()
    print(f"code measured: {root}")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = {
            "csv 16,000 columns x 2,000 rows": ("read", "a.csv", wide_csv(16_000, 2_000)),
            "csv 100,000 columns x 300 rows": ("read", "b.csv", wide_csv(100_000, 300)),
            "survey csv 16,000 columns x 500": ("survey", "c.csv", wide_csv(16_000, 500)),
            "survey csv 200,000 columns x 500": ("survey", "d.csv", wide_csv(200_000, 500)),
            "jsonl first line 16,000 keys": ("read", "e.jsonl", wide_jsonl(16_000)),
            "jsonl first line 40,000 keys": ("read", "f.jsonl", wide_jsonl(40_000)),
            "xlsx 2,000 rows, a cell at B": ("read", "g.xlsx", far_cell_xlsx(2_000, "B")),
            "xlsx 2,000 rows, a cell at ZZZ": ("read", "h.xlsx", far_cell_xlsx(2_000, "ZZZ")),
            "xlsx header at ZZZ1": ("read", "i.xlsx", far_cell_xlsx(10, "B", header_at="ZZZ")),
            "feed <title> of 20,000 attributes": ("feed", "j.rss", attributes_feed(20_000)),
            "feed <title> of 80,000 attributes": ("feed", "k.rss", attributes_feed(80_000)),
            "feed 7.5 MB of 64-attribute tags": ("feed", "l.rss", attributes_feed(64, 7_500_000 // 500)),
            "strip_html 150 KB of <a b='": ("strip", "m.txt", ("<a b='" * 25_000).encode()),
            "strip_html 100 KB of <!--": ("strip", "n.txt", ("<!--" * 25_000).encode()),
            "strip_html <a b and 160,000 =": ("strip", "p.txt", ("<a b" + "=" * 160_000).encode()),
            "import 5 cells of 100,000 <a b='": ("map", "o.csv", ("Nội dung\n" + ("<a b='" * 16_666 + "\n") * 5).encode()),
        }
        print(f"{'case':<36} {'bytes':>9} {'time':>8} {'peak':>7}  outcome")
        for name, (what, fname, data) in files.items():
            if a.only and a.only not in name:
                continue
            path = d / fname
            path.write_bytes(data)
            code = {"read": READ, "survey": SURVEY, "feed": FEED, "strip": STRIP, "map": MAP}[what]
            out, secs, rss = run(root, ["-c", code, str(path)], a.timeout)
            print(f"{name:<36} {len(data):>9,} {secs:>7.1f}s {rss:>5} MB  {out[:150]}")
        if a.only and "import" not in a.only:
            return
        csv_path = d / "big.csv"
        csv_path.write_bytes(big_csv(20_000))
        cmd = ["-m", "langnghe", "import", str(csv_path), "--map", "title=Tiêu đề,text=Nội dung,published_at=Ngày đăng"]
        db = d / "f" / "t.duckdb"
        db.parent.mkdir()
        env = {"LANGNGHE_DB": str(db)}
        run(root, ["-m", "langnghe", "init-db"], a.timeout, env=env)
        out, secs, rss = run(root, cmd, a.timeout, env=env, fsize=db.stat().st_size + (1 << 20))
        print(f"{'import 20,000 rows, ulimit -f':<36} {csv_path.stat().st_size:>9,} {secs:>7.1f}s {rss:>5} MB  {out[:220]}")
        mnt = d / "mnt"
        if not tmpfs(mnt, "3m"):
            print("import on a 3 MB tmpfs: not run (needs root and mount)")
            return
        try:
            env = {"LANGNGHE_DB": str(mnt / "t.duckdb")}
            run(root, ["-m", "langnghe", "init-db"], a.timeout, env=env)
            out, secs, rss = run(root, cmd, a.timeout, env=env)
            print(f"{'import 20,000 rows, 3 MB tmpfs':<36} {csv_path.stat().st_size:>9,} {secs:>7.1f}s {rss:>5} MB  "
                  f"{out[:220]}")
        finally:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


if __name__ == "__main__":
    main()
