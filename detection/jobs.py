"""The detection step the live Scheduler runs each tick, and `langnghe replay` runs each simulated step.

    run_detection(cfg, db, now) ─┬─ 1 group: items not yet in a story (published ≤ now; tagged, or
                                 │           untagged for untagged_grace_minutes) → StoryIndex → story_items
                                 ├─ 2 detect: stories touched in step 1 → counts (DuckDB) → baseline,
                                 │            Kleinberg burst, weight, dedupe → alerts (+ 'raise' audit event);
                                 │            an open alert whose story grew follows it and is re-graded
                                 │            (+ 'severity' event when its severity rises)
                                 └─ 3 sources: every source_check_minutes, volume 2σ band and failure alarms

The StoryIndex lives in memory, one per database handle; it is rebuilt from story_items when the
process starts or when a merge changed the stories (stories_meta.generation).

Store rows become typed shapes once, here (detection/alert_types.py: StoryStats, WholeStory, PriorAlert, OpenAlert;
grouped rows → GroupItem). What goes out to a replay's tagger is a frozen TagRequest (round 23; a TypedDict
before: nothing read it as a dict). What goes down to the store stays a dict, named by a TypedDict: a StoryItemRow
is the story_items row store.stories.add_story_items writes, built once on the line before that call, so a
dataclass would only be turned back into it (the DuckDB row is the boundary). What a step returns is typed and
frozen: RaisedAlert / RaisedAlarm (replay turns them into its files' rows with `as_row`, round 22).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Sequence, TypedDict

from vocab.config import Config, section
from detection.alert_types import (AlertParams, OpenAlert, PriorAlert, RaisedAlarm, RaisedAlert, StoryStats,
                                   WholeStory)
from detection.emerging import baseline_rate, evaluate_story, story_cells
from detection.severity import regrade
from detection.source_health import SourceState, check_source_failing, check_source_volume
from detection.stories import Assignment, GroupItem, StoryIndex, StoryParams, group_item_from_tags, thread_key
from store import alerts as store_alerts
from store import stories as store_stories
from store.db import Database
from vocab.alerts import NewAlert

log = logging.getLogger("langnghe.detect")


@dataclass(frozen=True)
class TagRequest:
    """What the grouping hands a tagger for an item not tagged yet (replay's fixture tagger, tests): `text` is its
    summary, `flags` route a comment (fb_post:<id>)."""

    id: str
    title: str
    text: str
    source: str
    source_type: str
    published_at: datetime
    flags: tuple[str, ...]
    url: str | None


# The tagger answers one tag row per item (id, topics, places, place_details, folded…: nlp's shape, read by
# detection.stories.group_item_from_tags), so its answer stays a mapping.
Tagger = Callable[[list[TagRequest]], list[Mapping[str, Any]]]


class StoryItemRow(TypedDict):
    """A grouped item as `store.stories.add_story_items` writes it (the columns of story_items)."""

    item_id: str
    story_id: str
    published_at: datetime
    source: str
    outlet: str
    source_type: str
    title: str
    folded: str
    mask: list[str]
    topics: list[str]
    sentiment: str | None
    in_area: bool
    places: list[str]
    similarity: float | None  # None: the item started the story
    grouped_at: datetime
    wards: list[str]
    provinces: list[str]
    title_restored: str | None
    collector: str | None
    guid: str | None
    thread: str


class Detector:
    """Grouping state plus the detection step for one database."""

    def __init__(self, cfg: Config, db: Database):
        self.cfg = cfg
        self.db = db
        self.sp = StoryParams.from_section(section(cfg, "stories"))
        self.ap = replace(AlertParams.from_section(section(cfg, "alerts")), area_province=cfg.area.province)
        self.index: StoryIndex | None = None
        self.generation: int | None = None
        self._settled: tuple[Any, ...] | None = None  # items signature when nothing was left pending
        self.lock = threading.Lock()
        self.last_source_alarms: list[RaisedAlarm] = []  # the last step's (replay collects them)

    # ------------------------------------------------------------------ grouping
    def _ensure_index(self, cur: Any, now: datetime) -> StoryIndex:
        gen = store_stories.generation(cur)
        if self.index is None or gen != self.generation:
            index = StoryIndex(self.sp)
            rows = store_stories.grouped_since(cur, now - timedelta(hours=self.sp.window_hours))
            if rows:
                items = [
                    GroupItem(item_id=r["item_id"], published_at=r["published_at"], folded=r["folded"],
                              source=r.get("source") or "", topics=tuple(r["topics"] or ()), mask=tuple(r["mask"] or ()),
                              wards=frozenset(r.get("wards") or ()), provinces=frozenset(r.get("provinces") or ()),
                              source_type=r.get("source_type") or "press", guid=r.get("guid") or "",
                              outlet=r.get("outlet") or "", thread=_thread_of_row(r))
                    for r in rows
                ]
                index.load(items, [r["story_id"] for r in rows])
            self.index, self.generation = index, gen
        return self.index

    def group(self, now: datetime, tagger: Tagger | None = None) -> list[str]:
        """Group pending items; returns the ids of stories that received items."""
        with self.db.read() as cur:
            index = self._ensure_index(cur, now)
            sig = store_stories.items_signature(cur)
            if sig == self._settled and (sig[2] is None or sig[2] <= now):
                return []  # no item arrived since everything was grouped
            limit = int(self.sp.max_items_per_step) or None
            pending = store_stories.pending_items(cur, now, limit=limit)
        grace = timedelta(minutes=self.ap.untagged_grace_minutes)
        ready = [r for r in pending if r["tagged"] or tagger is not None or now - r["published_at"] >= grace]
        backlog = limit is not None and len(pending) >= limit  # the rest waits for the next tick
        self._settled = sig if len(ready) == len(pending) and not backlog else None
        if not ready:
            return []
        tags: dict[str, Mapping[str, Any]] = {}  # item id → its tag row: the tagger's, or the stored one
        untagged = [r for r in ready if not r["tagged"]]
        if tagger is not None and untagged:
            rows = tagger([TagRequest(id=r["id"], title=r["title"], text=r["summary"], source=r["source"],
                                      source_type=r["source_type"], published_at=r["published_at"],
                                      flags=tuple(r.get("flags") or ()), url=r.get("url")) for r in untagged])
            tags = {str(t["id"]): t for t in rows}
        for r in ready:
            if r["tagged"]:
                tags[r["id"]] = r
        gitems = [group_item_from_tags(r, tags.get(r["id"])) for r in ready]
        assignments = index.add(gitems)
        index.expire(now)
        rows_out = [_story_item_row(gi, a, now) for gi, a in zip(gitems, assignments)]
        touched = sorted({a.story_id for a in assignments})
        with self.db.write() as cur:
            store_stories.add_story_items(cur, rows_out)
            store_stories.refresh_stories(cur, touched, now)
        return touched

    # ------------------------------------------------------------------ detection
    def detect(self, now: datetime, story_ids: Sequence[str]) -> list[RaisedAlert]:
        p = self.ap
        if not story_ids:
            return []
        since = now - timedelta(hours=p.lookback_hours)
        with self.db.read() as cur:
            previous = {sid: PriorAlert.of(a) for sid, a in store_alerts.latest_story_alerts(cur, story_ids).items()}
            following = [a for a in previous.values() if a.status in store_alerts.OPEN_STATES]
            grown = store_stories.story_totals(cur, [a.story_id for a in following]) if following else {}
            growing = [a for a in following if grown.get(a.story_id, (0,))[0] > a.n_items]
            # severity is re-graded on the whole story as it grows (all its items, whatever their age)
            whole = {s["story_id"]: WholeStory.of(s) for s in store_stories.story_stats(
                cur, [a.story_id for a in growing], datetime(1970, 1, 1))} if growing else {}
            open_rows = {a.alert_id: OpenAlert.of(store_alerts.get_alert(cur, a.alert_id)) for a in growing}
            stats = [StoryStats.of(s) for s in store_stories.story_stats(cur, story_ids, since)]
            cands = [s for s in stats if s.n_items >= p.min_items and s.n_outlets >= p.min_outlets]
            ids = [s.story_id for s in cands]
            totals = store_stories.story_totals(cur, ids) if ids else {}
            times = store_stories.story_item_times(cur, ids, since)
            base_end = since
            base_start = base_end - timedelta(days=p.baseline_days)
            cells = store_stories.cell_counts(cur, base_start, base_end, exclude_story_ids=ids) if ids else {}
        decisions, scores = [], {}
        for s in cands:
            sid = s.story_id
            rate, cell = baseline_rate(story_cells(s.topics, s.places), cells, p.baseline_days,
                                       p.baseline_floor_per_day)
            total, _, _ = totals.get(sid, (s.n_items, s.n_outlets, []))
            d = evaluate_story(s, times.get(sid, []), total, rate, cell, previous.get(sid), p, now)
            scores[sid] = d.score
            if d.alert:
                decisions.append(d)
        if growing:
            with self.db.write() as cur:
                for a in growing:
                    sid = a.story_id
                    store_alerts.update_alert_items(cur, a.alert_id, grown[sid][2], now)
                    r = regrade(open_rows[a.alert_id], whole.get(sid, WholeStory()), scores.get(sid, 0.0), p)
                    if r is not None:
                        store_alerts.regrade_alert(cur, a.alert_id, r.severity, r.reason, r.details, now, r.note)
                        if r.note:
                            log.info("alert %s: %s", a.alert_id, r.note)
        raised: list[RaisedAlert] = []
        if not decisions:
            return raised
        with self.db.write() as cur:
            for d in decisions:
                item_ids = totals.get(d.story_id, (0, 0, []))[2]
                alert = NewAlert.of(d.title, d.severity, d.reason, story_id=d.story_id, topics=d.topics,
                                    places=d.places, item_ids=item_ids, n_items=len(item_ids),
                                    n_outlets=d.figures.n_outlets, score=d.score, details=d.details,
                                    previous_alert_id=d.previous_alert_id)
                alert_id = store_alerts.raise_alert(cur, alert, now)
                raised.append(RaisedAlert(
                    alert_id=alert_id, raised_at=now, story_id=d.story_id, title=d.title,
                    topics=tuple(d.topics), places=tuple(d.places), item_ids=tuple(item_ids),
                    severity=d.severity, score=d.score, reason=d.reason,
                    previous_alert_id=d.previous_alert_id,
                ))
        for a in raised:
            log.info("alert %s (%s): %s — %s", a.alert_id, a.severity, a.title, a.reason)
        return raised

    # ------------------------------------------------------------------ sources
    def check_sources(self, now: datetime) -> list[RaisedAlarm]:
        """Volume-drop and failure alarms; runs at most every source_check_minutes. Returns alarms raised."""
        p = self.ap
        with self.db.read() as cur:
            last = store_alerts.get_mark(cur, "source_check")
            if last is not None and now - last < timedelta(minutes=p.source_check_minutes) and now >= last:
                return []
            days = int(p.source_volume_days)
            start = now - timedelta(days=days + 1)
            daily = store_alerts.source_daily_counts(cur, start, days + 1)
            failures = store_alerts.source_failures(cur)
            open_ = store_alerts.open_source_alarms(cur)
        checks = []
        for src, counts in sorted(daily.items()):
            a = check_source_volume(src, counts[:days], counts[days], p)
            if a is not None:
                checks.append(a)
        for src, st in sorted(failures.items()):
            checks.append(check_source_failing(src, SourceState.of(st), p))
        raised: list[RaisedAlarm] = []
        with self.db.write() as cur:
            for a in checks:
                key = (a.source, a.kind)
                if a.active and key not in open_:
                    aid = store_alerts.raise_source_alarm(cur, a.source, a.kind, now, a.reason, a.details)
                    raised.append(RaisedAlarm(id=aid, source=a.source, kind=a.kind, raised_at=now,
                                              reason=a.reason))
                    log.warning("source alarm %s: %s", a.kind, a.reason)
                elif not a.active and key in open_:
                    store_alerts.clear_source_alarm(cur, open_[key], now)
            store_alerts.set_mark(cur, "source_check", now)
        return raised

    def run(self, now: datetime, tagger: Tagger | None = None) -> list[RaisedAlert]:
        if not self.ap.enabled:
            return []
        with self.lock:
            touched = self.group(now, tagger)
            alerts = self.detect(now, touched)
            self.last_source_alarms = self.check_sources(now)
        return alerts


def _story_item_row(gi: GroupItem, a: Assignment, now: datetime) -> StoryItemRow:
    """The story_items row of an item the index just placed."""
    return StoryItemRow(
        item_id=gi.item_id, story_id=a.story_id, published_at=gi.published_at,
        source=gi.source, outlet=gi.outlet or gi.source, source_type=gi.source_type,
        title=gi.title, folded=gi.folded, mask=list(gi.mask), topics=list(gi.topics),
        sentiment=gi.sentiment, in_area=gi.in_area, places=list(gi.places),
        similarity=a.similarity, grouped_at=now, wards=sorted(gi.wards),
        provinces=sorted(gi.provinces), title_restored=gi.title_restored or None,
        collector=gi.collector or None, guid=gi.guid or None, thread=gi.thread,  # "" when none: NULL is a row grouped before 023
    )


_DETECTORS: dict[int, Detector] = {}
_GUARD = threading.Lock()


def _thread_of_row(r: Mapping[str, Any]) -> str:
    """A grouped row's thread key: as stored, or for a row grouped before migration 023 (NULL) computed from its
    address and title as the grouping computed it (store.stories.grouped_since adds the address)."""
    if r.get("thread") is not None:
        return str(r["thread"])
    return thread_key(r.get("url"), r.get("title"))[0] if r.get("source_type") == "social" else ""


def detector(cfg: Config, db: Database) -> Detector:
    with _GUARD:
        d = _DETECTORS.get(id(db))
        if d is None or d.db is not db:
            d = _DETECTORS[id(db)] = Detector(cfg, db)
        return d


def run_detection(cfg: Config, db: Database, now: datetime, tagger: Tagger | None = None) -> list[RaisedAlert]:
    """One detection step at `now` (naive UTC): group new items, raise alerts, check sources.

    Returns the alerts raised in this step (RaisedAlert: alert_id, raised_at, title, topics, places,
    item_ids, severity, reason…). `tagger` tags items that have no item_tags row (replay and tests).
    """
    return detector(cfg, db).run(now, tagger)


def scheduler_hook(cfg: Config, db: Database) -> Callable[[], None]:
    """What `langnghe serve` appends to Scheduler.hooks: detection at the wall-clock time."""
    from store.db import utcnow

    def hook() -> None:
        try:
            run_detection(cfg, db, utcnow())
        except Exception:
            log.exception("emerging-issue detection failed; it runs again next tick")

    return hook
