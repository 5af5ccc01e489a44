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
    alert   if burst and weight ≥ min_score, unless the story already has an alert; a dismissed or
            resolved story alerts again only when it grew by regrowth_factor and regrowth_min_items,
            and the reason says so.

Source health: a source's last 24 h below mean − source_volume_sigma·σ of its own daily volume
(over source_volume_days), or source_fail_count consecutive failed fetches, raise an alarm.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

import numpy as np

from vocab.labels import TOPIC_LABELS
from vocab.numbers import fmt_num, fmt_pct, fmt_rate
from vocab.timefmt import fmt_local


SEVERITY_LABELS = {"low": "thấp", "medium": "trung bình", "high": "cao"}


def topic_label(code: str) -> str:
    return TOPIC_LABELS.get(code) or code


# ------------------------------------------------------------------------------------------ formatting
def fmt_duration(minutes: float) -> str:
    m = max(int(round(minutes)), 1)
    if m < 60:
        return f"{m} phút"
    if m < 48 * 60:
        h, r = divmod(m, 60)
        r = int(round(r / 5.0) * 5)
        if r == 60:
            h, r = h + 1, 0
        return f"{h} giờ" + (f" {r} phút" if r else "")
    d, r = divmod(m, 24 * 60)
    h = int(round(r / 60))
    return f"{d} ngày" + (f" {h} giờ" if h else "")


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
    severity_medium: float = 20.0
    severity_high: float = 36.0
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
    from detection.stories import _fold, _strip_level

    return _strip_level(_fold(s))


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
        from detection.stories import _fold

        return any(_is_ward(o) or (" cũ" in o and not _fold(o).startswith("tinh ")) for o in others)
    return False


def place_head(name: str) -> str:
    """'TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, …' → 'TP Uông Bí cũ' (for running text)."""
    return name.split(", nay ")[0]


def _is_ward(name: str) -> bool:
    from detection.stories import _fold

    return _fold(name).startswith(("phuong ", "xa ", "dac khu "))


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
    n = int(stats["n_items"])
    outlets = int(stats["n_outlets"])
    n_press, n_social = int(stats.get("n_press", 0)), int(stats.get("n_social", 0))
    neg_share = stats.get("n_negative", 0) / max(n, 1)
    area_share = stats.get("n_in_area", 0) / max(n, 1)
    mixed = n_press > 0 and n_social > 0
    score = outlets * (p.negative_base + p.weight_negative * neg_share) * (1 + p.weight_in_area * area_share) * (
        1 + (p.weight_mixed_types if mixed else 0.0))

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

    first_at, last_at = stats["first_at"], stats["last_at"]
    span_min = max((last_at - first_at).total_seconds() / 60.0, 1.0)
    expected = baseline_per_day * span_min / (24 * 60)
    ratio = (n / max(span_min / (24 * 60), 1 / 24)) / baseline_per_day  # observed rate (≥ 1 h span) vs baseline
    surprise = poisson_tail(n, expected)

    topics = [t for t, _ in _rank(stats.get("topics") or [])][:3]
    all_places = _rank(stats.get("places") or [])
    places = distinct_places(all_places, limit=3, area_province=p.area_province)
    titles, types = stats.get("titles") or [], stats.get("types") or []
    title = next((t for t, ty in zip(titles, types) if ty == "press" and t), titles[0] if titles else "")

    severity = "high" if score >= p.severity_high else "medium" if score >= p.severity_medium else "low"
    details = {
        "n_items": n, "n_outlets": outlets, "n_sources": int(stats.get("n_sources", outlets)),
        "n_press": n_press, "n_social": n_social, "negative_share": round(neg_share, 3),
        "in_area_share": round(area_share, 3), "span_minutes": round(span_min, 1),
        "baseline_per_day": round(baseline_per_day, 3), "baseline_cell": list(baseline_cell or ("", "")),
        "rate_ratio": round(ratio, 1), "poisson_p": surprise, "burst": burst,
        "burst_from": burst_from.isoformat() if burst_from else None, "score": round(score, 2),
        "total_items": int(total_items), "kleinberg_states": states[-12:],
    }
    decision = Decision(stats["story_id"], False, round(score, 2), burst, "", severity, details, title,
                        tuple(topics), tuple(places))

    gate = n >= p.min_items and outlets >= p.min_outlets and score >= p.min_score
    regrowth = None
    if previous is not None:
        status = previous.get("status")
        if status in ("resolved", "dismissed"):
            before = int(previous.get("n_items") or 0)
            grown = total_items - before
            if total_items >= p.regrowth_factor * max(before, 1) and grown >= p.regrowth_min_items:
                regrowth = (previous, before, grown)
            else:
                return decision  # closed and not grown enough
        else:
            return decision  # already alerted (open or merged): never twice
    if regrowth is None and not (gate and burst):
        return decision
    if regrowth is not None and not (outlets >= p.min_outlets and score >= p.min_score):
        return decision

    decision.alert = True
    decision.reason = explain(stats, details, topics, places, baseline_cell, p, regrowth)
    if regrowth is not None:
        decision.previous_alert_id = regrowth[0].get("alert_id")
        details["regrowth_from"] = regrowth[1]
    return decision


def explain(
    stats: dict[str, Any],
    d: dict[str, Any],
    topics: Sequence[str],
    places: Sequence[str],
    cell: tuple[str, str] | None,
    p: AlertParams,
    regrowth: tuple[dict[str, Any], int, int] | None = None,
) -> str:
    """The alert's reason in Vietnamese, with numbers:
    '12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội), nền 0,3 tin/ngày …; 83% tiêu cực; địa bàn: phường Vàng Danh'."""
    parts = []
    head = f"{d['n_items']} tin từ {d['n_outlets']} nguồn trong {fmt_duration(d['span_minutes'])}"
    if d["n_press"] and d["n_social"]:
        head += f" ({d['n_press']} báo chí, {d['n_social']} mạng xã hội)"
    elif d["n_social"]:
        head += " (mạng xã hội)"
    else:
        head += " (báo chí)"
    base = f"nền {fmt_rate(d['baseline_per_day'])} tin/ngày"
    if cell and (cell[0] or cell[1]):
        what = " tại ".join(x for x in (f"«{topic_label(cell[0])}»" if cell[0] else "", place_head(cell[1])) if x)
        base += f" ({what})"
    elif cell is None:
        base += (f" (mức sàn: {fmt_num(p.baseline_days, 0)} ngày qua có dưới "
                 f"{fmt_num(math.ceil(p.baseline_floor_per_day * p.baseline_days), 0)} tin cùng chủ đề tại địa bàn này)")
    if d["rate_ratio"] >= 2:
        base += f", gấp {fmt_num(d['rate_ratio'], 0)} lần"
    parts.append(f"{head}, {base}")
    parts.append(f"{fmt_pct(d['negative_share'])} tiêu cực")
    if d["in_area_share"] > 0 and places:
        parts.append("địa bàn: " + ", ".join(places))
    elif places:
        parts.append("ngoài địa bàn (" + ", ".join(places) + ")")
    else:
        parts.append("chưa xác định địa bàn")
    if topics:
        parts.append("chủ đề: " + ", ".join(topic_label(t) for t in topics))
    if d.get("burst_from"):
        parts.append(f"bùng phát từ {fmt_local(datetime.fromisoformat(d['burst_from']))}")
    text = "; ".join(parts)
    if regrowth is not None:
        prev, before, grown = regrowth
        was = "bỏ qua" if prev.get("status") == "dismissed" else "xử lý xong"
        why = f", lý do: {prev['close_reason']}" if prev.get("close_reason") else ""
        when = fmt_local(prev["updated_at"]) if prev.get("updated_at") else ""
        text = (
            f"Tái cảnh báo vì tăng mạnh: cảnh báo {prev.get('alert_id')} đã được đánh dấu {was}"
            f"{(' lúc ' + when) if when else ''}{why} khi có {before} tin; nay {d['total_items']} tin "
            f"(thêm {grown}, gấp {fmt_num(d['total_items'] / max(before, 1), 1)} lần). " + text
        )
    return text


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
