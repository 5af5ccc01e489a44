"""References between the docs' sections still lead somewhere: NLP.md was split (the round-by-round record moved
to NLP_ROUNDS.md) and a '"Third round" below' that no longer exists sends a maintainer looking for nothing."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
_QUOTED_HERE = re.compile(r'"([^"\n]{3,90})"\)?\s+(?:below|above)\b')


def _headings(text: str) -> list[str]:
    return [h.lstrip("#").strip() for h in re.findall(r"^#+ .*$", text, re.M)]


def _is_heading(name: str, headings: list[str]) -> bool:
    return any(h.startswith(name.rstrip("…")) for h in headings)


def test_sections_said_to_be_below_or_above_are_in_the_same_doc() -> None:
    bad = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        heads = _headings(text)
        bad += [(doc.name, q) for q in _QUOTED_HERE.findall(text) if not _is_heading(q, heads)]
    assert not bad, bad


def test_nlp_md_names_nlp_rounds_md_for_the_sections_that_moved_there() -> None:
    """A section quoted in NLP.md that only NLP_ROUNDS.md has: the same sentence says where it is."""
    text = (DOCS / "NLP.md").read_text(encoding="utf-8")
    here, moved = _headings(text), _headings((DOCS / "NLP_ROUNDS.md").read_text(encoding="utf-8"))
    bad = []
    for m in re.finditer(r'"([^"\n]{6,90})"', text):
        name = m.group(1)
        if _is_heading(name, moved) and not _is_heading(name, here):
            sentence = text[text.rfind(". ", 0, m.start()) + 1: text.find(". ", m.end())]
            if "NLP_ROUNDS" not in sentence:
                bad.append(name)
    assert not bad, bad
