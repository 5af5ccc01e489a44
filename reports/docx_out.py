"""Doc → DOCX (python-docx), laid out after Hướng dẫn 36-HD/VPTW (Party) or Decree 30/2020/NĐ-CP
(state), as the Doc's header says.

A4, margins top/bottom 2 cm, left 3 cm, right 1.5 cm (Decree 30's least; 36-HD/VPTW's are the same); the configured font (Times New Roman) everywhere;
page numbers centred in the top margin from page 2. Header and closing are borderless two-column
tables. Body paragraphs and tables are written as WordprocessingML directly (one parse per table),
so an appendix of tens of thousands of rows takes about a second; links are real w:hyperlink elements.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

from reports.document import Cell, Doc, Heading, Image, PageBreak, Para, Run, Table, cell_runs, clean
from reports.partfile import written_through_part
from reports.textwidth import HEADER_LEFT_CM, body_size, header_bodies

TEXT_WIDTH_CM = 21.0 - 3.0 - 1.5  # A4 minus left and right margins
LANG = "vi-VN"  # the text's language, for Word's spelling, grammar and hyphenation
_TW_PER_CM = 567  # twips


def _at_least_mm(mm: float) -> Twips:
    """A length of at least `mm` in the twips Word stores (1,440 to the inch)."""
    return Twips(math.ceil(mm / 25.4 * 1440))


def _tw(cm: float) -> int:
    return int(round(cm * _TW_PER_CM))


def _t(text: str) -> str:
    """Runs' text with line breaks as <w:br/>."""
    parts = escape(text).split("\n")
    return '</w:t><w:br/><w:t xml:space="preserve">'.join(parts)


class _Writer:
    def __init__(self, font: str, size: int):
        self.doc = Document()
        self.font = font
        self.size = size
        self.part = self.doc.part
        self._link_ids: dict[str, str] = {}
        self._n = 0
        self._setup()

    # ------------------------------------------------------------------ setup
    def _fonts_el(self, rpr) -> None:  # type: ignore[no-untyped-def]
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
            rpr.insert(0, rfonts)
        for a in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            rfonts.attrib.pop(qn(f"w:{a}"), None)
        for a in ("ascii", "hAnsi", "cs", "eastAsia"):
            rfonts.set(qn(f"w:{a}"), self.font)

    def _vietnamese(self, rpr_default) -> None:  # type: ignore[no-untyped-def]
        """Text marked Vietnamese: python-docx's template says en-US, so Word spell-checked every Vietnamese word
        as misspelt English (red underlines over the whole report) and offered English hyphenation."""
        lang = rpr_default.find(qn("w:lang"))
        if lang is None:
            lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
            rpr_default.append(lang)
        for a in ("val", "eastAsia"):
            lang.set(qn(f"w:{a}"), LANG)
        theme_lang = self.doc.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), LANG)

    def _setup(self) -> None:
        doc = self.doc
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        # Decree 30's least margins, rounded up to whole twips: Cm(1.5) is stored as 850 twips, 14.99 mm (round 22)
        sec.top_margin, sec.bottom_margin = _at_least_mm(20), _at_least_mm(20)
        sec.left_margin, sec.right_margin = _at_least_mm(30), _at_least_mm(15)
        sec.header_distance, sec.footer_distance = Cm(1.0), Cm(1.0)
        # docDefaults carry theme fonts (Calibri); replace them so every run is the configured font.
        styles_el = doc.styles.element
        rpr_default = styles_el.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr_default is not None:
            self._fonts_el(rpr_default)
            self._vietnamese(rpr_default)
        normal = doc.styles["Normal"]
        normal.font.name = self.font
        normal.font.size = Pt(self.size)
        self._fonts_el(normal.element.get_or_add_rPr())
        pf = normal.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0
        for lvl, (bold, italic) in {1: (True, False), 2: (True, False), 3: (False, True)}.items():
            st = doc.styles[f"Heading {lvl}"]
            st.font.name, st.font.size, st.font.bold, st.font.italic = self.font, Pt(self.size), bold, italic
            st.font.color.rgb = None
            rpr = st.element.get_or_add_rPr()
            self._fonts_el(rpr)
            color = rpr.find(qn("w:color"))
            if color is not None:
                rpr.remove(color)
            st.paragraph_format.space_before, st.paragraph_format.space_after = Pt(6), Pt(0)
            st.paragraph_format.first_line_indent = Cm(1.0)
            st.paragraph_format.keep_with_next = True
        # page number centred in the top margin, not on the first page
        sec.different_first_page_header_footer = True
        hp = sec.header.paragraphs[0]
        hp.alignment = 1
        hp._p.append(parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="{self.size * 2}"/></w:rPr>'
            f"<w:t>2</w:t></w:r></w:fldSimple>"
        ))

    # ------------------------------------------------------------------ xml pieces
    def _link_rid(self, url: str) -> str:
        rid = self._link_ids.get(url)
        if rid is None:
            rid = f"rIdL{len(self._link_ids) + 1}"
            self.part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._link_ids[url] = rid
        return rid

    def _run_xml(self, r: Run, size: int) -> str:
        props = []
        if r.bold:
            props.append("<w:b/><w:bCs/>")
        if r.italic:
            props.append("<w:i/><w:iCs/>")
        if r.url:
            props.append('<w:color w:val="0563C1"/><w:u w:val="single"/>')
        if size and size != self.size:
            props.append(f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>')
        rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{_t(r.text)}</w:t></w:r>'
        if r.url:
            return f'<w:hyperlink r:id="{self._link_rid(r.url)}" w:history="1">{run}</w:hyperlink>'
        return run

    @staticmethod
    def _ppr(align: str = "both", indent_cm: float = 0.0, before: int = 0, after: int = 0, extra: str = "",
             style: str = "") -> str:
        jc = {"justify": "both", "center": "center", "left": "left", "right": "right", "both": "both"}[align]
        st = f'<w:pStyle w:val="{style}"/>' if style else ""
        ind = f'<w:ind w:firstLine="{_tw(indent_cm)}"/>' if indent_cm else '<w:ind w:firstLine="0"/>'
        return (f'<w:pPr>{st}{extra}<w:spacing w:before="{before * 20}" w:after="{after * 20}"/>{ind}'
                f'<w:jc w:val="{jc}"/></w:pPr>')

    def _append(self, xml: str) -> None:
        el = parse_xml(xml)
        self.doc.element.body.find(qn("w:sectPr")).addprevious(el)

    def _append_p(self, p_xml: str) -> None:
        """Append a bare '<w:p>…' fragment (namespaces declared here)."""
        self._append(p_xml.replace("<w:p>", f"<w:p {nsdecls('w', 'r')}>", 1))

    # ------------------------------------------------------------------ blocks
    def para(self, p: Para) -> None:
        size = p.size or self.size
        runs = "".join(self._run_xml(r, size) for r in p.runs)
        self._append(f"<w:p {nsdecls('w', 'r')}>{self._ppr(p.align, 1.0 if p.indent else 0.0, p.space_before)}"
                     f"{runs}</w:p>")

    def heading(self, h: Heading) -> None:
        self._append(
            f"<w:p {nsdecls('w', 'r')}>"
            f"<w:pPr><w:pStyle w:val=\"Heading{h.level}\"/><w:jc w:val=\"both\"/></w:pPr>"
            f'<w:r><w:t xml:space="preserve">{_t(h.text)}</w:t></w:r></w:p>'
        )

    def short_rule(self, width_cm: float, total_cm: float) -> str:
        """An empty tiny paragraph whose top border is a centred line `width_cm` long."""
        side = max((total_cm - width_cm) / 2, 0)
        return (f'<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
                f'<w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>'
                f'<w:ind w:left="{_tw(side)}" w:right="{_tw(side)}" w:firstLine="0"/></w:pPr>'
                f'<w:r><w:rPr><w:sz w:val="4"/></w:rPr><w:t></w:t></w:r></w:p>')

    def table(self, t: Table) -> None:
        size = max(self.size + t.size_delta, 8)
        total = sum(c.width for c in t.columns) or 1.0
        widths = [_tw(TEXT_WIDTH_CM * c.width / total) for c in t.columns]
        if t.caption:
            runs = self._run_xml(Run(t.caption, italic=True), size)
            self._append(f"<w:p {nsdecls('w', 'r')}>{self._ppr('left', before=6, extra='<w:keepNext/>')}{runs}</w:p>")
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                          for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [
            f"<w:tbl {nsdecls('w', 'r')}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/>"
            f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            f"<w:tblCellMar><w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar>"
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        sz = f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
        head = []
        for c, w in zip(t.columns, widths):
            head.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>'
                f'<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p>{self._ppr("center")}<w:r><w:rPr><w:b/><w:bCs/>{sz}</w:rPr>'
                f'<w:t xml:space="preserve">{_t(clean(c.title))}</w:t></w:r></w:p></w:tc>'
            )
        out.append(f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{''.join(head)}</w:tr>")
        aligns = [{"left": "left", "center": "center", "right": "right"}[c.align] for c in t.columns]
        if not t.rows:
            out.append(
                f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{sum(widths)}" w:type="dxa"/><w:gridSpan w:val="{len(widths)}"/>'
                f'</w:tcPr><w:p>{self._ppr("center")}<w:r><w:rPr><w:i/>{sz}</w:rPr>'
                f'<w:t xml:space="preserve">{_t(clean(t.empty_text))}</w:t></w:r></w:p></w:tc></w:tr>'
            )
        ppr = [self._ppr(a) for a in aligns]
        for row in t.rows:
            cells = []
            for i, (cell, w) in enumerate(zip(row, widths)):
                runs = "".join(self._run_xml(r, size) for r in cell_runs(cell))
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>{ppr[i]}{runs}</w:p></w:tc>')
            out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
        out.append("</w:tbl>")
        self._append("".join(out))
        # a table directly followed by another needs a paragraph between them
        self._append(f"<w:p {nsdecls('w')}>{self._ppr('left')}<w:r><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:r></w:p>")

    def image(self, im: Image) -> None:
        if im.png is None:
            if im.missing_text:
                self.para(Para([Run(im.missing_text, italic=True)], align="center", indent=False))
            return
        p = self.doc.add_paragraph()
        p.alignment = 1
        p.paragraph_format.space_before = Pt(6)
        p.add_run().add_picture(io.BytesIO(im.png), width=Cm(min(im.width_cm, TEXT_WIDTH_CM)))
        self.para(Para([Run(im.caption, italic=True)], align="center", indent=False, size=self.size - 2,
                       space_before=2))

    def page_break(self) -> None:
        self._append(f'<w:p {nsdecls("w")}><w:r><w:br w:type="page"/></w:r></w:p>')

    # ------------------------------------------------------------------ layout pieces
    def _cell(self, width_tw: int, paras: list[str]) -> str:
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width_tw}" w:type="dxa"/></w:tcPr>'
                f"{''.join(paras) or '<w:p/>'}</w:tc>")

    def _p(self, text: str, *, size: int, bold: bool = False, italic: bool = False, underline: bool = False,
           align: str = "center", before: int = 0) -> str:
        props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "") + \
                ('<w:u w:val="single"/>' if underline else "") + f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
        return (f"<w:p>{self._ppr(align, before=before)}<w:r><w:rPr>{props}</w:rPr>"
                f'<w:t xml:space="preserve">{_t(clean(text))}</w:t></w:r></w:p>')

    def _grid_table(self, widths: list[int], rows: list[list[list[str]]]) -> None:
        nil = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        # a row never breaks across pages: Nơi nhận and the signing block stay whole, on the page that is signed
        trs = "".join("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(self._cell(w, c) for w, c in zip(widths, r))
                      + "</w:tr>" for r in rows)
        self._append(
            f"<w:tbl {nsdecls('w', 'r')}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/>"
            f"<w:jc w:val=\"center\"/><w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            f"<w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar>"
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>"
        )

    def header(self, doc: Doc) -> None:
        """Decree 30: body | national name and motto; 36-HD/VPTW: body and "*" | ĐẢNG CỘNG SẢN VIỆT NAM and a
        rule as long as it. The number sits under the body, the place and date (italic) top right."""
        h = doc.header
        party = h.layout == "party"
        left_cm, right_cm = HEADER_LEFT_CM, TEXT_WIDTH_CM - HEADER_LEFT_CM
        small = 13 if self.size >= 13 else self.size
        hsize = body_size(h.layout)
        parent, issuing = header_bodies(h.parent_body, h.issuing_body, h.layout)  # long names on balanced lines
        left = [self._p(line, size=hsize) for line in parent]
        left += [self._p(line, size=hsize, bold=True) for line in issuing]
        if party:
            left.append(self._p("*", size=hsize))
            right = [self._p("ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True), self.short_rule(7.4, right_cm)]
        else:
            left.append(self.short_rule(2.4, left_cm))
            right = [self._p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True),
                     self._p("Độc lập - Tự do - Hạnh phúc", size=small, bold=True, underline=True)]
        self._grid_table([_tw(left_cm), _tw(right_cm)], [
            [left, right],
            [[self._p(h.number, size=hsize if party else small, before=6)],
             [self._p(h.place_date, size=hsize if party else small, italic=True, before=6)]],
        ])
        for i, line in enumerate(doc.title):
            self._append_p(self._p(line, size=self.size, bold=True, before=18 if i == 0 else 0))
        if doc.subtitle:
            self._append_p(self._p(doc.subtitle, size=self.size, italic=True))
        self._append_p(self.short_rule(4.0, TEXT_WIDTH_CM).replace('w:before="0"', 'w:before="80"', 1))

    def closing(self, doc: Doc) -> None:
        """Nơi nhận at the left (36-HD/VPTW: underlined; Decree 30: bold italic), the signing block at the right."""
        c = doc.closing
        if c is None:
            return
        party = c.layout == "party"
        left = [self._p("Nơi nhận:", size=14 if party else 12, bold=not party, italic=not party, underline=party,
                        align="left", before=12)]
        recips = [*c.recipients, c.archive_line]
        for i, r in enumerate(recips):
            end = "" if r.endswith((".", ";")) else (";" if i < len(recips) - 1 else ".")
            left.append(self._p(f"- {r}{end}", size=12 if party else 11, align="left"))
        right = [self._p(line.upper(), size=self.size, bold=True, before=12 if i == 0 else 0)
                 for i, line in enumerate(c.signer_title)]
        right += [self._p("", size=self.size) for _ in range(4)]
        right.append(self._p(c.signer_name or "", size=self.size, bold=True))
        self._keep_last_para_with_next()
        self._grid_table([_tw(8.0), _tw(TEXT_WIDTH_CM - 8.0)], [[left, right]])

    def _keep_last_para_with_next(self) -> None:
        """The closing sentence ("Trên đây là báo cáo …") goes to the next page with the signing block rather than
        leaving a page with only the signature on it."""
        body = self.doc.element.body
        last = body.find(qn("w:sectPr")).getprevious()
        if last is None or last.tag != qn("w:p"):
            return
        ppr = last.find(qn("w:pPr"))
        if ppr is None:
            ppr = parse_xml(f"<w:pPr {nsdecls('w')}/>")
            last.insert(0, ppr)
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, parse_xml(f"<w:keepNext {nsdecls('w')}/>"))

    def block(self, b: object) -> None:
        if isinstance(b, Heading):
            self.heading(b)
        elif isinstance(b, Para):
            self.para(b)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Image):
            self.image(b)
        elif isinstance(b, PageBreak):
            self.page_break()


CORE_MAX = 255  # python-docx refuses a longer core property (title, author): ValueError


def core_text(text: str) -> str:
    """A core property's text within CORE_MAX characters: a rapid report's title is the story's, which can be a
    whole sentence of 300+ characters, and raised before the document was written (walk 6: no DOCX, a traceback)."""
    text = clean(text)
    return text if len(text) <= CORE_MAX else text[: CORE_MAX - 1].rstrip() + "…"


def _properties(document, doc: Doc) -> None:  # type: ignore[no-untyped-def]
    """File properties (Word's Thông tin / Thuộc tính, the file manager's columns) as the report's own: python-docx's
    template left the comment "generated by python-docx", a creation date of 23/12/2013 and a blank page as the
    preview picture."""
    props = document.core_properties
    props.title = core_text(doc.meta_title or " ".join(doc.title))
    props.author = props.last_modified_by = core_text(doc.header.issuing_body)
    props.comments = props.subject = props.keywords = props.category = ""
    props.language = LANG
    props.revision = 1
    if doc.created is not None:
        props.created = props.modified = doc.created
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def write_docx(doc: Doc, path: str | Path, *, font: str = "Times New Roman", size: int = 14) -> Path:
    w = _Writer(font, size)
    _properties(w.doc, doc)
    w.header(doc)
    for b in doc.blocks:
        w.block(b)
    w.closing(doc)
    if doc.appendix:
        w.page_break()
        for b in doc.appendix:
            w.block(b)
    path = Path(path)
    with written_through_part(path) as tmp:  # a failed save left a truncated .docx at the real name
        w.doc.save(str(tmp))
    return path


__all__ = ["write_docx", "Cell"]
