"""Sheets → XLSX, written as SpreadsheetML directly (about 0.5 s for 270,000 cells; openpyxl's write-only
mode took about 5 s of CPU here, too slow for a 50,000-item week).

Each sheet: a title row, a subtitle row (period, area), a blank row, the header row (frozen), the data,
and a note under it; printed on A4 as wide as the page, its header row on every page, page numbers in the footer. Text is written as inline strings, so feed text is never a formula when the workbook opens,
and a text cell that starts like one (= + - @, tab, line break) carries Excel's quote prefix too (`quotePrefix`,
what typing a leading ' in Excel sets; not shown), so it stays text when staff edit it (OWASP CSV injection); links
are HYPERLINK formulas only for http(s) addresses within Excel's 255-character limit. Dates are real
Excel dates (Vietnam time). openpyxl, Excel and LibreOffice read the result.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reports.document import clean, safe_url
from reports.partfile import written_through_part
from vocab.spreadsheet import FORMULA_STARTS  # what Excel may read as a formula when a cell is edited


@dataclass
class Link:
    url: str
    text: str = ""


@dataclass(frozen=True)
class Pct:
    """A share (0.333) written as a number in the "0%" format: the DOCX's "33%", still a number in the workbook."""
    value: float


@dataclass(frozen=True)
class Change:
    """A change on the previous week (−0.098) as a signed number in the "+0.0%" format: the DOCX's "−9,8%", but a number
    staff can sort and filter (the "Tăng/giảm" columns were text until the second reports walk of round 14)."""
    value: float


@dataclass
class Sheet:
    name: str                                  # ≤ 31 characters, no []:*?/\
    title: str
    columns: list[tuple[str, float]]           # (header, width in characters)
    rows: list[list[Any]] = field(default_factory=list)
    subtitle: str = ""
    note: str = ""                             # written under the table (e.g. why it is empty)


# cellXfs: 0 plain · 1 title · 2 header · 3 date-time · 4 date · 5 link · 6 italic note · 7 percentage
#          · 8 signed change (+9.8%, −9.8%, 0%) · 9 plain text that starts like a formula (quote prefix)
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="&quot;+&quot;0.0%;&quot;−&quot;0.0%;0%"/></numFmts>
<fonts count="5">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font>
<font><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFE7E6E6"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="10">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_EPOCH = datetime(1899, 12, 30)
_BAD_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


QUOTED = 9  # the plain style with the quote prefix


def _text(ref: str, text: str, style: int = 0) -> str:
    text = clean(text)[:32767]
    if style == 0 and text.startswith(FORMULA_STARTS):
        style = QUOTED
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _value(ref: str, v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, Link):
        url = safe_url(v.url)
        text = clean(v.text or v.url)
        if url and len(url) <= 255:
            f = 'HYPERLINK("{}","{}")'.format(url.replace('"', '""'), text[:250].replace('"', '""'))
            return f'<c r="{ref}" s="5"><f>{escape(f)}</f></c>'
        return _text(ref, text)
    if isinstance(v, Pct):
        return f'<c r="{ref}" s="7"><v>{v.value}</v></c>' if v.value == v.value else ""
    if isinstance(v, Change):
        return f'<c r="{ref}" s="8"><v>{v.value}</v></c>' if v.value == v.value else ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)) and not (isinstance(v, float) and v != v):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if isinstance(v, datetime):
        return f'<c r="{ref}" s="3"><v>{(v.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400:.8f}</v></c>'
    if isinstance(v, date):
        return f'<c r="{ref}" s="4"><v>{(v - _EPOCH.date()).days}</v></c>'
    return _text(ref, str(v))


def _sheet_xml(sh: Sheet) -> str:
    ncols = max(len(sh.columns), 1)
    letters = [_col(i) for i in range(max(ncols, max((len(r) for r in sh.rows), default=0)))]
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, (_, w) in enumerate(sh.columns, start=1))
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>',
           '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" '
           'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>',
           f"<cols>{cols}</cols>" if cols else "", "<sheetData>",
           f'<row r="1">{_text("A1", sh.title, 1)}</row>']
    if sh.subtitle:
        out.append(f'<row r="2">{_text("A2", sh.subtitle)}</row>')
    out.append('<row r="4">' + "".join(_text(f"{letters[i]}4", name, 2) for i, (name, _) in enumerate(sh.columns))
               + "</row>")
    n = 4
    for row in sh.rows:
        n += 1
        out.append(f'<row r="{n}">' + "".join(_value(f"{letters[i]}{n}", v) for i, v in enumerate(row)) + "</row>")
    if sh.note:
        n += 2
        out.append(f'<row r="{n}">{_text(f"A{n}", sh.note, 6)}</row>')
    out.append("</sheetData>" + _print_setup(sh) + "</worksheet>")
    return "".join(out)


LANDSCAPE_FROM = 100  # columns wider than this (in characters) print across an A4 page, not down it


def _print_setup(sh: Sheet) -> str:
    """A4, as wide as the page and as many pages long as it takes, landscape for a wide table, «Trang 2/5» in the
    footer (the header row repeats on each page: _workbook's print titles). Without it Excel and LibreOffice print
    the 342-character-wide Phụ lục on Letter paper, its columns spread over three pages each (round 21 walk)."""
    wide = sum(w for _, w in sh.columns) > LANDSCAPE_FROM
    return ('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            f'<pageSetup paperSize="9" orientation="{"landscape" if wide else "portrait"}" fitToWidth="1" '
            'fitToHeight="0"/><headerFooter><oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter></headerFooter>')


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)


def write_xlsx(sheets: list[Sheet], path: str | Path) -> Path:
    """Write the workbook to `path` through a '.part' file renamed at the end, so a reader never sees
    half a file (and a failed write leaves no '.part' behind)."""
    path = Path(path)
    names = _sheet_names(sheets)
    n = len(sheets)
    with written_through_part(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as z:
        z.writestr("[Content_Types].xml", _content_types(n))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("docProps/core.xml", _core(sheets[0].title if sheets else ""))
        z.writestr("xl/workbook.xml", _workbook(names))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(n))
        z.writestr("xl/styles.xml", _STYLES)
        for i, sh in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sh))
    return path


def _sheet_names(sheets: list[Sheet]) -> list[str]:
    """Names Excel accepts: no []:*?/\\, at most 31 characters, none twice (a number is added)."""
    names: list[str] = []
    for sh in sheets:
        name = " ".join(clean(sh.name).translate(_BAD_NAME).split())[:31] or f"Sheet{len(names) + 1}"
        while name in names:
            name = name[:28] + f" {len(names)}"
        names.append(name)
    return names


def _content_types(n: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1))
        + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )


def _core(title: str) -> str:
    """Document properties: the first sheet's title, and Lắng Nghe as the creator."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(clean(title))}</dc:title><dc:creator>Lắng Nghe</dc:creator></cp:coreProperties>"
    )


def _workbook(names: list[str]) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS}><bookViews><workbookView/></bookViews>'
        "<sheets>" + "".join(f'<sheet name="{escape(nm, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                             for i, nm in enumerate(names, start=1)) + "</sheets>"
        # each sheet's header row (row 4) printed again at the top of every page
        + "<definedNames>" + "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(_quoted(nm))}!$4:$4</definedName>" for i, nm in enumerate(names)) + "</definedNames>"
        + "</workbook>"
    )


def _quoted(name: str) -> str:
    """A sheet name as a formula names it: 'Tin tiêu cực' (quotes doubled inside)."""
    return "'" + name.replace("'", "''") + "'"


def _workbook_rels(n: int) -> str:
    """The workbook's parts: sheets rId1…rIdn, then the styles."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    )
