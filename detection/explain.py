"""Emerging-issue alerts in Vietnamese: the staff sentence, the engineers' detail line, and their wording rules.

    emerging.evaluate_story ──▶ Figures (the decision's numbers, rounded as stored) + topics + places
        ├─ brief(fig, …)    alerts.reason: what rose, against what usual flow, over what window, from where,
        │                   «Mức độ …» last; read aloud at the briefing, quoted as «Vì sao» (first clause)
        └─ explain(fig, …)  details["detail"] («Chi tiết»): every figure recomputable from those beside it,
                            «mức …» last
    severity.regrade ──▶ restate_severity(): the closing «Mức độ …» / «mức …» clause for the new level;
                         regrade_note(): the history's note when the level rose

A re-alert (Regrowth) opens both with the closed alert it grew from. Places are named by distinct_places
(most mentioned, one display name per place, containers of listed places left out). Pure, no SQL; numbers in the
Vietnamese format of vocab.numbers, times in Vietnam time (vocab.timefmt).
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from detection.alert_types import AlertParams, Figures, Regrowth
from vocab.alerts import SEVERITY_LABELS as ALERT_SEVERITY_LABELS
from vocab.folding import fold
from vocab.labels import TOPIC_LABELS, topics_text
from vocab.numbers import fmt_num, fmt_pct, fmt_rate
from vocab.timefmt import fmt_local

# mid-sentence in a reason ("mức trung bình"): the vocabulary's labels, lower-cased
SEVERITY_LABELS = {code: label.lower() for code, label in ALERT_SEVERITY_LABELS.items()}
BRIEF_SEVERITY = "Mức độ"  # opens the severity sentence of a staff reason (`brief`), which `restate_severity` restates


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


# ------------------------------------------------------------------------------------------ severity clause
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


def _severity_clause(lead: str, level: str, why: Sequence[str] = ()) -> str:
    """«mức cao: vùi lấp, sơ tán» (`lead` "mức", mid-sentence in `explain`) or «Mức độ cao: …» (BRIEF_SEVERITY,
    `brief`'s sentence): one wording, so that `restate_severity` finds the clause it restates; without `why`, the clause's
    head it searches for."""
    return f"{lead} {SEVERITY_LABELS.get(level, level)}" + (": " + "; ".join(why) if why else "")


def restate_severity(reason: str, old: str, level: str, why: Sequence[str]) -> str:
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


def regrade_note(old: str, level: str, n_items: int, points: int, why: Sequence[str]) -> str:
    """The alert history's note when a growing story's severity rose (`severity.regrade`)."""
    return (f"Mức độ: {SEVERITY_LABELS.get(old, old)} → {SEVERITY_LABELS[level]} khi vấn đề có "
            f"{n_items} tin ({points} điểm: {'; '.join(why)})")


# ------------------------------------------------------------------------------------------ places
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


# ------------------------------------------------------------------------------------------ the detail line, the brief
def explain(
    fig: Figures,
    topics: Sequence[str],
    places: Sequence[str],
    cell: tuple[str, str] | None,
    p: AlertParams,
    regrowth: Regrowth | None = None,
) -> str:
    """The alert's reason in Vietnamese, every number recomputable from those beside it:
    '12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội), nền 0,3 tin/ngày (4 tin trong 14 ngày: …);
    so với nền, trong 4 giờ từ 06:00 11/09: dự kiến 0,071 tin, có 12 tin, gấp 169 lần; 83% tiêu cực
    (10/12 tin); địa bàn: phường Vàng Danh; …; mức cao: vùi lấp, sơ tán; …'."""
    parts = [f"{_explain_head(fig)}, {_explain_base(fig, cell, p)}", _explain_rate(fig),
             f"{fmt_pct(fig.negative_share)} tiêu cực ({fig.n_negative}/{fig.n_items} tin)",
             _explain_places(fig, places)]
    if topics:
        parts.append("chủ đề: " + topics_text(topics))
    if fig.burst_from is not None:
        parts.append(f"bùng phát từ {fmt_local(fig.burst_from)}")
    if fig.severity:
        parts.append(_severity_clause("mức", fig.severity, fig.severity_why))
    text = "; ".join(parts)
    if regrowth is not None:
        text = _explain_regrowth(fig, regrowth) + text
    return text


def brief(
    fig: Figures,
    topics: Sequence[str],
    places: Sequence[str],
    regrowth: Regrowth | None = None,
) -> str:
    """The alert's reason as staff read it aloud at the briefing and paste it into a rapid report's «Căn cứ»:
    what rose, how much against the usual flow, over what window, from where; the figures an engineer recomputes
    are `explain`'s, kept in details["detail"] («Chi tiết»). Sentences, so that topic labels, which hold commas,
    join by «; » unambiguously:
    '12 tin, bài trong 4 giờ (từ 06:00 11/09), gấp nhiều lần mức thường ngày (khoảng 2 tin/tuần); 83% tiêu cực;
    lan trên 9 nguồn (8 tin báo chí, 4 tin mạng xã hội). Địa bàn: phường Vàng Danh. Lĩnh vực: Thiên tai, sự cố.
    Mức độ cao: vùi lấp, sơ tán; chính quyền vào cuộc.'"""
    head = (f"{fmt_num(fig.n_items)} tin, bài trong {fmt_duration(fig.span_minutes)} "
            f"(từ {fmt_local(fig.window_from)}), {_brief_rise(fig)}")
    first = "; ".join((head, _brief_negative(fig), _brief_spread(fig)))
    sentences = [first, _brief_places(fig, places)]
    if topics:
        sentences.append("Lĩnh vực: " + topics_text(topics))
    if fig.severity:
        sentences.append(_brief_severity(fig))
    text = ". ".join(sentences) + "."
    if regrowth is not None:
        text = _explain_regrowth(fig, regrowth) + text
    return text


def _brief_rise(fig: Figures) -> str:
    """How far above the usual flow, in words («gấp nhiều lần» past ten: «gấp 169 lần» means nothing aloud)."""
    ratio = float(fig.rate_ratio)
    if ratio >= 10:
        how = "gấp nhiều lần mức thường ngày"
    elif ratio >= 2:
        how = f"gấp {fmt_num(ratio, 0)} lần mức thường ngày"
    else:
        how = "cao hơn mức thường ngày"
    per_day = float(fig.baseline_per_day)
    if fig.baseline_count is None and fig.baseline_days:  # the floor: the cell itself had (almost) nothing
        days = float(fig.baseline_days)
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


def _brief_negative(fig: Figures) -> str:
    return f"{fmt_pct(fig.negative_share)} tiêu cực" if fig.n_negative else "chưa có tin tiêu cực"


def _brief_spread(fig: Figures) -> str:
    """'lan trên 9 nguồn (8 tin báo chí, 4 tin mạng xã hội)': breadth, and the mix when both carry it."""
    text = f"lan trên {fmt_num(fig.n_outlets)} nguồn"
    if fig.n_press and fig.n_social:
        return text + f" ({fmt_num(fig.n_press)} tin báo chí, {fmt_num(fig.n_social)} tin mạng xã hội)"
    return text + (" mạng xã hội" if fig.n_social else " báo chí")


def _brief_places(fig: Figures, places: Sequence[str]) -> str:
    if fig.in_area_share > 0 and places:
        return "Địa bàn: " + "; ".join(places)
    if places:
        return "Ngoài địa bàn: " + "; ".join(places)
    return "Chưa xác định địa bàn"


def _brief_severity(fig: Figures) -> str:
    """'Mức độ cao: vùi lấp, sơ tán; chính quyền vào cuộc' (`restate_severity` restates it from «Mức độ » on)."""
    return _severity_clause(BRIEF_SEVERITY, fig.severity, fig.severity_why)


def _explain_head(fig: Figures) -> str:
    """'12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội)': the size and mix of the story."""
    head = f"{fig.n_items} tin từ {fig.n_outlets} nguồn trong {fmt_duration(fig.span_minutes)}"
    if fig.n_press and fig.n_social:
        return head + f" ({fig.n_press} báo chí, {fig.n_social} mạng xã hội)"
    if fig.n_social:
        return head + " (mạng xã hội)"
    return head + " (báo chí)"


def _explain_base(fig: Figures, cell: tuple[str, str] | None, p: AlertParams) -> str:
    """The baseline and where it comes from: the (topic, place) cell counted, or the floor used."""
    base = f"nền {fmt_rate(fig.baseline_per_day)} tin/ngày"
    if cell is None:
        return base + (f" (mức sàn: {fmt_num(p.baseline_days, 0)} ngày qua có dưới "
                       f"{fmt_num(math.ceil(p.baseline_floor_per_day * p.baseline_days), 0)} tin cùng chủ đề tại địa bàn này)")
    what = " tại ".join(x for x in (f"«{topic_label(cell[0])}»" if cell[0] else "", place_head(cell[1])) if x)
    return base + (f" ({fig.baseline_count} tin trong {fmt_num(p.baseline_days, 0)} ngày"
                   + (f": {what})" if what else ")"))


def _explain_rate(fig: Figures) -> str:
    """The window's expected count against the seen one, so the ratio can be recomputed."""
    ratio = fig.rate_ratio
    return (f"so với nền, trong {fmt_duration(fig.window_minutes)} từ {fmt_local(fig.window_from)}: "
            f"dự kiến {fmt_sig(fig.expected_in_window)} tin, có {fig.n_items} tin, "
            f"gấp {fmt_num(ratio, 0) if ratio >= 10 else fmt_num(ratio, 1)} lần")


def _explain_places(fig: Figures, places: Sequence[str]) -> str:
    """Whether the story is in the area, outside it (naming where), or placed nowhere yet."""
    if fig.in_area_share > 0 and places:
        return "địa bàn: " + ", ".join(places)
    if places:
        return "ngoài địa bàn (" + ", ".join(places) + ")"
    return "chưa xác định địa bàn"


def _explain_regrowth(fig: Figures, regrowth: Regrowth) -> str:
    """The lead-in of a re-alert: which closed alert grew again, since when, and by how much."""
    prev, before, grown = regrowth
    was = "bỏ qua" if prev.status == "dismissed" else "xử lý xong"
    why = f", lý do: {prev.close_reason}" if prev.close_reason else ""
    when = fmt_local(prev.updated_at) if prev.updated_at else ""
    return (
        f"Tái cảnh báo vì tăng mạnh: cảnh báo {prev.alert_id} đã được đánh dấu {was}"
        f"{(' lúc ' + when) if when else ''}{why} khi có {before} tin; nay {fig.total_items} tin "
        f"(thêm {grown}, gấp {fmt_num(fig.total_items / max(before, 1), 1)} lần). "
    )


