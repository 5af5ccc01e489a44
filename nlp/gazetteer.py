"""Gazetteer of the configured area and the place matcher.

    nlp/data/admin_units/*.csv   (vietnamadminunits, MIT)   provinces, old districts, old and 2025 wards,
    nlp/data/provinces_2025.csv  old → new provinces         old→2025 ward mapping of the area
    nlp/data/landmarks.csv       staff-extendable             Yên Tử, chùa Ba Vàng, the coal mines…
    nlp/data/ambiguous_names.txt staff-extendable             names that are also common words
    nlp/data/well_known_names.txt staff-extendable            area names that count on their own
    nlp/data/brand_words.txt     staff-extendable             words that make a name a maker's or a brand's
    nlp/data/person_words.txt    staff-extendable             family names and words of speaking (a person)
            │
            ▼  index: accent-folded token tuple → entries
    text → tokens → longest matches (accent-exact when the text has diacritics)
         → each match judged:
             strong names (province, old districts, unique wards, landmarks) count on their own;
             weak names (also a unit elsewhere, a common word, a street or person name: Phương Đông,
             Quang Trung, Bắc Sơn, Thanh Sơn…) count only with an area name close by, or with the unit
             type written before them ("phường Thanh Sơn") when no other province is named;
             a street/person word before a name (đường Quang Trung, ông …) rejects it;
             in mixed-case text a name must be capitalised (phương Đông = the East);
             an explicit other province that also has a unit of that name, nearer than any area
             anchor, wins (Thanh Sơn (Phú Thọ), huyện Bắc Sơn, Lạng Sơn); an address names one too
             ("phường Tân Lập, Buôn Ma Thuột");
             a maker's or brand's name is no place ("bánh kẹo Hải Hà", "Công ty Hải Hà"; the area's own
             companies are landmarks: "Công ty Than Uông Bí"), nor a person's ("Lê Quang Ninh",
             "Đông Triều lý giải: …"), nor a quay street ("Bến Vân Đồn", TP.HCM);
             a residential area before the unit that holds it ("khu Nam Sơn phường Uông Bí") is read only
             within that unit, never as a namesake commune elsewhere.
         → canonical places with their 2025 unit, and in_area.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rapidfuzz.distance import Levenshtein

from vocab.casing import unit_in_text
from vocab.folding import fold, fold_word

DATA = Path(__file__).with_name("data")
ADMIN = DATA / "admin_units"

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# a line break may split a name in OCR'd text ("Thanh uy Ubng\nBi")
_GAP_OK = re.compile(r"^[ \t\-–.]{0,4}\Z|^[ \t]{0,2}\n[ \t]{0,2}\Z")
_WARD_TYPES = ("Phường", "Xã", "Thị trấn", "Đặc khu")
_DIST_TYPES = ("Thành phố", "Thị xã", "Huyện", "Quận")
_PROV_TYPES = ("Tỉnh", "Thành phố")
_SHORT_DIST = {"Thành phố": "TP", "Thị xã": "TX", "Huyện": "huyện", "Quận": "quận"}

# Round 22: words of a residential area inside a ward or commune, as written (lower case, with marks). A name right
# after one and right before a unit ("khu Nam Sơn phường Uông Bí") names a part of that unit, not a namesake
# commune elsewhere (xã Nam Sơn, ex-Ba Chẽ); `_inside_next_unit`. Written without marks they count folded, except
# the words whose folded form is mostly another word: "ban" (địa bàn, "trên địa bàn Cẩm Phả, Uông Bí"), "to".
# The one list of these words: PREFIX_HINTS reads them as "ward" too (round 23; until then it listed khu, thôn and
# tổ dân phố again by hand, and read "khu phố X" as a street by its "phố", "khu dân cư X" as a person by its "cư").
RESIDENTIAL_WORDS = ("khu", "khu phố", "khu dân cư", "tổ", "tổ dân phố", "thôn", "xóm", "bản")
_MARKS_ONLY = ("tổ", "bản")

# Words written before a name, by the folded form of the last one to three tokens.
PREFIX_HINTS: dict[str, str] = {
    "phuong": "ward", "p": "ward", "xa": "ward", "thi tran": "ward", "tt": "ward", "dac khu": "ward",
    "thanh pho": "district", "tp": "district", "thi xa": "district", "tx": "district", "huyen": "district",
    "h": "district", "quan": "district", "q": "district", "tinh": "province",
    # not a place: a street, a person, an organisation named after a person
    "duong": "street", "pho": "street", "ngo": "street", "ngach": "street", "hem": "street", "kiet": "street",
    "dai lo": "street", "ben": "street", "so nha": "street", "tuyen duong": "street", "vua": "person", "ong": "person",
    "ba": "person", "anh": "person", "chi": "person", "em": "person", "co": "person", "chu": "person",
    "thay": "person", "cu": "person", "truong": "street", "thpt": "street", "thcs": "street", "tieu hoc": "street",
    "mam non": "street", "khach san": "street", "nha hang": "street", "cong ty": "street", "sv": "street",
    "hlv": "person", "tuong": "person",
    **{fold(w): "ward" for w in RESIDENTIAL_WORDS},  # a name after one is a ward's, or a part of one
}
# hint words that count only as written with their marks: "bến" (a quay street: Bến Vân Đồn, TP.HCM), as
# "ben" without marks is more often "bên" (side: "Yen Tu ben Bac Giang")
HINT_ACCENTS: dict[str, str] = {"ben": "bến", **{fold(w): w for w in _MARKS_ONLY}}
WARD_LEVELS = ("ward_2025", "ward_old")
# what may stand between such a name and the unit that holds it: spaces, a comma, a dash
_HOLDER_GAP = re.compile(r"^\s*[,\-–]?\s*\Z")
_UNIT_PREFIXES = ("ward", "district", "province")  # PREFIX_HINTS of unit words (not streets or people)
# fewest letters (spaces not counted) in a name that OCR-noised text may match approximately
FUZZY_MIN_LETTERS = 6
# (letter in the text, letter meant) pairs that OCR of print confuses; other substitutions make real words
OCR_CONFUSIONS = frozenset({
    ("b", "o"), ("b", "n"), ("d", "o"), ("c", "o"), ("e", "o"), ("o", "u"), ("l", "i"), ("i", "l"),
    ("h", "b"), ("h", "n"), ("u", "n"), ("n", "u"), ("v", "y"), ("y", "v"), ("f", "t"), ("t", "f"),
    ("q", "g"), ("g", "q"), ("e", "c"), ("c", "e"), ("a", "e"), ("o", "a"),
})


def _read_sections(path: Path) -> dict[str, list[str]]:
    """The phrases of a data file under its `[section]` headers (comment lines start with #)."""
    out: dict[str, list[str]] = defaultdict(list)
    section = ""
    if not path.exists():
        return out
    for ln in open(path, encoding="utf-8"):
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln.startswith("[") and ln.endswith("]"):
            section = ln[1:-1].strip()
        else:
            out[section].append(ln)
    return out


class _Phrases:
    """Words or phrases matched on whole tokens joined by spaces: accent-exact in text with marks, folded
    in text without them, case ignored."""

    def __init__(self, phrases: Iterable[str]):
        self.acc = {_acc(p) for p in phrases if _acc(p)}
        self.folded = {_key(p) for p in phrases if _key(p)}
        self.maxlen = max((len(k) for k in self.acc), default=0)

    def _words(self, ctx: "_Reading", a: int, b: int) -> tuple[str, ...] | None:
        seg = ctx.toks[a:b]
        if any(ctx.gap(k).strip() or "\n" in ctx.gap(k) for k in range(a, b - 1)):
            return None
        return tuple(t[0].lower() for t in seg) if ctx.accented else tuple(fold(t[0]) for t in seg)

    def ending_at(self, ctx: "_Reading", j: int) -> int:
        """Tokens of the longest phrase that ends right before token j (0: none)."""
        pool = self.acc if ctx.accented else self.folded
        for n in range(min(self.maxlen, j), 0, -1):
            if self._words(ctx, j - n, j) in pool:
                return n
        return 0

    def starting_at(self, ctx: "_Reading", j: int) -> int:
        """Tokens of the longest phrase that starts at token j (0: none)."""
        pool = self.acc if ctx.accented else self.folded
        for n in range(min(self.maxlen, len(ctx.toks) - j), 0, -1):
            if self._words(ctx, j, j + n) in pool:
                return n
        return 0


@dataclass
class ContextWords:
    """What the words around a name say about it (round 15): brand_words.txt and person_words.txt."""

    maker: _Phrases
    trade: _Phrases
    product: _Phrases
    surname: _Phrases
    speech: _Phrases

    @classmethod
    def read(cls, d: Path) -> "ContextWords":
        b = _read_sections(d / "brand_words.txt")
        p = _read_sections(d / "person_words.txt")
        return cls(_Phrases(b["maker"]), _Phrases(b["trade"] + b["product"]), _Phrases(b["product"]),
                   _Phrases(p["surname"]), _Phrases(p["speech"]))


def _ocr_like(text: str, name: str) -> bool:
    """True if every edit from text to name inserts a missing letter or undoes an OCR confusion."""
    for op, i, j in Levenshtein.editops(text, name):
        if op == "delete" or (op == "replace" and (text[i], name[j]) not in OCR_CONFUSIONS):
            return False
    return True


def _strip_type(name: str, types: Iterable[str]) -> tuple[str, str]:
    for t in types:
        if name.startswith(t + " "):
            return t, name[len(t) + 1:]
    return "", name


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


tokens = _tokens  # (word, start, end) as `find` counts them: a Hit's start/end index this list


def _key(name: str) -> tuple[str, ...]:
    return tuple(fold(t) for t, _, _ in _tokens(name))


def _acc(name: str) -> tuple[str, ...]:
    return tuple(t.lower() for t, _, _ in _tokens(name))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def _dist_short(dist: str) -> str:
    """'Thành phố Uông Bí' → 'TP Uông Bí', as staff write an old district."""
    t, n = _strip_type(dist, _DIST_TYPES)
    return f"{_SHORT_DIST.get(t, t)} {n}".strip()


@dataclass
class _AreaMap:
    """The area's old → 2025 ward mapping, read once for the display texts of every level."""

    new_from_dist: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    old_ward_to_new: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    dist_to_new: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def read(cls, mapping: list[dict[str, str]]) -> "_AreaMap":
        """From the mapping rows; each old district's 2025 units in code order."""
        am = cls()
        for m in mapping:
            am.new_from_dist[m["new_ward"]][m["old_district"]] += 1
            if m["relation"] == "whole" or m["divided_default"] == "default":
                am.old_ward_to_new[(m["old_district"], m["old_ward"])] = (m["new_ward"], m["new_ward_code"])
            if m["new_ward"] not in am.dist_to_new[m["old_district"]]:
                am.dist_to_new[m["old_district"]].append(m["new_ward"])
        code_of = {m["new_ward"]: m["new_ward_code"] for m in mapping}
        for dist in am.dist_to_new:
            am.dist_to_new[dist].sort(key=lambda w: code_of.get(w, ""))
        return am


@dataclass
class Entry:
    name: str                    # canonical, e.g. "Phường Vàng Danh"
    level: str                   # province | district_old | ward_2025 | ward_old | landmark
    province: str                # short province name, e.g. "Quảng Ninh"
    in_area: bool
    display: str                 # what staff see, carrying the 2025 unit
    name_2025: str | None = None
    code_2025: str | None = None
    old_name: str | None = None
    strong: bool = True
    district: str | None = None  # old district (canonical) for wards
    acc: tuple[str, ...] = ()


@dataclass
class Hit:
    entry: Entry
    start: int                   # token index
    end: int
    matched_text: str
    prefix: str | None           # hint from the word(s) before
    capitalised: bool


@dataclass
class PlaceResult:
    places: list[str] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)
    in_area: bool = False
    # every accepted name as read: (start, end) characters in the text, and the name's syllables as the data files
    # write it mid-sentence ("bệnh viện Bãi Cháy"): where the names sit, for titles shown (nlp/titles.py); not stored
    spans: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)


def _quoted(text: str, span: tuple[int, int]) -> bool:
    a, b = span
    before = text[max(0, a - 1):a]
    after = text[b:b + 1]
    return before in ('"', "“", "'", "‘") and after in ('"', "”", "'", "’")


def _non_overlapping(found: list[tuple[int, int, list[Entry]]], n: int,
                     case_ok: Callable[[int, int, Entry], bool] = lambda i, L, e: True,
                     ) -> list[tuple[int, int, list[Entry]]]:
    """The matches kept, in text order: area names first, then longer, then earlier, each only when
    none of its n tokens is taken by one kept before. An area name that `resolve` will drop for its case
    (mixed-case text, not capitalised) comes last: «Công an Hà Nội» is Hà Nội, not xã An Hà (Bắc Ninh)."""
    def rank(i: int, L: int, entries: list[Entry]) -> int:
        if any(e.in_area and case_ok(i, L, e) for e in entries):
            return 0
        return 1 if any(not e.in_area for e in entries) else 2

    taken = [False] * n
    chosen = []
    for i, L, entries in sorted(found, key=lambda f: (rank(*f), -f[1], f[0])):
        if any(taken[i:i + L]):
            continue
        for k in range(i, i + L):
            taken[k] = True
        chosen.append((i, L, entries))
    return sorted(chosen, key=lambda c: c[0])


class Gazetteer:
    def __init__(self, province: str = "Quảng Ninh", data_dir: Path = DATA):
        self.province = province.removeprefix("Tỉnh ").removeprefix("Thành phố ").strip()
        self.data_dir = data_dir
        self.index: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        # each name's syllables as the data files write it inside a sentence ("bệnh viện Bãi Cháy", "Vàng Danh"),
        # by its lower-case syllables: which letters a title shown capitalises (nlp/titles.py)
        self.written: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.unit_provinces: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.old_to_new_province: dict[str, str] = {}
        self._build()
        self.maxlen = max(len(k) for k in self.index)
        self.first_tokens = {k[0] for k in self.index}
        self._fuzzy_index()

    def _fuzzy_index(self) -> None:
        """Names that OCR-noised text may match approximately: in the area, strong, two words or more and
        long enough that one wrong letter cannot turn a common phrase into them. Keyed by word count and
        first letter, so a text window is compared only with names that start like it."""
        self.fuzzy: dict[tuple[int, str], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for key, entries in self.index.items():
            if len(key) < 2 or sum(len(t) for t in key) < FUZZY_MIN_LETTERS:
                continue
            if any(e.in_area and e.strong and not self._absorbed_old(e) for e in entries):
                self.fuzzy[(len(key), key[0][0])].append((" ".join(key), key))

    def _absorbed_old(self, e: Entry) -> bool:
        """An old unit of a province absorbed in 2025: matched exactly only, never as an OCR misspelling."""
        return e.level in ("ward_old", "district_old") and e.district in self.absorbed_districts

    def _fuzzy_match(self, words: list[str]) -> tuple[str, ...] | None:
        """The gazetteer key that a window of OCR'd words misspells, or None.

        At most one edit (two for names of ten letters or more); an edit is a letter the text lacks or a
        letter that OCR confuses with the right one, after undoing "m" read as "rn" and "u" as "ii".
        A window as close to two names is not guessed."""
        cands = self.fuzzy.get((len(words), words[0][0]))
        if not cands:
            return None
        text = " ".join(words)
        best: list[tuple[int, tuple[str, ...]]] = []
        for variant in {text, text.replace("rn", "m"), text.replace("ii", "u")}:
            for name, key in cands:
                limit = 2 if len(name) - name.count(" ") >= 10 else 1
                d = Levenshtein.distance(variant, name, score_cutoff=limit)
                if d <= limit and _ocr_like(variant, name):
                    best.append((d, key))
        best.sort()
        if not best or (len(best) > 1 and best[1][0] == best[0][0] and best[1][1] != best[0][1]):
            return None
        return best[0][1]

    # ---------------------------------------------------------------------------------- build
    def _add(self, surface: str, entry: Entry) -> None:
        key = _key(surface)
        if not key:
            return
        acc = _acc(surface)
        self._keep_written(acc, surface)
        for e in self.index[key]:
            if e.name == entry.name and e.level == entry.level and e.acc == acc:
                return
        e = Entry(**{**entry.__dict__, "acc": acc})
        self.index[key].append(e)

    def _keep_written(self, acc: tuple[str, ...], surface: str) -> None:
        """Keep the best-cased spelling of a name: one with a capital after a lower-case head ("đền Cửa Ông", as
        written mid-sentence) over one capitalised throughout ("Đền Cửa Ông", a list's heading) over none."""
        words = tuple(t for t, _, _ in _tokens(surface))
        def rank(ws: tuple[str, ...]) -> int:
            caps = [w[:1].isupper() for w in ws]
            return 2 if any(caps) and not caps[0] else 1 if any(caps) else 0
        old = self.written.get(acc)
        if old is None or rank(words) > rank(old):
            self.written[acc] = words

    def _build(self) -> None:
        """The index from the national lists, then the configured area's units, names and landmarks."""
        d = self.data_dir
        area_key = fold(self.province)
        prov_type, legacy, new = self._read_national(d)
        ambiguous = {_key(ln.strip()) for ln in open(d / "ambiguous_names.txt", encoding="utf-8")
                     if ln.strip() and not ln.startswith("#")}
        self.risky_provinces = ambiguous
        self._add_provinces(d, prov_type)
        # the provinces merged into the configured one on 1 July 2025 (Hải Dương into Hải Phòng, Bắc Giang
        # into Bắc Ninh): their old districts and wards are the area's too, and a name found only there is
        # no "unit elsewhere"
        self.area_provinces = {self.province} | {old for old, newp in self.old_to_new_province.items()
                                                 if fold(newp) == area_key}
        area_keys = {fold(p) for p in self.area_provinces}
        # the configured province: 2025 wards, old districts, old wards, mapping
        new_rows = [r for r in new if fold(_strip_type(r["province"], _PROV_TYPES)[1]) == area_key]
        old_rows = [r for r in legacy if fold(_strip_type(r["province"], _PROV_TYPES)[1]) in area_keys]
        # old districts of an absorbed province: their names are exact matches only (OCR'd documents are the
        # office's own; a thousand more approximate names read "Bắc Sơn" as Bảo Sơn, ex-Lục Nam)
        self.absorbed_districts = {r["district"] for r in old_rows
                                   if fold(_strip_type(r["province"], _PROV_TYPES)[1]) != area_key}
        amap = _AreaMap.read(self._mapping_rows(d, area_key))
        new_names = self._add_new_wards(new_rows, amap, ambiguous)
        self._add_old_districts(old_rows, amap)
        self._add_old_wards(old_rows, amap, ambiguous)
        self._strengthen_known(d)
        self.common_words = ambiguous
        self._add_landmarks(d, new_names)
        self.words = ContextWords.read(d)
        self._other_districts(legacy)

    def _other_districts(self, legacy: list[dict[str, str]]) -> None:
        """Old districts of the other provinces, by their accented words: after a ward of the same name as
        one of the area's, in an address ("phường Tân Lập, Buôn Ma Thuột"), they say which province it is in.
        Names of one syllable or numbers (Quận 4), and names the area also has, are left out."""
        self.district_provinces: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for r in legacy:
            pname = _strip_type(r["province"], _PROV_TYPES)[1]
            if pname in self.area_provinces:
                continue
            nm = _strip_type(r["district"], _DIST_TYPES)[1]
            k = _key(nm)
            if len(k) < 2 or any(t.isdigit() for t in k) or any(e.in_area for e in self.index.get(k, [])):
                continue
            self.district_provinces[_acc(nm)].add(pname)
        self.district_maxlen = max((len(k) for k in self.district_provinces), default=0)

    def _address_provinces(self, spans: dict[tuple[int, int], list[Hit]], ctx: "_Reading") -> list[Hit]:
        """Round 15: an area ward name written with its type and followed, in an address, by an old district
        of another province that has a unit of that name ("phường Tân Lập, Buôn Ma Thuột", "phường Tân An,
        TP Buôn Ma Thuột"): that province is named (an explicit other province then wins, as written out)."""
        out: list[Hit] = []
        if not ctx.accented:
            return out
        for (a, b), hs in spans.items():
            h = next((x for x in hs if x.entry.in_area and x.entry.level in WARD_LEVELS), None)
            if h is None or h.prefix != "ward" or b >= len(ctx.toks):
                continue
            if ctx.gap(b - 1).strip() not in (",", "-", "–", "("):
                continue
            j = b
            for n in (2, 1):  # a district type word: "quận", "TP", "thành phố"
                words = " ".join(fold(t[0]) for t in ctx.toks[j:j + n])
                if j + n < len(ctx.toks) and PREFIX_HINTS.get(words) == "district":
                    j += n
                    break
            elsewhere = self.unit_provinces.get(_key(h.matched_text), set())
            for n in range(min(self.district_maxlen, len(ctx.toks) - j), 1, -1):
                seg = ctx.toks[j:j + n]
                provs = self.district_provinces.get(tuple(t[0].lower() for t in seg), set()) & elsewhere
                if provs and all(t[0][:1].isupper() for t in seg) and not any(
                        ctx.gap(k).strip() for k in range(j, j + n - 1)):
                    prov = sorted(provs)[0]
                    entry = next(e for e in self.index[_key(prov)] if e.level == "province")
                    out.append(Hit(entry, j, j + n, ctx.text[seg[0][1]:seg[-1][2]], "district", True))
                    break
        return out

    @staticmethod
    def _mapping_rows(d: Path, area_key: str) -> list[dict[str, str]]:
        """The area's old → 2025 ward rows: its own file when shipped (Quảng Ninh, checked by hand), else
        its rows of the national mapping (scripts/build_ward_mapping.py), so every province's old units
        show the 2025 unit they became."""
        own = d / "admin_units" / f"{area_key.replace(' ', '_')}_old_to_2025_mapping.csv"
        if own.exists():
            return _read_csv(own)
        national = d / "admin_units" / "vn_old_to_2025_mapping.csv"
        if not national.exists():
            return []
        return [r for r in _read_csv(national)
                if fold(_strip_type(r["new_province"], _PROV_TYPES)[1]) == area_key]

    def _read_national(self, d: Path) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
        """Old → new provinces, and which provinces have a unit of each name (legacy and 2025 province
        names), so a weak name can lose to another province named nearby. Returns the province types
        and the legacy and 2025 rows, which the area's units are taken from."""
        for r in _read_csv(d / "provinces_2025.csv"):
            self.old_to_new_province[r["old_province"]] = r["new_province"]
        prov_type: dict[str, str] = {}
        legacy = _read_csv(d / "admin_units" / "vn_legacy_63prov_district_wards.csv")
        for r in legacy:  # three districts are spelt "Thị Xã" (Việt Yên, Mường Lay, Buôn Hồ): no type found
            if r["district"].startswith("Thị Xã "):
                r["district"] = "Thị xã " + r["district"][len("Thị Xã "):]
        new = _read_csv(d / "admin_units" / "vn_2025_34prov_wards.csv")
        for r in legacy:
            pt, pname = _strip_type(r["province"], _PROV_TYPES)
            prov_type[pname] = pt
            for nm in (_strip_type(r["ward"], _WARD_TYPES)[1], _strip_type(r["district"], _DIST_TYPES)[1]):
                self.unit_provinces[_key(nm)].add(pname)
                self.unit_provinces[_key(nm)].add(self.old_to_new_province.get(pname, pname))
        for r in new:
            pt, pname = _strip_type(r["province"], _PROV_TYPES)
            prov_type[pname] = pt
            self.unit_provinces[_key(_strip_type(r["ward"], _WARD_TYPES)[1])].add(pname)
        return prov_type, legacy, new

    def _add_provinces(self, d: Path, prov_type: dict[str, str]) -> None:
        """Every province (the configured one is in the area), under its old name and its aliases."""
        area_key = fold(self.province)
        for old, newp in self.old_to_new_province.items():
            t = prov_type.get(old, "Tỉnh")
            tshort = "TP" if t == "Thành phố" else "tỉnh"
            if old == newp:
                disp = f"{tshort} {old}"
            else:
                nt = "TP" if prov_type.get(newp) == "Thành phố" else "tỉnh"
                disp = f"{tshort} {old} cũ, nay {nt} {newp}"
            e = Entry(name=f"{t} {old}", level="province", province=old, in_area=fold(newp) == area_key,
                      display=disp, name_2025=f"{prov_type.get(newp, 'Tỉnh')} {newp}", strong=True)
            self._add(old, e)
        for r in _read_csv(d / "place_aliases.csv"):
            old = r["province"]
            base = self.index.get(_key(old))
            if base:
                self._add(r["alias"], [b for b in base if b.level == "province"][0])

    def _add_new_wards(self, new_rows: list[dict[str, str]], amap: _AreaMap,
                       ambiguous: set[tuple[str, ...]]) -> dict[str, tuple[str, str]]:
        """The area's 2025 wards, shown with the old district most of each came from; a name that is a
        common word or a unit elsewhere is weak. Returns ward → (display, code) for the landmarks."""
        ambiguous_here = set()
        for r in new_rows:
            _t, nm = _strip_type(r["ward"], _WARD_TYPES)
            k = _key(nm)
            if k in ambiguous or len(k) == 1 or (self.unit_provinces[k] - self.area_provinces):
                ambiguous_here.add(k)  # one syllable (thị trấn Thắng, xã Nà): nearly always a common word too
        new_names = {}
        for r in new_rows:
            _t, nm = _strip_type(r["ward"], _WARD_TYPES)
            src = amap.new_from_dist.get(r["ward"])
            disp = unit_in_text(r["ward"])
            if src:
                disp += f" ({_dist_short(src.most_common(1)[0][0])} cũ)"
            new_names[r["ward"]] = (disp, r["wardCode"])
            e = Entry(name=r["ward"], level="ward_2025", province=self.province, in_area=True, display=disp,
                      name_2025=r["ward"], code_2025=r["wardCode"], strong=_key(nm) not in ambiguous_here,
                      district=src.most_common(1)[0][0] if src else None)
            self._add(nm, e)
        return new_names

    def _add_old_districts(self, old_rows: list[dict[str, str]], amap: _AreaMap) -> None:
        """The area's old districts, shown with the 2025 units they became (a count when more than four)."""
        for dist in sorted({r["district"] for r in old_rows}):
            _t, nm = _strip_type(dist, _DIST_TYPES)
            news = amap.dist_to_new.get(dist, [])
            if 0 < len(news) <= 4:
                now = ", ".join(unit_in_text(n) for n in news)
            elif news:
                now = f"{len(news)} phường, xã"
            else:
                now = ""
            disp = f"{_dist_short(dist)} cũ" + (f", nay {now}" if now else "")
            e = Entry(name=dist, level="district_old", province=self.province, in_area=True, display=disp,
                      name_2025=", ".join(news) or None, old_name=dist, strong=True, district=dist)
            self._add(nm, e)

    def _add_old_wards(self, old_rows: list[dict[str, str]], amap: _AreaMap,
                       ambiguous: set[tuple[str, ...]]) -> None:
        """The area's old wards with the 2025 unit they went to; an old ward whose name a 2025 ward kept
        only gives that ward its old name."""
        for r in old_rows:
            wt, nm = _strip_type(r["ward"], _WARD_TYPES)
            k = _key(nm)
            # the same unit renamed or kept (phường Vàng Danh), not a namesake elsewhere in the province
            # (phường Trần Phú of TP Hải Dương is not xã Trần Phú, ex-Nam Sách)
            if any(e.level == "ward_2025" and e.district in (None, r["district"]) for e in self.index.get(k, [])):
                for e in self.index[k]:
                    if e.level == "ward_2025" and e.district in (None, r["district"]) and not e.old_name:
                        e.old_name = f"{r['ward']} ({_dist_short(r['district'])})"
                continue
            target = amap.old_ward_to_new.get((r["district"], r["ward"]))
            if target:
                ndisp = unit_in_text(target[0])
                disp = f"{unit_in_text(r['ward'])} cũ, nay {ndisp} ({_dist_short(r['district'])} cũ)"
            else:
                disp = f"{unit_in_text(r['ward'])} ({_dist_short(r['district'])} cũ)"
            strong = k not in ambiguous and len(k) > 1 and not (self.unit_provinces[k] - self.area_provinces)
            e = Entry(name=r["ward"], level="ward_old", province=self.province, in_area=True, display=disp,
                      name_2025=target[0] if target else None, code_2025=target[1] if target else None,
                      old_name=f"{r['ward']} ({_dist_short(r['district'])})", strong=strong, district=r["district"])
            self._add(nm, e)

    def _strengthen_known(self, d: Path) -> None:
        """Names staff know count on their own: a ward named like an old district ("xã Tiên Yên",
        "phường Đông Triều") and the area names in well_known_names.txt."""
        for entries in self.index.values():
            if any(e.level == "district_old" for e in entries):
                for e in entries:
                    e.strong = True
        wk = d / "well_known_names.txt"
        if wk.exists():
            for ln in open(wk, encoding="utf-8"):
                if ln.strip() and not ln.startswith("#"):
                    for e in self.index.get(_key(ln.strip()), []):
                        if e.in_area:
                            e.strong = True

    def _add_landmarks(self, d: Path, new_names: dict[str, tuple[str, str]]) -> None:
        """Landmarks of the configured province only: their ward must be one of its 2025 units."""
        lpath = d / "landmarks.csv"
        if not lpath.exists():
            return
        for r in _read_csv(lpath):
            ward = r["ward_2025"].strip()
            if ward not in new_names:
                continue
            disp = f"{r['name']} ({unit_in_text(ward)})"
            e = Entry(name=r["name"], level="landmark", province=self.province, in_area=True, display=disp,
                      name_2025=ward, code_2025=new_names[ward][1],
                      strong=r.get("strong", "yes").strip().lower() != "no")
            for s in [r["name"], *[a for a in r["aliases"].split("|") if a.strip()]]:
                self._add(s.strip(), e)
                # a landmark shared with another province ("Yên Tử" spans Bắc Giang too):
                # that province named nearer than any area name wins
                for other in (r.get("also_in") or "").split("|"):
                    if other.strip():
                        self.unit_provinces[_key(s.strip())].add(other.strip())

    # ---------------------------------------------------------------------------------- match
    def _prefix(self, toks: list[tuple[str, int, int]], i: int, text: str) -> str | None:
        for n in (3, 2, 1):
            if i - n < 0:
                continue
            seg = toks[i - n:i]
            # the prefix must sit right before the name (spaces or a dot between)
            if text[seg[-1][2]:toks[i][1]].strip(" .") != "":
                continue
            words = " ".join(fold(t[0]) for t in seg)
            hint = PREFIX_HINTS.get(words)
            if hint and HINT_ACCENTS.get(words, seg[-1][0].lower()) == seg[-1][0].lower():
                return hint
        if i >= 1 and toks[i - 1][0].isdigit() and text[toks[i - 1][2]:toks[i][1]].strip() == "":
            return "street"  # "số 12 Quang Trung", "12 Quang Trung"
        return None

    def _find_fuzzy(self, i: int, toks: list[tuple[str, int, int]], folds: list[str], text: str,
                    found: list[tuple[int, int, list[Entry]]], *, after_unit_word: bool = False) -> None:
        """An OCR-noised area name starting at token i ("Ubng Bi", "Vang Dauh"): capitalised words only,
        as OCR keeps capitals and a lower-case phrase one letter away from a name is usually just words.
        `after_unit_word` (text with marks): only right after a unit word ("phường Vàng Dauh"), as there a
        capitalised window one letter from a name is far likelier a person or a foreign name ("Bùi Quang Anh"
        is not Quang Hanh, "Đài quan sát Nam Âu" not Nam Mẫu, "Trần Văn Ơn" not Vân Đồn)."""
        n = len(toks)
        if not toks[i][0][:1].isupper():
            return
        if after_unit_word and self._prefix(toks, i, text) not in _UNIT_PREFIXES:
            return
        for L in range(min(self.maxlen, n - i), 1, -1):
            span = toks[i:i + L]
            if not all(t[0][:1].isupper() and t[0].isalpha() for t in span):
                continue
            if not all(_GAP_OK.match(text[toks[j][2]:toks[j + 1][1]]) for j in range(i, i + L - 1)):
                continue
            if tuple(folds[i:i + L]) in self.index:
                continue  # a name written with other accents is not a misspelling of another name
            key = self._fuzzy_match(folds[i:i + L])
            if key:
                # the readings the name was indexed for, not an absorbed old unit sharing it ("Lục Nà" is xã
                # Lục Nam, not huyện Lục Nam cũ, ex-Bắc Giang)
                found.append((i, L, [e for e in self.index[key] if e.in_area and not self._absorbed_old(e)]))
                return

    def find(self, text: str, *, accented: bool = True, max_chars: int = 20_000,
             unmarked: list[Hit] | None = None) -> list[Hit]:
        """Raw matches of gazetteer names, longest first, accent-exact when `accented`. With `unmarked`, an
        accented reading also collects there, at no extra pass, the names of two syllables or more that match
        only folded and are written wholly without marks ("ở uong bi": nlp/mixed.py judges them)."""
        text = text[:max_chars]
        toks = _tokens(text)
        folds = [fold_word(t[0]) for t in toks]
        lows = [t[0].lower() for t in toks] if accented else None
        # the longest match at every start, then non-overlapping ones: area names first, longer first
        # ("tuyen Quang Ninh": "Quang Ninh" beats "Tuyen Quang" in text without diacritics), unless their case
        # rules them out in mixed-case text («Công an Hà Nội»)
        found: list[tuple[int, int, list[Entry]]] = []
        first = self.first_tokens
        loose: list[tuple[int, int, list[Entry]]] | None = [] if (unmarked is not None and lows) else None
        for i in range(len(toks)):
            if folds[i] not in first or not self._longest_at(i, toks, folds, lows, text, found, loose):
                self._find_fuzzy(i, toks, folds, text, found, after_unit_word=accented)
        if loose:
            unmarked += self._hits(loose, toks, text)
        mixed = accented and text != text.lower() and text != text.upper()

        def case_ok(i: int, L: int, e: Entry) -> bool:  # as _Reading.case_ok judges the hit in resolve
            words = [t[0] for t in toks[i:i + L]]
            if not mixed:
                return True
            if e.level == "landmark":
                return any(w[:1].isupper() or w[:1].isdigit() for w in words)
            return all(w[:1].isupper() for w in words if not w.isdigit())

        return self._hits(_non_overlapping(found, len(toks), case_ok), toks, text)

    def _hits(self, found: list[tuple[int, int, list[Entry]]], toks: list[tuple[str, int, int]], text: str) -> list[Hit]:
        hits: list[Hit] = []
        for i, L, entries in found:
            span = toks[i:i + L]
            words = [t[0] for t in span if not t[0].isdigit()]
            cap = all(w[:1].isupper() for w in words) if words else True
            for e in entries:
                hits.append(Hit(e, i, i + L, text[span[0][1]:span[-1][2]], self._prefix(toks, i, text), cap))
        return hits

    def _longest_at(self, i: int, toks: list[tuple[str, int, int]], folds: list[str], lows: list[str] | None, text: str,
                    found: list[tuple[int, int, list[Entry]]],
                    loose: list[tuple[int, int, list[Entry]]] | None = None) -> bool:
        """Append the longest indexed name starting at token i (joined only by allowed gaps, and
        accent-exact when `lows` is given) to `found`; False when none starts there. `loose` collects the
        longer names that matched only folded, written without any mark (see `find`)."""
        n = len(toks)
        for L in range(min(self.maxlen, n - i), 0, -1):
            entries = self.index.get(tuple(folds[i:i + L]))
            if not entries:
                continue
            if L > 1 and not all(_GAP_OK.match(text[toks[j][2]:toks[j + 1][1]]) for j in range(i, i + L - 1)):
                continue
            if lows is not None:
                acc = tuple(lows[i:i + L])
                exact = [e for e in entries if e.acc == acc]
                if not exact:
                    if loose is not None and L > 1 and acc == tuple(folds[i:i + L]):
                        loose.append((i, L, entries))
                    continue
                entries = exact
            found.append((i, L, entries))
            return True
        return False

    def resolve(self, text: str, *, accented: bool = True, max_chars: int = 20_000,
                unmarked: list[Hit] | None = None) -> PlaceResult:
        """The places a text names, judged as the module docstring says: other provinces named
        explicitly, then one area reading per span, accepted when strong or anchored nearby. `unmarked`: see
        `find`."""
        hits = self.find(text, accented=accented, max_chars=max_chars, unmarked=unmarked)
        head = text[:max_chars]
        ctx = _Reading(text=text, toks=_tokens(head),
                       mixed_case=accented and head != head.lower() and head != head.upper(),
                       accented=accented, words=self.words)
        # group alternative entries of one span
        spans: dict[tuple[int, int], list[Hit]] = defaultdict(list)
        for h in hits:
            spans[(h.start, h.end)].append(h)
        # before any judging step: the brand rule (other provinces and area names alike) and the person rule ask
        # whether a neighbouring word is inside a matched name
        ctx.covered = {k for (a, b) in spans for k in range(a, b)}
        ctx.others = self._other_provinces(spans, ctx)
        ctx.others += self._address_provinces(spans, ctx)
        cands = _area_candidates(spans, ctx)
        accepted = self._accepted(cands, ctx.others)
        res = _place_result(accepted, ctx.others)
        res.spans = [(*ctx.span_of(h), self.written.get(h.entry.acc, h.entry.acc))
                     for h in sorted(accepted + ctx.others, key=lambda x: x.start)]
        return res

    def _other_provinces(self, spans: dict[tuple[int, int], list[Hit]], ctx: _Reading) -> list[Hit]:
        """Provinces outside the area named explicitly (one hit per span); a province name that is also a
        common word counts only after "tỉnh" or capitalised in mixed-case text."""
        others: list[Hit] = []
        for hs in spans.values():
            for h in hs:
                e = h.entry
                if e.level != "province" or e.in_area or h.prefix in ("street", "person") or not ctx.case_ok(h):
                    continue
                if _brand_use(h, ctx) == "product":
                    continue  # "bia Hà Nội" is a beer
                if _key(e.province) in self.risky_provinces and not (
                    h.prefix == "province" or (ctx.mixed_case and h.capitalised)
                ):
                    continue
                others.append(h)
                break
        return others

    def _accepted(self, cands: list[Hit], others: list[Hit]) -> list[Hit]:
        """The candidates that stand: strong ones, and weak ones with an area anchor near enough (or the
        ward type word before them and no other province named), unless a nearer other province has a
        unit of that name."""
        anchors = [h for h in cands if _counts_alone(h, others)]
        accepted: list[Hit] = []
        for h in cands:
            e = h.entry
            nm_key = tuple(fold(t) for t, _, _ in _tokens(h.matched_text))
            elsewhere = self.unit_provinces.get(nm_key, set())
            rivals = [o for o in others
                      if o.entry.province in elsewhere or self.old_to_new_province.get(o.entry.province) in elsewhere]
            d_rival = _nearest(h, rivals)
            d_anchor = _nearest(h, anchors)
            if rivals and d_rival < d_anchor and e.level != "province":
                continue  # an explicit other province that has a unit of this name wins
            if _counts_alone(h, others):
                accepted.append(h)
                continue
            if d_anchor <= 8 and d_anchor < _nearest(h, others):
                accepted.append(h)
            elif h.prefix == "ward" and not others:
                # "phường Thanh Sơn", "khu Quang Trung" and no other province named: the unit of the area
                accepted.append(h)
        return accepted


@dataclass
class _Reading:
    """One text being resolved: what the judging steps of `Gazetteer.resolve` all look at."""

    text: str
    toks: list[tuple[str, int, int]]
    mixed_case: bool
    accented: bool = True
    words: ContextWords | None = None
    others: list[Hit] = field(default_factory=list)  # other provinces named explicitly
    covered: set[int] = field(default_factory=set)  # token indexes inside some matched name (set by resolve)

    def gap(self, i: int) -> str:
        """The text between token i and the next one."""
        return self.text[self.toks[i][2]:self.toks[i + 1][1]] if i + 1 < len(self.toks) else ""

    def capitalised(self, i: int) -> bool:
        return self.toks[i][0][:1].isupper()

    def span_of(self, h: Hit) -> tuple[int, int]:
        """Character span of a hit in the text."""
        return self.toks[h.start][1], self.toks[h.end - 1][2]

    def case_ok(self, h: Hit) -> bool:
        """In mixed-case text a name must be capitalised (phương Đông = the East); a landmark needs one
        capitalised word or a number."""
        if not self.mixed_case:
            return True
        if h.entry.level == "landmark":
            return any(w[:1].isupper() or w[:1].isdigit() for w in h.matched_text.split())
        return h.capitalised


# level order by the word written before a name (None, a street or a person: the default)
_LEVEL_ORDER: dict[str | None, dict[str, int]] = {
    "ward": {"ward_2025": 0, "ward_old": 1, "landmark": 2, "district_old": 3, "province": 4},
    "district": {"district_old": 0, "province": 1, "ward_2025": 2, "ward_old": 3, "landmark": 4},
    "province": {"province": 0, "district_old": 1, "ward_2025": 2, "ward_old": 3, "landmark": 4},
}
_DEFAULT_ORDER = {"province": 0, "landmark": 1, "district_old": 2, "ward_2025": 3, "ward_old": 4}


def _rank(h: Hit, pref: str | None) -> tuple[int, int]:
    """Which reading of a span the prefix makes likeliest; strong before weak."""
    order = _LEVEL_ORDER.get(pref, _DEFAULT_ORDER)
    return (order[h.entry.level], 0 if h.entry.strong else 1)


def _area_candidates(spans: dict[tuple[int, int], list[Hit]], ctx: _Reading) -> list[Hit]:
    """One area reading per span, chosen by the prefix, or none (a street, a quoted name, lower case)."""
    mentioned_districts = {h.entry.district for hs in spans.values() for h in hs
                           if h.entry.level == "district_old"}
    speakers = _speakers(spans, ctx)
    cands: list[Hit] = []
    for hs in spans.values():
        area = [h for h in hs if h.entry.in_area]
        if not area:
            continue
        pref = area[0].prefix
        if pref in ("street", "person") and (
            ctx.others or not any(h.entry.strong and h.entry.level != "ward_old" for h in area)
        ):
            continue  # đường Quang Trung; đường Hạ Long (Vũng Tàu); but "đường Cẩm Phả bụi quá" counts
        if _quoted(ctx.text, ctx.span_of(area[0])):
            continue  # "Hạ Long" as the name of a shop or a product
        if not ctx.case_ok(area[0]):
            continue
        brand = _brand_use(area[0], ctx)
        if brand == "maker":  # "Công ty Hải Hà"; the area's own companies are landmarks ("Công ty Than Mông Dương")
            area = [h for h in area if h.entry.level == "landmark"]
        if brand == "product" or not area:
            continue  # "bánh kẹo Hải Hà", "dầu thực vật Cái Lân"
        if _person_name(area[0], ctx, speakers):
            continue  # "Lê Quang Ninh"; "Đông Triều lý giải: …"
        area = _inside_next_unit(area, spans, ctx)
        if not area:
            continue  # "khu Nam Sơn phường Uông Bí": a residential area of phường Uông Bí, not xã Nam Sơn (Ba Chẽ)
        best = _best_reading(area, pref, mentioned_districts)
        if best is not None:
            cands.append(best)
    return cands


def _residential_before(a: int, ctx: _Reading) -> bool:
    """A residential-area word (RESIDENTIAL_WORDS: khu, tổ, thôn, khu phố…) stands right before token a."""
    for n in (3, 2, 1):
        if a - n < 0 or any(ctx.gap(j).strip() for j in range(a - n, a)):
            continue
        words = [t[0].lower() for t in ctx.toks[a - n:a]]
        for w in RESIDENTIAL_WORDS:
            ws = w.split()
            if len(ws) != n:
                continue
            if words == ws or (w not in _MARKS_ONLY and all(x == fold(x) for x in words)
                               and words == [fold(y) for y in ws]):
                return True
    return False


def _holder(b: int, spans: dict[tuple[int, int], list[Hit]], ctx: _Reading) -> list[Hit] | None:
    """The readings of the unit named right after token b-1 with its type word ("…, phường Uông Bí", "… xã Ba
    Chẽ", "… - TP Uông Bí"), or None when none follows. A bare name does not do: "Cẩm Phả, Uông Bí" is a list."""
    if b >= len(ctx.toks) or not _HOLDER_GAP.match(ctx.gap(b - 1)):
        return None
    for (c, _d), hs in sorted(spans.items(), key=lambda kv: kv[0]):  # the nearest first
        if (b < c <= b + 2 and hs[0].prefix in _UNIT_PREFIXES and not _residential_before(c, ctx)
                and not any(ctx.gap(j).strip(" .") for j in range(b, c))):
            units = [h for h in hs if h.entry.level != "landmark"]
            return units or None
    return None


def _same_unit(r: Entry, m: Entry) -> bool:
    """Reading r lies within unit m: the same 2025 unit, the same old district, or m is r's province."""
    if m.level == "province":
        return r.province == m.province
    if m.level == "district_old" or r.level == "district_old":
        return r.district is not None and r.district == m.district
    return r.code_2025 is not None and r.code_2025 == m.code_2025


def _inside_next_unit(area: list[Hit], spans: dict[tuple[int, int], list[Hit]], ctx: _Reading) -> list[Hit]:
    """Round 22: a name after a residential-area word and right before a unit names a part of that unit: keep the
    readings that lie within it (thôn Nam Sơn, xã Ba Chẽ: old xã Nam Sơn is now xã Ba Chẽ), drop the rest
    (khu Nam Sơn, phường Uông Bí: not xã Nam Sơn, ex-Ba Chẽ); since round 23 also a bare ward name right before
    one (`_bare_ward_name`). Any other name: `area` unchanged."""
    a, b = area[0].start, area[0].end
    if not (_residential_before(a, ctx) or _bare_ward_name(area, b, ctx)):
        return area
    holder = _holder(b, spans, ctx)
    if holder is None:
        return area
    return [h for h in area if any(_same_unit(h.entry, m.entry) for m in holder)]


def _bare_ward_name(area: list[Hit], b: int, ctx: _Reading) -> bool:
    """Round 23: a ward or commune name without any word before it, followed by a space only (no comma) and then a
    unit with its type word, is read as a residential word would make it: «Nam Sơn phường Uông Bí» is a part of
    phường Uông Bí, not xã Nam Sơn (ex-Ba Chẽ) beside it. A district or province name is left alone («Hạ Long
    phường Bãi Cháy»), and so is a list («Nam Sơn, phường Uông Bí»)."""
    return (area[0].prefix is None and all(h.entry.level in WARD_LEVELS for h in area)
            and b < len(ctx.toks) and ctx.gap(b - 1).strip() == "")


def _brand_start(j: int, ctx: _Reading) -> str | None:
    """"product" when a product word of brand_words.txt stands right before token j, "maker" when a company
    word does (maybe followed by trade or product words: "Xí nghiệp xuất khẩu", "Công ty bánh kẹo")."""
    w = ctx.words
    if w is None or j == 0 or ctx.gap(j - 1).strip() or "\n" in ctx.gap(j - 1):
        return None
    if w.product.ending_at(ctx, j):
        return "product"
    k = j
    for _ in range(3):  # "Công ty cổ phần bánh kẹo Hải Hà"
        n = w.trade.ending_at(ctx, k)
        if not n or k - n == 0 or ctx.gap(k - n - 1).strip():
            break
        k -= n
    return "maker" if w.maker.ending_at(ctx, k) else None


def _list_item_start(end: int, ctx: _Reading) -> list[int]:
    """Where an item of a comma list that ends at token `end` (inclusive) may start: 1–3 capitalised words."""
    starts = []
    k = end
    while k >= 0 and end - k < 3 and ctx.capitalised(k) and (k == end or not ctx.gap(k).strip()):
        starts.append(k)
        k -= 1
    return starts


def _brand_use(h: Hit, ctx: _Reading) -> str | None:
    """Round 15: a place name used as a maker's or a brand's name ("product" or "maker", else None). Right
    after the words of brand_words.txt, or inside a comma list that they govern and that goes on after the
    name with something that is not a place ("hãng Kinh Đô, Hải Hà, Hải Châu…": Hải Hà, the sweets maker)."""
    kind = _brand_start(h.start, ctx)
    if kind or h.start == 0 or ctx.gap(h.start - 1).strip() != ",":
        return kind
    nxt = h.end
    if nxt >= len(ctx.toks) or nxt in ctx.covered or not ctx.capitalised(nxt) or (
            ctx.gap(h.end - 1).strip() not in (",", "và")):
        return None
    k = h.start - 1
    for _ in range(4):  # earlier items of the list, none of them a place
        starts = _list_item_start(k, ctx)
        if not starts or any(i in ctx.covered for i in range(starts[-1], k + 1)):
            return None
        for s in starts:
            kind = _brand_start(s, ctx)
            if kind:
                return kind
        k = starts[-1] - 1
        if k < 0 or ctx.gap(k).strip() != ",":
            return None
    return None


def _bare(h: Hit, ctx: _Reading) -> bool:
    """Capitalised, with no unit word before it: a name that could be a person's."""
    return ctx.mixed_case and h.capitalised and h.prefix not in _UNIT_PREFIXES


def _speakers(spans: dict[tuple[int, int], list[Hit]], ctx: _Reading) -> set[tuple[str, ...]]:
    """Area names that speak in this text: a bare name opening a sentence, then a word of speaking and a colon
    ("Đông Triều lý giải: …"). Every bare mention of them is the person (person_words.txt)."""
    out: set[tuple[str, ...]] = set()
    if ctx.words is None or not ctx.mixed_case:
        return out
    for (a, b), hs in spans.items():
        h = next((x for x in hs if x.entry.in_area), None)
        if h is None or not _bare(h, ctx) or b >= len(ctx.toks):
            continue
        before = ctx.text[ctx.toks[a - 1][2]:ctx.toks[a][1]] if a else "\n"
        if not any(c in before for c in ".!?:;\n\"“"):
            continue
        n = ctx.words.speech.starting_at(ctx, b) if not ctx.gap(b - 1).strip() else 0
        if n and ctx.gap(b + n - 1).strip().startswith(":"):
            out.add(_key(h.matched_text))
    return out


def _person_name(h: Hit, ctx: _Reading, speakers: set[tuple[str, ...]]) -> bool:
    """Round 15: the name is (part of) a person's name: right after a family name or Văn/Thị ("Lê Quang Ninh",
    with no other name covering that word), or a bare mention of a name that speaks in this text."""
    if not _bare(h, ctx) or ctx.words is None:
        return False
    if _key(h.matched_text) in speakers:
        return True
    a = h.start
    if a == 0 or (a - 1) in ctx.covered or ctx.gap(a - 1) != " " or not ctx.capitalised(a - 1):
        return False
    return ctx.words.surname.ending_at(ctx, a) == 1


def _best_reading(area: list[Hit], pref: str | None, mentioned_districts: set[str | None]) -> Hit | None:
    """The likeliest area reading of one span; several units of one name: the one whose old district is
    named. None for a district type word before names that are only weak wards here."""
    best = sorted(area, key=lambda h: _rank(h, pref))
    same = [h for h in best if _rank(h, pref) == _rank(best[0], pref)]
    if len(same) > 1:
        named = [h for h in same if h.entry.district in mentioned_districts]
        if named:
            best = named + [h for h in best if h not in named]
    elif pref == "ward" and best[0].entry.level in WARD_LEVELS and best[0].entry.district not in mentioned_districts:
        # "phường Trần Phú, TP Hải Dương": the old ward of the district named, not the 2025 namesake elsewhere
        named = [h for h in best if h.entry.level in WARD_LEVELS and h.entry.district in mentioned_districts
                 and h.entry.district is not None]
        if named:
            best = named + [h for h in best if h not in named]
    # a ward type word before a name that is only a district/province elsewhere: keep the ward reading
    if pref == "district" and not any(h.entry.level in ("district_old", "province") for h in best):
        if all(not h.entry.strong for h in best):
            return None
    return best[0]


def _counts_alone(h: Hit, others: list[Hit]) -> bool:
    """Strong; but an old ward's bare name counts alone only while no other province is named."""
    return h.entry.strong and not (h.entry.level == "ward_old" and h.prefix != "ward" and others)


def _nearest(h: Hit, pool: list[Hit]) -> int:
    """Tokens between h and the nearest hit of the pool that names another place (10**9: none)."""
    ds = [min(abs(o.start - h.end), abs(h.start - o.end)) for o in pool
          if o is not h and o.entry.display != h.entry.display]
    return min(ds) if ds else 10**9


def _place_result(accepted: list[Hit], others: list[Hit]) -> PlaceResult:
    """Accepted and other-province places in text order, each display once."""
    res = PlaceResult()
    seen: set[str] = set()
    for h in sorted(accepted + others, key=lambda x: x.start):
        e = h.entry
        if e.display in seen:
            continue
        seen.add(e.display)
        res.places.append(e.display)
        res.details.append({
            "name": e.name, "level": e.level, "name_2025": e.name_2025, "code_2025": e.code_2025,
            "province": e.province, "matched_text": h.matched_text, "old_name": e.old_name,
            "in_area": e.in_area, "display": e.display,
        })
    res.in_area = any(h.entry.in_area for h in accepted)
    return res


def load_gazetteer(province: str = "Quảng Ninh", cache_dir: Path | None = None, data_dir: Path = DATA) -> Gazetteer:
    """`Gazetteer(province)`, from a copy in `cache_dir/.unpacked` made once (nlp/unpacked.py): the index build
    costs about 1 s at every process start, the copy 0.02 s. The copy's key covers the data files by name and content
    (a renamed list is a changed list: nlp.version.data_fingerprint, as the tag stamp reads them), this module and
    the vocab modules it reads names with, so an edited list or rule makes a new one. Each province has its own copy
    (the `variant`): two deployments of different provinces sharing one model folder keep both. No `cache_dir`:
    built."""
    if cache_dir is None:
        return Gazetteer(province, data_dir)
    import vocab.casing
    import vocab.folding
    from nlp.unpacked import load_cached
    from nlp.version import data_fingerprint

    sources = [Path(__file__), Path(vocab.casing.__file__), Path(vocab.folding.__file__)]
    return load_cached(cache_dir, "gazetteer", sources, lambda: Gazetteer(province, data_dir),
                       salt=data_fingerprint(Path(data_dir)), variant=province)
