"""The shapes that cross emerging-issue detection's functions, typed once where store rows come in.

    store rows (dicts) ──▶ detection.jobs converts once, here:
        story_stats(…, since)        → StoryStats    the story's items in the lookback window
        story_stats(…, 1970)         → WholeStory    all its items, for re-grading an open alert
        latest_story_alerts(…)       → PriorAlert    the story's latest alert: blocks a repeat, or is regrown from
        get_alert(…)                 → OpenAlert     the open alert regrade re-words
    emerging.evaluate_story(StoryStats, …, PriorAlert | None) ──▶ Decision(figures: Figures, …)
                                        └ explain.brief / explain.explain word the Figures (and a Regrowth)
    Decision.details / Regrade.details ──▶ the JSON stored in alerts.details (the store keeps dicts)
    jobs.Detector.detect / check_sources ──▶ RaisedAlert / RaisedAlarm: what a step returns (frozen; `as_row` is
                                        the row `langnghe replay --alerts-out` writes, key for key)

`AlertParams` is here too: the decision, the wording and the source checks all read it. Pure, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, NamedTuple, Sequence


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


def _lists(rows: Sequence[Sequence[str] | None] | None) -> tuple[tuple[str, ...], ...]:
    """Per item, its list (None, a NULL list, reads as empty: both grouping and ranking treat it so)."""
    return tuple(tuple(r or ()) for r in rows or ())


@dataclass(frozen=True)
class StoryStats:
    """One story's items published in the lookback window (`store.stories.story_stats`): counts, first and last
    time, and per item (published order for titles, types and texts) its topics, places, title, type and folded
    text. `title` is the story's display title ("" when it has none yet)."""

    story_id: str
    n_items: int
    n_outlets: int
    n_sources: int
    n_press: int
    n_social: int
    n_negative: int
    n_in_area: int
    first_at: datetime
    last_at: datetime
    topics: tuple[tuple[str, ...], ...] = ()
    places: tuple[tuple[str, ...], ...] = ()
    titles: tuple[str | None, ...] = ()
    types: tuple[str | None, ...] = ()
    texts: tuple[str | None, ...] = ()
    title: str = ""

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "StoryStats":
        """From a `story_stats` row (counts missing from a hand-made row read as 0, sources as the outlets)."""
        outlets = int(row["n_outlets"])
        return cls(
            story_id=str(row["story_id"]), n_items=int(row["n_items"]), n_outlets=outlets,
            n_sources=int(row.get("n_sources", outlets)), n_press=int(row.get("n_press", 0)),
            n_social=int(row.get("n_social", 0)), n_negative=int(row.get("n_negative", 0)),
            n_in_area=int(row.get("n_in_area", 0)), first_at=row["first_at"], last_at=row["last_at"],
            topics=_lists(row.get("topics")), places=_lists(row.get("places")),
            titles=tuple(row.get("titles") or ()), types=tuple(row.get("types") or ()),
            texts=tuple(row.get("texts") or ()), title=row.get("title") or "",
        )


@dataclass(frozen=True)
class WholeStory:
    """All of a story's items, whatever their age, as `severity.regrade` reads them: how many, the press and
    social split, their folded texts. The default is a story with no item left."""

    n_items: int = 0
    n_press: int = 0
    n_social: int = 0
    texts: tuple[str | None, ...] = ()

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "WholeStory":
        return cls(int(row.get("n_items") or 0), int(row.get("n_press") or 0), int(row.get("n_social") or 0),
                   tuple(row.get("texts") or ()))


@dataclass(frozen=True)
class PriorAlert:
    """A story's latest alert that was not merged (`store.alerts.latest_story_alerts`): an open one blocks a
    second alert; a resolved or dismissed one is what a regrowing story alerts again from."""

    alert_id: str
    status: str
    n_items: int
    story_id: str = ""
    close_reason: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "PriorAlert":
        return cls(str(row["alert_id"]), str(row.get("status") or ""), int(row.get("n_items") or 0),
                   str(row.get("story_id") or ""), row.get("close_reason"), row.get("updated_at"))


class Regrowth(NamedTuple):
    """A closed alert's story grown enough to alert again: that alert, its item count then, the items since."""

    prior: PriorAlert
    before: int
    grown: int


@dataclass(frozen=True)
class OpenAlert:
    """An open alert as `severity.regrade` re-words it (`store.alerts.get_alert`): its level, score, reason, and
    the stored figures (`details`, JSON of whatever release raised it: only severity_points and detail are read,
    the rest is written back as it was)."""

    severity: str
    score: float
    reason: str
    details: Mapping[str, Any]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "OpenAlert":
        return cls(str(row.get("severity") or "low"), float(row.get("score") or 0.0), str(row.get("reason") or ""),
                   dict(row.get("details") or {}))

    @property
    def severity_points(self) -> int:
        return int(self.details.get("severity_points") or 0)


@dataclass(frozen=True)
class HarmSignals:
    """What a story's items say about harm: harm words found, the largest stated count of affected people or homes,
    whether officials are involved. Stored as details["harm"]: `as_json` is that dict, made only where details are
    (Figures.as_details, severity.regrade; a TypedDict until round 23)."""

    harms: tuple[str, ...]
    affected: int
    official: bool

    def as_json(self) -> dict[str, Any]:
        return {"harms": list(self.harms), "affected": self.affected, "official": self.official}


class Severity(NamedTuple):
    """A story's severity: level (low / medium / high), points, and the Vietnamese reasons for them."""

    level: str
    points: int
    why: list[str]


@dataclass(frozen=True)
class Figures:
    """The figures of one decision, which `explain` words and staff can recompute; `as_details` is the JSON stored
    in alerts.details (the rounded values are the stored ones, and the ones the reason shows)."""

    n_items: int
    n_outlets: int
    n_sources: int
    n_press: int
    n_social: int
    negative_share: float
    in_area_share: float
    span_minutes: float
    baseline_per_day: float
    baseline_cell: tuple[str, str]  # ("", "") when the baseline is the floor
    baseline_count: int | None  # None: the floor
    baseline_days: float
    window_minutes: int
    window_from: datetime
    expected_in_window: float
    rate_ratio: float
    poisson_p: float
    burst: bool
    n_negative: int
    severity_points: int
    severity_why: list[str]
    harm: HarmSignals
    severity: str
    burst_from: datetime | None
    score: float
    total_items: int
    kleinberg_states: list[int]

    def as_details(self) -> dict[str, Any]:
        """The stored JSON, keys in the order alerts have always had them."""
        return {
            "n_items": self.n_items, "n_outlets": self.n_outlets, "n_sources": self.n_sources,
            "n_press": self.n_press, "n_social": self.n_social, "negative_share": self.negative_share,
            "in_area_share": self.in_area_share, "span_minutes": self.span_minutes,
            "baseline_per_day": self.baseline_per_day, "baseline_cell": list(self.baseline_cell),
            "baseline_count": self.baseline_count, "baseline_days": self.baseline_days,
            "window_minutes": self.window_minutes, "window_from": self.window_from.isoformat(),
            "expected_in_window": self.expected_in_window, "rate_ratio": self.rate_ratio,
            "poisson_p": self.poisson_p, "burst": self.burst, "n_negative": self.n_negative,
            "severity_points": self.severity_points, "severity_why": self.severity_why, "harm": self.harm.as_json(),
            "severity": self.severity, "burst_from": self.burst_from.isoformat() if self.burst_from else None,
            "score": self.score, "total_items": self.total_items, "kleinberg_states": self.kleinberg_states,
        }


@dataclass(frozen=True)
class RaisedAlert:
    """An alert a detection step raised, as `jobs.run_detection` returns it. `langnghe replay` turns it into its
    file's row with `as_row` (the one place it becomes a dict: --alerts-out and the scenarios read rows by key)."""

    alert_id: str
    raised_at: datetime  # naive UTC
    story_id: str
    title: str
    topics: tuple[str, ...]
    places: tuple[str, ...]
    item_ids: tuple[str, ...]
    severity: str
    score: float
    reason: str
    previous_alert_id: str | None

    def as_row(self) -> dict[str, Any]:
        """The --alerts-out row, key for key in field order (the file's), lists as lists, the time in ISO."""
        row = {f: getattr(self, f) for f in self.__dataclass_fields__}
        row.update(raised_at=self.raised_at.isoformat(), topics=list(self.topics), places=list(self.places),
                   item_ids=list(self.item_ids))
        return row


@dataclass(frozen=True)
class RaisedAlarm:
    """A source alarm a step raised (`jobs.Detector.check_sources`); replay writes `as_row` to --alarms-out."""

    id: int
    source: str
    kind: str
    raised_at: datetime  # naive UTC
    reason: str

    def as_row(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "kind": self.kind, "raised_at": self.raised_at.isoformat(),
                "reason": self.reason}
