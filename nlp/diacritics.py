"""Diacritic restoration: a syllable bigram language model with Viterbi decoding.

    "uong bi mua to"  ->  candidates per syllable from the training vocabulary
                          (uong: uống/uông/ương…, bi: bí/bị/bỉ…, …)
                      ->  Viterbi over P(w_i | w_{i-1}) (interpolated absolute discounting)
                      ->  "uông bí mưa to"

Trained on shippable text only (VNTC sample + binhvq sample + the team's own labelled set);
see nlp/train.py. Syllables that already carry marks are kept as they are, so partly accented
text is completed rather than rewritten. Case is carried over from the input syllable.
"""

from __future__ import annotations

import gzip
import heapq
import math
import pickle
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from vocab.folding import VI_MARKED, fold_word

# A segment is a run of words (letters or digits) and spaces; punctuation cuts the chain.
# A word with a digit is one LM token, <num> ("12 hộ", "3 người").
_SEGMENT = re.compile(r"[^\W_]+(?:[ \t]+[^\W_]+)*", re.UNICODE)
_NUM = "<num>"
_DIGIT = re.compile(r"\d")
_BOS = "<s>"
_EOS = "</s>"
DISCOUNT = 0.75
# a path this many nats behind the best is dropped from the beam (e^-9 ≈ 1/8000: it never comes back)
PRUNE_LOG = float("inf")  # off: pruning at 9 nats cut restorer CPU further, but the classifiers trained on its
# output scored 0.796 topic macro-F1 on held-out text without diacritics (floor 0.80); with it off,
# `langnghe train` reproduces the shipped model's figures exactly. Set to 9.0 to trade accuracy for speed.
# entries of the (previous syllable, written syllable) → candidate scores cache; ~50 MB when full
TRANSITION_CACHE = 200_000


def segments(text: str) -> list[list[str]]:
    return [[_NUM if _DIGIT.search(w) else w for w in m.group(0).split()] for m in _SEGMENT.finditer(text)]


def _has_marks(word: str) -> bool:
    return any(ch in VI_MARKED for ch in word.lower())


class Restorer:
    """Bigram LM over lowercase syllables. Build with `train`, persist with `save`/`load`."""

    def __init__(self, unigram: dict[str, int], bigram: dict[tuple[str, str], int], version: str = "",
                 trigram: dict[tuple[str, str, str], int] | None = None, beam: int = 10):
        self.version = version
        self.unigram = unigram
        self.bigram = bigram
        self.trigram = trigram or {}
        self.beam = beam
        self.total = sum(unigram.values()) or 1
        self._bcache: dict[tuple[str, str], tuple[tuple[str, float, float], ...]] = {}
        self._prepare()

    # -- building -------------------------------------------------------------------------
    @classmethod
    def train(cls, texts: Iterable[str], *, min_bigram: int = 2, min_unigram: int = 2, min_trigram: int = 2,
              trigrams: bool = True, version: str = "") -> "Restorer":
        uni: Counter[str] = Counter()
        bi: Counter[tuple[str, str]] = Counter()
        tri: Counter[tuple[str, str, str]] = Counter()
        for text in texts:
            for seg in segments(text.lower()):
                # Only learn from accented text: a segment with no marks at all teaches nothing.
                if len(seg) >= 3 and not any(_has_marks(w) for w in seg):
                    continue
                uni.update(seg)
                uni[_BOS] += 1
                prev = _BOS
                prev2 = _BOS
                for w in seg:
                    bi[(prev, w)] += 1
                    if trigrams:
                        tri[(prev2, prev, w)] += 1
                    prev2, prev = prev, w
                bi[(prev, _EOS)] += 1
                if trigrams:
                    tri[(prev2, prev, _EOS)] += 1
        uni = Counter({w: c for w, c in uni.items() if c >= min_unigram and (len(w) <= 7 or w in (_BOS, _NUM))})
        bigram = {k: c for k, c in bi.items() if c >= min_bigram and k[0] in uni and (k[1] in uni or k[1] == _EOS)}
        trigram = {k: c for k, c in tri.items() if c >= min_trigram and (k[0], k[1]) in bigram}
        return cls(dict(uni), bigram, version=version, trigram=trigram)

    def _prepare(self) -> None:
        self.cands: dict[str, list[str]] = {}
        for w, c in sorted(self.unigram.items(), key=lambda kv: -kv[1]):
            if w in (_BOS, _NUM):
                continue
            self.cands.setdefault(fold_word(w), []).append(w)
        for k, forms in self.cands.items():
            # at most 12 forms, none 200 times rarer than the commonest (typos, rare names): faster, same accuracy
            top = self.unigram[forms[0]]
            self.cands[k] = [w for w in forms[:12] if self.unigram[w] * 200 >= top]
        self.ctx: dict[str, int] = Counter()
        self.types_after: dict[str, int] = Counter()
        for (a, _b), c in self.bigram.items():
            self.ctx[a] += c
            self.types_after[a] += 1
        ctx2: dict[tuple[str, str], int] = Counter()
        types2: dict[tuple[str, str], int] = Counter()
        for (a, b, _c), c in self.trigram.items():
            ctx2[(a, b)] += c
            types2[(a, b)] += 1
        # trigram context (a, b) -> (count of (a, b, ·), discount mass DISCOUNT × types after it)
        self._ctxinfo: dict[tuple[str, str], tuple[int, float]] = {
            k: (cv, DISCOUNT * types2[k]) for k, cv in ctx2.items()}

    def p_uni(self, w: str) -> float:
        return (self.unigram.get(w, 0) + 0.01) / (self.total + 0.01 * 1e5)

    def prob2(self, prev: str, w: str) -> float:
        pu = self.p_uni(w)
        cv = self.ctx.get(prev, 0)
        if cv == 0:
            return pu
        c = self.bigram.get((prev, w), 0)
        return (max(c - DISCOUNT, 0) + DISCOUNT * self.types_after[prev] * pu) / cv

    def logp(self, prev: str, w: str) -> float:
        return math.log(self.prob2(prev, w))

    def logp3(self, p2: str, p1: str, w: str) -> float:
        p = self.prob2(p1, w)
        ci = self._ctxinfo.get((p2, p1))
        if ci:
            cv, lam = ci
            c = self.trigram.get((p2, p1, w), 0)
            p = (max(c - DISCOUNT, 0) + lam * p) / cv
        return math.log(p)

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        payload = {"version": self.version, "unigram": self.unigram,
                   "bigram": {f"{a} {b}": c for (a, b), c in self.bigram.items()},
                   "trigram": {f"{a} {b} {c}": n for (a, b, c), n in self.trigram.items()}}
        # mtime=0: the same training data gives the same bytes
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> "Restorer":
        with gzip.open(path, "rb") as fh:
            payload = pickle.load(fh)
        bigram = {tuple(k.split(" ", 1)): c for k, c in payload["bigram"].items()}
        trigram = {tuple(k.split(" ", 2)): c for k, c in payload.get("trigram", {}).items()}
        return cls(payload["unigram"], bigram, version=payload.get("version", ""), trigram=trigram)  # type: ignore[arg-type]

    # -- use ------------------------------------------------------------------------------
    def is_syllable(self, folded: str) -> bool:
        """True when `folded` is the folded form of a syllable seen in training."""
        return folded in self.cands

    def _candidates(self, word: str) -> list[str]:
        if _DIGIT.search(word):
            return [_NUM]
        low = word.lower()
        if _has_marks(low):
            return [low]
        return self.cands.get(fold_word(low)) or [low]

    def restore_segment(self, seg: list[str]) -> list[str]:
        if self.trigram:
            return self._restore_trigram(seg)
        cands = [self._candidates(w) for w in seg]
        # Viterbi: best[i][cand] = (score, backpointer)
        prev_states = {_BOS: 0.0}
        back: list[dict[str, str]] = []
        for options in cands:
            cur: dict[str, float] = {}
            bp: dict[str, str] = {}
            for w in options:
                best_s, best_p = -1e18, None
                for p, s in prev_states.items():
                    v = s + self.logp(p, w)
                    if v > best_s:
                        best_s, best_p = v, p
                cur[w] = best_s
                bp[w] = best_p  # type: ignore[assignment]
            prev_states = cur
            back.append(bp)
        last = max(prev_states, key=lambda w: prev_states[w] + self.logp(w, _EOS))
        out = [last]
        for bp in reversed(back[1:]):
            out.append(bp[out[-1]])
        out.reverse()
        return [orig if new == _NUM else _case_like(orig, new) for orig, new in zip(seg, out)]

    def _row(self, p1: str, low: str) -> tuple[tuple[str, float, float, tuple[str, str], tuple | None], ...]:
        """One written syllable after one syllable: per candidate (candidate, P(candidate | p1), its log,
        the next state (p1, candidate), that state's trigram context (count, discount mass) or None).
        Cached across items: one-syllable contexts recur (news is formulaic), so most lookups skip the maths."""
        key = (p1, low)
        hit = self._bcache.get(key)
        if hit is not None:
            return hit
        info = self._ctxinfo
        out = []
        for w in self._candidates(low):
            pb = self.prob2(p1, w)
            nkey = (p1, w)
            out.append((w, pb, math.log(pb), nkey, info.get(nkey)))
        if len(self._bcache) >= TRANSITION_CACHE:
            self._bcache.clear()  # bounded memory: start over rather than grow
        res = self._bcache[key] = tuple(out)
        return res

    def _restore_trigram(self, seg: list[str]) -> list[str]:
        """Second-order Viterbi with a beam: states are (previous syllable, syllable) pairs.

        A state is (key, score, trigram context of key or None, path) with the path a linked list
        (syllable, rest): extending it costs the same whatever its length."""
        tri = self.trigram
        log = math.log
        rows = self._bcache
        row_of = self._row
        beam = self.beam
        start = (_BOS, _BOS)
        states: list = [(start, 0.0, self._ctxinfo.get(start), None)]
        for word in seg:
            low = _NUM if _DIGIT.search(word) else word.lower()
            # a state with no trigram context scores every next syllable by the bigram alone, so of such
            # states ending in the same syllable only the best can win: the others are skipped (exact)
            plain: dict[str, tuple] = {}
            live = []
            for st in states:
                if st[2] is not None:
                    live.append(st)
                else:
                    p1 = st[0][1]
                    old = plain.get(p1)
                    if old is None or st[1] > old[1]:
                        plain[p1] = st
            live += plain.values()
            nxt: dict[tuple[str, str], tuple] = {}
            get = nxt.get
            for (p2, p1), sc, ci, path in live:
                row = rows.get((p1, low)) or row_of(p1, low)
                if ci is None:
                    for w, _pb, lp, nkey, nci in row:
                        v = sc + lp
                        old = get(nkey)
                        if old is None or v > old[0]:
                            nxt[nkey] = (v, nci, (w, path))
                else:
                    cv, lam = ci
                    for w, pb, _lp, nkey, nci in row:
                        c = tri.get((p2, p1, w), 0)
                        v = sc + log(((c - DISCOUNT if c > DISCOUNT else 0.0) + lam * pb) / cv)
                        old = get(nkey)
                        if old is None or v > old[0]:
                            nxt[nkey] = (v, nci, (w, path))
            # best first (ties keep their order, as the next step's ties depend on it), at most `beam`
            ranked = heapq.nlargest(beam, nxt.items(), key=_score) if len(nxt) > 1 else list(nxt.items())
            if PRUNE_LOG != float("inf") and ranked:
                floor = ranked[0][1][0] - PRUNE_LOG
                ranked = [kv for kv in ranked if kv[1][0] >= floor]
            states = [(k, v, nci, path) for k, (v, nci, path) in ranked]
        best = max(states, key=lambda st: st[1] + self.logp3(st[0][0], st[0][1], _EOS))
        out: list[str] = []
        node = best[3]
        while node is not None:
            out.append(node[0])
            node = node[1]
        out.reverse()
        return [orig if new == _NUM else _case_like(orig, new) for orig, new in zip(seg, out)]

    def restore(self, text: str, max_chars: int = 50_000) -> str:
        """Restore diacritics in `text` (at most `max_chars` characters are processed)."""
        if not text:
            return text
        head, tail = text[:max_chars], text[max_chars:]
        parts: list[str] = []
        pos = 0
        for m in _SEGMENT.finditer(head):
            parts.append(head[pos:m.start()])
            seg = m.group(0)
            toks = re.split(r"([ \t]+)", seg)
            words = toks[0::2]
            fixed = self.restore_segment(words)
            toks[0::2] = fixed
            parts.append("".join(toks))
            pos = m.end()
        parts.append(head[pos:])
        return "".join(parts) + tail


def _score(kv: tuple) -> float:
    return kv[1][0]


def _case_like(orig: str, new: str) -> str:
    if orig.islower() or orig == new:
        return new
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
