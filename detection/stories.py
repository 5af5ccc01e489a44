"""Stories: group items about the same event across outlets and social posts. Pure logic, no SQL.

    new item (folded text, places, topics)                      StoryIndex (in memory, one per process)
        │ mask its place mentions ("phuong vang danh" → " ")     ├─ active stories (last seen within window)
        │ TF-IDF over char 3–5-grams (hashed; running IDF)      │    centroid: top terms of Σ member vectors
        ▼                                                       ├─ postings: folded word/bigram key → stories
    candidates = active stories sharing a rare word key  ──────▶│  (keys in more than max_postings stories skipped)
        │ cosine(item, centroid)
        ▼
    places conflict (other province, or other units of the area, both known) → never joins
    best ≥ join_threshold (lower, near_threshold, for the same ward and a main topic of the story — one that
    most of its items carry — within near_hours; higher,
    topic_conflict_threshold, when topics disagree; higher, same_source_threshold, for a story all of whose items
    come from the item's own source when that is press (same_source_types); after a quiet gap of max_gap_hours only an item
    that refers back: a reference word ("vụ", "hôm qua", "khắc phục"…), ≥ refer_threshold and ≥
    refer_min_keys shared word keys, or a near-copy ≥ refer_copy_threshold) → join; else it starts one
    (before all that: a reply naming its post — fb_post:<guid>, or the same thread by its address or a "Re:" title,
    on the same social source — joins the post's active story unless places conflict, or it carries topics yet its
    words touch neither the story nor the post (reply_threshold) nor, topics agreeing, a ward of it: a thread's short
    replies share too few words with it, an off-topic comment under it is judged by its own words)
    against a story of the item's own press section, the words most of that section's items in other stories carry
    (a column's boilerplate) are left out (section_items, section_share)

Why these choices (measured in the issue): character n-grams of accent-folded text found 83% of
paraphrase pairs where a generic MiniLM found 33%; folding makes "sạt lở" and "sat lo" identical, so
an outlet with diacritics and a Facebook group without them land in one story. Place names are masked
before comparing, so two different incidents at the same ward are not merged because they share its
name; a topic mismatch needs a clearly higher similarity. Places that conflict never merge: a
landslide in Quảng Nam and one in phường Vàng Danh share every word but are two incidents, and so
are the same wording at phường Vàng Danh and at phường Yên Tử (old names mapped to 2025 wards). Time
matters too: an incident's reports come within hours, so after a quiet gap a story takes only items
that clearly re-tell it; a new incident of the same kind at the same ward days later starts its own
story (measured: bench/stories.py purity, docs/ALERTS.md). One outlet's section reads alike from item to item
(readers' letters, recipes, price and match reports: 0.26–0.47 with no event in common on real news), so a press
item joins a story held only by its own source with a clearly higher similarity (bench/stories_real.py,
docs/ALERTS.md); a social group's replies about one incident read unlike each other, so theirs is not raised. Blocking on word keys
inside a time window keeps the cost per item bounded (bench/stories.py measures how it grows).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, KeysView, Mapping, Sequence

import numpy as np

from vocab.folding import fold

_TOKEN = re.compile(r"[a-z0-9]+")
_MAX_SECTIONS = 4096  # press origins whose latest items' n-grams are kept (StoryIndex.sections)
_WARD_LEVELS = ("phuong", "xa", "ward", "commune", "dac khu", "special")


@dataclass(frozen=True)
class StoryParams:
    window_hours: float = 72.0
    join_threshold: float = 0.30
    topic_conflict_threshold: float = 0.50
    near_threshold: float = 0.26
    near_hours: float = 6.0
    max_gap_hours: float = 12.0
    refer_threshold: float = 0.45
    refer_min_keys: int = 2
    refer_copy_threshold: float = 0.8
    ngram_min: int = 3
    ngram_max: int = 5
    n_features: int = 1 << 20
    centroid_terms: int = 300
    max_postings: int = 200
    max_candidates: int = 40
    max_keys: int = 16
    anchor_weight: float = 0.0
    same_source_threshold: float = 0.40
    same_source_types: tuple[str, ...] = ("press",)
    reply_threshold: float = 0.08
    section_items: int = 8
    section_share: float = 0.5
    text_chars: int = 600
    prior_docs: int = 1000
    max_items_per_step: int = 5000

    @classmethod
    def from_section(cls, sec: dict[str, Any]) -> "StoryParams":
        known = {f for f in cls.__dataclass_fields__}
        kw = {k: sec[k] for k in sec if k in known}
        if "same_source_types" in kw:  # a TOML list; the params stay hashable
            kw["same_source_types"] = tuple(kw["same_source_types"])
        return cls(**kw)


@dataclass
class GroupItem:
    """What grouping needs of one tagged item (the NLP pipeline's contract, reduced)."""

    item_id: str
    published_at: datetime
    folded: str
    source: str = ""
    outlet: str = ""
    source_type: str = "press"
    title: str = ""
    topics: tuple[str, ...] = ()
    sentiment: str | None = None
    in_area: bool = False
    places: tuple[str, ...] = ()
    mask: tuple[str, ...] = ()  # folded place mentions to blank out before comparing
    wards: frozenset[str] = frozenset()  # folded 2025 units of the area it names (see place_mask_and_wards)
    provinces: frozenset[str] = frozenset()  # folded 2025 provinces it names (the area's own included)
    title_restored: str = ""  # the title with diacritics restored, when it was written without
    collector: str = ""  # collector kind (naming a story, forums rank above other social posts)
    guid: str = ""  # the source's own id of the item (a Facebook post's id)
    reply_to: str = ""  # the guid of the post this comment or reply answers (flag fb_post:<id>), on its source
    thread: str = ""  # the conversation it belongs to, from its link or a "Re:" title (thread_key), on its source
    thread_reply: bool = False  # True when `thread` says it answers an earlier item (a link does; a title only with "Re:")


@dataclass(frozen=True)
class Assignment:
    item_id: str
    story_id: str
    similarity: float | None  # None: the item started the story


@dataclass
class _Story:
    story_id: str
    last_seen: datetime
    first_seen: datetime
    n: int
    c_idx: np.ndarray  # Σ member vectors, truncated to the strongest centroid_terms n-grams (int32)
    c_val: np.ndarray  # float32
    norm: float        # its L2 norm, so cosine = (item · c) / norm
    s_idx: np.ndarray | None = None  # the first item's vector (truncated): anchors the story against drift
    s_val: np.ndarray | None = None
    wards: set[str] = field(default_factory=set)
    provinces: set[str] = field(default_factory=set)
    topic_counts: Counter[str] = field(default_factory=Counter)  # how many members carry each topic
    source: str | None = None  # the one origin (_origin) all its items come from; None once a second one joined

    @property
    def topics(self) -> KeysView[str]:
        """Every topic a member carries (a view: no copy per candidate in `_best`)."""
        return self.topic_counts.keys()

    def main_topics(self) -> set[str]:
        """Topics that more than half of the members carry: what the story is about, not a side topic one
        item brought in (the looser near rule asks for one of these)."""
        return {t for t, c in self.topic_counts.items() if 2 * c > self.n}


def _origin(it: GroupItem) -> str:
    """Where an item comes from, for the same-source rule: its source and outlet. A feed has one outlet, so this is
    the feed (a section); an import file is one source of many outlets (`import-<file>`), and its rows from
    different newspapers are not one section (round 17)."""
    return f"{it.source}\x1f{it.outlet}" if it.outlet and it.outlet != it.source else it.source


def place_mask_and_wards(place_details: Iterable[dict[str, Any]] | None, places: Iterable[str] = ()) -> tuple[tuple[str, ...], frozenset[str]]:
    """Folded strings to mask (matched text, names, old names) and the 2025 units of the area an item
    names: its wards, or, when it names no ward, the wards its old districts became ("TP Uông Bí" →
    Uông Bí, Vàng Danh, Yên Tử), so a story in TP Hạ Long and one in phường Vàng Danh conflict."""
    mask: set[str] = set()
    wards: set[str] = set()
    district_wards: set[str] = set()
    for d in place_details or ():
        if not isinstance(d, dict):
            continue
        for k in ("matched_text", "name", "old_name", "name_2025"):
            v = d.get(k)
            if isinstance(v, str) and v.strip():
                mask.add(fold(v).strip())
        level = " ".join(_TOKEN.findall(fold(str(d.get("level") or "")).replace("_", " ")))
        if any(f" {w} " in f" {level} " for w in _WARD_LEVELS):
            name = d.get("name_2025") or d.get("name")
            if name:
                wards.add(_strip_level(fold(str(name))))
        elif "district" in level and isinstance(d.get("name_2025"), str):
            district_wards.update(_strip_level(fold(w)) for w in d["name_2025"].split(",") if w.strip())
    for p in places or ():
        if p:
            mask.add(fold(p).strip())
            mask.add(_strip_level(fold(p)))
    mask.discard("")
    # longest first so "phuong vang danh" is removed before "vang danh"
    return tuple(sorted(mask, key=lambda s: (-len(s), s))), frozenset(wards or district_wards)


def place_provinces(place_details: Iterable[dict[str, Any]] | None) -> frozenset[str]:
    """Folded 2025 provinces an item names: a province mention by its 2025 province ("Quảng Nam" →
    "da nang"), any other place by the province it lies in (the gazetteer's units are the area's)."""
    out: set[str] = set()
    for d in place_details or ():
        if not isinstance(d, dict):
            continue
        level = fold(str(d.get("level") or ""))
        name = d.get("name_2025") if level == "province" and d.get("name_2025") else d.get("province")
        if isinstance(name, str) and name.strip():
            out.add(_PROVINCE_PREFIX.sub("", fold(name).strip()))
    return frozenset(out)


_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")


def places_conflict(wards_a: Iterable[str], provinces_a: Iterable[str], wards_b: Iterable[str], provinces_b: Iterable[str]) -> bool:
    """True when both sides know where they are and the places cannot be one incident: no province in
    common, or no 2025 unit of the area in common."""
    pa_, pb_ = set(provinces_a), set(provinces_b)
    if pa_ and pb_ and not (pa_ & pb_):
        return True
    wa, wb = set(wards_a), set(wards_b)
    return bool(wa and wb and not (wa & wb))


# Words by which a later report points back at an earlier incident (folded, whole words): "vụ sạt lở …",
# "hôm qua", "trước đó", "tiếp tục", "khắc phục hậu quả", "sau sự cố". A first report says "sáng nay".
REFER_WORDS = re.compile(r"(?<![a-z0-9])(vu|hom qua|toi qua|dem qua|truoc do|tiep tuc|khac phuc|hau qua|sau su co|"
                         r"vu viec|cap nhat|moi nhat|dien bien)(?![a-z0-9])")

_LEVEL_PREFIX = re.compile(r"^(phuong|xa|thi tran|tp\.?|thanh pho|thi xa|huyen|quan|tinh|dac khu)\s+")


def _strip_level(s: str) -> str:
    return _LEVEL_PREFIX.sub("", s.strip())


def masked_text(folded: str, mask: Sequence[str], limit: int) -> str:
    text = " " + (folded or "")[: limit * 2] + " "
    for m in mask:
        if len(m) >= 3:
            text = text.replace(m, " ")
    return re.sub(r"\s+", " ", text).strip()[:limit]


def _keys(text: str) -> set[str]:
    """Blocking keys: folded word bigrams (Vietnamese syllables alone are too common to block on)."""
    toks = [t for t in _TOKEN.findall(text) if len(t) >= 2 and not t.isdigit()]
    return {f"{a} {b}" for a, b in zip(toks, toks[1:])}


class StoryIndex:
    """Incremental story grouping over a sliding time window. Feed items in published order."""

    def __init__(self, params: StoryParams | None = None):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.p = params or StoryParams()
        self._vec = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(self.p.ngram_min, self.p.ngram_max),
            n_features=self.p.n_features,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float32,
        )
        self.df = np.zeros(self.p.n_features, dtype=np.float32)
        self.n_docs = 0
        self._load_prior()
        self.stories: dict[str, _Story] = {}
        self.postings: dict[str, list[str]] = {}
        self.threads: dict[tuple[str, str], str] = {}  # (source, guid or thread key) of a social item → its story
        self.sections: dict[str, deque[tuple[str, np.ndarray]]] = {}  # press origin → (story, n-gram ids) of its latest items
        self._buf = np.zeros(self.p.n_features, dtype=np.float32)
        self._dead = 0

    def _load_prior(self) -> None:
        """Start from document frequencies of ordinary news (scaled to prior_docs documents)."""
        if self.p.prior_docs <= 0:
            return
        from detection.stories_prior import load_prior

        prior = load_prior()
        if not prior or not prior.get("n_docs"):
            return
        from sklearn.utils import murmurhash3_32

        scale = self.p.prior_docs / float(prior["n_docs"])
        for gram, d in prior["df"].items():
            if self.p.ngram_min <= len(gram) <= self.p.ngram_max:
                self.df[abs(murmurhash3_32(gram, seed=0)) % self.p.n_features] += d * scale
        self.n_docs = self.p.prior_docs

    # ---------------------------------------------------------------- vectors
    def _vectors(self, texts: list[str], update_df: bool = True) -> list[tuple[np.ndarray, np.ndarray]]:
        if not texts:
            return []
        X = self._vec.transform(texts).tocsr()
        X.sum_duplicates()
        if update_df:
            cols, counts = np.unique(X.indices, return_counts=True)
            self.df[cols] += counts
            self.n_docs += len(texts)
        n = max(self.n_docs, 1)
        # sublinear tf × idf, L2-normalised, for the whole batch at once
        data = (1.0 + np.log(X.data)) * (np.log((1.0 + n) / (1.0 + self.df[X.indices])) + 1.0)
        data = data.astype(np.float32)
        lengths = np.diff(X.indptr)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(lengths))).astype(np.float32)
        data /= np.repeat(np.maximum(norms, 1e-12), lengths)
        indices = X.indices.astype(np.int32)
        # HashingVectorizer rows come sorted by column after sum_duplicates
        return [(indices[X.indptr[i]:X.indptr[i + 1]], data[X.indptr[i]:X.indptr[i + 1]]) for i in range(X.shape[0])]

    def _truncate(self, idx: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        k = self.p.centroid_terms
        if len(val) > k:
            top = np.sort(np.argpartition(val, -k)[-k:])
            idx, val = idx[top], val[top]
        return idx.astype(np.int32, copy=False), val.astype(np.float32, copy=False), float(np.sqrt(np.dot(val, val)))

    # ---------------------------------------------------------------- window
    def expire(self, now: datetime) -> int:
        """Forget stories whose last item is older than the window (they stay in the database)."""
        cutoff = now - timedelta(hours=self.p.window_hours)
        dead = [sid for sid, s in self.stories.items() if s.last_seen < cutoff]
        for sid in dead:
            del self.stories[sid]
        if dead and self.threads:
            self.threads = {k: v for k, v in self.threads.items() if v in self.stories}
        self._dead += len(dead)
        if self._dead > max(len(self.stories), 20_000):  # rebuild postings once they are mostly dead ids
            self._compact()
        return len(dead)

    def _compact(self) -> None:
        alive = self.stories
        self.postings = {k: [s for s in v if s in alive] for k, v in self.postings.items()}
        self.postings = {k: v for k, v in self.postings.items() if v}
        self._dead = 0

    # ---------------------------------------------------------------- grouping
    def _text(self, it: GroupItem) -> str:
        return masked_text(it.folded, it.mask, self.p.text_chars)

    def add(self, items: Sequence[GroupItem]) -> list[Assignment]:
        """Assign each item to an active story or start a new one. Items in published order."""
        if not items:
            return []
        texts = [self._text(it) for it in items]
        vecs = self._vectors(texts)
        out: list[Assignment] = []
        for it, text, (idx, val) in zip(items, texts, vecs):
            keys = _keys(text)
            best_sid, best_sim = self._best(it, keys, idx, val)
            if best_sid is not None:
                self._join(best_sid, it, keys, idx, val)
                out.append(Assignment(it.item_id, best_sid, best_sim))
            else:
                sid = self._start(it, keys, idx, val)
                out.append(Assignment(it.item_id, sid, None))
            self._note_section(it, out[-1].story_id, idx)
        return out

    def _best(self, it: GroupItem, keys: set[str], idx: np.ndarray, val: np.ndarray) -> tuple[str | None, float]:
        """The active story the item joins, with its similarity, or (None, 0.0): the candidates sharing
        the most rare keys, scored by cosine (blended with the anchor), each held to its own threshold."""
        p = self.p
        cands, counts = self._candidates(it, keys)
        thread = self._thread(it)
        at = next((k for k, s in enumerate(cands) if thread is not None and s.story_id == thread.story_id), None)
        if thread is not None and at is None:
            cands, at = [*cands, thread], len(cands)
        if not cands:
            return None, 0.0
        sims = self._similarities(cands, idx, val)
        topics = set(it.topics)
        if thread is not None and at is not None and self._follows(it, topics, thread, float(sims[at]), idx, val):
            return thread.story_id, round(float(sims[at]), 4)  # a reply joins its post's story, whatever its words
        floor = min(p.join_threshold, p.near_threshold)
        passing = np.flatnonzero(sims >= floor)
        if not len(passing):
            return None, 0.0
        self._section_sims(it, cands, sims, passing, idx, val)
        passing = passing[sims[passing] >= floor]
        refers = bool(REFER_WORDS.search(it.folded[: p.text_chars]))
        best_sid, best_sim = None, 0.0
        for k in passing.tolist():
            s, sim = cands[k], float(sims[k])
            need = self._need(it, topics, s, counts[s.story_id], refers)
            if need is None:
                continue
            if sim >= need and (sim > best_sim or (sim == best_sim and best_sid is not None and s.story_id < best_sid)):
                best_sid, best_sim = s.story_id, sim
        return best_sid, round(best_sim, 4)

    def _thread(self, it: GroupItem) -> _Story | None:
        """The active story of the post this item answers on its own source (its fb_post link, or the thread its
        address or "Re:" title names), unless their places conflict. Why: a thread's replies are short and worded
        every which way ("nha e cung mat dien", "dien luc lam an kieu j"), 0.1–0.25 to the post, no better than
        unrelated posts of the same group; the link says they answer it."""
        if not it.source or it.source_type != "social":
            return None
        keys = [k for k in (it.reply_to, it.thread if it.thread_reply else "") if k]
        s = next((st for k in keys if (st := self.stories.get(self.threads.get((it.source, k), ""))) is not None), None)
        if s is None or (it.published_at - s.last_seen).total_seconds() > self.p.window_hours * 3600:
            return None
        return None if places_conflict(it.wards, it.provinces, s.wards, s.provinces) else s

    def _follows(self, it: GroupItem, topics: set[str], s: _Story, sim: float, idx: np.ndarray, val: np.ndarray) -> bool:
        """Whether a reply joins the story of the post it answers by the link (round 18): unless its own words say it
        is about something else. A reply with topics needs its words to touch the thread — the story (≥
        join_threshold) or the story's first item, the post (≥ reply_threshold) — or, when its topics share one of
        the story's, a ward of it. A complaint about another road under a festival post shares "traffic" with it but
        0.05 of its words: it is judged by the usual rules instead, and does not weigh on the festival's counts and
        sentiment. A bare reaction with no topic ("đẹp quá") follows the link. Topics that share none of the story's
        do not refuse a reply its words tie to the post: since round 18 a comment's chips come from the comment
        model and its post's from the press models, which often name different chips for one incident (a power
        cut's post «welfare», its replies «economy»), and the veto split such threads reply by reply."""
        if not topics or sim >= self.p.join_threshold:
            return True
        agree = not s.topics or bool(topics & s.topics)  # the story has no topics, or shares one with the reply
        if agree and (it.wards & s.wards):
            return True
        a_idx, a_val = s.s_idx, s.s_val
        if a_idx is None or a_val is None:
            return agree
        return _sparse_dot(idx, val, a_idx, a_val) >= self.p.reply_threshold

    # ---------------------------------------------------------------- one press section's own words
    def _note_section(self, it: GroupItem, sid: str, idx: np.ndarray) -> None:
        """Remember the n-grams of a press section's latest items and their stories (kept when the stories close),
        bounded: section_items per origin, the 4,096 origins seen last."""
        o = self._section_origin(it)
        if not o:
            return
        hist = self.sections.pop(o, None)
        if hist is None:
            hist = deque(maxlen=int(self.p.section_items))
            if len(self.sections) >= _MAX_SECTIONS:
                del self.sections[next(iter(self.sections))]
        hist.append((sid, idx.copy()))
        self.sections[o] = hist  # re-inserted: the dict's order is the order origins were seen last

    def _section_origin(self, it: GroupItem) -> str:
        """The item's press section (`_origin`) when the section rule applies to it, else ""."""
        p = self.p
        if p.section_items <= 0 or it.source_type not in p.same_source_types or not it.source:
            return ""
        return _origin(it)

    def _section_sims(self, it: GroupItem, cands: list[_Story], sims: np.ndarray, passing: np.ndarray,
                      idx: np.ndarray, val: np.ndarray) -> None:
        """Against a story all of whose items come from the item's own press section, compare without the n-grams
        that more than section_share of that section's last items carry (round 18): a templated column's boilerplate
        ("Bạn đọc hỏi … Luật sư trả lời: Theo quy định của pháp luật hiện hành … gửi về chuyên mục Hỏi đáp pháp
        luật") linked unrelated questions at 0.52–0.65, over same_source_threshold. Only the section's items in other
        stories count (one is enough): an outlet's own updates on one incident share its words, not a template.
        Updates `sims` in place."""
        o = self._section_origin(it)
        own = [k for k in passing.tolist() if cands[k].source == o] if o else []
        hist = self.sections.get(o) if own else None
        if not hist:
            return
        # which of the item's n-grams each of the section's last items carries: the same for every candidate
        member = [(sid, np.isin(idx, h, assume_unique=True)) for sid, h in hist]
        for k in own:
            others = [m for sid, m in member if sid != cands[k].story_id]
            if not others:
                continue
            counts = np.sum(others, axis=0, dtype=np.int32)
            keep = counts <= self.p.section_share * len(others)
            if not keep.all():
                sims[k] = self._similarities([cands[k]], idx[keep], val[keep])[0] if keep.any() else 0.0

    def _candidates(self, it: GroupItem, keys: set[str]) -> tuple[list[_Story], Counter[str]]:
        """Active stories sharing the most keys with the item (at most max_candidates, most shared first,
        ties by id), looked up by its rarest keys; and the count of shared keys per story."""
        p = self.p
        cutoff = it.published_at - timedelta(hours=p.window_hours)
        get = self.postings.get
        posts = [(len(lst), k, lst) for k in keys if (lst := get(k)) and len(lst) <= p.max_postings]
        if len(posts) > p.max_keys:  # the rarest keys say the most and cost the least (ties by key: deterministic)
            posts.sort()
            posts = posts[: p.max_keys]
        counts: Counter[str] = Counter()
        if not posts:
            return [], counts
        for _, _, lst in posts:
            counts.update(lst)
        top = counts.most_common(p.max_candidates * 2) if len(counts) > p.max_candidates * 2 else counts.items()
        stories = self.stories
        cands: list[_Story] = []
        for sid, _ in sorted(top, key=lambda kv: (-kv[1], kv[0])):
            s = stories.get(sid)
            if s is None or s.last_seen < cutoff:
                continue
            cands.append(s)
            if len(cands) >= p.max_candidates:
                break
        return cands, counts

    def _similarities(self, cands: list[_Story], idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        """Cosine of the item with each candidate's centroid, all in one pass over a dense buffer; for
        stories of two items or more blended with the anchor (the story's first item) by anchor_weight."""
        p = self.p
        buf = self._buf
        buf[idx] = val
        all_idx = np.concatenate([s.c_idx for s in cands])
        all_val = np.concatenate([s.c_val for s in cands])
        offsets = np.cumsum([0] + [len(s.c_idx) for s in cands[:-1]])
        sims = np.add.reduceat(buf[all_idx] * all_val, offsets) if len(all_idx) else np.zeros(len(cands))
        sims = sims / np.maximum(np.array([s.norm for s in cands], dtype=np.float32), 1e-9)
        if p.anchor_weight > 0:
            grown = [k for k, s in enumerate(cands) if s.n > 1]
            if grown:
                a_idx = np.concatenate([cands[k].s_idx for k in grown])
                a_val = np.concatenate([cands[k].s_val for k in grown])
                a_off = np.cumsum([0] + [len(cands[k].s_idx) for k in grown[:-1]])
                anchor = np.add.reduceat(buf[a_idx] * a_val, a_off)
                for k, a in zip(grown, anchor.tolist()):
                    sims[k] = (1 - p.anchor_weight) * sims[k] + p.anchor_weight * a
        buf[idx] = 0.0
        return sims

    def _need(self, it: GroupItem, topics: set[str], s: _Story, shared_keys: int, refers: bool) -> float | None:
        """The similarity the item needs to join story `s`, or None when it may not join at all (places
        in conflict; a quiet story the item shares too few keys with)."""
        p = self.p
        wards = it.wards
        if places_conflict(wards, it.provinces, s.wards, s.provinces):
            return None  # another province, or other units of the area: another incident
        gap_h = (it.published_at - s.last_seen).total_seconds() / 3600
        need = p.join_threshold
        near = bool(wards and s.wards and wards & s.wards and topics and topics & s.main_topics()
                    and abs(gap_h) <= p.near_hours)
        if near:
            need = min(need, p.near_threshold)  # same ward, same main topic, hours apart: looser wording
        if topics and s.topics and not (topics & s.topics):
            need = max(need, p.topic_conflict_threshold)
        if (p.same_source_threshold > 0 and it.source and s.source == _origin(it)
                and it.source_type in p.same_source_types):
            # one press section's own wording reads alike: ask for more. Not a group's or a forum thread's
            # residents' replies: short, varied posts about one incident that the stricter bar split.
            need = max(need, p.same_source_threshold)
        if gap_h > p.max_gap_hours:  # the story went quiet: only an item that refers back re-opens it
            if shared_keys < p.refer_min_keys:
                return None
            need = max(need, p.refer_threshold if refers else p.refer_copy_threshold)
        return need

    def _start(self, it: GroupItem, keys: set[str], idx: np.ndarray, val: np.ndarray, sid: str | None = None) -> str:
        sid = sid or it.item_id
        c_idx, c_val, norm = self._truncate(idx, val)
        self.stories[sid] = _Story(
            story_id=sid, last_seen=it.published_at, first_seen=it.published_at, n=1,
            c_idx=c_idx, c_val=c_val, norm=norm, wards=set(it.wards),
            provinces=set(it.provinces), topic_counts=Counter(set(it.topics)), source=_origin(it),
            s_idx=c_idx, s_val=c_val / max(norm, 1e-9),
        )
        self._post(sid, keys)
        self._thread_of(sid, it)
        return sid

    def _join(self, sid: str, it: GroupItem, keys: set[str], idx: np.ndarray, val: np.ndarray) -> None:
        s = self.stories[sid]
        u, inv = np.unique(np.concatenate([s.c_idx, idx]), return_inverse=True)
        summed = np.zeros(len(u), dtype=np.float32)
        np.add.at(summed, inv, np.concatenate([s.c_val, val]))
        s.c_idx, s.c_val, s.norm = self._truncate(u, summed)
        s.n += 1
        s.last_seen = max(s.last_seen, it.published_at)
        s.first_seen = min(s.first_seen, it.published_at)
        s.topic_counts.update(set(it.topics))
        if s.source != _origin(it):
            s.source = None
        s.wards.update(it.wards)
        if not s.provinces:  # a story's provinces are those of its first item that named any
            s.provinces = set(it.provinces)
        self._post(sid, keys)
        self._thread_of(sid, it)

    def _thread_of(self, sid: str, it: GroupItem) -> None:
        """Remember which story holds a social item, so the replies that name it as their post follow it; and which
        holds a thread (its address, its title), kept by the first item of the thread that reached a story."""
        if not it.source or it.source_type != "social":
            return
        if it.guid:
            self.threads[(it.source, it.guid)] = sid
        if it.thread and self.threads.get((it.source, it.thread)) not in self.stories:
            self.threads[(it.source, it.thread)] = sid

    def _post(self, sid: str, keys: set[str]) -> None:
        for k in keys:
            lst = self.postings.get(k)
            if lst is None:
                self.postings[k] = [sid]
            elif not lst or lst[-1] != sid:
                if sid not in lst[-8:]:
                    lst.append(sid)
                    if len(lst) > 4 * self.p.max_postings:
                        # a key this common blocks nothing; keep only the newest stories
                        del lst[: len(lst) - 2 * self.p.max_postings]

    # ---------------------------------------------------------------- reload
    def load(self, items: Sequence[GroupItem], story_ids: Sequence[str]) -> None:
        """Rebuild the in-memory state from already grouped items (no new assignments)."""
        texts = [self._text(it) for it in items]
        vecs = self._vectors(texts)
        for it, text, sid, (idx, val) in zip(items, texts, story_ids, vecs):
            keys = _keys(text)
            if sid in self.stories:
                self._join(sid, it, keys, idx, val)
            else:
                self._start(it, keys, idx, val, sid=sid)
            self._note_section(it, sid, idx)

    def similarity(self, a: GroupItem, b: GroupItem) -> float:
        """Cosine of two items as the index sees them (for tests and tuning; no state change)."""
        (ia, va), (ib, vb) = self._vectors([self._text(a), self._text(b)], update_df=False)
        return _sparse_dot(ia, va, ib, vb)


def _sparse_dot(ia: np.ndarray, va: np.ndarray, ib: np.ndarray, vb: np.ndarray) -> float:
    """The dot product of two sparse vectors, each given as its sorted unique n-gram ids and their values."""
    _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(np.dot(va[pa], vb[pb]))


def group_item_from_tags(item: Mapping[str, Any], tags: Mapping[str, Any] | None) -> GroupItem:
    """Build a GroupItem from an item row (id, published_at, title, summary/text, source…) and its tags."""
    tags = tags or {}
    folded = tags.get("folded") or fold(f"{item.get('title') or ''}\n{item.get('summary') or item.get('text') or ''}")
    details = tags.get("place_details") or []
    places = tuple(tags.get("places") or ())
    mask, wards = place_mask_and_wards(details, places)
    return GroupItem(
        item_id=str(item["id"]),
        published_at=item["published_at"],
        folded=folded,
        source=item.get("source") or "",
        outlet=item.get("outlet") or item.get("source") or "",
        source_type=item.get("source_type") or "press",
        title=item.get("title") or "",
        topics=tuple(tags.get("topics") or ()),
        sentiment=tags.get("sentiment"),
        in_area=bool(tags.get("in_area")),
        places=places,
        mask=mask,
        wards=wards,
        provinces=place_provinces(details),
        title_restored=tags.get("title_restored") or "",
        collector=item.get("collector") or "",
        guid=str(item.get("guid") or ""),
        reply_to=reply_to(item.get("flags")),
        **dict(zip(("thread", "thread_reply"), thread_key(item.get("url"), item.get("title")))),
    )


def reply_to(flags: Iterable[str] | None) -> str:
    """The guid of the post an item answers, from its flags (collectors/facebook_page.py: fb_post:<id>)."""
    for f in flags or ():
        if isinstance(f, str) and f.startswith("fb_post:"):
            return f[len("fb_post:"):]
    return ""


# Addresses that name the conversation an item belongs to: a Facebook post (a comment's address is the post's with
# ?comment_id=…), a Reddit post (its comments' permalinks are under /comments/<id>/), a XenForo, phpBB, vBulletin or
# Discourse thread (every post of it carries the thread's id).
_THREAD_URLS = (
    ("fb", re.compile(r"facebook\.com/(?:[^?#]*/)?(?:posts|permalink)/([A-Za-z0-9_]+)|[?&]story_fbid=([A-Za-z0-9_]+)")),
    ("reddit", re.compile(r"reddit\.com/r/[^/]+/comments/([a-z0-9]+)")),
    ("thread", re.compile(r"/threads/(?:[^/?#]*\.)?(\d+)(?:[/?#]|$)")),
    ("thread", re.compile(r"/(?:viewtopic|showthread)\.php\?(?:[^#]*&)?t=(\d+)")),
    ("thread", re.compile(r"/t/[^/?#]+/(\d+)(?:[/?#]|$)")),
)
_REPLY_TITLE = re.compile(r"^\s*(?:(?:re|tl|tra loi|aw|sv)\s*(?:\[\d+\])?\s*:\s*)+")
_MIN_TITLE_KEY = 12  # folded characters: a shorter title ("Re: hỏi") names no one thread
_MAX_TITLE_KEY = 80  # folded characters of a title kept as its key (one per social item in the window)


def thread_key(url: str | None, title: str | None) -> tuple[str, bool]:
    """The conversation an item belongs to on its source, and whether that says it answers an earlier item
    (round 18; sources without reply links: group rows imported from a spreadsheet, Reddit, forums). Its address
    names the thread (every item of one thread gives the same key, and any may answer the first); else a title
    names one: "Re: X" answers the earlier "X". ("", False) when neither does. The host is part of a forum's key."""
    u = str(url or "")
    for kind, rx in _THREAD_URLS:
        m = rx.search(u)
        if m:
            tid = next(g for g in m.groups() if g)
            host = "" if kind in ("fb", "reddit") else (re.match(r"^[a-z]+://([^/?#]+)", u.lower()) or [None, ""])[1]
            return f"{kind}:{host}:{tid}", True
    t = fold(str(title or "")).strip()
    m = _REPLY_TITLE.match(t)
    rest = " ".join(_TOKEN.findall(t[m.end():] if m else t))[:_MAX_TITLE_KEY]
    if len(rest) < _MIN_TITLE_KEY:
        return "", False
    return f"title:{rest}", bool(m)
