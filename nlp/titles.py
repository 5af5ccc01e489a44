"""The title a social item is shown by: place names the Places step read in it capitalised, first letter a capital.

    "mất điện ở vàng danh từ sáng…"  ──▶  "Mất điện ở Vàng Danh từ sáng…"
    "mat dien o vang danh tu sang…"  ──▶  restored "mất điện ở vàng danh…" ──▶ "Mất điện ở Vàng Danh từ sáng…"

Only names read as places are touched, capitalised as the gazetteer writes them mid-sentence ("bệnh viện
Bãi Cháy", "đền Cửa Ông"): "cháy" in "cháy nhà ở bãi cháy" stays, "hồng hà" in "hoa hồng hà lan" (no place read)
stays. A title written with marks changes only in capitals (the lists show it so: store/sqlparts.shown_title_sql
never puts other letters in place of a marked title); a title restored from one typed without marks takes the
name's own marks ("vang danh" → "Vàng Danh") whatever the restorer guessed. Press titles are never changed
(nlp/steps.Places calls this for social items only); the result is stored in `item_tags.title_restored`, which
every list, story and report shows (store/sqlparts.shown_title_sql)."""

from __future__ import annotations

from typing import Iterable

from nlp.gazetteer import tokens
from vocab.casing import capitalized
from vocab.folding import fold


def names_in(spans: Iterable[tuple[int, int, tuple[str, ...]]], end: int) -> list[tuple[str, ...]]:
    """The names (syllables as the gazetteer writes them) of the place spans that lie within the first `end`
    characters (the title's part of the text the Places step read), each once, longest first."""
    names = {acc for a, b, acc in spans if b <= end and acc}
    return sorted(names, key=len, reverse=True)


def display_title(title: str, names: Iterable[tuple[str, ...]], *, keep_letters: bool = False) -> str:
    """`title` with each run of words that spells one of `names` (folded, whole words, one space between them)
    written as the name, capitalised as the gazetteer writes it mid-sentence ("bệnh viện Bãi Cháy"; a word in
    capitals stays so), then its first letter a capital.
    The name's own marks win over the restorer's guess in a title restored from one typed without them; with
    `keep_letters` (a title written with marks, shown as written) only capitals change, never a letter."""
    toks = tokens(title)
    folded = [fold(w) for w, _, _ in toks]
    out = list(title)
    done: set[int] = set()
    for name in names:
        key = [fold(w) for w in name]
        n = len(key)
        for k in range(len(toks) - n + 1):
            if folded[k:k + n] != key or done & set(range(k, k + n)) or not _adjacent(title, toks, k, n):
                continue
            for (w, a, b), syl in zip(toks[k:k + n], name):
                base = w if keep_letters else syl.lower()
                new = w if w.isupper() and len(w) > 1 else capitalized(base) if _capital(syl, name) else base
                if len(new) == b - a:  # NFC letters: a mark never changes a word's length
                    out[a:b] = list(new)
            done |= set(range(k, k + n))
    return capitalized("".join(out))


def _capital(syl: str, name: tuple[str, ...]) -> bool:
    """The syllable takes a capital: as the gazetteer writes the name ("bệnh viện Bãi Cháy": not "viện"); every
    syllable when it writes none (a name known only in lower case)."""
    return syl[:1].isupper() or not any(s[:1].isupper() for s in name)


def _adjacent(title: str, toks: list[tuple[str, int, int]], k: int, n: int) -> bool:
    """The run's words are separated by spaces only (not a comma, a line end or a full stop)."""
    return all(title[toks[j][2]:toks[j + 1][1]] == " " for j in range(k, k + n - 1))
