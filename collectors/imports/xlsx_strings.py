"""An XLSX's shared strings read lean, for openpyxl's read-only reader.

    xl/sharedStrings.xml ─iterparse (expat; its DTD and depth judged before, zipcheck)─▶ each <si> ended:
        its text (<t>, then the <t> of its rich-text runs <r>; phonetic <rPh> left out, as openpyxl) ─▶ a list
        the element and all before it cleared from the root

openpyxl keeps every shared string for the whole read (a cell names one by its index), so memory grows with their
count whatever we do; but its own reader built a `Text` object per string and cleared each <si> while the root kept
it: 4,300,000 tiny strings (98 MB unzipped, 11 MB on disk, under max_uncompressed_mb) took 723 MB and 136 s
(round 22). This keeps only the Python strings.
"""

from __future__ import annotations

from typing import IO, Any
from xml.etree.ElementTree import iterparse

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R = _NS + "si", _NS + "t", _NS + "r"


def read_shared_strings(source: IO[bytes]) -> list[str]:
    """The text of each <si>, in order, as openpyxl's read_string_table gives it (its `x005F_` removal too)."""
    strings: list[str] = []
    events = iterparse(source, events=("start", "end"))
    _, root = next(events)
    for event, node in events:
        if event != "end" or node.tag != _SI:
            continue
        parts = [c.text or "" for c in node if c.tag == _T]
        parts += [t.text or "" for r in node if r.tag == _R for t in r if t.tag == _T]
        strings.append("".join(parts).replace("x005F_", ""))
        root.clear()
    return strings


def load_workbook_lean(stream: IO[bytes]) -> Any:
    """openpyxl's load_workbook(read_only=True, data_only=True), its shared strings read by read_shared_strings.

    No public API lets a caller read the shared strings: load_workbook builds an ExcelReader and calls its read(),
    which calls read_strings(). So this subclasses ExcelReader (public name, undocumented) and overrides read_strings,
    using its internals `package` (the [Content_Types] Manifest), `archive` (the ZipFile) and `shared_strings`; a
    reading of our own would have to re-do the rest of read() (workbook, styles, sheets). Pinned by
    tests/collectors/test_openpyxl_pins.py, which fails on an openpyxl that no longer calls read_strings from read()
    or names these attributes otherwise, and names the version it was checked on."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class _Reader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                with self.archive.open(ct.PartName[1:]) as src:
                    self.shared_strings = read_shared_strings(src)

    reader = _Reader(stream, read_only=True, data_only=True)
    reader.read()
    return reader.wb
