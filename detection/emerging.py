"""Emerging issues: whether a story alerts now — baseline, Kleinberg burst, weight, gates. Pure logic, no SQL.

    StoryStats (the story's items in the last lookback_hours: items, outlets, press/social, negative, in area)
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
            unless the story already has an alert (PriorAlert); a dismissed or resolved story alerts again only
            when it grew by regrowth_factor and regrowth_min_items (Regrowth), and the reason says so.
        ▼
    Decision: the verdict and its Figures; the Vietnamese reason and detail line are detection.explain's,
    the severity detection.severity's. Source health is detection.source_health.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

from detection.alert_types import AlertParams, Figures, HarmSignals, PriorAlert, Regrowth, Severity, StoryStats
from detection.explain import brief, distinct_places, explain, round_sig, shown_minutes
from detection.severity import harm_signals, severity_of

# ------------------------------------------------------------------------------------------ statistics
def kleinberg_two_state(counts: Sequence[int], base_rate: float, scale: float, tau: float) -> list[int]:
    """Viterbi state sequence of Kleinberg's two-state burst automaton over Poisson counts per bin.

    State 0 emits at `base_rate` per bin, state 1 at `scale × base_rate`; moving 0→1 costs `tau`,
    moving back is free. Returns 0/1 per bin.
    """
    import numpy as np  # here, not at the top: `langnghe serve` imports this module at start (~0.1 s of CPU)

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


# ------------------------------------------------------------------------------------------ stories
@dataclass(frozen=True)
class Decision:
    """Whether one story alerts now, with its figures; `details` is what alerts.details stores."""

    story_id: str
    alert: bool
    score: float
    burst: bool
    reason: str
    severity: str
    figures: Figures
    title: str = ""
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    previous_alert_id: str | None = None
    detail: str = ""  # the engineers' line («Chi tiết»), when it alerts
    regrowth_from: int | None = None  # the closed alert's item count, when it alerts again

    @property
    def details(self) -> dict[str, Any]:
        """The figures as stored, with the detail line (an alert) and the regrowth's start (a re-alert)."""
        out = self.figures.as_details()
        if self.alert:
            out["detail"] = self.detail
        if self.regrowth_from is not None:
            out["regrowth_from"] = self.regrowth_from
        return out


def _rank(lists: Iterable[Sequence[str] | None]) -> list[tuple[str, int]]:
    c: Counter[str] = Counter()
    for lst in lists:
        for x in set(lst or ()):
            if x:
                c[x] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


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
    def of(cls, stats: StoryStats, p: AlertParams) -> "_Weight":
        n = stats.n_items
        outlets = stats.n_outlets
        n_press, n_social = stats.n_press, stats.n_social
        neg_share = stats.n_negative / max(n, 1)
        area_share = stats.n_in_area / max(n, 1)
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
    def of(cls, stats: StoryStats, n: int, baseline_per_day: float, baseline_cell: tuple[str, str] | None,
           p: AlertParams) -> "_Rate":
        span_min = max((stats.last_at - stats.first_at).total_seconds() / 60.0, 1.0)
        window_min = shown_minutes(max(span_min, p.bin_minutes))
        base_count = int(round(baseline_per_day * p.baseline_days)) if baseline_cell is not None else None
        base_rate = base_count / p.baseline_days if base_count is not None else baseline_per_day
        expected = round_sig(base_rate * window_min / (24 * 60), 2)
        ratio = n / max(expected, 1e-12)
        return cls(span_min, window_min, base_count, base_rate, expected, ratio, poisson_tail(n, expected))


def evaluate_story(
    stats: StoryStats,
    times: Sequence[datetime],
    total_items: int,
    baseline_per_day: float,
    baseline_cell: tuple[str, str] | None,
    previous: PriorAlert | None,
    p: AlertParams,
    now: datetime,
) -> Decision:
    """Decide whether one story alerts now, with the numbers and the Vietnamese reason."""
    w = _Weight.of(stats, p)
    b = _Burst.of(times, baseline_per_day, p, now)
    r = _Rate.of(stats, w.n, baseline_per_day, baseline_cell, p)
    topics = [t for t, _ in _rank(stats.topics)][:3]
    all_places = _rank(stats.places)
    places = distinct_places(all_places, limit=3, area_province=p.area_province)
    signals = harm_signals(stats.texts)
    severity = severity_of(signals, w.mixed, w.score, p)
    figures = _figures(stats, w, b, r, baseline_cell, p, total_items, signals, severity)
    decision = Decision(stats.story_id, False, round(w.score, 2), b.burst, "", severity.level, figures,
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
    return replace(decision, alert=True, reason=brief(figures, topics, places, regrowth),
                   detail=explain(figures, topics, places, baseline_cell, p, regrowth),
                   previous_alert_id=regrowth.prior.alert_id if regrowth else None,
                   regrowth_from=regrowth.before if regrowth else None)


def _figures(stats: StoryStats, w: _Weight, b: _Burst, r: _Rate, baseline_cell: tuple[str, str] | None,
             p: AlertParams, total_items: int, signals: HarmSignals, severity: Severity) -> Figures:
    """The figures stored with the decision, which `explain` words and staff can recompute."""
    return Figures(
        n_items=w.n, n_outlets=w.outlets, n_sources=stats.n_sources, n_press=w.n_press, n_social=w.n_social,
        negative_share=round(w.neg_share, 3), in_area_share=round(w.area_share, 3),
        span_minutes=round(r.span_min, 1), baseline_per_day=round(r.base_rate, 4),
        baseline_cell=baseline_cell or ("", ""), baseline_count=r.base_count, baseline_days=p.baseline_days,
        window_minutes=r.window_min, window_from=stats.first_at, expected_in_window=r.expected,
        rate_ratio=round(r.ratio, 1), poisson_p=r.surprise, burst=b.burst, n_negative=stats.n_negative,
        severity_points=severity.points, severity_why=severity.why, harm=signals, severity=severity.level,
        burst_from=b.burst_from, score=round(w.score, 2), total_items=int(total_items),
        kleinberg_states=b.states[-12:],
    )


def _display_title(stats: StoryStats) -> str:
    """The store's display title: the story's own, else its first press title, else its first title."""
    titles, types = stats.titles, stats.types
    return stats.title or next((t for t, ty in zip(titles, types) if ty == "press" and t),
                               titles[0] if titles else "")


def _regrowth(previous: PriorAlert | None, total_items: int, p: AlertParams) -> tuple[bool, Regrowth | None]:
    """(may the story alert at all, the Regrowth when it alerts again).
    An open or merged alert: never twice; a resolved or dismissed one: only when the story grew enough."""
    if previous is None:
        return True, None
    if previous.status not in ("resolved", "dismissed"):
        return False, None  # already alerted (open or merged): never twice
    before = previous.n_items
    grown = total_items - before
    if total_items >= p.regrowth_factor * max(before, 1) and grown >= p.regrowth_min_items:
        return True, Regrowth(previous, before, grown)
    return False, None  # closed and not grown enough
