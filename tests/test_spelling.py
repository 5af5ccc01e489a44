"""One spelling of «xóa», «khóa», «tùy», «hóa» in every string staff read (UI, CLI help and messages, reports).

Vietnamese places the tone mark of «oa», «oe», «uy» two ways, «xoá»/«xóa», «tuỳ»/«tùy»; both are correct, and the
dashboard and the CLI used both, even side by side («TỪ_KHOÁ» over «từ khóa»; ux21's walk, round 21). Counted in
the strings of dashboard/ and langnghe/ that round: the mark on the main vowel («óa», «ùy») 55 times, the other
29, so every string writes it so. `nlp/` is left out: its word lists hold text as it is written in the wild.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "langnghe", "orchestration", "collectors", "reports", "notify", "detection", "surveys",
            "store", "vocab", "devtools", "scripts", "bench", "demo")
# «oá», «uỳ»… closing a syllable (not «hoán», «toàn», where the mark is on «a» either way), nor «quý» («qu» + «ý»)
OLD_FORM = re.compile(r"(?<![qQ])(?:[oO][áàảãạéèẻẽẹÁÀẢÃẠÉÈẺẼẸ]|[uU][ýỳỷỹỵÝỲỶỸỴ])(?![^\W\d_])")


def old_forms(source: str) -> list[tuple[int, str]]:
    """(line, word) of every old-style syllable in the string literals of a Python source."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            found += [(tok.start[0], m.group(0)) for m in re.finditer(r"\w*(?:" + OLD_FORM.pattern + r")\w*", tok.string)]
    return found


def test_the_checker_tells_the_forms_apart():
    src = 'a = "Xoá nguồn", "tuỳ chọn", "TỪ_KHOÁ", "mã hoá"\nb = "xóa", "tùy", "quý", "hoán đổi", "toàn", "khóa"\n'
    assert [w for _, w in old_forms(src)] == ["Xoá", "tuỳ", "TỪ_KHOÁ", "hoá"]


def source_old_forms(source: str) -> list[tuple[int, str]]:
    """`old_forms`, tokenizing only a source that holds an old form anywhere: a string literal is a piece of the
    source with the same letters around any match, so a file without one has none in its strings (tokenizing the
    ~280 files cost 2 s of CPU a run, one search 0.15 s; round 24)."""
    return old_forms(source) if OLD_FORM.search(source) else []


def test_the_checker_reads_a_whole_file():
    assert source_old_forms('x = 1  # Xoá\n') == [] and source_old_forms('x = "tùy"\n') == []
    assert source_old_forms('x = 1\ny = f"Xoá {x}"\n') == [(2, "Xoá")]


def test_ui_and_cli_strings_use_one_form():
    bad = [f"{p.relative_to(ROOT)}:{line}: {word}" for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
           for line, word in source_old_forms(p.read_text(encoding="utf-8"))]
    assert not bad, "viết «xóa, khóa, tùy, hóa» (dấu trên nguyên âm chính):\n" + "\n".join(bad)
