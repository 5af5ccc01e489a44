"""Doc → HTML, printed to PDF (pdf_out) and shown as the dashboard preview.

The page box follows Decree 30/2020: A4, margins 20 mm top and bottom, 30 mm left, 15 mm right,
page number centred in the top margin from page 2 (CSS @page margin boxes). Fonts for the PDF are
declared with @font-face from font files (`fonts`), so what is embedded does not depend on the
machine's font fallback; the preview falls back to the browser's Times New Roman / serif.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from reports.document import Cell, Doc, Heading, Image, PageBreak, Para, Run, Table, cell_runs
from reports.textwidth import header_bodies

STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
_FACE = {"Regular": ("normal", "normal"), "Bold": ("bold", "normal"), "Italic": ("normal", "italic"),
         "BoldItalic": ("bold", "italic")}


def find_font(prefixes: tuple[str, ...] | list[str]) -> dict[str, Path] | None:
    """The first font family (path prefix) whose regular file exists: {'Regular': path, 'Bold': …}.
    A style whose file is missing falls back to the regular file."""
    for prefix in prefixes:
        regular = next((Path(prefix + s) for s in ("-Regular.ttf", ".ttf") if Path(prefix + s).is_file()), None)
        if regular is None:
            continue
        out = {"Regular": regular}
        for style in STYLES[1:]:
            p = Path(f"{prefix}-{style}.ttf")
            out[style] = p if p.is_file() else regular
        return out
    return None


def _css(size: int, fonts: dict[str, Path] | None, recipients_pt: int = 11) -> str:
    """`recipients_pt`: Nơi nhận's lines, 12 pt in a Party document (36-HD/VPTW) and 11 pt in a state one, as in
    the DOCX."""
    faces = ""
    family = '"Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif", serif'
    if fonts:
        for style, path in fonts.items():
            weight, fstyle = _FACE[style]
            faces += (f'@font-face {{ font-family: "ReportSerif"; src: url("{path.resolve().as_uri()}"); '
                      f"font-weight: {weight}; font-style: {fstyle}; }}\n")
        family = '"ReportSerif", ' + family
    small = min(size, 13)
    return f"""{faces}
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center {{ content: counter(page); font-family: {family}; font-size: {small}pt; }} }}
@page :first {{ @top-center {{ content: none; }} }}
html {{ -webkit-print-color-adjust: exact; }}
body {{ font-family: {family}; font-size: {size}pt; line-height: 1.2; margin: 0; color: #000; }}
.sheet {{ max-width: 165mm; }}
@media screen {{ body {{ background: #eee; }} .sheet {{ background: #fff; margin: 0 auto; padding: 20mm 15mm 20mm 30mm; }} }}
p {{ margin: 6pt 0 0; text-align: justify; text-indent: 1cm; }}
p.c, p.l, p.cap {{ text-indent: 0; }} p.c {{ text-align: center; }} p.l {{ text-align: left; }}
p.cap {{ font-style: italic; font-size: {size - 2}pt; text-align: left; break-after: avoid; page-break-after: avoid; }}
p.imgcap {{ text-indent: 0; text-align: center; font-style: italic; font-size: {size - 2}pt; margin-top: 2pt; }}
h1, h2, h3 {{ font-size: {size}pt; margin: 6pt 0 0; text-indent: 1cm; text-align: justify; break-after: avoid; }}
h1, h2 {{ font-weight: bold; }} h3 {{ font-weight: normal; font-style: italic; }}
a {{ color: #0563c1; }}
table.hdr, table.end {{ width: 100%; border-collapse: collapse; }}
table.hdr td, table.end td {{ vertical-align: top; text-align: center; padding: 0; }}
table.end, table.end tr, table.end td, div.keep {{ break-inside: avoid; page-break-inside: avoid; }}
table.hdr td.l {{ width: 46%; }} table.end td.l {{ width: 48%; text-align: left; }}
.hs {{ font-size: 12pt; }} .hm {{ font-size: {small}pt; }} .hp {{ font-size: 14pt; }}
.hp.b {{ font-size: 15pt; }} table.hdr td.l .hp.b {{ font-size: 14pt; }} .ul {{ text-decoration: underline; }}
.b {{ font-weight: bold; }} .i {{ font-style: italic; }}
.motto {{ font-weight: bold; text-decoration: underline; text-underline-offset: 2pt; }}
.rule {{ border-top: 0.75pt solid #000; margin: 2pt auto 0; height: 0; }}
.title {{ text-align: center; font-weight: bold; text-indent: 0; margin: 0; }}
.title.first {{ margin-top: 18pt; }}
.sub {{ text-align: center; font-style: italic; text-indent: 0; margin: 0; }}
table.data {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: 4pt 0 6pt; }}
table.data th {{ background: #e7e6e6; font-weight: bold; text-align: center; }}
table.data th, table.data td {{ border: 0.5pt solid #000; padding: 1pt 3pt; vertical-align: top;
  overflow-wrap: anywhere; word-break: normal; }}
table.data thead {{ display: table-header-group; }}
table.data tr {{ break-inside: avoid; page-break-inside: avoid; }}
td.r {{ text-align: right; }} td.c {{ text-align: center; }} td.empty {{ text-align: center; font-style: italic; }}
.fig {{ text-align: center; margin-top: 6pt; break-inside: avoid; }}
.fig img {{ max-width: 100%; }}
.pb {{ break-before: page; page-break-before: always; height: 0; }}
.end .rcp {{ font-size: {recipients_pt}pt; margin: 0; text-indent: 0; text-align: left; }}
.end .sign {{ height: 70pt; }}
/* last: it overrides the rules above, of the same weight (round 30, ux38: placed before `.hp` and `.hp.b`, its 11pt
   lost to their 14–15pt and the letterhead ran 52 px past a 390 px phone's preview, «ĐẢNG CỘNG SẢN VIỆT NAM» cut;
   the motto's rule, 7,4 cm, held its cell 27 px too wide still: the letterhead's columns fixed there) */
@media screen and (max-width: 600px) {{ /* the preview on a phone: the page margins left 130 px of text */
  body {{ font-size: {min(size, 12)}pt; }} .sheet {{ padding: 4mm 3mm; }} p, h1, h2, h3 {{ text-align: left; }}
  .hp, .hp.b, table.hdr td.l .hp.b {{ font-size: 11pt; }} .rule {{ max-width: 90%; }}
  /* the motto's 7,4 cm rule no longer sets its cell's least width */ table.hdr {{ table-layout: fixed; }}
  /* words whole in the data tables: their columns, fixed in shares of 358 px, broke «Tuầ/n này», «+12/1,4%» (round
     30's walk; fix31); a table wider than the screen scrolls sideways by itself, not the page */
  table.data {{ display: block; overflow-x: auto; table-layout: auto; width: 100%; }}
  table.data th, table.data td {{ overflow-wrap: normal; }} }}
"""


def _runs(runs: list[Run]) -> str:
    out = []
    for r in runs:
        t = escape(r.text).replace("\n", "<br>")
        if r.bold:
            t = f"<b>{t}</b>"
        if r.italic:
            t = f"<i>{t}</i>"
        if r.url:
            t = f'<a href="{escape(r.url, quote=True)}">{t}</a>'
        out.append(t)
    return "".join(out)


def _cell(cell: Cell) -> str:
    return _runs(cell_runs(cell))


def _table(t: Table, size: int, max_rows: int | None) -> str:
    fsize = max(size + t.size_delta, 8)
    total = sum(c.width for c in t.columns) or 1.0
    cols = "".join(f'<col style="width:{100 * c.width / total:.2f}%">' for c in t.columns)
    head = "".join(f"<th>{escape(c.title)}</th>" for c in t.columns)
    cls = {"left": "", "center": ' class="c"', "right": ' class="r"'}
    aligns = [cls[c.align] for c in t.columns]
    rows = t.rows if max_rows is None else t.rows[:max_rows]
    body = []
    for row in rows:
        body.append("<tr>" + "".join(f"<td{a}>{_cell(c)}</td>" for a, c in zip(aligns, row)) + "</tr>")
    if not t.rows:
        body.append(f'<tr><td class="empty" colspan="{len(t.columns)}">{escape(t.empty_text)}</td></tr>')
    if max_rows is not None and len(t.rows) > max_rows:
        body.append(f'<tr><td class="empty" colspan="{len(t.columns)}">… còn {len(t.rows) - max_rows} dòng '
                    f"(xem trong tệp DOCX, XLSX, PDF)</td></tr>")
    cap = f'<p class="cap">{escape(t.caption)}</p>' if t.caption else ""
    return (f'{cap}<table class="data" style="font-size:{fsize}pt"><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _block(b: object, size: int, max_rows: int | None) -> str:
    if isinstance(b, Heading):
        return f"<h{b.level}>{escape(b.text)}</h{b.level}>"
    if isinstance(b, Para):
        cls = {"center": ' class="c"', "left": ' class="l"', "right": ' class="l"', "justify": ""}[b.align]
        styles = []
        if not b.indent and b.align == "justify":
            styles.append("text-indent:0")
        if b.size:
            styles.append(f"font-size:{b.size}pt")
        if b.space_before != 6:
            styles.append(f"margin-top:{b.space_before}pt")
        style = f' style="{";".join(styles)}"' if styles else ""
        return f"<p{cls}{style}>{_runs(b.runs)}</p>"
    if isinstance(b, Table):
        return _table(b, size, max_rows)
    if isinstance(b, Image):
        if b.png is None:
            return f"<p class='c'><i>{escape(b.missing_text)}</i></p>" if b.missing_text else ""
        data = base64.b64encode(b.png).decode("ascii")
        return (f'<div class="fig"><img style="width:{b.width_cm}cm" src="data:image/png;base64,{data}" '
                f'alt="{escape(b.caption, quote=True)}"><p class="imgcap">{escape(b.caption)}</p></div>')
    if isinstance(b, PageBreak):
        return '<div class="pb"></div>'
    return ""


def render_html(doc: Doc, *, size: int = 14, fonts: dict[str, Path] | None = None,
                max_rows: int | None = None) -> str:
    """The whole document as one HTML page. `max_rows` cuts long tables (dashboard preview)."""
    h = doc.header
    party = h.layout == "party"
    small = "hp" if party else "hm"
    hs = "hp" if party else "hs"
    parent, issuing = header_bodies(h.parent_body, h.issuing_body, h.layout)  # the DOCX's lines
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
        # no script can run even if some text escaped escaping; images are inline, fonts local files
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; "
        "style-src 'unsafe-inline'; font-src file: data:\">",
        f"<title>{escape(doc.meta_title or ' '.join(doc.title))}</title>"
        f"<style>{_css(size, fonts, 12 if doc.closing and doc.closing.layout == 'party' else 11)}</style></head>",
        "<body><div class='sheet'>",
        "<table class='hdr'><tr><td class='l'>",
        *(f"<div class='{hs}'>{escape(line)}</div>" for line in parent),
        *(f"<div class='{hs} b'>{escape(line)}</div>" for line in issuing),
        "<div class='hp'>*</div>" if party else "<div class='rule' style='width:2.4cm'></div>",
        "</td><td><div class='hp b'>ĐẢNG CỘNG SẢN VIỆT NAM</div><div class='rule' style='width:7.4cm'></div>"
        if party else "</td><td><div class='hs b'>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
        f"<div class='{small}'><span class='motto'>Độc lập - Tự do - Hạnh phúc</span></div>",
        "</td></tr>",
        f"<tr><td class='l'><div class='{small}' style='margin-top:6pt'>{escape(h.number)}</div></td>",
        f"<td><div class='{small} i' style='margin-top:6pt'>{escape(h.place_date)}</div></td></tr></table>",
    ]
    for i, line in enumerate(doc.title):
        parts.append(f"<p class='title{' first' if i == 0 else ''}'>{escape(line)}</p>")
    if doc.subtitle:
        parts.append(f"<p class='sub'>{escape(doc.subtitle)}</p>")
    parts.append("<div class='rule' style='width:4cm;margin-top:4pt'></div>")
    c = doc.closing
    # the closing sentence and the closing block go to a page together (as keepNext and cantSplit in the DOCX)
    last = doc.blocks[-1] if c is not None and doc.blocks and isinstance(doc.blocks[-1], Para) else None
    parts.extend(_block(b, size, max_rows) for b in (doc.blocks[:-1] if last is not None else doc.blocks))
    if last is not None:
        parts.append("<div class='keep'>" + _block(last, size, max_rows))
    if c is not None:
        recips = [*c.recipients, c.archive_line]
        lines = []
        for i, r in enumerate(recips):
            end = "" if r.endswith((".", ";")) else (";" if i < len(recips) - 1 else ".")
            lines.append(f"<p class='rcp'>- {escape(r)}{end}</p>")
        signer = "".join(f"<div class='b'>{escape(t.upper())}</div>" for t in c.signer_title)
        parts.append(
            "<table class='end' style='margin-top:12pt'><tr><td class='l'>"
            + ("<div class='ul' style='font-size:14pt'>Nơi nhận:</div>" if c.layout == "party"
               else "<div class='b i' style='font-size:12pt'>Nơi nhận:</div>") + "".join(lines) + "</td>"
            f"<td>{signer}<div class='sign'></div><div class='b'>{escape(c.signer_name)}</div></td></tr></table>"
        )
        if last is not None:
            parts.append("</div>")
    if doc.appendix:
        parts.append('<div class="pb"></div>')
        parts.extend(_block(b, size, max_rows) for b in doc.appendix)
    parts.append("</div></body></html>")
    return "".join(parts)
