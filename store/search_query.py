"""The search box's little language, parsed into a tree store/search.py turns into SQL. Pure Python.

    lũ lụt                 both syllables, anywhere (items with "lũ lụt" side by side rank first)
    "bụi than"             the syllables side by side, in that order
    than AND bụi           AND is optional: every term must occur anyway
    bụi than OR "ô nhiễm"  either group
    ô nhiễm -"bổ nhiệm"    `-` excludes a term or a phrase

Matching is on whole syllables, case-insensitive. A word typed with diacritics matches that exact
syllable (and its unmarked form in items written without any diacritics); a word typed without them
matches every syllable that folds to it ("o nhiem" finds "ô nhiễm"). A place name typed with marks also
matches where an item with marks writes it without and its Places step read the name there (`place_readings`,
`name_spans`, `phrase_spans`, `phrase_readings`; "vang danh" = famed is no such reading). A query that cannot be parsed
raises `QueryError` with a message in Vietnamese saying why.

Folding and splitting must agree with the SQL of store/migrations/060_search.sql (lower, đ→d, drop
marks; syllables are runs of letters, marks and digits); tests/test_search.py checks they do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from vocab.numbers import fmt_num

# Runs of letters and digits (what the index calls a syllable); underscore is a separator there too.
_SYLLABLE = re.compile(r"[^\W_]+")
# A query chunk: optional minus, then a quoted phrase (maybe unclosed) or a bare run of non-space.
_CHUNK = re.compile(r'(-?)"([^"]*)"|([^\s"]+)')
OPERATORS_OR = {"OR", "HOẶC"}
OPERATORS_AND = {"AND", "VÀ"}
MAX_TERMS = 12
# Bounds on what one query may ask, each a Vietnamese QueryError: the SQL grows with every term (a word typed 64
# times took 9.9 s, 25,000 times — a 100 kB paste — 32 s and then a DuckDB "max expression depth" error).
# Constants, not settings: they keep a search within DuckDB's expression depth and a page's time, watchlists are
# saved against them, and the Tin bài and Theo dõi pages quote them.
MAX_QUERY_CHARS = 1000
MAX_TERM_COUNT = 24       # words and phrases in all groups, after the same one twice in a group counts once
MAX_PHRASE_SYLLABLES = 32


class QueryError(ValueError):
    """The query cannot be parsed; str(exc) tells the user why, in Vietnamese."""


def fold(text: str) -> str:
    """Lower-case, đ→d, no marks (like `vocab.folding.fold`, which store/ may not import)."""
    low = (text or "").lower().replace("đ", "d")
    if low.isascii():
        return low
    nfd = unicodedata.normalize("NFD", low)
    return unicodedata.normalize("NFC", "".join(ch for ch in nfd if not unicodedata.combining(ch)))


def syllables(text: str) -> list[str]:
    """Lower-case NFC syllables of a text, as the index splits it."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text or "").lower())


@dataclass(frozen=True)
class Term:
    """One or more syllables that must occur side by side (one syllable: anywhere)."""

    words: tuple[str, ...]
    negated: bool = False
    quoted: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    """OR of groups; a group is an AND of terms, some negated."""

    groups: tuple[tuple[Term, ...], ...]

    def words(self) -> list[str]:
        """Every distinct syllable the query looks up, in first-seen order."""
        return list(dict.fromkeys(w for g in self.groups for t in g for w in t.words))

    def positive_words(self) -> list[str]:
        return list(dict.fromkeys(w for g in self.groups for t in g if not t.negated for w in t.words))


def word_keys(word: str) -> tuple[str, str | None]:
    """(index term for every item, index term for items written without diacritics or None).

    "lu" → ("lu", None): every syllable folding to "lu". "lũ" → ("lũ", "lu"): the exact syllable, or
    "lu" in an item that has no diacritics at all."""
    f = fold(word)
    return (word, None) if f == word else (word, f)


def parse(text: str, *, bounded: bool = True) -> Query | None:
    """The query tree, or None for an empty query. Raises QueryError when it cannot be read. `bounded=False`
    (a watchlist saved before round 18, matched in memory) skips the size bounds below MAX_TERMS."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        return None
    if bounded:  # before reading it: a long text is refused without the work
        _check_chars(text)
    q = _read(text)
    if bounded and q is not None:
        _check_size(q)
    return q


def over_bounds(text: str, q: Query | None) -> str | None:
    """Why `text`, read as `q` by parse(text, bounded=False), is over the bounds parse(text) holds a query to: the
    message parse would raise (Vietnamese); None when it is within them. Read once, judged without reading again."""
    try:
        _check_chars(unicodedata.normalize("NFC", text or "").strip())
        if q is not None:
            _check_size(q)
    except QueryError as exc:
        return str(exc)
    return None


def _check_chars(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Truy vấn quá dài ({fmt_num(len(text))} ký tự): tối đa {fmt_num(MAX_QUERY_CHARS)} ký tự. "
                         "Hãy chọn vài từ hoặc cụm từ tiêu biểu nhất.")


def _check_size(q: Query) -> None:
    if sum(len(g) for g in q.groups) > MAX_TERM_COUNT:
        raise QueryError(f"Truy vấn quá dài: tối đa {MAX_TERM_COUNT} từ hoặc cụm từ (tính cả các nhóm OR).")
    if any(len(t.words) > MAX_PHRASE_SYLLABLES for g in q.groups for t in g):
        raise QueryError(f"Cụm từ quá dài: mỗi cụm tối đa {MAX_PHRASE_SYLLABLES} âm tiết.")


def _read(text: str) -> Query | None:
    """The tree of a query's NFC text, stripped and not empty, within MAX_TERMS (parse without its size bounds)."""
    if text.count('"') % 2:
        raise QueryError('Thiếu dấu ngoặc kép đóng: cụm từ cần tìm nguyên văn phải nằm giữa hai dấu " ".')
    groups: list[list[Term]] = [[]]
    last_op = None  # "OR" right after start or another OR is an error
    for m in _CHUNK.finditer(text):
        minus, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None and bare in OPERATORS_OR:
            if not groups[-1]:
                raise QueryError(f"«{bare}» phải nằm giữa hai nhóm từ cần tìm, ví dụ: lũ OR ngập.")
            groups.append([])
            last_op = bare
            continue
        if bare is not None and bare in OPERATORS_AND:
            continue
        if quoted is not None:
            words = syllables(quoted)
            if not words:
                raise QueryError("Cặp dấu ngoặc kép không chứa chữ nào để tìm.")
            groups[-1].append(Term(tuple(words), negated=bool(minus), quoted=True))
            last_op = None
            continue
        negated = bare.startswith("-") and len(bare) > 1
        words = syllables(bare[1:] if negated else bare)
        if not words:
            if negated or bare == "-":
                raise QueryError(f"Sau dấu trừ «{bare}» cần có từ hoặc cụm từ muốn loại trừ.")
            continue  # lone punctuation: nothing to find
        # "COVID-19" or "Hạ-Long" are one chunk of several syllables: they must stay together
        groups[-1].append(Term(tuple(words), negated=negated, quoted=len(words) > 1))
        last_op = None
    if last_op is not None or not groups[-1]:
        if len(groups) > 1:
            raise QueryError(f"«{last_op or 'OR'}» phải nằm giữa hai nhóm từ cần tìm, ví dụ: lũ OR ngập.")
        return None
    for g in groups:
        if all(t.negated for t in g):
            raise QueryError("Mỗi nhóm cần ít nhất một từ cần tìm; dấu trừ chỉ dùng để loại bớt kết quả "
                             "(ví dụ: ô nhiễm -\"bổ nhiệm\").")
    q = Query(tuple(tuple(dict.fromkeys(g)) for g in groups))  # "bụi bụi" asks what "bụi" asks
    if len(q.words()) > MAX_TERMS:
        raise QueryError(f"Truy vấn quá dài: tối đa {MAX_TERMS} từ khác nhau.")
    return q


# --- place names read with their marks (docs/DASHBOARD.md "Search": place names typed without marks) ---------

MAX_NAME_WORDS = 6  # the longest place name a run of query words is compared with ("thành phố hồ chí minh")


def marked(word: str) -> bool:
    """The word carries a Vietnamese mark (or đ): typed so, it matches that syllable exactly."""
    return fold(word) != word


def place_readings(text: str, details: list[dict]) -> list[str]:
    """The place names the Places step read, with their marks, where `text` (what it read) writes them without:
    lower-case syllables joined by one space ("vàng danh"), in first-seen order.

    A name counts when the text holds it folded ("Vang Danh", "vang danh") but not as the name is written with
    its marks. The name with marks is the detail's `matched_text` when that has marks (a marked text: nlp/mixed.py
    confirmed the unmarked span and read it as the name), else the last words of its `name` ("Phường Vàng Danh")
    that fold to `matched_text` (a text read without diacritics). A name the text only resembles (an OCR guess,
    "Vang Dauh") is not a reading: its unmarked spelling would not find it either. A text with no mark at all
    has none: search matches the folded name in it already, and the tag rows stay few to scan."""
    toks = syllables(text)
    folded = [fold(t) for t in toks]
    if folded == toks:
        return []
    out: list[str] = []
    for d in details or ():
        seen = syllables(str(d.get("matched_text") or ""))
        if len(seen) < 2:
            continue
        name = seen if any(marked(w) for w in seen) else syllables(str(d.get("name") or ""))[-len(seen):]
        if [fold(w) for w in name] != [fold(w) for w in seen] or not any(marked(w) for w in name):
            continue
        if _holds(folded, [fold(w) for w in name]) and not _holds(toks, name):
            out.append(" ".join(name))
    return list(dict.fromkeys(out))


def _holds(toks: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(toks[k:k + n] == run for k in range(len(toks) - n + 1))


def name_spans(q: Query) -> list[tuple[str, ...]]:
    """Runs of adjacent query words that may spell a place name typed with marks: within a group, two to
    MAX_NAME_WORDS consecutive unquoted single words, not excluded, at least one of them marked ("Vàng Danh",
    "Chùa Ba Vàng" in `Vàng Danh mất điện` or `Chùa Ba Vàng`). An item whose Places step read such a name where
    its text writes it without marks (`place_readings`) holds those words there. Runs typed without marks need
    none: they fold to every spelling already."""
    spans: list[tuple[str, ...]] = []
    for g in q.groups:
        run: list[str] = []
        for t in [*g, None]:
            if t is not None and not t.negated and not t.quoted and not t.phrase:
                run.append(t.words[0])
                continue
            spans += [s for s in _subruns(run) if s not in spans]
            run = []
    return spans


def phrase_spans(words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of the runs of a phrase's words that may spell a place name typed with marks (as
    `name_spans`): the phrase also matches where such a run is written without marks and the item's Places
    step read the name there."""
    return [(a, b) for a in range(len(words)) for b in range(a + 2, min(a + MAX_NAME_WORDS, len(words)) + 1)
            if any(marked(w) for w in words[a:b])]


def phrase_readings(words: tuple[str, ...], reads: Collection[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(name, words) for each run of the phrase (`phrase_spans`) that is a place name in `reads`, the names an
    item read with marks where it writes them without: the phrase's words with that name's words folded, which
    that item holds ("phường Vàng Danh" → phường vang danh). Search (store/search.py, in SQL) and watchlists
    (detection/watch.py, in memory) both match these, so they find the same items."""
    if not reads:
        return []
    out: list[tuple[str, tuple[str, ...]]] = []
    for a, b in phrase_spans(words):
        name = " ".join(words[a:b])
        if name in reads:
            out.append((name, (*words[:a], *(fold(w) for w in words[a:b]), *words[b:])))
    return out


def _subruns(run: list[str]) -> list[tuple[str, ...]]:
    return [tuple(run[a:b]) for a, b in phrase_spans(tuple(run))]
