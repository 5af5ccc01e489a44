"""Import memory and speed: an XLSX bomb through `import --preview`, and a 1M-row CSV import.

Usage: .venv/bin/python bench/imports.py [--bomb-mb 1500] [--rows 1000000] [--skip-bomb] [--skip-csv]

(a) writes an XLSX whose one shared string unzips to --bomb-mb MB (about 1.5 MB on disk) and runs
    `langnghe import BOMB --preview` in a subprocess; prints its exit code, message, time and peak RSS.
(b) writes a CSV of --rows rows, runs `import CSV --preview` (reads and maps every row), then
    `langnghe import CSV --map …`, each in a subprocess, on a fresh database; the NLP pipeline is off (patched out in the child) unless --nlp, so the figure is the
    import itself. Prints time, rows/s and peak RSS.
Peak RSS is each child's own ru_maxrss (os.wait4, the per-child form of RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.measure import child_peak_mb  # noqa: E402 - after the path: run as a script

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
       'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
       '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
       'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"'
            '/></Relationships>')
_SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
          '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
          '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>')


EMPTY_SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
             'main" count="0"/>')
_SST_OVERRIDE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.sharedStrings+xml"/>')
_SST_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/>')


def write_skeleton(z: zipfile.ZipFile, *, shared_strings: bool = True) -> None:
    """The parts every bench workbook shares, written once here: content types, the package and workbook
    relationships and the workbook (one sheet, xl/worksheets/sheet1.xml, and xl/sharedStrings.xml unless
    `shared_strings` is False); the caller writes the sheet (and the shared strings)."""
    ct, rels = (_CT, _WB_RELS) if shared_strings else (_CT.replace(_SST_OVERRIDE, ""), _WB_RELS.replace(_SST_REL, ""))
    for name, body in (("[Content_Types].xml", ct), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                       ("xl/_rels/workbook.xml.rels", rels)):
        z.writestr(name, body)


def write_xlsx_bomb(path: Path, string_bytes: int, *, many: bool = False) -> Path:
    """An XLSX (headers 'text', 'title') whose one shared string is `string_bytes` of 'a', written in
    chunks: deflate squeezes it about 1000 to 1, so 1.5 GB of text is about 1.5 MB on disk. With
    `many`, the same bytes are millions of one-letter shared strings instead (openpyxl keeps each)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_skeleton(z)
        z.writestr("xl/worksheets/sheet1.xml", _SHEET)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=string_bytes > 2**31) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>text</t></si><si><t>title</t>'
                     b'</si><si><t>')
            unit = b"a</t></si><si><t>" if many else b"a"
            block = unit * (1 << 20)
            left = string_bytes // len(unit) * len(unit)  # whole units, so the XML stays well formed
            while left > 0:
                fh.write(block[:min(left, len(block))])
                left -= len(block)
            fh.write(b"</t></si></sst>")
    return path


def write_moved_workbook(path: Path, pad_elements: int) -> Path:
    """An XLSX (headers 'text', 'title') whose workbook part lives at xl/worksheets/workbook.xml (its
    [Content_Types], package and workbook relationships following, as openpyxl finds it) and carries
    `pad_elements` empty elements in its extension list: openpyxl parses the workbook part whole, and its name
    alone made it pass for a streamed sheet past [imports] max_xlsx_part_mb (round 22 review; 2,000,000 of them
    are 8 MB)."""
    ct = _CT.replace('"/xl/workbook.xml"', '"/xl/worksheets/workbook.xml"')
    wb = _WB.replace("</workbook>", '<extLst><ext uri="x">' + "<a/>" * pad_elements + "</ext></extLst></workbook>")
    rels = _WB_RELS.replace('"worksheets/sheet1.xml"', '"sheet1.xml"').replace('"sharedStrings.xml"',
                                                                                 '"../sharedStrings.xml"')
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main" count="3" uniqueCount="3"><si><t>text</t></si><si><t>title</t></si><si><t>Bụi than</t></si>'
           '</sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in (("[Content_Types].xml", ct), ("_rels/.rels", _RELS.replace('"xl/workbook.xml"',
                                                                                       '"xl/worksheets/workbook.xml"')),
                           ("xl/worksheets/workbook.xml", wb), ("xl/worksheets/_rels/workbook.xml.rels", rels),
                           ("xl/worksheets/sheet1.xml", _SHEET), ("xl/sharedStrings.xml", sst)):
            z.writestr(name, body)
    return path


def write_csv(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["post_id", "created_time", "page", "message", "link"])
        for i in range(rows):
            w.writerow([i, f"2024-11-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}", f"Nhóm {i % 50}",
                        f"Bài số {i}: người dân phường {i % 30} phản ánh đường sá xuống cấp, bụi than.",
                        f"https://www.facebook.com/groups/g{i % 50}/posts/{i}/"])
    return path


_NO_NLP = ("import sys, orchestration.ingest as p; p.processor = lambda cfg, db: None; from langnghe import cli; "
           "sys.exit(cli.main(sys.argv[1:]))")


def run_child(args: list[str], env: dict[str, str], *, nlp: bool = True) -> tuple[int, str, float, float]:
    """(exit code, last stderr line, seconds, peak RSS MB of this child: os.wait4's own rusage)."""
    cmd = ["-m", "langnghe.cli"] if nlp else ["-c", _NO_NLP]
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, *cmd, *args], env=env, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return p.returncode, (lines or [""])[-1], secs, child_peak_mb(usage)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bomb-mb", type=int, default=1500)
    ap.add_argument("--bomb-many", action="store_true", help="many tiny shared strings instead of one huge one")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--skip-bomb", action="store_true")
    ap.add_argument("--skip-csv", action="store_true")
    ap.add_argument("--preview-only", action="store_true", help="CSV: measure the preview, skip the import")
    ap.add_argument("--nlp", action="store_true", help="tag the imported items too (default: import only)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LANGNGHE_DB": str(t / "b.duckdb")}
        if not a.skip_bomb:
            t0 = time.perf_counter()
            bomb = write_xlsx_bomb(t / "bomb.xlsx", a.bomb_mb * 1_000_000, many=a.bomb_many)
            kind = "of tiny shared strings" if a.bomb_many else "shared string"
            print(f"XLSX bomb: {bomb.stat().st_size / 1e6:.2f} MB on disk, {a.bomb_mb} MB {kind} "
                  f"(written in {time.perf_counter() - t0:.1f} s)")
            code, msg, secs, rss = run_child(["import", str(bomb), "--preview"], env)
            print(f"  import --preview: exit {code} in {secs:.2f} s, peak RSS {rss:.0f} MB\n  {msg}")
        if not a.skip_csv:
            t0 = time.perf_counter()
            src = write_csv(t / "posts.csv", a.rows)
            print(f"CSV: {a.rows:,} rows, {src.stat().st_size / 1e6:.0f} MB (written in "
                  f"{time.perf_counter() - t0:.1f} s)")
            code, _msg, secs, rss = run_child(["import", str(src), "--preview"], env)
            print(f"  import --preview (read + map, nothing written): exit {code} in {secs:.1f} s "
                  f"({a.rows / secs:,.0f} rows/s), peak RSS {rss:.0f} MB")
            if a.preview_only:
                return
            code, msg, secs, rss = run_child(
                ["import", str(src), "--map", "id=post_id,published_at=created_time,outlet=page,text=message,url=link"],
                env, nlp=a.nlp)
            print(f"  import{' + NLP' if a.nlp else ' (NLP off)'}: exit {code} in {secs:.1f} s ({a.rows / secs:,.0f} rows/s), peak RSS {rss:.0f} MB\n  {msg}")


if __name__ == "__main__":
    main()
