"""Hostile import files through `langnghe import` (preview, then import) and `langnghe survey import`: outcome,
time and peak RSS of each child (os.wait4). docs/SECURITY.md, "Files: imports".

Usage: .venv/bin/python bench/hostile_imports.py [--line-mb 50] [--styled-rows 1000000] [--only NAME]
  (PYTHONPATH=. from a worktree measures that worktree's code; a fresh database in a temporary folder)

Files: a CSV with one 50 MB line; a CSV with NUL bytes in cells and between rows; UTF-16 LE and BE with BOM;
Windows-1258 (Vietnamese code page, tones as combining marks); an XLSX with 1,000,000 empty styled rows after
two rows of data (with three empty styled cells each, and without); a JSON array nested 200,000 deep; a JSONL line
nested 500,000 deep; a ZIP of a text file named .xlsx; a DOCX named .xlsx; an XLSX of one cell of 4,000,000
references to an internal XML entity, and one of 3,000,000 nested elements; an XLSX whose 8 MB workbook part
is named xl/worksheets/workbook.xml (round 22). Nothing is fetched. Each child may use
at most 4 GB of address space.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.imports import EMPTY_SST, write_moved_workbook, write_skeleton  # noqa: E402
from bench.measure import child_peak_mb  # noqa: E402

ROWS = [("Tiêu đề", "Nội dung", "Ngày đăng"),
        ("Bụi than ở phường Vàng Danh", "Người dân phường Vàng Danh phản ánh xe chở than gây bụi.", "01/12/2026 08:00"),
        ("Đường hỏng ở Yên Tử", "Bà con phường Yên Tử bức xúc vì đường hỏng sau mưa.", "02/12/2026 09:30")]
MAP = "title=Tiêu đề,text=Nội dung,published_at=Ngày đăng"


def csv_text(rows: list[tuple[str, ...]]) -> str:
    return "".join(",".join(f'"{c}"' for c in r) + "\r\n" for r in rows)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """`text` as Windows-1258 writes Vietnamese: â, ơ, ư… precomposed, the five tones as combining marks."""
    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        try:
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
        except UnicodeEncodeError:
            out += ch.encode("cp1258")
    return bytes(out)


def styled_xlsx(path: Path, empty_rows: int, cells: bool = True) -> None:
    """Two rows of data under a header (inline strings), then `empty_rows` empty rows that carry a style, as Excel
    writes a sheet whose whole columns were formatted."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_skeleton(z, shared_strings=False)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     f'spreadsheetml/2006/main"><dimension ref="A1:C{empty_rows + 3}"/><sheetData>'.encode())
            for i, row in enumerate(ROWS, start=1):
                row_xml = "".join(f'<c r="{"ABC"[j]}{i}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(row))
                fh.write(f'<row r="{i}">{row_xml}</row>'.encode())
            block = []
            for i in range(4, empty_rows + 4):
                block.append(f'<row r="{i}" spans="1:3" s="1" customFormat="1"><c r="A{i}" s="1"/><c r="B{i}" s="1"/>'
                             f'<c r="C{i}" s="1"/></row>' if cells else f'<row r="{i}" spans="1:3" s="1" customFormat="1"/>')
                if len(block) == 10000:
                    fh.write("".join(block).encode())
                    block = []
            fh.write(("".join(block) + "</sheetData></worksheet>").encode())


def build(d: Path, line_mb: int, styled_rows: int) -> dict[str, Path]:
    files: dict[str, Path] = {}
    p = d / "dong-50mb.csv"
    with p.open("w", encoding="utf-8") as fh:
        fh.write(csv_text(ROWS[:2]))
        fh.write('"Dòng dài","' + "bụi than " * (line_mb * (1 << 20) // 11) + '","03/12/2026 10:00"\r\n')
        fh.write(csv_text(ROWS[2:]))
    files["50 MB line"] = p
    p = d / "nul.csv"
    p.write_bytes(csv_text(ROWS).replace("Vàng Danh", "Vàng\0Danh").encode() + b"\0\0\0\r\n")
    files["NUL bytes"] = p
    for name, enc in (("UTF-16 LE BOM", "utf-16-le"), ("UTF-16 BE BOM", "utf-16-be")):
        p = d / f"{enc}.csv"
        p.write_bytes("\ufeff".encode(enc) + csv_text(ROWS).encode(enc))
        files[name] = p
    p = d / "cp1258.csv"
    p.write_bytes(cp1258(csv_text(ROWS)))
    files["Windows-1258"] = p
    p = d / "styled.xlsx"
    styled_xlsx(p, styled_rows)
    files[f"XLSX {styled_rows:,} styled rows"] = p
    p = d / "styled-rows-only.xlsx"
    styled_xlsx(p, styled_rows, cells=False)
    files[f"XLSX {styled_rows:,} rows, no cells"] = p
    p = d / "deep.json"
    p.write_text('[{"text": "Bụi than ở phường Vàng Danh"},' + "[" * 200_000 + "]" * 200_000 + "]", encoding="utf-8")
    files["JSON array 200,000 deep"] = p
    p = d / "deep.jsonl"
    p.write_text('{"text": "Bụi than ở phường Vàng Danh"}\n' + "[" * 500_000 + "]" * 500_000 + "\n", encoding="utf-8")
    files["JSONL line 500,000 deep"] = p
    p = d / "zip-txt.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "không phải bảng tính")
    files["ZIP of a .txt as .xlsx"] = p
    p = d / "docx.xlsx"
    import docx
    doc = docx.Document()
    doc.add_paragraph("Báo cáo")
    doc.save(str(p))
    files["DOCX as .xlsx"] = p
    p = d / "entities.xlsx"
    entity_xlsx(p, 4_000_000)
    files["XLSX entities 1e9 chars"] = p
    p = d / "deep.xlsx"
    deep_xlsx(p, 3_000_000)
    files["XLSX 3,000,000 deep"] = p
    files["XLSX 8 MB workbook as a sheet"] = write_moved_workbook(d / "moved-workbook.xlsx", 2_000_000)
    return files


def deep_xlsx(path: Path, depth: int) -> None:
    """A header row, then one cell holding `depth` elements nested inside each other (round 22): 22 KB on disk,
    21 MB of sheet; openpyxl's iterparse holds every open element."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_skeleton(z)
        z.writestr("xl/sharedStrings.xml", EMPTY_SST)
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>Tiêu đề</t></is></c></row><row r="2"><c r="A2" '
                   't="inlineStr"><is><t>Bụi</t>' + "<x>" * depth + "</x>" * depth + "</is></c></row></sheetData></worksheet>")


def entity_xlsx(path: Path, refs: int) -> None:
    """A header row, then one cell of `refs` references to a 250-character internal entity (round 22): 13 KB on
    disk, 12 MB of sheet, 1,000,000,000 characters once expat has expanded it (its guard allows a hundredfold)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    head = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e "' + "A" * 250 + f'">]><worksheet {ns}>'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tiêu đề</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_skeleton(z)
        z.writestr("xl/sharedStrings.xml", EMPTY_SST)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head.encode())
            for _ in range(refs // 100_000):
                fh.write(b"&e;" * 100_000)
            fh.write(b"</t></is></c></row></sheetData></worksheet>")


def _cap_memory() -> None:
    """At most 4 GB of address space in the child: a runaway read fails there, not the machine (main's JSON array
    reader took ~25 GB for the 200,000-deep file and was killed)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, float, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "langnghe", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env, preexec_fn=_cap_memory)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().strip().splitlines() if proc.stdout else []
    msg = " | ".join(line.strip() for line in out[-2:])
    return os.waitstatus_to_exitcode(status), msg, time.perf_counter() - t0, int(child_peak_mb(usage))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--line-mb", type=int, default=50)
    ap.add_argument("--styled-rows", type=int, default=1_000_000)
    ap.add_argument("--only", default="", help="run only files whose name contains this")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = build(d, a.line_mb, a.styled_rows)
        env = {**os.environ, "LANGNGHE_DB": str(d / "t.duckdb")}
        print(f"{'file':<28} {'command':<14} {'exit':>4} {'time':>7} {'peak RSS':>9}  last lines")
        for name, path in files.items():
            if a.only and a.only not in name:
                continue
            survey = [] if path.suffix.startswith(".json") else [("survey import", ["survey", "import", str(path), "--preview"])]
            mapping = "text=text" if path.suffix.startswith(".json") else MAP
            for label, cmd in [("import preview", ["import", str(path), "--map", mapping, "--preview"]), *survey]:
                code, msg, secs, rss = run(cmd, env)
                print(f"{name:<28} {label:<14} {code:>4} {secs:>6.1f}s {rss:>6} MB  {msg[:150]}")


if __name__ == "__main__":
    main()
