"""Emerging issues: baselines, burst state, weighting and Vietnamese explanations. Pure logic, no SQL.

    story touched this step ──▶ counts in the last lookback_hours (items, outlets, press/social, negative, in area)
        │ gate: ≥ min_items items from ≥ min_outlets outlets
        ▼
    baseline λ = items/day of the story's (topic × place) cells over the trailing baseline_days
                 (the story's own items excluded), at least baseline_floor_per_day
        ▼
    Kleinberg two-state automaton over the story's arrivals in bin_minutes bins:
        state 0 emits Poisson(λ per bin), state 1 Poisson(burst_scale · λ per bin),
        entering state 1 costs burst_gamma · ln(bins in the baseline period); burst = some bin in state 1
        ▼
    weight  = outlets × (negative_base + weight_negative · negative share) × (1 + weight_in_area · in-area share)
                      × (1 + weight_mixed_types if both press and social carry it)
    alert   if burst and weight ≥ min_score, and the story is not placed only outside the area (alert_elsewhere),
            unless the story already has an alert; a dismissed or
            resolved story alerts again only when it grew by regrowth_factor and regrowth_min_items,
            and the reason says so.

Source health: a source's last 24 h below mean − source_volume_sigma·σ of its own daily volume
(over source_volume_days), or source_fail_count consecutive failed fetches, raise an alarm.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

import numpy as np

from vocab.alerts import SEVERITY_LABELS as ALERT_SEVERITY_LABELS
from vocab.folding import fold
from vocab.labels import TOPIC_LABELS, topics_text
from vocab.numbers import fmt_num, fmt_pct, fmt_rate
from vocab.timefmt import fmt_local


# mid-sentence in a reason ("mức trung bình"): the vocabulary's labels, lower-cased
SEVERITY_LABELS = {code: label.lower() for code, label in ALERT_SEVERITY_LABELS.items()}


def topic_label(code: str) -> str:
    return TOPIC_LABELS.get(code) or code


# ------------------------------------------------------------------------------------------ formatting
def shown_minutes(minutes: float) -> int:
    """The minutes fmt_duration shows: whole minutes under an hour, 5 minutes up to two days, then hours
    (so a figure computed from a shown duration is recomputable by the reader)."""
    m = max(int(round(minutes)), 1)
    if m < 60:
        return m
    if m < 48 * 60:
        return int(round(m / 5.0) * 5)
    return int(round(m / 60.0) * 60)


def fmt_duration(minutes: float) -> str:
    m = shown_minutes(minutes)
    if m < 60:
        return f"{m} phút"
    if m < 48 * 60:
        h, r = divmod(m, 60)
        return f"{h} giờ" + (f" {r} phút" if r else "")
    d, r = divmod(m, 24 * 60)
    h = r // 60
    return f"{d} ngày" + (f" {h} giờ" if h else "")


def round_sig(x: float, digits: int = 2) -> float:
    """x to `digits` significant digits (0 stays 0)."""
    if x <= 0:
        return 0.0
    return round(x, digits - 1 - int(math.floor(math.log10(x))))


def fmt_sig(x: float, digits: int = 2) -> str:
    """A small expected count as shown: 2 significant digits, decimal comma (0,0083 / 0,039 / 1,2)."""
    r = round_sig(x, digits)
    decimals = max(0, digits - 1 - int(math.floor(math.log10(r)))) if r > 0 else 0
    return fmt_num(r, decimals) if decimals else fmt_num(r, 0)


# ------------------------------------------------------------------------------------------ statistics
def kleinberg_two_state(counts: Sequence[int], base_rate: float, scale: float, tau: float) -> list[int]:
    """Viterbi state sequence of Kleinberg's two-state burst automaton over Poisson counts per bin.

    State 0 emits at `base_rate` per bin, state 1 at `scale × base_rate`; moving 0→1 costs `tau`,
    moving back is free. Returns 0/1 per bin.
    """
    if not len(counts):
        return []
    a0 = max(base_rate, 1e-9)
    a1 = a0 * scale
    c = np.asarray(counts, dtype=float)
    # -log Poisson(c; a) without the log c! term, which both states share
    cost0 = a0 - c * math.log(a0)
    cost1 = a1 - c * math.log(a1)
    n = len(c)
    best0, best1 = cost0[0], tau + cost1[0]
    back = np.zeros((n, 2), dtype=np.int8)
    for t in range(1, n):
        from0_to0, from1_to0 = best0, best1  # 1→0 is free
        from0_to1, from1_to1 = best0 + tau, best1
        if from1_to0 < from0_to0:
            n0, back[t, 0] = from1_to0 + cost0[t], 1
        else:
            n0, back[t, 0] = from0_to0 + cost0[t], 0
        if from0_to1 < from1_to1:
            n1, back[t, 1] = from0_to1 + cost1[t], 0
        else:
            n1, back[t, 1] = from1_to1 + cost1[t], 1
        best0, best1 = n0, n1
    state = 0 if best0 <= best1 else 1
    out = [0] * n
    for t in range(n - 1, -1, -1):
        out[t] = state
        state = int(back[t, state]) if t > 0 else state
    return out


def poisson_tail(n: int, mu: float) -> float:
    """P(X ≥ n) for X ~ Poisson(mu)."""
    if n <= 0:
        return 1.0
    mu = max(mu, 1e-12)
    term = math.exp(-mu)
    cdf = term
    for k in range(1, n):
        term *= mu / k
        cdf += term
    return max(0.0, 1.0 - cdf)


def bin_counts(times: Iterable[datetime], start: datetime, end: datetime, bin_minutes: float) -> list[int]:
    width = timedelta(minutes=bin_minutes)
    nb = max(1, int(math.ceil((end - start) / width)))
    out = [0] * nb
    for t in times:
        if start <= t <= end:
            out[min(int((t - start) / width), nb - 1)] += 1
    return out


# ------------------------------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class AlertParams:
    enabled: bool = True
    lookback_hours: float = 24.0
    min_items: int = 3
    min_outlets: int = 3
    baseline_days: float = 14.0
    baseline_floor_per_day: float = 0.2
    bin_minutes: float = 60.0
    burst_scale: float = 8.0
    burst_gamma: float = 1.0
    negative_base: float = 0.5
    weight_negative: float = 1.5
    weight_in_area: float = 2.0
    weight_mixed_types: float = 0.5
    min_score: float = 14.0
    alert_elsewhere: bool = False  # a story whose items name only places outside the area may alert
    severity_medium: float = 20.0
    severity_high: float = 36.0
    severity_points_medium: int = 2
    severity_points_high: int = 4
    severity_affected_many: int = 10
    severity_affected_mass: int = 50
    regrowth_factor: float = 2.0
    regrowth_min_items: int = 5
    untagged_grace_minutes: float = 30.0
    area_province: str = ""  # [area] province (set by the detector): its own name is implied by its units
    source_check_minutes: float = 60.0
    source_volume_days: int = 14
    source_volume_min_days: int = 7
    source_volume_min_mean: float = 3.0
    source_volume_sigma: float = 2.0
    source_fail_count: int = 3

    @classmethod
    def from_section(cls, sec: dict[str, Any]) -> "AlertParams":
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in sec.items() if k in known})


# ------------------------------------------------------------------------------------------ severity
# Harm words (accent-folded, so posts without diacritics count) and their points. "không có thương vong"
# is no harm: a harm word right after a negation is skipped.
HARM_WORDS: dict[str, tuple[tuple[str, ...], int]] = {
    "tử vong": (("tu vong", "thiet mang", "thuong vong", "chet nguoi", "nguoi chet", "thi the"), 2),
    "mất tích": (("mat tich",), 2),
    "vùi lấp": (("vui lap", "bi vui", "chon vui"), 1),
    "sơ tán": (("so tan", "di doi khan cap", "di doi dan", "di doi cac ho", "di doi hang"), 1),
    "bị thương": (("bi thuong", "cap cuu", "nhap vien"), 1),
}
OFFICIAL_WORDS = ("chinh quyen", "ubnd", "uy ban nhan dan", "lanh dao tinh", "lanh dao thanh pho", "lanh dao phuong",
                  "chu tich", "cong dien", "ban chi dao", "chi dao khan", "pho chu tich", "so tai nguyen",
                  "so nong nghiep", "so xay dung", "bo cong thuong", "bo tai nguyen")
_NEGATION = re.compile(r"(khong co|khong|chua co|chua|ko|k|khong he)\s+(\w+\s+){0,2}$")
_COUNT_WORDS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
                "hang chuc": 10, "vai chuc": 10, "hang tram": 100, "vai tram": 100, "hang nghin": 1000,
                "hang ngan": 1000}
_AFFECTED = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:\.\d{3})*|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) +
    r")\s+(ho dan|ho gia dinh|ho|can nha|ngoi nha|nha dan|nha|can ho|nguoi dan|nguoi)(?!\w)")


def _has(text: str, phrase: str) -> bool:
    """Phrase present as whole words and not right after a negation ("khong co thuong vong")."""
    for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text):
        if not _NEGATION.search(text[max(0, m.start() - 24):m.start()]):
            return True
    return False


def harm_signals(folded_texts: Iterable[str]) -> dict[str, Any]:
    """What the items say about harm (folded text): harm words found, the largest count of affected
    people or homes stated in an item that names a harm, and whether officials are involved."""
    harms: set[str] = set()
    affected = 0
    official = False
    for t in folded_texts:
        t = " ".join(_TOKEN_RE.findall((t or "").lower()))
        found = {label for label, (phrases, _) in HARM_WORDS.items() if any(_has(t, ph) for ph in phrases)}
        harms |= found
        if found:
            for m in _AFFECTED.finditer(t):
                raw = m.group(1)
                n = _COUNT_WORDS[raw] if raw in _COUNT_WORDS else int(raw.replace(".", ""))
                affected = max(affected, n)
        official = official or any(_has(t, w) for w in OFFICIAL_WORDS)
    return {"harms": sorted(harms, key=list(HARM_WORDS).index), "affected": affected, "official": official}


_TOKEN_RE = re.compile(r"[a-z0-9.]+")


def severity_of(signals: dict[str, Any], mixed: bool, score: float, p: "AlertParams") -> tuple[str, int, list[str]]:
    """(level, points, Vietnamese reasons). Points: harm words (death, missing 2 each; buried, evacuated,
    injured 1 each; at most 3), affected people or homes stated (≥ severity_affected_many 1, ≥ _mass 2),
    officials involved 1, carried by both press and social 1, breadth of coverage (score ≥ severity_medium
    1, ≥ severity_high 2). high from severity_points_high, medium from severity_points_medium."""
    why: list[str] = []
    harm = min(3, sum(HARM_WORDS[h][1] for h in signals.get("harms", [])))
    if signals.get("harms"):
        why.append(", ".join(signals["harms"]))
    n = int(signals.get("affected") or 0)
    affected = 2 if n >= p.severity_affected_mass else 1 if n >= p.severity_affected_many else 0
    if affected:
        why.append(f"ít nhất {fmt_num(n)} hộ/người bị ảnh hưởng")
    official = 1 if signals.get("official") else 0
    if official:
        why.append("chính quyền vào cuộc")
    spread = 1 if mixed else 0
    if spread:
        why.append("cả báo chí và mạng xã hội")
    breadth = 2 if score >= p.severity_high else 1 if score >= p.severity_medium else 0
    if breadth:
        why.append("lan tỏa rộng" if breadth == 2 else "lan tỏa khá rộng")
    points = harm + affected + official + spread + breadth
    level = "high" if points >= p.severity_points_high else "medium" if points >= p.severity_points_medium else "low"
    return level, points, why


SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
BRIEF_SEVERITY = "Mức độ"  # opens the severity sentence of a staff reason (`brief`), which `regrade` restates


@dataclass(frozen=True)
class Regrade:
    """An open alert's severity re-graded as its story grew: what to store, and the history note (empty
    when the level stayed and only what made it grew)."""

    severity: str
    reason: str
    details: dict[str, Any]
    note: str


# abbreviations written with a closing dot (case kept): a reason ending in one ends with the abbreviation, not a full
# stop ("… ở TP."), and keeps its dot when a clause follows
_DOTTED_ABBREVIATIONS = frozenset({"TP", "Tp", "tp", "TX", "Tx", "TT", "Q", "P", "X", "H", "v.v", "ThS", "Th.S",
                                   "TS", "PGS", "GS", "BS", "ĐT", "Đ/c", "đ/c", "St", "tr"})


def _without_full_stop(reason: str) -> str:
    """`reason` without its closing full stop (a clause follows it: never «…dõi.; mức cao»). Why not `rstrip(".")`:
    that also took the dot of an abbreviation ending the reason («TP.» became «TP») and every dot of an ellipsis."""
    head = reason.rstrip()
    if not head.endswith(".") or head.endswith(".."):
        return head
    last = head[:-1].split()[-1] if head[:-1].split() else ""
    return head if last in _DOTTED_ABBREVIATIONS else head[:-1].rstrip()


def regrade(alert: dict[str, Any], story: dict[str, Any], score: float, p: "AlertParams") -> Regrade | None:
    """Severity of the whole story now (all its items: harm words, affected count, officials, press and
    social, breadth at the higher of the alert's and the current score). A growing story only gains
    signals, so severity only rises here; staff lower it by closing or re-prioritising the alert.
    None when it is lower, or the same level on no more points. The reason's closing "mức …" clause is
    restated; the note (for the alert's history) is set only when the level rises."""
    old = str(alert.get("severity") or "low")
    signals = harm_signals(story.get("texts") or [])
    mixed = int(story.get("n_press") or 0) > 0 and int(story.get("n_social") or 0) > 0
    best = max(float(alert.get("score") or 0.0), float(score or 0.0))
    level, points, why = severity_of(signals, mixed, best, p)
    rose = SEVERITY_RANK.get(level, 0) > SEVERITY_RANK.get(old, 0)
    was = int((alert.get("details") or {}).get("severity_points") or 0)
    if not rose and (level != old or points <= was):
        return None  # lower, or the same level with nothing more to say
    reason = _restate(str(alert.get("reason") or ""), old, level, why)
    details = dict(alert.get("details") or {})
    if details.get("detail"):  # the engineers' figures end with the same clause
        details["detail"] = _restate(str(details["detail"]), old, level, why)
    details.update(severity=level, severity_points=points, severity_why=why, harm=signals,
                   severity_items=int(story.get("n_items") or 0))
    note = (f"Mức độ: {SEVERITY_LABELS.get(old, old)} → {SEVERITY_LABELS[level]} khi vấn đề có "
            f"{int(story.get('n_items') or 0)} tin ({points} điểm: {'; '.join(why)})") if rose else ""
    return Regrade(level, reason, details, note)


def _severity_clause(lead: str, level: str, why: Sequence[str] = ()) -> str:
    """«mức cao: vùi lấp, sơ tán» (`lead` "mức", mid-sentence in `explain`) or «Mức độ cao: …» (BRIEF_SEVERITY,
    `brief`'s sentence): one wording, so that `regrade` finds the clause it restates; without `why`, the clause's
    head it searches for."""
    return f"{lead} {SEVERITY_LABELS.get(level, level)}" + (": " + "; ".join(why) if why else "")


def _restate(reason: str, old: str, level: str, why: Sequence[str]) -> str:
    """`reason` with its severity clause for `level`: a staff reason's closing sentence «Mức độ …» (`brief`), an
    older reason's or a detail line's closing clause «mức …», or the clause added when it has none."""
    cut = reason.rfind(_severity_clause(BRIEF_SEVERITY, old))
    if cut >= 0:
        return reason[:cut] + _severity_clause(BRIEF_SEVERITY, level, why) + "."
    clause = _severity_clause("mức", level, why)
    cut = reason.rfind(_severity_clause("mức", old))
    # a reason without the clause (an alert of an older release, a hand-made one) may end its sentence: no ".;"
    head = _without_full_stop(reason)
    return (reason[:cut] + clause) if cut >= 0 else (f"{head}; {clause}" if head else clause)


# ------------------------------------------------------------------------------------------ stories
@dataclass
class Decision:
    story_id: str
    alert: bool
    score: float
    burst: bool
    reason: str
    severity: str
    details: dict[str, Any]
    title: str = ""
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    previous_alert_id: str | None = None


def _rank(lists: Iterable[Sequence[str] | None]) -> list[tuple[str, int]]:
    c: Counter[str] = Counter()
    for lst in lists:
        for x in set(lst or ()):
            if x:
                c[x] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def _fold_key(s: str) -> str:
    from detection.stories import _strip_level

    return _strip_level(fold(s))


def distinct_places(places: Iterable[tuple[str, int]], limit: int = 3, *, area_province: str = "") -> list[str]:
    """Most mentioned places, one display name per place (the most specific spelling: 'phường Vàng Danh'),
    leaving out a place that only contains another one listed (see _implied)."""
    best: dict[str, tuple[int, str]] = {}
    order: list[str] = []
    for name, n in places:
        k = _fold_key(name)
        if k not in best:
            order.append(k)
            best[k] = (n, name)
        else:
            m, cur = best[k]
            best[k] = (m + n, name if len(name) > len(cur) else cur)
    order.sort(key=lambda k: (not _is_ward(best[k][1]), -best[k][0]))
    names = [best[k][1] for k in order]
    return [n for n in names if not _implied(n, names, area_province)][:limit]


def _implied(name: str, names: Sequence[str], area_province: str) -> bool:
    """True for a container that says nothing the list does not: the old district of a listed ward
    ('TP Uông Bí cũ, nay phường Uông Bí, …' beside 'phường Vàng Danh (TP Uông Bí cũ)'), or the watched
    province beside any of its wards or districts (the gazetteer has units of that province only)."""
    others = [o for o in names if o != name]
    head = place_head(name)
    if head.endswith(" cũ") and any(f"({head})" in o for o in others):
        return True
    if area_province and _fold_key(name) == _fold_key(area_province) and ", nay " not in name:
        return any(_is_ward(o) or (" cũ" in o and not fold(o).startswith("tinh ")) for o in others)
    return False


def place_head(name: str) -> str:
    """'TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, …' → 'TP Uông Bí cũ' (for running text)."""
    return name.split(", nay ")[0]


def _is_ward(name: str) -> bool:
    return fold(name).startswith(("phuong ", "xa ", "dac khu "))


def story_cells(topics: Iterable[Sequence[str] | None], places: Iterable[Sequence[str] | None]) -> set[tuple[str, str]]:
    cells: set[tuple[str, str]] = set()
    for ts, ps in zip(topics, places):
        for t in (ts or [""]):
            for p in (ps or [""]):
                cells.add((t, p))
    return cells


def baseline_rate(cells: set[tuple[str, str]], counts: dict[tuple[str, str], int], days: float, floor: float) -> tuple[float, tuple[str, str] | None]:
    """Busiest of the story's (topic × place) cells, in items/day, and that cell; (floor, None) when
    even the busiest is below `floor` (a quiet cell)."""
    best, which = 0.0, None
    for cell in sorted(cells):
        r = counts.get(cell, 0) / max(days, 1e-9)
        if r > best:
            best, which = r, cell
    if best < floor:
        return floor, None
    return best, which


@dataclass(frozen=True)
class _Weight:
    """A story's counts in the lookback window and the weight (score) they give."""
    n: int
    outlets: int
    n_press: int
    n_social: int
    neg_share: float
    area_share: float
    mixed: bool       # both press and social carry it
    score: float

    @classmethod
    def of(cls, stats: dict[str, Any], p: AlertParams) -> "_Weight":
        n = int(stats["n_items"])
        outlets = int(stats["n_outlets"])
        n_press, n_social = int(stats.get("n_press", 0)), int(stats.get("n_social", 0))
        neg_share = stats.get("n_negative", 0) / max(n, 1)
        area_share = stats.get("n_in_area", 0) / max(n, 1)
        mixed = n_press > 0 and n_social > 0
        score = outlets * (p.negative_base + p.weight_negative * neg_share) * (1 + p.weight_in_area * area_share) * (
            1 + (p.weight_mixed_types if mixed else 0.0))
        return cls(n, outlets, n_press, n_social, neg_share, area_share, mixed, score)


@dataclass(frozen=True)
class _Burst:
    """The burst automaton's verdict over the lookback window."""
    states: list[int]
    burst: bool
    burst_from: datetime | None   # the first item in the first burst bin

    @classmethod
    def of(cls, times: Sequence[datetime], baseline_per_day: float, p: AlertParams, now: datetime) -> "_Burst":
        start = now - timedelta(hours=p.lookback_hours)
        counts = bin_counts(times, start, now, p.bin_minutes)
        bins_per_day = 24 * 60 / p.bin_minutes
        base_per_bin = baseline_per_day / bins_per_day
        tau = p.burst_gamma * math.log(1 + p.baseline_days * bins_per_day)
        states = kleinberg_two_state(counts, base_per_bin, p.burst_scale, tau)
        burst = any(states)
        burst_from = None
        if burst:
            b0 = start + timedelta(minutes=p.bin_minutes * states.index(1))
            burst_from = min((t for t in times if t >= b0), default=b0)
        return cls(states, burst, burst_from)


@dataclass(frozen=True)
class _Rate:
    """The items against the baseline, in the figures the reason shows.

    The ratio's window: from the first item, as long as the items' span but at least one bin (the burst
    automaton's resolution), in the minutes the reason shows. The baseline is shown as its count over
    baseline_days when it comes from a cell, and the expected count with the digits the reason shows,
    so every figure is recomputable from the ones beside it."""
    span_min: float
    window_min: int
    base_count: int | None
    base_rate: float
    expected: float
    ratio: float
    surprise: float

    @classmethod
    def of(cls, stats: dict[str, Any], n: int, baseline_per_day: float, baseline_cell: tuple[str, str] | None,
           p: AlertParams) -> "_Rate":
        span_min = max((stats["last_at"] - stats["first_at"]).total_seconds() / 60.0, 1.0)
        window_min = shown_minutes(max(span_min, p.bin_minutes))
        base_count = int(round(baseline_per_day * p.baseline_days)) if baseline_cell is not None else None
        base_rate = base_count / p.baseline_days if base_count is not None else baseline_per_day
        expected = round_sig(base_rate * window_min / (24 * 60), 2)
        ratio = n / max(expected, 1e-12)
        return cls(span_min, window_min, base_count, base_rate, expected, ratio, poisson_tail(n, expected))


def evaluate_story(
    stats: dict[str, Any],
    times: Sequence[datetime],
    total_items: int,
    baseline_per_day: float,
    baseline_cell: tuple[str, str] | None,
    previous: dict[str, Any] | None,
    p: AlertParams,
    now: datetime,
) -> Decision:
    """Decide whether one story alerts now, with the numbers and the Vietnamese reason."""
    w = _Weight.of(stats, p)
    b = _Burst.of(times, baseline_per_day, p, now)
    r = _Rate.of(stats, w.n, baseline_per_day, baseline_cell, p)
    topics = [t for t, _ in _rank(stats.get("topics") or [])][:3]
    all_places = _rank(stats.get("places") or [])
    places = distinct_places(all_places, limit=3, area_province=p.area_province)
    signals = harm_signals(stats.get("texts") or [])
    severity = severity_of(signals, w.mixed, w.score, p)
    details = _details(stats, w, b, r, baseline_cell, p, total_items, signals, severity)
    decision = Decision(stats["story_id"], False, round(w.score, 2), b.burst, "", severity[0], details,
                        _display_title(stats), tuple(topics), tuple(places))
    may, regrowth = _regrowth(previous, total_items, p)
    if not may:
        return decision
    if w.area_share == 0 and all_places and not p.alert_elsewhere:
        return decision  # another province's incident (a story naming no place, a national one, still may)
    gate = w.n >= p.min_items and w.outlets >= p.min_outlets and w.score >= p.min_score
    if regrowth is None and not (gate and b.burst):
        return decision
    if regrowth is not None and not (w.outlets >= p.min_outlets and w.score >= p.min_score):
        return decision
    decision.alert = True
    decision.reason = brief(details, topics, places, regrowth)
    details["detail"] = explain(stats, details, topics, places, baseline_cell, p, regrowth)
    if regrowth is not None:
        decision.previous_alert_id = regrowth[0].get("alert_id")
        details["regrowth_from"] = regrowth[1]
    return decision


def _details(stats: dict[str, Any], w: _Weight, b: _Burst, r: _Rate, baseline_cell: tuple[str, str] | None,
             p: AlertParams, total_items: int, signals: dict[str, Any],
             severity: tuple[str, int, list[str]]) -> dict[str, Any]:
    """The figures stored with the decision, which `explain` words and staff can recompute."""
    level, points, severity_why = severity
    return {
        "n_items": w.n, "n_outlets": w.outlets, "n_sources": int(stats.get("n_sources", w.outlets)),
        "n_press": w.n_press, "n_social": w.n_social, "negative_share": round(w.neg_share, 3),
        "in_area_share": round(w.area_share, 3), "span_minutes": round(r.span_min, 1),
        "baseline_per_day": round(r.base_rate, 4), "baseline_cell": list(baseline_cell or ("", "")),
        "baseline_count": r.base_count, "baseline_days": p.baseline_days, "window_minutes": r.window_min,
        "window_from": stats["first_at"].isoformat(), "expected_in_window": r.expected,
        "rate_ratio": round(r.ratio, 1), "poisson_p": r.surprise, "burst": b.burst,
        "n_negative": int(stats.get("n_negative", 0)), "severity_points": points, "severity_why": severity_why,
        "harm": signals, "severity": level,
        "burst_from": b.burst_from.isoformat() if b.burst_from else None, "score": round(w.score, 2),
        "total_items": int(total_items), "kleinberg_states": b.states[-12:],
    }


def _display_title(stats: dict[str, Any]) -> str:
    """The store's display title: the story's own, else its first press title, else its first title."""
    titles, types = stats.get("titles") or [], stats.get("types") or []
    return stats.get("title") or next((t for t, ty in zip(titles, types) if ty == "press" and t),
                                      titles[0] if titles else "")


def _regrowth(previous: dict[str, Any] | None, total_items: int,
              p: AlertParams) -> tuple[bool, tuple[dict[str, Any], int, int] | None]:
    """(may the story alert at all, (previous alert, its item count, items since) when it alerts again).
    An open or merged alert: never twice; a resolved or dismissed one: only when the story grew enough."""
    if previous is None:
        return True, None
    if previous.get("status") not in ("resolved", "dismissed"):
        return False, None  # already alerted (open or merged): never twice
    before = int(previous.get("n_items") or 0)
    grown = total_items - before
    if total_items >= p.regrowth_factor * max(before, 1) and grown >= p.regrowth_min_items:
        return True, (previous, before, grown)
    return False, None  # closed and not grown enough


def explain(
    stats: dict[str, Any],
    d: dict[str, Any],
    topics: Sequence[str],
    places: Sequence[str],
    cell: tuple[str, str] | None,
    p: AlertParams,
    regrowth: tuple[dict[str, Any], int, int] | None = None,
) -> str:
    """The alert's reason in Vietnamese, every number recomputable from those beside it:
    '12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội), nền 0,3 tin/ngày (4 tin trong 14 ngày: …);
    so với nền, trong 4 giờ từ 06:00 11/09: dự kiến 0,071 tin, có 12 tin, gấp 169 lần; 83% tiêu cực
    (10/12 tin); địa bàn: phường Vàng Danh; …; mức cao: vùi lấp, sơ tán; …'."""
    parts = [f"{_explain_head(d)}, {_explain_base(d, cell, p)}", _explain_rate(d),
             f"{fmt_pct(d['negative_share'])} tiêu cực ({d.get('n_negative', 0)}/{d['n_items']} tin)",
             _explain_places(d, places)]
    if topics:
        parts.append("chủ đề: " + topics_text(topics))
    if d.get("burst_from"):
        parts.append(f"bùng phát từ {fmt_local(datetime.fromisoformat(d['burst_from']))}")
    if d.get("severity_why") is not None and d.get("severity"):
        parts.append(_severity_clause("mức", d["severity"], d["severity_why"]))
    text = "; ".join(parts)
    if regrowth is not None:
        text = _explain_regrowth(d, regrowth) + text
    return text


def brief(
    d: dict[str, Any],
    topics: Sequence[str],
    places: Sequence[str],
    regrowth: tuple[dict[str, Any], int, int] | None = None,
) -> str:
    """The alert's reason as staff read it aloud at the briefing and paste it into a rapid report's «Căn cứ»:
    what rose, how much against the usual flow, over what window, from where; the figures an engineer recomputes
    are `explain`'s, kept in details["detail"] («Chi tiết»). Sentences, so that topic labels, which hold commas,
    join by «; » unambiguously:
    '12 tin, bài trong 4 giờ (từ 06:00 11/09), gấp nhiều lần mức thường ngày (khoảng 2 tin/tuần); 83% tiêu cực;
    lan trên 9 nguồn (8 tin báo chí, 4 tin mạng xã hội). Địa bàn: phường Vàng Danh. Lĩnh vực: Thiên tai, sự cố.
    Mức độ cao: vùi lấp, sơ tán; chính quyền vào cuộc.'"""
    head = (f"{fmt_num(d['n_items'])} tin, bài trong {fmt_duration(d['span_minutes'])} "
            f"(từ {fmt_local(datetime.fromisoformat(d['window_from']))}), {_brief_rise(d)}")
    first = "; ".join((head, _brief_negative(d), _brief_spread(d)))
    sentences = [first, _brief_places(d, places)]
    if topics:
        sentences.append("Lĩnh vực: " + topics_text(topics))
    if d.get("severity"):
        sentences.append(_brief_severity(d))
    text = ". ".join(sentences) + "."
    if regrowth is not None:
        text = _explain_regrowth(d, regrowth) + text
    return text


def _brief_rise(d: dict[str, Any]) -> str:
    """How far above the usual flow, in words («gấp nhiều lần» past ten: «gấp 169 lần» means nothing aloud)."""
    ratio = float(d.get("rate_ratio") or 0.0)
    if ratio >= 10:
        how = "gấp nhiều lần mức thường ngày"
    elif ratio >= 2:
        how = f"gấp {fmt_num(ratio, 0)} lần mức thường ngày"
    else:
        how = "cao hơn mức thường ngày"
    per_day = float(d.get("baseline_per_day") or 0.0)
    if d.get("baseline_count") is None and d.get("baseline_days"):  # the floor: the cell itself had (almost) nothing
        days = float(d["baseline_days"])
        usual = (f"{fmt_num(days, 0)} ngày qua có dưới {fmt_num(math.ceil(per_day * days - 1e-9), 0)} tin "
                 "cùng lĩnh vực tại địa bàn này")
    else:
        usual = usual_rate(per_day)
    return f"{how} ({usual})"


def usual_rate(per_day: float) -> str:
    """The usual flow in the unit that reads best: «khoảng 3 tin/ngày», «khoảng 2 tin/tuần», «chưa đến 1 tin/tuần»."""
    if per_day >= 0.95:
        return f"khoảng {fmt_num(per_day, 0)} tin/ngày"
    if per_day * 7 >= 0.95:
        return f"khoảng {fmt_num(per_day * 7, 0)} tin/tuần"
    return "chưa đến 1 tin/tuần"


def _brief_negative(d: dict[str, Any]) -> str:
    neg = int(d.get("n_negative") or 0)
    return f"{fmt_pct(d['negative_share'])} tiêu cực" if neg else "chưa có tin tiêu cực"


def _brief_spread(d: dict[str, Any]) -> str:
    """'lan trên 9 nguồn (8 tin báo chí, 4 tin mạng xã hội)': breadth, and the mix when both carry it."""
    text = f"lan trên {fmt_num(d['n_outlets'])} nguồn"
    if d["n_press"] and d["n_social"]:
        return text + f" ({fmt_num(d['n_press'])} tin báo chí, {fmt_num(d['n_social'])} tin mạng xã hội)"
    return text + (" mạng xã hội" if d["n_social"] else " báo chí")


def _brief_places(d: dict[str, Any], places: Sequence[str]) -> str:
    if d["in_area_share"] > 0 and places:
        return "Địa bàn: " + "; ".join(places)
    if places:
        return "Ngoài địa bàn: " + "; ".join(places)
    return "Chưa xác định địa bàn"


def _brief_severity(d: dict[str, Any]) -> str:
    """'Mức độ cao: vùi lấp, sơ tán; chính quyền vào cuộc' (`regrade` restates it from «Mức độ » on)."""
    return _severity_clause(BRIEF_SEVERITY, d["severity"], d.get("severity_why") or [])


def _explain_head(d: dict[str, Any]) -> str:
    """'12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội)': the size and mix of the story."""
    head = f"{d['n_items']} tin từ {d['n_outlets']} nguồn trong {fmt_duration(d['span_minutes'])}"
    if d["n_press"] and d["n_social"]:
        return head + f" ({d['n_press']} báo chí, {d['n_social']} mạng xã hội)"
    if d["n_social"]:
        return head + " (mạng xã hội)"
    return head + " (báo chí)"


def _explain_base(d: dict[str, Any], cell: tuple[str, str] | None, p: AlertParams) -> str:
    """The baseline and where it comes from: the (topic, place) cell counted, or the floor used."""
    base = f"nền {fmt_rate(d['baseline_per_day'])} tin/ngày"
    if cell is None:
        return base + (f" (mức sàn: {fmt_num(p.baseline_days, 0)} ngày qua có dưới "
                       f"{fmt_num(math.ceil(p.baseline_floor_per_day * p.baseline_days), 0)} tin cùng chủ đề tại địa bàn này)")
    what = " tại ".join(x for x in (f"«{topic_label(cell[0])}»" if cell[0] else "", place_head(cell[1])) if x)
    return base + (f" ({d['baseline_count']} tin trong {fmt_num(p.baseline_days, 0)} ngày"
                   + (f": {what})" if what else ")"))


def _explain_rate(d: dict[str, Any]) -> str:
    """The window's expected count against the seen one, so the ratio can be recomputed."""
    ratio = d["rate_ratio"]
    return (f"so với nền, trong {fmt_duration(d['window_minutes'])} từ {fmt_local(datetime.fromisoformat(d['window_from']))}: "
            f"dự kiến {fmt_sig(d['expected_in_window'])} tin, có {d['n_items']} tin, "
            f"gấp {fmt_num(ratio, 0) if ratio >= 10 else fmt_num(ratio, 1)} lần")


def _explain_places(d: dict[str, Any], places: Sequence[str]) -> str:
    """Whether the story is in the area, outside it (naming where), or placed nowhere yet."""
    if d["in_area_share"] > 0 and places:
        return "địa bàn: " + ", ".join(places)
    if places:
        return "ngoài địa bàn (" + ", ".join(places) + ")"
    return "chưa xác định địa bàn"


def _explain_regrowth(d: dict[str, Any], regrowth: tuple[dict[str, Any], int, int]) -> str:
    """The lead-in of a re-alert: which closed alert grew again, since when, and by how much."""
    prev, before, grown = regrowth
    was = "bỏ qua" if prev.get("status") == "dismissed" else "xử lý xong"
    why = f", lý do: {prev['close_reason']}" if prev.get("close_reason") else ""
    when = fmt_local(prev["updated_at"]) if prev.get("updated_at") else ""
    return (
        f"Tái cảnh báo vì tăng mạnh: cảnh báo {prev.get('alert_id')} đã được đánh dấu {was}"
        f"{(' lúc ' + when) if when else ''}{why} khi có {before} tin; nay {d['total_items']} tin "
        f"(thêm {grown}, gấp {fmt_num(d['total_items'] / max(before, 1), 1)} lần). "
    )


# ------------------------------------------------------------------------------------------ sources
@dataclass
class SourceAlarm:
    source: str
    kind: str  # 'volume_drop' | 'failing'
    active: bool
    reason: str
    details: dict[str, Any]


def check_source_volume(source: str, history: Sequence[int], last_24h: int, p: AlertParams) -> SourceAlarm | None:
    """Compare the last 24 h with the source's own daily volume (blocks before its first sighting ignored).

    None when there is not enough history to judge; otherwise an alarm that is active or not.
    """
    hist = list(history)
    while hist and hist[0] == 0:
        hist.pop(0)
    if len(hist) < p.source_volume_min_days:
        return None
    mean = float(np.mean(hist))
    if mean < p.source_volume_min_mean:
        return None
    std = max(float(np.std(hist)), 1.0)
    low = mean - p.source_volume_sigma * std
    active = last_24h < low
    reason = (
        f"Nguồn {source}: {last_24h} tin trong 24 giờ qua, dưới ngưỡng {fmt_num(max(low, 0), 1)} "
        f"(trung bình {fmt_num(mean, 1)} ± {fmt_num(std, 1)} tin/ngày trong {len(hist)} ngày; "
        f"ngưỡng = trung bình − {fmt_num(p.source_volume_sigma, 1)}σ). Kiểm tra nguồn có bị chặn, đổi địa chỉ "
        f"hoặc đổi định dạng không."
    )
    return SourceAlarm(source, "volume_drop", active, reason,
                       {"last_24h": last_24h, "mean": round(mean, 2), "std": round(std, 2), "low": round(low, 2),
                        "days": len(hist)})


def check_source_failing(source: str, state: dict[str, Any], p: AlertParams) -> SourceAlarm:
    n = int(state.get("consecutive_failures") or 0)
    active = n >= p.source_fail_count
    last_ok = state.get("last_success_at")
    err = state.get("last_error_kind") or "lỗi"
    msg = (state.get("last_error") or "").strip()
    reason = (
        f"Nguồn {source} lỗi liên tiếp {n} lần (lỗi gần nhất: {err}{': ' + msg[:160] if msg else ''}"
        f"{', lúc ' + fmt_local(state['last_error_at']) if state.get('last_error_at') else ''}); "
        + (f"lần lấy tin thành công gần nhất: {fmt_local(last_ok)}." if last_ok else "chưa lấy được tin lần nào.")
    )
    return SourceAlarm(source, "failing", active, reason,
                       {"consecutive_failures": n, "last_success_at": str(last_ok) if last_ok else None,
                        "last_error_kind": state.get("last_error_kind")})
