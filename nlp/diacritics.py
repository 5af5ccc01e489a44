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
import math
import os
import pickle
import re
import sys
from collections import Counter
from itertools import repeat
from math import log
from pathlib import Path
from typing import Iterable

from nlp.gcpause import gc_paused
from vocab.folding import VI_MARKED, fold_word

# A segment is a run of words (letters or digits) and spaces; punctuation cuts the chain.
# A word with a digit is one LM token, <num> ("12 hộ", "3 người").
_SEGMENT = re.compile(r"[^\W_]+(?:[ \t]+[^\W_]+)*", re.UNICODE)
_NUM = "<num>"
_GAPS = re.compile(r"([ \t]+)")  # the spaces between a segment's words, kept as written
_DIGIT = re.compile(r"\d")
_BOS = "<s>"
_EOS = "</s>"
DISCOUNT = 0.75
# a path this many nats behind the best is dropped from the beam (e^-9 ≈ 1/8000: it never comes back)
PRUNE_LOG = float("inf")  # off: pruning at 9 nats cut restorer CPU further, but the classifiers trained on its
# output scored 0.796 topic macro-F1 on held-out text without diacritics (floor 0.80); with it off,
# `langnghe train` reproduces the shipped model's figures exactly. Set to 9.0 to trade accuracy for speed.
# rows per generation of the (previous syllable, written syllable) → candidate scores cache, which keeps two
# generations: ≈ 500 bytes a row, so ≈ 200 MB when both are full (measured: 383,725 rows held +184 MB)
TRANSITION_CACHE = 200_000
# short segments recur ("tp", "uong bi", "theo", a name between commas): their restored forms are kept, up to
# SEGMENT_CACHE segments of at most SEGMENT_CACHE_WORDS syllables (≈ 200 bytes each, ≈ 10 MB full)
SEGMENT_CACHE = 50_000
SEGMENT_CACHE_WORDS = 6


def segments(text: str) -> list[list[str]]:
    return [[_NUM if _DIGIT.search(w) else w for w in m.group(0).split()] for m in _SEGMENT.finditer(text)]


def _has_marks(word: str) -> bool:
    return any(ch in VI_MARKED for ch in word.lower())


def count_ngrams(texts: Iterable[str], *, trigrams: bool = True) -> tuple[Counter, Counter, Counter]:
    """Raw syllable unigram, bigram and trigram counts of `texts` (lowercased, per segment, with <s> and </s>).
    Only accented text teaches: a segment of 3+ syllables with no marks at all is skipped."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    tri: Counter[tuple[str, str, str]] = Counter()
    for text in texts:
        for seg in segments(text.lower()):
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
    return uni, bi, tri


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
        self._bcache: dict[str, dict[str, tuple]] = {}  # written syllable -> previous syllable -> row
        self._bold: dict[str, dict[str, tuple]] = {}  # the previous generation of _bcache
        self._brows = 0
        self._cmemo: dict[str, tuple] = {}  # written syllable -> (its candidates, their P_uni, Nones)
        self._pre: dict[str, dict[str, tuple]] = {}  # rows built at load (`preload_rows`), never dropped
        self._segs: dict[tuple, tuple] = {}  # a short segment's written syllables -> their restored forms
        self._prepare()

    # -- building -------------------------------------------------------------------------
    @classmethod
    def train(cls, texts: Iterable[str], *, min_bigram: int = 2, min_unigram: int = 2, min_trigram: int = 2,
              trigrams: bool = True, version: str = "") -> "Restorer":
        return cls.from_counts(*count_ngrams(texts, trigrams=trigrams), min_bigram=min_bigram,
                               min_unigram=min_unigram, min_trigram=min_trigram, version=version)

    @classmethod
    def from_counts(cls, uni: Counter, bi: Counter, tri: Counter, *, min_bigram: int = 2, min_unigram: int = 2,
                    min_trigram: int = 2, version: str = "") -> "Restorer":
        """A restorer from raw n-gram counts (`count_ngrams`; counts add, so texts counted apart can be summed
        and weighted before the cut-offs)."""
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
        den = self.total + 0.01 * 1e5  # p_uni, precomputed for the vocabulary
        self._puni = {w: (c + 0.01) / den for w, c in self.unigram.items()}
        self._puni_unknown = (0 + 0.01) / den
        self.ctx: dict[str, int] = Counter()
        self.types_after: dict[str, int] = Counter()
        for (a, _b), c in self.bigram.items():
            self.ctx[a] += c
            self.types_after[a] += 1
        after2: dict[tuple[str, str], dict[str, int]] = {}
        for (a, b, w), c in self.trigram.items():
            after2.setdefault((a, b), {})[w] = c
        # trigram context (a, b) -> (count of (a, b, ·), discount mass DISCOUNT × types after it, {w: count})
        self._ctxinfo: dict[tuple[str, str], tuple[int, float, dict[str, int]]] = {
            k: (sum(d.values()), DISCOUNT * len(d), d) for k, d in after2.items()}
        # the same, by first syllable then second (a row looks up all its candidates after one syllable)
        self._ctx_after: dict[str, dict[str, tuple[int, float, dict[str, int]]]] = {}
        for (a, b), ci in self._ctxinfo.items():
            self._ctx_after.setdefault(a, {})[b] = ci
        self._after: dict[str, dict[str, int]] = {}  # bigram counts by first syllable
        for (a, b), c in self.bigram.items():
            self._after.setdefault(a, {})[b] = c
        self._eos: dict[str, tuple[float, float]] = {}  # syllable -> P(</s> | syllable) and its log
        # what a row needs about its previous syllable, in one lookup: (count of (p1, ·), discount mass
        # DISCOUNT × types after p1, {next: count}, {next: trigram context of "p1 next"})
        self._p1info: dict[str, tuple[int, float, dict[str, int], dict]] = {
            a: (cv, DISCOUNT * self.types_after[a], self._after[a], self._ctx_after.get(a) or _NONE)
            for a, cv in self.ctx.items() if cv}

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
            cv, lam, after = ci
            c = after.get(w, 0)
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
        unigram = {sys.intern(w): c for w, c in payload["unigram"].items()}
        # one string object per syllable: less memory, and lookups compare by identity
        bigram = {tuple(map(sys.intern, k.split(" ", 1))): c for k, c in payload["bigram"].items()}
        trigram = {tuple(map(sys.intern, k.split(" ", 2))): c for k, c in payload.get("trigram", {}).items()}
        return cls(unigram, bigram, version=payload.get("version", ""), trigram=trigram)  # type: ignore[arg-type]

    @classmethod
    def load_ready(cls, path: str | Path, *, preload_rows: bool = True) -> "Restorer":
        """`load` and, with `preload_rows`, `preload_rows()`: from a copy made once (nlp/unpacked.py) — about 5 s of
        CPU at every process start becomes about 1.3 s. The copy's key covers the model file and the code that
        builds the tables (this module, vocab/folding.py), so an edit to either makes a new one."""
        import vocab.folding
        from nlp.unpacked import load_cached

        path = Path(path)

        def build() -> "Restorer":
            r = cls.load(path)
            if preload_rows:
                r.preload_rows()
            return r

        name = path.name.removesuffix(".gz").removesuffix(".pkl") + ("-rows" if preload_rows else "")
        return load_cached(path.parent, name, [path, Path(__file__), Path(vocab.folding.__file__)], build)

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

    def _row(self, p1: str, low: str) -> tuple[tuple, tuple, tuple, tuple]:
        """One written syllable after one syllable, as parallel tuples: (candidates, P(candidate | p1), their
        logs, the trigram context (count, discount mass, {next: count}) of the state "p1 candidate" or None).
        Parallel tuples rather than one tuple per candidate: four objects per row to build, and for the
        garbage collector to walk, instead of one per candidate. Cached across items in two generations
        (`_bcache`, then `_bold` once it fills): one-syllable contexts recur (news is formulaic), so most
        lookups skip the maths, and a full cache keeps its recent half instead of starting empty."""
        old = self._bold.get(low)
        res = None if old is None else old.get(p1)
        if res is None:
            res = self._build_row(p1, low)
        # keep it in the current generation; a full generation becomes the old one (bounded memory: at most
        # 2 × TRANSITION_CACHE rows)
        if self._brows >= TRANSITION_CACHE:
            self._bold = self._bcache
            self._bcache = {}
            self._brows = 0
        self._brows += 1
        rows = self._bcache.get(low)
        if rows is None:
            self._bcache[low] = {p1: res}
        else:
            rows[p1] = res
        return res

    def _build_row(self, p1: str, low: str) -> tuple[tuple, tuple, tuple, tuple]:
        memo = self._cmemo.get(low) or self._memo(low)
        cands, pus, logs, nones = memo
        info = self._p1info.get(p1)
        if info is None:  # p1 has no bigram at all: P = P_uni
            return (cands, pus, logs, nones)
        cv, mass, after, infos = info
        if after.keys().isdisjoint(cands):
            # no candidate was seen after p1 (most rows on new text): P = (0 + mass × P_uni) / cv, and with no
            # bigram there is no trigram context either
            pbs = tuple([mass * pu / cv for pu in pus])
            return (cands, pbs, tuple(map(log, pbs)), nones)
        # prob2, inlined: the same operations in the same order, so the same floats
        pbs = tuple([((c - DISCOUNT if c > DISCOUNT else 0) + mass * pu) / cv
                     for c, pu in zip(map(after.get, cands, _ZEROS), pus)])
        return (cands, pbs, tuple(map(log, pbs)), tuple(map(infos.get, cands)))

    def preload_rows(self) -> int:
        """Build now, once, the row of every (syllable, written syllable without marks) pair that some bigram
        joins: on new text these are the rows the cache misses that cost most (a bigram lookup per candidate).
        They are kept apart from the bounded cache, for the life of the process. Returns how many."""
        pre: dict[str, dict[str, tuple]] = {}
        n = 0
        for a, b in self.bigram:
            low = fold_word(b)
            if b not in self.cands.get(low, ()):
                continue
            rows = pre.setdefault(low, {})
            if a not in rows:
                rows[a] = self._build_row(a, low)
                n += 1
        self._cmemo.clear()
        self._pre = pre
        return n

    def _memo(self, low: str) -> tuple:
        """A written syllable's candidates, their P_uni and its log, and no trigram contexts (bounded)."""
        cands = tuple(self._candidates(low))
        pus = tuple(map(self._puni.get, cands, repeat(self._puni_unknown, len(cands))))
        memo = (cands, pus, tuple(map(log, pus)), (None,) * len(cands))
        if len(self._cmemo) >= TRANSITION_CACHE:
            self._cmemo.clear()
        self._cmemo[low] = memo
        return memo

    def clear_cache(self) -> None:
        """Forget the cached rows, candidates and end scores (a benchmark's fresh start)."""
        self._bcache = {}
        self._bold = {}
        self._brows = 0
        self._cmemo.clear()
        self._eos.clear()
        self._segs.clear()

    def _end(self, path: tuple) -> float:
        """log P(</s> | state) for a state's path (= logp3(p2, p1, </s>), the same floats): the state's trigram
        context is in its path, P(</s> | p1) is cached per syllable (bounded)."""
        p1 = path[0]
        e = self._eos.get(p1)
        if e is None:
            if len(self._eos) >= TRANSITION_CACHE:
                self._eos.clear()
            pe = self.prob2(p1, _EOS)
            e = self._eos[p1] = (pe, math.log(pe))
        ci = path[2]
        if ci is None:
            return e[1]
        pe = e[0]
        cv, lam, after = ci
        return math.log((max(after.get(_EOS, 0) - DISCOUNT, 0) + lam * pe) / cv)

    def _restore_trigram(self, seg: list[str]) -> list[str]:
        """Second-order Viterbi with a beam: states are (previous syllable, syllable) pairs.

        A state is (score, path); the path is a linked list (syllable, rest, trigram context of the state or
        None), so extending it costs the same whatever its length. States ending in the same syllable p1
        share one row and lead to the same next states ("p1 w"), so they are scored as a group: per
        candidate, the first best state wins (as a dict keyed by the next state would keep it), and groups
        are laid out in the order their first state is visited, candidates in row order: the same order a
        dict keyed by next state would have, so the (stable) ranking breaks ties the same way. States with a
        trigram context are visited first (in beam order), then the best state of each syllable among those
        without one. Short segments are cached, as the same phrases recur across items."""
        lows = tuple([_NUM if _DIGIT.search(w) else w.lower() for w in seg])
        short = len(lows) <= SEGMENT_CACHE_WORDS
        if short:
            known = self._segs.get(lows)
            if known is not None:
                return [orig if new == _NUM else _case_like(orig, new) for orig, new in zip(seg, known)]
        out = self._viterbi(lows)
        if short:
            if len(self._segs) >= SEGMENT_CACHE:
                self._segs.clear()
            self._segs[lows] = tuple(out)  # a tuple of strings: the collector stops tracking it
        return [orig if new == _NUM else _case_like(orig, new) for orig, new in zip(seg, out)]

    def _viterbi(self, lows: tuple[str, ...]) -> list[str]:
        """The likeliest syllables of the lower-cased words: the beam stepped word by word, then the path
        of the best state with the end of the segment scored."""
        states: list = [(0.0, (_BOS, None, self._ctxinfo.get((_BOS, _BOS))))]
        for low in lows:
            rows = self._bcache.get(low) or _NONE
            pre = self._pre.get(low) or _NONE
            groups, plain = self._trigram_groups(states, low, rows, pre)
            self._add_plain(groups, plain, low, rows, pre)
            states = self._next_states(groups)
        end = self._end
        best = max(states, key=lambda st: st[0] + end(st[1]))
        out: list[str] = []
        node = best[1]
        while node[1] is not None:
            out.append(node[0])
            node = node[1]
        out.reverse()
        return out

    def _trigram_groups(self, states: list, low: str, rows: dict,
                        pre: dict) -> tuple[dict[str, list], dict[str, tuple]]:
        """p1 -> [row, scores, winning paths] for the states with a trigram context, in beam order; and
        the first (best) state of each syllable among those without one.

        A state with no trigram context scores every next syllable by the bigram alone, so of such states
        ending in the same syllable only the best can win: the others are skipped (exact; the beam is
        sorted best first, ties in order, so the first one seen is the one to keep)."""
        row_of = self._row
        groups: dict[str, list] = {}
        plain: dict[str, tuple] = {}
        for st in states:
            sc, path = st
            ci = path[2]
            if ci is None:
                if path[0] not in plain:
                    plain[path[0]] = st
                continue
            p1 = path[0]
            g = groups.get(p1)
            row = g[0] if g is not None else (rows.get(p1) or pre.get(p1) or row_of(p1, low))
            cv, lam, after = ci
            if after.keys().isdisjoint(row[0]):  # no trigram count: (0.0 + lam × pb) / cv, the same floats
                vals = [sc + log(lam * pb / cv) for pb in row[1]]
            else:
                vals = [sc + log(((c - DISCOUNT if c > DISCOUNT else 0.0) + lam * pb) / cv)
                        for c, pb in zip(map(after.get, row[0], _ZEROS), row[1])]
            if g is None:
                groups[p1] = [row, vals, [path] * len(vals)]
            else:
                best, src = g[1], g[2]
                for j, v in enumerate(vals):
                    if v > best[j]:
                        best[j] = v
                        src[j] = path
        return groups, plain

    def _add_plain(self, groups: dict[str, list], plain: dict[str, tuple], low: str, rows: dict,
                   pre: dict) -> None:
        """Add the best plain state of each syllable to `groups`, scored by the bigram alone.

        A row neither cached nor built at load is, with `preload_rows`, almost always one where no bigram joins
        p1 to any candidate (P is the back-off: mass × P_uni / count): its scores are computed here in one
        pass, the same operations as `_build_row` then `sc + log P`, so the same floats, and the row is not
        built nor cached (round 17, issue 13: most such rows are never met again in a stream, and building
        and caching them was ≈ 1/10 of a restore on new text). A group needs only the row's candidates and
        trigram contexts after this step (`_next_states`), which the written syllable's memo holds."""
        for p1, (sc, path) in plain.items():
            g = groups.get(p1)
            if g is None:
                row = rows.get(p1) or pre.get(p1)
                if row is None:
                    memo = self._cmemo.get(low) or self._memo(low)
                    info = self._p1info.get(p1)
                    if info is None:
                        row = memo
                    else:
                        cv, mass, after, _ = info
                        if after.keys().isdisjoint(memo[0]):
                            vals = [sc + log(mass * pu / cv) for pu in memo[1]]
                            groups[p1] = [memo, vals, [path] * len(vals)]
                            continue
                        row = self._row(p1, low)
                vals = [sc + lp for lp in row[2]]
                groups[p1] = [row, vals, [path] * len(vals)]
            else:
                best, src = g[1], g[2]
                for j, lp in enumerate(g[0][2]):
                    v = sc + lp
                    if v > best[j]:
                        best[j] = v
                        src[j] = path

    def _next_states(self, groups: dict[str, list]) -> list:
        """The groups' candidates laid out flat, best first (ties keep their order, as the next step's
        ties depend on it), at most `beam`, and none more than PRUNE_LOG below the best."""
        if len(groups) == 1:
            row, flat, srcs = next(iter(groups.values()))
            ws, cis = row[0], row[3]
        else:
            flat, srcs, ws, cis = [], [], [], []
            for row, vals, src in groups.values():
                flat += vals
                srcs += src
                ws += row[0]
                cis += row[3]
        order = sorted(range(len(flat)), key=flat.__getitem__, reverse=True)[:self.beam]  # = heapq.nlargest
        if PRUNE_LOG != float("inf") and order:
            floor = flat[order[0]] - PRUNE_LOG
            order = [j for j in order if flat[j] >= floor]
        return [(flat[j], (ws[j], srcs[j], cis[j])) for j in order]

    def restore(self, text: str, max_chars: int = 50_000) -> str:
        """Restore diacritics in `text` (at most `max_chars` characters are processed)."""
        if not text:
            return text
        head, tail = text[:max_chars], text[max_chars:]
        parts: list[str] = []
        pos = 0
        with gc_paused():
            for m in _SEGMENT.finditer(head):
                parts.append(head[pos:m.start()])
                seg = m.group(0)
                toks = _GAPS.split(seg)
                words = toks[0::2]
                fixed = self.restore_segment(words)
                toks[0::2] = fixed
                parts.append("".join(toks))
                pos = m.end()
        parts.append(head[pos:])
        return "".join(parts) + tail


# The beam search allocates ≈ 40 short-lived containers per syllable and its row cache grows by ≈ 180 rows per
# new item: with the cyclic garbage collector on, that triggers several young collections per item, and the
# older-generation collections they cascade into walk the whole row cache (≈ 20% of a restore on new text).
# None of it can form a reference cycle (paths are linked lists pointing back, rows hold tuples of floats and
# strings), so reference counting frees all of it: automatic collection is paused while a text is restored and
# resumed afterwards (the allocations still count, so the next collection comes as soon as it is back on).
# (nlp/gcpause.py: one pause shared by the threads of the process.)


_NONE: dict = {}
_ZEROS = repeat(0)  # map(d.get, keys, _ZEROS) = [d.get(k, 0) for k in keys], in C


def _case_like(orig: str, new: str) -> str:
    if orig.islower() or orig == new:
        return new
    if orig.isupper() and len(orig) > 1:
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
