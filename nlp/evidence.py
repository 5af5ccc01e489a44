"""Evidence for a topic or a polarity in a near-empty item (round 29, issue 13).

The classifiers give every item their best reading, and on an item of one or two words that reading is noise: «Tin»
came out misinformation_fraud, «được» economy and positive, «Thông báo» traffic, «ảnh» culture_tourism. Staff count
topics and the negative share from such items (short comments, a photo posted with a one-word caption), so the rule
here asks a near-empty item for evidence before it keeps what the models said:

- `content_syllables(text)`: the item's syllables less the function words of `data/function_words.txt`, bare numbers,
  punctuation and emoji (the classifiers' text, restored when it was typed without marks);
- an item with fewer than `MIN_CONTENT` (2: one content syllable or none) keeps a topic only when a keyword of
  **that** topic is in it (the topic rows of `data/lexicon.tsv`: «lừa đảo» misinformation_fraud, «ngập» disaster),
  otherwise none;
- an item with fewer than `MIN_CONTENT_POLARITY` (1: no content syllable at all) keeps a polarity only when an
  opinion word or a negator (`data/opinion_lexicon.tsv` pos / neg / negator, `data/lexicon.tsv` pos / neg /
  insult) or a polar emoji or emoticon (`nlp.classify.has_polar_emoji`) is in it; otherwise it is neutral.

A place name the Places step read (`place_names`, round 32) is neither content nor keyword: it says where, not
what («Bãi Cháy» alone is no fire). Items with more content syllables are read as before. The rule changes no model
and reads no label: `nlp.eval.evidence` measured it, and chose both limits, on our own held-out rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlp.classify import LEXICON_PATH, OPINION_PATH, has_polar_emoji, load_lexicon, load_opinion_lexicon
from vocab.folding import fold
from vocab.labels import TOPICS

FUNCTION_WORDS_PATH = Path(__file__).with_name("data") / "function_words.txt"
# An item with fewer content syllables than MIN_CONTENT needs a keyword for a topic; one with fewer than
# MIN_CONTENT_POLARITY (none at all) an opinion word, a negator or a polar emoji for a polarity. Both chosen on our own
# held-out rows (own set and the social slices' held-out lines; nlp.eval.evidence) and gated by the eval-only figures:
# docs/NLP_ROUNDS.md, "Round 29: no topic and no polarity without evidence" (3 / 3 and 3 / 2 lost real headlines'
# topics, VLSP and UBS).
MIN_CONTENT = 2
MIN_CONTENT_POLARITY = 1
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PREFIX = 160  # characters of a long text read first (`evidence`)
_POLAR_TAGS = ("pos", "neg", "insult")
# opinion_lexicon.tsv: opinion words, and negators («không nên», «chả ra sao», «không tin»: a short line that denies
# is a complaint far more often than not)
_OPINION_TAGS = ("pos", "neg", "negator")


@dataclass(frozen=True)
class Evidence:
    """What a text shows: its content syllables, the topics whose keywords it holds, whether it holds a polar cue."""

    content: int
    topics: frozenset[str]
    polar: bool


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if not w.isdigit()]


@lru_cache(maxsize=2)
def function_words(path: Path = FUNCTION_WORDS_PATH, folded: bool = False) -> frozenset[tuple[str, ...]]:
    """The function words and frame phrases, as syllable tuples; `folded`: their accent-folded forms too, for a text
    typed with no mark at all."""
    with open(path, encoding="utf-8") as fh:
        words = {tuple(ln.strip().lower().split()) for ln in fh if ln.strip() and not ln.startswith("#")}
    return frozenset(words | {tuple(fold(w) for w in k) for k in words}) if folded else frozenset(words)


@lru_cache(maxsize=2)
def _longest(fw: frozenset[tuple[str, ...]]) -> int:
    return max((len(k) for k in fw), default=1)


# Words that begin with a function word but are content in our domain, each counted whole (review29b): «thực phẩm»
# (health) is no «thực»; «ảnh hưởng», «tin nhắn», «tin giả» no «ảnh», «tin»; «tai nạn» typed without marks no «tại».
CONTENT_PHRASES = ("thực phẩm", "ảnh hưởng", "tin nhắn", "tin giả", "tai nạn")
_CONTENT_KEYS = frozenset(k for p in CONTENT_PHRASES for k in (tuple(p.split()), tuple(fold(w) for w in p.split())))


def _content(words: list[str], fw: frozenset[tuple[str, ...]], enough: int) -> list[str]:
    """The content syllables of `words` (a content phrase, then the longest function phrase first), found up to
    `enough` of them."""
    longest = _longest(fw)
    content: list[str] = []
    i, n = 0, len(words)
    while i < n and len(content) < enough:
        if words[i] == _SEP:
            i += 1
            continue
        if tuple(words[i:i + 2]) in _CONTENT_KEYS:
            content += words[i:i + 2]
            i += 2
            continue
        for L in range(min(longest, n - i), 0, -1):
            if tuple(words[i:i + L]) in fw:
                i += L
                break
        else:
            content.append(words[i])
            i += 1
    return content


def _count(words: list[str], fw: frozenset[tuple[str, ...]], enough: int) -> int:
    """Content syllables of `words`, counted up to `enough`."""
    return len(_content(words, fw, enough))


Names = frozenset[tuple[str, ...]]
NO_NAMES: Names = frozenset()
# What a landmark is, said before its name («Bệnh viện Bãi Cháy», «Mỏ than Hà Lầm», «Cao tốc Hạ Long - Vân Đồn»): the
# matter, kept as content; only the name after it is left out (review35: «Bệnh viện Bãi Cháy quá tải» lost health).
# The leading words of the landmarks of nlp/data (57 in Quảng Ninh) and their kin; longest first.
KIND_WORDS = tuple(sorted((
    "bệnh viện", "mỏ than", "nhiệt điện", "khu công nghiệp", "khu di tích", "khu du lịch", "cao tốc", "chùa", "đền",
    "công viên", "cửa khẩu", "cầu", "trường", "đại học", "cao đẳng", "sân bay", "chợ", "quảng trường", "cảng",
    "bãi biển", "bãi cọc", "bãi rác", "nhà máy", "công ty", "bến xe", "bến phà", "trung tâm", "sân vận động",
), key=lambda k: -len(k.split())))
_KINDS = tuple(tuple(k.split()) for k in KIND_WORDS)
_SEP = ""  # where a name was: no phrase runs over it («tin Cô Tô giả» is no «tin giả»)


def _name_part(acc: tuple[str, ...]) -> tuple[str, ...]:
    """The syllables of a name the Places step read, lower-case, less a leading kind word (`KIND_WORDS`)."""
    low = tuple(w.lower() for w in acc)
    for kind in _KINDS:
        if low[:len(kind)] == kind:
            return low[len(kind):]
    return low


def place_names(spans: Iterable[tuple[int, int, tuple[str, ...]]]) -> Names:
    """The place names the Places step read (its spans), lower-case with their marks, less a landmark's kind word, and
    each also joined into one word folded («uongbi», as a hashtag writes it). A name says where a thing happened, not
    what happened: it is neither a content syllable nor a keyword (round 32: «Uông Bí» alone was tagged governance,
    «Vàng Danh» welfare — the models' noise on two syllables — and «Bãi Cháy» disaster and negative by the «cháy» of
    its name)."""
    out: set[tuple[str, ...]] = set()
    for _, _, acc in spans:
        name = _name_part(acc)
        if name:
            out.add(name)
            if len(name) > 1:
                out.add(("".join(fold(w) for w in name),))
    return frozenset(out)


def _same(word: str, syllable: str) -> bool:
    """A text's word spells a name's syllable: as written when the word has marks («của ông» is no «Cửa Ông»),
    folded when it has none («uong bi»)."""
    return word == syllable if not word.isascii() else word == fold(syllable)


def _without(words: list[str], names: Names) -> list[str]:
    """`words` with every run that spells a name of `names` (`_same`, longest first) replaced by one `_SEP`."""
    if not names:
        return words
    ordered = sorted(names, key=len, reverse=True)
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        L = next((len(k) for k in ordered
                  if i + len(k) <= n and all(_same(w, a) for w, a in zip(words[i:i + len(k)], k))), 0)
        if L:
            if out and out[-1] != _SEP:
                out.append(_SEP)
            i += L
        else:
            out.append(words[i])
            i += 1
    return out


def _unmarked(words: list[str]) -> bool:
    return bool(words) and all(w.isascii() for w in words)


class _Terms:
    """Whole-word phrases: one syllable matched as written (lowercase, with its marks: «ngập» is not «ngáp»),
    several also accent-folded (a restored text may miss a mark; «lua dao» is no other phrase); in a text with no
    mark at all (too short for the restorer to judge: «khong tot», «chua on») every term is matched folded, one
    syllable too when `fold_single` (the opinion words, not the topic keywords)."""

    def __init__(self, terms: dict[str, set[str]], fold_single: bool = True):
        self.table: dict[tuple[str, ...], set[str]] = {}
        self.folded: dict[tuple[str, ...], set[str]] = {}
        self.single_folded: dict[str, set[str]] = {}  # one syllable folded, for `find_content` only
        for term, tags in terms.items():
            key = tuple(_WORD.findall(term.lower()))
            if not key:
                continue
            self.table.setdefault(key, set()).update(tags)
            fkey = tuple(fold(w) for w in key)
            if len(key) == 1:
                self.single_folded.setdefault(fkey[0], set()).update(tags)
            if fold_single or len(key) > 1:
                self.folded.setdefault(fkey, set()).update(tags)
            if len(key) > 1:
                self.table.setdefault(fkey, set()).update(tags)
        self.maxlen = max((len(k) for k in self.table), default=1)

    def find(self, words: list[str], unmarked: bool = False) -> set[str]:
        folded = [fold(w) for w in words]
        out: set[str] = set()
        n = len(words)
        for i in range(n):
            for L in range(1, min(self.maxlen, n - i) + 1):
                if unmarked:
                    out |= self.folded.get(tuple(folded[i:i + L]), set())
                    continue
                out |= self.table.get(tuple(words[i:i + L]), set())
                if L > 1:
                    out |= self.table.get(tuple(folded[i:i + L]), set())
        return out

    def find_content(self, content: list[str]) -> set[str]:
        """One-syllable terms matched folded on content syllables only: «ngap roi», «lu qua», «benh» typed without
        marks keep disaster and health (review29b: topic keywords were never folded, for «thong bao» is no «bão»;
        a function phrase such as «thông báo» is no content syllable, so it cannot match here)."""
        out: set[str] = set()
        for w in content:
            out |= self.single_folded.get(fold(w), set())
        return out


@lru_cache(maxsize=1)
def _topic_terms() -> _Terms:
    terms: dict[str, set[str]] = {}
    for term, tag in load_lexicon(LEXICON_PATH):
        if tag in TOPICS:
            terms.setdefault(term, set()).add(tag)
    # one syllable folded is too many words for a topic («bao» is «bão» and «bao»; «thong bao»): multi-syllable only
    return _Terms(terms, fold_single=False)


@lru_cache(maxsize=1)
def _polar_terms() -> _Terms:
    terms: dict[str, set[str]] = {}
    for term, tag in load_lexicon(LEXICON_PATH):
        if tag in _POLAR_TAGS:
            terms.setdefault(term, set()).add("polar")
    lex = load_opinion_lexicon(OPINION_PATH)
    for tag in _OPINION_TAGS:
        for term in lex.get(tag, []):
            terms.setdefault(term, set()).add("polar")
    return _Terms(terms)


def content_syllables(text: str) -> int:
    """The syllables of `text` that are no function word, bare number, punctuation or emoji (a number with a unit,
    «50cm», «10h», counts: it says something)."""
    words = _words(text)
    return _count(words, function_words(folded=_unmarked(words)), len(words) + 1)


def evidence(text: str, limit: int | None = None, names: Names = NO_NAMES) -> Evidence:
    """`Evidence` of a text; keywords and cues are looked for only in a near-empty one (fewer content syllables than
    `limit`, by default the larger of MIN_CONTENT and MIN_CONTENT_POLARITY). The place names of `names`
    (`place_names`) are left out: no content syllable, no keyword, no cue."""
    enough = max(MIN_CONTENT, MIN_CONTENT_POLARITY) if limit is None else limit
    if len(text) > _PREFIX:  # a long text: its start nearly always shows enough (0.14 → 0.01 ms for 1,500 characters)
        head = _without(_words(text[:_PREFIX]), names)
        fw = function_words(folded=_unmarked(head))
        # the last words left out: one may be cut, or begin a phrase that goes on past the cut
        head = head[:max(0, len(head) - _longest(fw))]
        if _count(head, fw, enough) >= enough:
            return Evidence(enough, frozenset(), False)
    words = _without(_words(text), names)
    unmarked = _unmarked(words)
    found = _content(words, function_words(folded=unmarked), enough)
    content = len(found)
    if content >= enough:
        return Evidence(content, frozenset(), False)
    topics = _topic_terms().find(words, unmarked) | (_topic_terms().find_content(found) if unmarked else set())
    return Evidence(content, frozenset(topics),
                    bool(_polar_terms().find(words, unmarked)) or has_polar_emoji(text))


def keep_topics(topics: list[str], ev: Evidence, min_content: int | None = None) -> list[str]:
    """The topics an item keeps: all of them with `min_content` (MIN_CONTENT) content syllables or more, else only
    those whose keyword it holds."""
    if ev.content >= (MIN_CONTENT if min_content is None else min_content):
        return topics
    return [t for t in topics if t in ev.topics]


def keep_sentiment(sentiment: str, ev: Evidence, min_content: int | None = None) -> str:
    """The polarity an item keeps: the model's with `min_content` (MIN_CONTENT_POLARITY) content syllables or more
    or a polar cue, else neutral."""
    if ev.content >= (MIN_CONTENT_POLARITY if min_content is None else min_content) or ev.polar:
        return sentiment
    return "neutral"
