"""Text normalisation for Vietnamese press and social text.

    raw title/text
      │ NFC · HTML entities unescaped, tags dropped · zero-width chars removed · whitespace tidied
      │ (an HTML tag must start with a letter, "/" or "!": emoticons such as "<3", ":>", ">.<" survive)
      │ old-style tone placement fixed per syllable (underthesea's token map: hoà→hòa, thuỷ→thủy)
      │ stretched letters squashed, the stretch kept as "!" (quáaaa → quá!, an intensity cue)
      │ teencode / abbreviations expanded (MIT NSW dictionary, conservative subset: ko→không, dc→được)
      │ written without diacritics?  → flag, restore with the bigram Viterbi model (nlp/diacritics.py)
      ▼
    normalised text + accent-folded key (vocab/folding.py)
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from nlp.diacritics import Restorer
from vocab.folding import VI_MARKED, fold, fold_word

DATA = Path(__file__).with_name("data")
MODELS = Path(__file__).with_name("models")
NSW_PATH = DATA / "nsw" / "vi-nsw-dict.json"

_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,400}>")
_ZW = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NL = re.compile(r"\s*\n\s*")
_WORDTOK = re.compile(r"[^\W\d_]+", re.UNICODE)
_NSWTOK = re.compile(r"[^\W_]+", re.UNICODE)

# A syllable used at least this often in the training text is a real word: never "expanded".
_NSW_COMMON = 20
# Shape of a Vietnamese syllable (accent-folded): onset, vowels, coda. "ko", "dc", "j" do not fit.
_VI_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"(uye|uya|uyu|oai|oay|oao|oeo|ieu|yeu|uoi|uou|ươi|[aeiouy]{1,3})"
    r"(ch|ng|nh|c|m|n|p|t)?$"
)


def is_vi_syllable(folded: str) -> bool:
    m = _VI_SYLLABLE.match(folded)
    if not m:
        return False
    onset, vowels = m.group(1) or "", m.group(2)
    if onset == "k" and vowels[0] not in "eiy":
        return False
    if onset == "c" and vowels[0] in "eiy":
        return False
    return True


_WORD_RUN = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


# A letter outside ASCII. Text without one (typed without diacritics) takes exact shortcuts below: with ASCII
# letters only, a stretch is three of one letter in a row (no marked word, so no doubled final consonant), and
# the only old-style tone spellings are the map's ASCII keys ("qui" → "quy").
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W\d_]")
_TRIPLE = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưy")


@lru_cache(maxsize=512)
def _letter(ch: str) -> str:
    """The letter without its tone mark ("á" → "a", "ứ" → "ư"): ư, ơ, â… stay distinct letters."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch.lower())
                                                if c not in _TONES))


def _squash_word(w: str) -> str | None:
    """'quáaaa' → 'quá', 'thíchhhh' → 'thích', 'hayy' → 'hay'; None when nothing is stretched or the
    squashed form is not a Vietnamese syllable. Runs of 3+ of one letter are a stretch, and a doubled final
    consonant; a doubled vowel is not ("cuu" is "cứu" without accents, "xoong"), nor "ưu" in "cứu"."""
    runs: list[list[str]] = []
    for ch in w:
        if runs and _letter(ch) == _letter(runs[-1][0]):
            runs[-1].append(ch)
        else:
            runs.append([ch])
    last = len(runs) - 1
    if w.isupper():
        return None  # "III", "OKK": numerals and shouting are left alone
    marked = any(ch in VI_MARKED for ch in w.lower())

    def stretched(i: int, r: list[str]) -> bool:  # "đẹpp" yes, "app", "acc" no (no Vietnamese mark)
        return len(r) >= 3 or (len(r) == 2 and i == last and marked and _letter(r[0]) not in _VOWELS)

    if not any(stretched(i, r) for i, r in enumerate(runs)):
        return None

    def pick(r: list[str]) -> str:
        return next((c for c in r if any(t in unicodedata.normalize("NFD", c) for t in _TONES)), r[0])

    sq = "".join(pick(r) if stretched(i, r) else "".join(r) for i, r in enumerate(runs))
    return sq if is_vi_syllable(fold(sq.lower())) else None


def squash_stretched(text: str) -> str:
    """Stretched letters are an intensity cue in social text: 'hay quáaaa' → 'hay quá!'."""
    if _NON_ASCII_LETTER.search(text) is None and _TRIPLE.search(text) is None:
        return text  # every letter ASCII (typed without diacritics) and none three times in a row: no stretch

    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        sq = _squash_word(w)
        return w if sq is None else sq + "!"

    return _WORD_RUN.sub(sub, text)


def _token_map() -> dict[str, str]:
    try:
        from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map
    except Exception:  # pragma: no cover - underthesea is a dependency; keep working without it
        return {}
    m = dict(token_map)
    m.update(character_map)
    return m


def fix_tone_placement(text: str, token_map: dict[str, str] | None = None) -> str:
    """Old-style tone placement → modern (hoà→hòa, thuỷ→thủy), syllable by syllable, case kept."""
    tm = _TONE_MAP() if token_map is None else token_map
    if token_map is None and _NON_ASCII_LETTER.search(text) is None:
        low = text.lower()
        if not any(k in low for k in _ascii_tone_keys()):
            return text  # ASCII letters only and none of the map's ASCII spellings: nothing to fix

    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) > 7:
            return w
        low = w.lower()
        new = tm.get(low)
        if new is None or new == low:
            return w
        if w.isupper() and len(w) > 1:
            return new.upper()
        if w[0].isupper():
            return new[0].upper() + new[1:]
        return new

    return _WORDTOK.sub(sub, text)


_TONE_MAP = lru_cache(maxsize=1)(_token_map)


@lru_cache(maxsize=1)
def _ascii_tone_keys() -> tuple[str, ...]:
    """The default map's keys written in ASCII letters, lowercased ("qui")."""
    return tuple(sorted({k.lower() for k in _TONE_MAP() if k.isascii()}))


def clean(text: str) -> str:
    """NFC, entities, tags, zero-width characters, whitespace."""
    if not text:
        return ""
    t = unicodedata.normalize("NFC", text)
    if "&" in t:
        t = html.unescape(html.unescape(t))
    if "<" in t:
        t = _TAG.sub(" ", t)
    t = _ZW.sub("", t)
    t = t.replace("\r\n", "\n").replace("\r", "\n")
    t = _SPACES.sub(" ", t)
    t = _NL.sub("\n", t)
    t = unicodedata.normalize("NFC", t.strip())
    return t.replace("ð", "đ").replace("Ð", "Đ")


def load_nsw(restorer: Restorer | None, path: Path = NSW_PATH) -> dict[tuple[str, ...], str]:
    """The conservative part of the NSW dictionary, keyed by lowercase token tuples.

    Kept: entries with exactly one standard form, made of letters (and spaces) only, that are not
    just the unaccented spelling of their target (restoration handles those), and whose single-token
    key is not itself a common syllable in the training text ("bang", "e", "a" stay as written).
    """
    with open(path, encoding="utf-8") as fh:
        raw: dict[str, list[str]] = json.load(fh)
    out: dict[tuple[str, ...], str] = {}
    for key, targets in raw.items():
        key = unicodedata.normalize("NFC", key.strip().lower())
        if len(targets) != 1 or not key:
            continue
        target = unicodedata.normalize("NFC", targets[0].strip())
        if not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", key) or not target:
            continue
        if fold(key) == fold(target):
            continue
        toks = tuple(key.split())
        if restorer is not None and len(toks) == 1:
            tok = toks[0]
            if not is_vi_syllable(fold(tok)):
                out[toks] = target  # "ko", "dc", "j": not a Vietnamese syllable at all
                continue
            if restorer.unigram.get(tok, 0) >= _NSW_COMMON:
                continue
            if not any(ch in VI_MARKED for ch in tok):
                cands = restorer.cands.get(tok, [])
                if sum(restorer.unigram.get(c, 0) for c in cands) >= _NSW_COMMON:
                    continue
        out[toks] = target
    return out


_UNITS = {"kg", "g", "l"}  # teencode keys that after a number are a weight or a volume ("2 kg" is not "2 không")
_YEAR = re.compile(r"(19|20)\d\d")  # "năm 2024 k ai biết": after a year, "k" is the teencode "không"
# Words that make the number after them a name, not an amount ("tổ 5 k có điện", "lớp 12 k ai biết": "không").
# Not words that also price by the unit ("tháng 300 k", "phòng 300 k một đêm", "kỳ", "khóa", "đôi"), nor unaccented
# forms that are other words ("to" big, "lop" tyre, "ngo" corn, "tang" rise, "quan" shop, "so", "doi").
_NUMBERED = {"lớp", "tổ", "khu", "ngõ", "ngách", "hẻm", "xóm", "thôn", "số", "tuyến", "quận", "phường",
             "ngach", "hem", "xom", "thon", "tuyen", "phuong"}
_QUANTITY = {"mỗi", "chục", "trăm", "nghìn", "ngàn", "vạn", "triệu", "tỷ", "tỉ", "vài", "mấy", "nửa", "từng",
             "moi", "chuc", "tram", "nghin", "ngan", "van", "trieu", "ty", "ti", "vai", "may", "nua", "tung"}


def _is_unit(text: str, toks: list[re.Match[str]], i: int) -> bool:
    """Token i reads as a unit: "kg", "g", "l" after a number (at most one space between), a "/" or a quantity word;
    "k" (thousand đồng) too ("rau 150 k một cân", "hết 200 k rồi"), except with a word following after a year
    or a numbered name ("năm 2024 k ai biết", "tổ 5 k có điện" are "không")."""
    prev, tok = toks[i - 1], toks[i]
    low = tok.group(0).lower()
    if low in _UNITS and (text[tok.start() - 1] == "/" or prev.group(0).lower() in _QUANTITY):
        return True  # "60.000 đồng/kg", "mỗi kg", "hàng trăm kg"
    if not prev.group(0).isdigit() or text[prev.end():tok.start()] not in ("", " "):
        return False
    if low in _UNITS:
        return True
    if low != "k":
        return False
    if i + 1 == len(toks) or not toks[i + 1].group(0).isalpha() or text[tok.end():toks[i + 1].start()].strip() != "":
        return True  # "giá 50 k.", "50 k/kg"
    named = i > 1 and toks[i - 2].group(0).lower() in _NUMBERED and text[toks[i - 2].end():prev.start()] == " "
    return not (_YEAR.fullmatch(prev.group(0)) or named)


class Normaliser:
    """Holds the NSW table and the restorer; `normalise(text)` returns (text, no_diacritics)."""

    def __init__(self, restorer: Restorer, nsw: dict[tuple[str, ...], str], *,
                 max_chars: int = 20_000, min_marked_share: float = 0.12, min_words: int = 4,
                 restore_chars: int = 4_000):
        self.restorer = restorer
        self.nsw = nsw
        self.nsw_max = max((len(k) for k in nsw), default=1)
        self.nsw_first = {k[0] for k in nsw}
        self.max_chars = max_chars
        self.min_marked_share = min_marked_share
        self.min_words = min_words
        self.restore_chars = restore_chars  # diacritics are restored in this much of a text (what is classified)

    @classmethod
    def load(cls, model_path: str | Path | None = None, **kw: object) -> "Normaliser":
        path = Path(model_path) if model_path else default_restorer_path()
        restorer = Restorer.load(path)
        return cls(restorer, load_nsw(restorer), **kw)  # type: ignore[arg-type]

    def expand_nsw(self, text: str) -> str:
        """Replace teencode/abbreviation tokens (longest match first), keeping a leading capital."""
        if not self.nsw or not text:
            return text
        toks = list(_NSWTOK.finditer(text))
        if not toks:
            return text
        starts = self.nsw_first
        lows = [t.group(0).lower() for t in toks]
        if not any(w in starts for w in lows):
            return text
        out: list[str] = []
        pos = 0
        i = 0
        n = len(toks)
        while i < n:
            hit = None
            if lows[i] not in starts:
                i += 1
                continue
            for k in range(min(self.nsw_max, n - i), 0, -1):
                seq = toks[i:i + k]
                # tokens of a multi-word key must be separated by plain spaces
                if k > 1 and any(text[seq[j].end():seq[j + 1].start()] != " " for j in range(k - 1)):
                    continue
                key = tuple(lows[i:i + k])
                tgt = self.nsw.get(key)
                if tgt is not None:
                    hit = (k, tgt)
                    break
            if hit is None:
                i += 1
                continue
            k, tgt = hit
            first = toks[i].group(0)
            if k == 1 and len(first) == 1 and not first.islower():
                i += 1  # a capital single letter is an initial or a numeral ("khu V"), not teencode
                continue
            if k == 1 and i and _is_unit(text, toks, i):
                i += 1  # "2 kg thịt", "100 g", "2 l nước", "giá 50 k.": a unit after a number, not teencode
                continue
            if first[:1].isupper():
                tgt = tgt[:1].upper() + tgt[1:]
            out.append(text[pos:toks[i].start()])
            out.append(tgt)
            pos = toks[i + k - 1].end()
            i += k
        out.append(text[pos:])
        return "".join(out)

    def diacritic_stats(self, text: str) -> tuple[int, float, float]:
        """(number of words, share of words with Vietnamese marks, share of words that are known syllables)."""
        ws = _WORDTOK.findall(text[: self.max_chars])
        if not ws:
            return 0, 0.0, 0.0
        words = " ".join(ws)
        if words.isascii():
            # typed without diacritics (issue 13): no word has a mark and a word's folded form is its lowercase,
            # so the count is one membership test per word, in C — the same figures as the loop below
            return len(ws), 0.0, sum(map(self.restorer.cands.__contains__, words.lower().split())) / len(ws)
        marked = known = 0
        uni = self.restorer.unigram
        cands = self.restorer.cands
        for w in ws:
            low = w.lower()
            if any(ch in VI_MARKED for ch in low):
                marked += 1
                if low in uni:
                    known += 1
            elif fold_word(low) in cands:
                known += 1
        n = len(ws)
        return n, marked / n, known / n

    def is_unaccented(self, text: str) -> bool:
        n, marked, known = self.diacritic_stats(text)
        return n >= self.min_words and marked < self.min_marked_share and known >= 0.8

    def prepare(self, text: str) -> str:
        """Clean, fix tones, expand teencode: `normalise` before any restoration ("" for a blank text)."""
        t = clean(text)
        if not t:
            return ""
        return self.expand_nsw(squash_stretched(fix_tone_placement(t)))

    def restore(self, prepared: str) -> str:
        """Diacritics restored in a `prepare`d text (its first `restore_chars` characters)."""
        return self.restorer.restore(prepared, max_chars=min(self.max_chars, self.restore_chars))

    def normalise(self, text: str, *, restore: bool | None = None) -> tuple[str, bool]:
        """Clean, fix tones, expand teencode; restore diacritics when the text has none.

        `restore=None` decides from the text itself; True/False forces it (used for a title that is
        too short to judge, following its body).
        """
        t = self.prepare(text)
        if not t:
            return "", False
        flag = self.is_unaccented(t) if restore is None else restore
        if flag:
            t = self.restore(t)
        return t, flag


def default_restorer_path() -> Path:
    found = sorted(MODELS.glob("diacritics-*.pkl.gz"))
    if not found:
        raise FileNotFoundError(f"no diacritics model in {MODELS}; run `langnghe train`")
    return found[-1]
