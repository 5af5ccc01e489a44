"""How wide a line of capitals is in Times New Roman, so a header block breaks where a clerk would break it.

    header_lines("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", 7.6, 12, bold=True) → ["SỞ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"]
    header_lines("BAN TUYÊN GIÁO VÀ DÂN VẬN THÀNH ỦY HẢI PHÒNG", 7.6, 14, bold=True)
        → ["BAN TUYÊN GIÁO VÀ DÂN VẬN", "THÀNH ỦY HẢI PHÒNG"]

The issuing body of a Decree 30 document is 12 pt bold capitals in the header's left block (7.6 cm). «SỞ VĂN HÓA,
THỂ THAO VÀ DU LỊCH», the state example of the settings, is 7.71 cm: Word, LibreOffice and Chromium each broke it
before its last word and printed «LỊCH» alone on a second line (round 22). Decree 30 lets a long name run over
several lines; they should be balanced lines broken between words, as the seeds' headers are. The widths are Times
New Roman's advance widths (Adobe's Times-Roman and Times-Bold metrics; Liberation Serif, the PDF's font, has the
same), per 1,000 units of the font size; a Vietnamese capital is as wide as its base letter, except Ư.
"""

from __future__ import annotations

import unicodedata
from itertools import combinations

PT_PER_CM = 72 / 2.54
_PUNCT = {" ": 250, ",": 250, ".": 250, "-": 333, "(": 333, ")": 333, "/": 278, "&": 800, "'": 300, ":": 300}
_DIGIT = 500
_REGULAR = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
                                                  722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611)))
_BOLD = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944,
                                               722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667)))
_WIDER = {"Ư": (776, 796)}  # the horn reaches past the U: (regular, bold)
_OTHER = 560  # a letter outside the table (lower case, another script): about an average capital, on the safe side


def char_units(ch: str, bold: bool) -> int:
    if ch in _WIDER:
        return _WIDER[ch][bold]
    if ch in _PUNCT:
        return _PUNCT[ch]
    if ch.isdigit():
        return _DIGIT
    base = "D" if ch == "Đ" else unicodedata.normalize("NFD", ch)[0]
    return (_BOLD if bold else _REGULAR).get(base, _OTHER)


def width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    return sum(char_units(c, bold) for c in text) * size_pt / 1000


def fits(text: str, width_cm: float, size_pt: float, bold: bool = False) -> bool:
    return width_pt(text, size_pt, bold) <= width_cm * PT_PER_CM


# A line may begin with these: the next body of a name («… THÀNH ỦY HẢI PHÒNG») or its «VÀ». Breaking elsewhere can
# split a word of two syllables («THỂ | THAO»), so a break after a comma or before one of these wins over width.
BREAK_BEFORE = frozenset({"VÀ", "TỈNH", "THÀNH", "HUYỆN", "QUẬN", "PHƯỜNG", "XÃ", "ĐẶC", "UBND", "ỦY", "SỞ", "BAN",
                          "CỤC", "CHI", "PHÒNG", "TRUNG", "ĐẢNG"})


def _good_break(before: str, after: str) -> bool:
    return before.endswith(",") or after in BREAK_BEFORE


def header_lines(text: str, width_cm: float, size_pt: float, bold: bool = False, most: int = 3) -> list[str]:
    """`text` on one line if it fits `width_cm`, else on the fewest lines (up to `most`) that fit, broken between
    words: after a comma or before a body's name or «VÀ» first, then so that the widest line is as narrow as it can
    be. A text that fits on no such lines is left as it is, for the word processor to wrap."""
    words = text.split()
    if fits(text, width_cm, size_pt, bold) or len(words) < 2:
        return [text]
    room = width_cm * PT_PER_CM
    for n in range(2, min(most, len(words)) + 1):
        best: tuple[int, float] | None = None
        chosen: list[str] = []
        for cuts in combinations(range(1, len(words)), n - 1):
            bounds = (0, *cuts, len(words))
            lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
            widest = max(width_pt(x, size_pt, bold) for x in lines)
            if widest > room:
                continue
            key = (sum(not _good_break(words[c - 1], words[c]) for c in cuts), round(widest, 1))
            if best is None or key < best:
                best, chosen = key, lines
        if chosen:
            return chosen
    return [text]


HEADER_LEFT_CM = 7.6  # the header's left block: the bodies and the number (DOCX table column, the PDF's 46%)


def body_size(layout: str) -> int:
    """The bodies' size in the header: 14 pt under 36-HD/VPTW, 12 pt (12–13) under Decree 30."""
    return 14 if layout == "party" else 12


def header_bodies(parent_body: str, issuing_body: str, layout: str) -> tuple[list[str], list[str]]:
    """The superior body (regular) and the issuing body (bold) in capitals, each on the lines it takes in the left
    block; the DOCX and the PDF draw the same lines."""
    size = body_size(layout)
    parent = header_lines(parent_body.upper(), HEADER_LEFT_CM, size) if parent_body else []
    return parent, header_lines(issuing_body.upper(), HEADER_LEFT_CM, size, bold=True)
