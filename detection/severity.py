"""How bad an emerging issue is: harm words, affected counts, officials, spread and breadth, in points.

    folded texts of the story's items ──▶ harm_signals ──▶ HarmSignals (harms, affected, official)
    HarmSignals + press-and-social + score ──▶ severity_of ──▶ Severity(level, points, why)
        emerging.evaluate_story: over the lookback window, when the story is first judged
        regrade: over the whole story (WholeStory) as an open alert's story grows; the level only rises,
                 and the reason's closing clause is restated (explain.restate_severity)

Harm words and officials are matched in accent-folded text, so posts written without diacritics count; a harm
word right after a negation («không có thương vong») is no harm. Pure, no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from detection.alert_types import AlertParams, HarmSignals, OpenAlert, Severity, WholeStory
from detection.explain import regrade_note, restate_severity
from vocab.numbers import fmt_num

# ------------------------------------------------------------------------------------------ signals and points
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


def harm_signals(folded_texts: Iterable[str | None]) -> HarmSignals:
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
    return HarmSignals(harms=tuple(sorted(harms, key=list(HARM_WORDS).index)), affected=affected, official=official)


_TOKEN_RE = re.compile(r"[a-z0-9.]+")


def severity_of(signals: HarmSignals, mixed: bool, score: float, p: AlertParams) -> Severity:
    """(level, points, Vietnamese reasons). Points: harm words (death, missing 2 each; buried, evacuated,
    injured 1 each; at most 3), affected people or homes stated (≥ severity_affected_many 1, ≥ _mass 2),
    officials involved 1, carried by both press and social 1, breadth of coverage (score ≥ severity_medium
    1, ≥ severity_high 2). high from severity_points_high, medium from severity_points_medium."""
    why: list[str] = []
    harm = min(3, sum(HARM_WORDS[h][1] for h in signals.harms))
    if signals.harms:
        why.append(", ".join(signals.harms))
    n = int(signals.affected or 0)
    affected = 2 if n >= p.severity_affected_mass else 1 if n >= p.severity_affected_many else 0
    if affected:
        why.append(f"ít nhất {fmt_num(n)} hộ/người bị ảnh hưởng")
    official = 1 if signals.official else 0
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
    return Severity(level, points, why)


# ------------------------------------------------------------------------------------------ re-grading
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Regrade:
    """An open alert's severity re-graded as its story grew: what to store (`details`: the alert's stored JSON
    with the new severity figures), and the history note (empty when the level stayed and only what made it grew)."""

    severity: str
    reason: str
    details: dict[str, Any]
    note: str


def regrade(alert: OpenAlert, story: WholeStory, score: float, p: AlertParams) -> Regrade | None:
    """Severity of the whole story now (all its items: harm words, affected count, officials, press and
    social, breadth at the higher of the alert's and the current score). A growing story only gains
    signals, so severity only rises here; staff lower it by closing or re-prioritising the alert.
    None when it is lower, or the same level on no more points. The reason's closing "mức …" clause is
    restated; the note (for the alert's history) is set only when the level rises."""
    old = alert.severity
    signals = harm_signals(story.texts)
    mixed = story.n_press > 0 and story.n_social > 0
    best = max(alert.score, float(score or 0.0))
    level, points, why = severity_of(signals, mixed, best, p)
    rose = SEVERITY_RANK.get(level, 0) > SEVERITY_RANK.get(old, 0)
    if not rose and (level != old or points <= alert.severity_points):
        return None  # lower, or the same level with nothing more to say
    reason = restate_severity(alert.reason, old, level, why)
    details = dict(alert.details)
    if details.get("detail"):  # the engineers' figures end with the same clause
        details["detail"] = restate_severity(str(details["detail"]), old, level, why)
    details.update(severity=level, severity_points=points, severity_why=why, harm=signals.as_json(),
                   severity_items=story.n_items)
    note = regrade_note(old, level, story.n_items, points, why) if rose else ""
    return Regrade(level, reason, details, note)
