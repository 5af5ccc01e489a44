"""An XLSX judged from its zip directory before openpyxl opens it: too big, too many parts, or not a workbook.

    stream ─_check_zip_directory─▶ the end record (last 64 KB + 22 bytes, a bounded read): no record ─▶
        │                           not a zip; more than ZIP_MAX_PARTS parts or a huge directory ─▶ refused
        ▼
    zipfile's infolist ─_check_is_workbook─▶ no xl/ part: said what it is (DOCX, PPTX, ODS, a plain ZIP)
        ▼
    declared sizes: all parts ≤ [imports] max_uncompressed_mb
        ▼
    [Content_Types] and every .rels (≤ max_xlsx_part_mb, through _check_parts) ─_streamed_parts─▶ the sheets and
        shared strings openpyxl streams; every other part (styles, the workbook…, whatever its name) ≤ max_xlsx_part_mb
        ▼
    each other part through expat ─_check_parts─▶ a <!DOCTYPE> (entities) in any part's prolog, or elements open
        more than MAX_XML_DEPTH deep in any part ─▶ refused

zipfile stops at the declared size, so a forged size only fails the CRC later: the declared sizes are enough.
The sizes bound the bytes, not what the XML parser makes of them: openpyxl reads sheets and shared strings with
the standard library's expat, which expands an internal entity wherever it is referenced (expat's own guard
allows a hundredfold), so a 13 KB file of `&e;` made a 1,000,000,000-character cell and 2.3 GB (round 22). Excel,
LibreOffice and every writer we know put no DTD in a workbook part, so any is refused before openpyxl opens it.
expat keeps no depth limit either, and openpyxl's iterparse holds every open element: 3,000,000 elements nested in
one cell (22 KB on disk, 21 MB of sheet) took 925 MB and 47 s. Every part is judged, not only those named
xl/worksheets/* and xl/sharedStrings.xml: openpyxl opens the sheet the workbook's relationships name and the shared
strings [Content_Types] names, whatever their names (round 22 review).
"""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, BinaryIO

from collectors.imports.caps import ZIP_MAX_PARTS
from collectors.imports.errors import ImportFormatError, ImportLimitError, unreadable_xlsx
from collectors.textutil import tidy
from vocab.config import ImportsConfig
from vocab.numbers import fmt_num

if TYPE_CHECKING:
    from openpyxl.packaging.manifest import Manifest

# Elements open inside each other in any part (a sheet, the shared strings…): a cell's rich text is about 8 deep
# (worksheet/sheetData/row/c/is/r/rPr/…); a constant, not a setting: past it memory grows with the depth.
MAX_XML_DEPTH = 64
_CONTENT_TYPES = "[Content_Types].xml"  # openpyxl's ARC_CONTENT_TYPES: the one part every workbook has by name


def check_zip(stream: BinaryIO, limits: ImportsConfig) -> None:
    """Refuse a zip (XLSX) whose parts would unzip past the limits, from the sizes it declares; its
    directory is read only when the end record says it is small."""
    import zipfile

    _check_zip_directory(stream)
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable_xlsx(type(exc).__name__) from None
    with zf:  # the directory read once, for every check below (up to ZIP_MAX_PARTS entries)
        _check_opened(zf, limits)
    stream.seek(0)


def _check_opened(zf: "zipfile.ZipFile", limits: ImportsConfig) -> None:
    """check_zip's checks of a zip whose directory was read: the declared sizes, then every part's XML."""
    infos = zf.infolist()
    _check_is_workbook([i.filename for i in infos])
    total = sum(i.file_size for i in infos)
    limit_mb = limits.max_uncompressed_mb
    if total > limit_mb * 1e6:
        raise ImportLimitError(f"Tệp XLSX khi giải nén chiếm {fmt_num(total / 1e6, 2)} MB, quá giới hạn "
                               f"{fmt_num(limit_mb, 2)} MB (imports.max_uncompressed_mb). Hãy chia nhỏ tệp hoặc xuất sang CSV.")
    control = [i for i in infos if _is_control(i)]
    for i in control:  # what _streamed_parts parses whole: capped and judged first
        _check_part_size(i, limits)
    _check_parts(zf, control)
    streamed = _streamed_parts(zf, infos)
    for i in infos:
        if i.filename not in streamed:
            _check_part_size(i, limits)
    _check_parts(zf, [i for i in infos if not _is_control(i)])  # sizes first: a size refusal stays cheap


def _is_control(info: "zipfile.ZipInfo") -> bool:
    """[Content_Types] or a .rels: a part _streamed_parts parses whole to learn what openpyxl streams."""
    return info.filename == _CONTENT_TYPES or info.filename.endswith(".rels")


def _check_part_size(info: "zipfile.ZipInfo", limits: ImportsConfig) -> None:
    """A part openpyxl parses whole (or holds whole) past [imports] max_xlsx_part_mb is refused."""
    if info.file_size > limits.max_xlsx_part_mb * 1e6:
        raise ImportLimitError(f"Phần «{tidy(info.filename)[:80]}» của tệp XLSX khi giải nén chiếm "
                               f"{fmt_num(info.file_size / 1e6, 1)} MB, quá giới hạn "
                               f"{fmt_num(limits.max_xlsx_part_mb, 1)} MB cho phần này (imports.max_xlsx_part_mb).")


def _streamed_parts(zf: "zipfile.ZipFile", infos: list["zipfile.ZipInfo"]) -> set[str]:
    """The parts openpyxl (read-only) streams, so spared max_xlsx_part_mb: the sheets the workbook's
    relationships name as worksheets and the part [Content_Types] names as shared strings, found as openpyxl
    finds them (its own Manifest and get_dependents), not by name: a workbook part moved to
    xl/worksheets/workbook.xml passed for a sheet (round 22 review). A part any other relationship points to, or
    one openpyxl reads by a fixed name, is read whole however it is also named: never spared. The parts parsed
    here ([Content_Types], the .rels) are never spared: check_zip capped and judged them (_check_parts) first."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.constants import (ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, ARC_THEME,
                                        SHARED_STRINGS)
    from openpyxl.xml.functions import fromstring

    rels_parts = sorted(i.filename for i in infos if i.filename.endswith(".rels"))
    try:
        manifest = Manifest.from_tree(fromstring(zf.read(ARC_CONTENT_TYPES)))
        workbook = workbook_part(manifest)
        strings = manifest.find(SHARED_STRINGS)
        spared = {strings.PartName[1:]} if strings is not None else set()
        whole = {ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, ARC_THEME, workbook, *rels_parts}
        for rels in rels_parts:
            for rel in get_dependents(zf, rels):
                if rel.TargetMode == "External" or rel.Type.endswith("/sharedStrings"):
                    continue  # openpyxl finds the shared strings by [Content_Types], never by a relationship
                if rel.Type.endswith("/worksheet") and rels == get_rels_path(workbook):
                    spared.add(rel.target)
                else:
                    whole.add(rel.target)
    except Exception as exc:  # no [Content_Types] or workbook part, broken XML: openpyxl could not read it either
        raise unreadable_xlsx(type(exc).__name__) from None
    return spared - whole


def workbook_part(manifest: "Manifest") -> str:
    """The workbook part's name as openpyxl's reader finds it, from the public `Manifest` of [Content_Types]: the
    first Override of a workbook type (.xltm, .xltx, .xlsm, .xlsx), else xl/workbook.xml when a Default claims a
    workbook type. Until round 23 this called openpyxl's private `reader.excel._find_workbook_part`;
    tests/collectors/test_openpyxl_pins.py fails if openpyxl's own answer ever differs. OSError: no workbook part."""
    from openpyxl.xml.constants import ARC_WORKBOOK, XLSM, XLSX, XLTM, XLTX

    kinds = (XLTM, XLTX, XLSM, XLSX)
    for kind in kinds:
        part = manifest.find(kind)
        if part:
            return str(part.PartName[1:])
    if {d.ContentType for d in manifest.Default} & set(kinds):
        return ARC_WORKBOOK
    raise OSError("File contains no valid workbook part")


class _Refused(Exception):
    """Raised from expat's handlers to stop reading a part: `why` says what was found."""

    def __init__(self, why: str) -> None:
        self.why = why


def _check_parts(zf: "zipfile.ZipFile", infos: list["zipfile.ZipInfo"]) -> None:
    """Refuse a workbook with a document type declaration in any part (the door of entity expansion), or nested
    past MAX_XML_DEPTH in any part (which one openpyxl streams with expat is for its relationships and
    [Content_Types] to say, not the part's name). A part that is no XML (a picture) stops at once."""
    import zipfile
    import zlib

    try:
        for info in infos:
            why = None if info.is_dir() else _part_problem(zf, info)
            if why:
                raise ImportFormatError(
                    f"Tệp XLSX có {why} trong phần «{tidy(info.filename)[:80]}»: Excel không bao giờ ghi như vậy, "
                    "tệp có thể được tạo để làm treo máy. Hãy mở bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx "
                    "hoặc CSV UTF-8 rồi nhập lại.")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error) as exc:
        raise unreadable_xlsx(type(exc).__name__) from None


def _part_problem(zf: "zipfile.ZipFile", info: "zipfile.ZipInfo") -> str | None:
    """What is wrong with one part, in Vietnamese, or None: read to its end (the sizes above bound it)."""
    from xml.parsers import expat

    depth = 0

    def doctype(*_: object) -> None:
        raise _Refused("khai báo kiểu tài liệu (<!DOCTYPE>, thực thể XML; kiểu billion laughs)")

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _Refused(f"thẻ XML lồng nhau quá sâu (hơn {MAX_XML_DEPTH} tầng)")

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with zf.open(info) as part:
        try:
            while chunk := part.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Refused as stop:
            return stop.why
        except expat.ExpatError:  # not XML (an image, a binary part), or broken: openpyxl says so itself
            return None
        except (LookupError, ValueError):  # its XML declaration names an encoding pyexpat cannot use ("bogus",
            # "rot13", "utf-32"; UnicodeError is a ValueError): no workbook writer does, and it escaped as no
            # ImportFormatError (round 22 review)
            return "khai báo bảng mã XML không đọc được"
    return None


# what a zip named .xlsx turns out to be, from a part only that format has → how staff are told
_NOT_A_WORKBOOK = (("word/document.xml", "một văn bản Word (DOCX) đổi tên thành .xlsx"),
                   ("ppt/presentation.xml", "một tệp PowerPoint (PPTX) đổi tên thành .xlsx"),
                   ("content.xml", "một tệp OpenDocument (LibreOffice: ODS/ODT) đổi tên thành .xlsx"))


def _check_is_workbook(names: list[str]) -> None:
    """An ImportFormatError saying what the zip is when it holds no workbook (no xl/ part): openpyxl said only
    «KeyError» (a zip of other files) or «OSError» (a DOCX)."""
    lower = {n.lower() for n in names}
    if any(n.startswith("xl/") for n in lower):
        return
    what = next((said for part, said in _NOT_A_WORKBOOK if part in lower), "một tệp nén ZIP thường đổi tên thành .xlsx")
    shown = ", ".join(tidy(n)[:60] for n in sorted(names)[:5]) + (" …" if len(names) > 5 else "")
    raise ImportFormatError(f"Tệp này không phải bảng tính Excel mà là {what} (trong tệp có: {shown or 'không có gì'}). "
                            "Hãy mở bảng tính bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx hoặc CSV UTF-8.")


def _check_zip_directory(stream: BinaryIO) -> None:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(max(0, size - (1 << 16) - 22))
    tail = stream.read((1 << 16) + 22)  # bounded: a stream whose end is unknown (a device) never ends
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise unreadable_xlsx("không có mục lục zip")
    parts, dir_size = struct.unpack_from("<HI", tail, at + 10)
    if parts > ZIP_MAX_PARTS or dir_size > ZIP_MAX_PARTS * 1024:
        raise ImportLimitError(f"Tệp XLSX có {fmt_num(parts)} phần, quá giới hạn {fmt_num(ZIP_MAX_PARTS)} phần.")
