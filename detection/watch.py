"""Watchlists: match new items against the active watchlists, once, and raise their alerts.

    store rows ──▶ typed once, where they come in:
        active_watchlists(…) → Watchlist   compile_watchlist: the parsed query, filters, threshold, window
        item_docs(…)         → WatchItem   items_of: text, shown title, effective tags ──▶ Doc (tokenised)
        unreported(…)        → Hit         store.watchlists.Hit, as add_hits stores it
    match_new: match(Watchlist, Doc) ──▶ Hit ──▶ add_hits ──▶ _report(Watchlist…) ──▶ build_alert(Watchlist,
               [Hit], [WatchItem]) ──▶ NewAlert (its `details` JSON is the one dict, as the store keeps it)

Matching is done here in Python on the new items' text, not by one search query per watchlist: a batch of
new items is tokenised once and each watchlist is a few set look-ups per item, so 100 watchlists cost
little next to tagging (bench/watch.py). The rules are the search rules (store/search_query.py), and
tests/detection/test_watch.py checks they give the same items as `store.search.search`:

- a word with diacritics matches that syllable, or its unmarked form in an item written without any
  diacritics; a word without diacritics matches every syllable that folds to it;
- a phrase is consecutive syllables of one field (title + summary, or the full text);
- a place name typed with marks ("Vàng Danh": two or more adjacent words of a group, or part of a phrase) also
  matches an item with diacritics whose Places step read that name where the item writes it without marks
  ("Sáng nay ở Vang Danh…", "phường vang danh"; the item's `place_reads`, store.search_query.place_readings);
  "vang danh" meaning "famed" in a marked text is no place read, so "Vàng Danh" does not find it;
- a group needs all its terms, `-term` excludes, OR joins groups.

Hits are stored (store.watchlists) and reported by an ordinary alert (kind "watchlist", raised with
store.alerts.raise_alert) once a watchlist has `min_items` unreported hits published in its last
`window_minutes` (min_items 1: at the first item). While that alert is open, further hits are
reported by it; a new alert is raised after it is closed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from store import alerts as store_alerts
from store import watchlists as store_watch
from store.watchlists import Hit
from store.sqlparts import TAG_SLACK
from store.db import Database
from store.search_query import (Query, QueryError, Term, fold, name_spans, parse, phrase_readings, syllables,
                                word_keys)
from vocab.alerts import OPEN_STATES, NewAlert
from vocab.casing import shown_title
from vocab.folding import has_marks

__all__ = ["Doc", "WatchItem", "Watchlist", "compile_watchlist", "match", "match_new", "QueryError"]

_fold = lru_cache(maxsize=100_000)(fold)  # syllables repeat: fold each distinct one once
_keys = lru_cache(maxsize=10_000)(word_keys)

# A Vietnamese letter with a diacritic (as store/migrations/060_search.sql decides an item is "plain").
_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


@dataclass(frozen=True)
class WatchItem:
    """One item as matching and its alert read it (a `store.watchlists.item_docs` record, typed once where it comes
    in): its text, how it is shown (the restored title of one written without diacritics), its effective tags."""

    item_id: str
    published_at: datetime
    title: str
    summary: str = ""
    fulltext: str = ""
    source_type: str = ""
    outlet: str = ""
    title_restored: str | None = None  # None: the title is shown as written
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    place_reads: tuple[str, ...] = ()  # place names read with marks where the text has none

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "WatchItem":
        """From an `item_docs` record (NULL, and pandas' NaN for a NULL list, read as empty)."""
        restored = row.get("title_restored")
        return cls(str(row["id"]), row["published_at"], row["title"] or "", row["summary"] or "",
                   row.get("fulltext") or "", row.get("source_type") or "", row.get("outlet") or "",
                   restored if isinstance(restored, str) and restored else None, tuple(_list(row.get("topics"))),
                   tuple(_list(row.get("places"))), tuple(_list(row.get("place_reads"))))


@dataclass
class Doc:
    """One item tokenised as the index does: fields of syllables (None: a gap no phrase spans)."""

    item_id: str
    published_at: datetime
    source_type: str
    topics: frozenset[str]
    places: frozenset[str]
    fields: list[list[str | None]]
    plain: bool
    reads: frozenset[str] = frozenset()  # place names read with marks where the text has none (marked items only)
    _exact: list[dict[str, set[int]]] = field(default_factory=list)
    _folded: list[dict[str, set[int]]] = field(default_factory=list)
    vocab: set[str] = field(default_factory=set)  # every folded syllable: a quick "cannot match" test

    @classmethod
    def of(cls, item_id: str, published_at: datetime, title: str, summary: str, fulltext: str = "", *,
           source_type: str = "", topics: Iterable[str] = (), places: Iterable[str] = (),
           reads: Iterable[str] = ()) -> "Doc":
        head: list[str | None] = [*syllables(title), None, *syllables(summary)]
        fields = [head] + ([list(syllables(fulltext))] if fulltext else [])
        plain = not _MARKED.search(unicodedata.normalize("NFC", f"{title} {summary}").lower())
        d = cls(item_id, published_at, source_type, frozenset(topics or ()), frozenset(places or ()), fields, plain,
                frozenset(() if plain else reads or ()))  # an item without diacritics matches the folded name anyway
        d.vocab = {_fold(t) for toks in fields for t in toks if t is not None}
        return d

    @classmethod
    def of_item(cls, it: WatchItem) -> "Doc":
        return cls.of(it.item_id, it.published_at, it.title, it.summary, it.fulltext, source_type=it.source_type,
                      topics=it.topics, places=it.places, reads=it.place_reads)

    def _index(self) -> None:
        """Syllable → positions per field, built on first use (most items pass no watchlist's quick test)."""
        for toks in self.fields:
            exact: dict[str, set[int]] = {}
            folded: dict[str, set[int]] = {}
            for k, t in enumerate(toks):
                if t is None:
                    continue
                exact.setdefault(t, set()).add(k)
                folded.setdefault(_fold(t), set()).add(k)
            self._exact.append(exact)
            self._folded.append(folded)

    def positions(self, word: str, f: int) -> set[int]:
        """Positions in field `f` that the query word matches (the search rules above)."""
        if not self._exact:
            self._index()
        exact, plain_form = _keys(word)
        if plain_form is None:  # typed without diacritics: any syllable folding to it
            return self._folded[f].get(exact, set())
        hits = self._exact[f].get(exact, set())
        if self.plain:
            hits = hits | self._folded[f].get(plain_form, set())
        return hits


@dataclass(frozen=True)
class Watchlist:
    """A watchlist ready to match (its parsed query and narrowing filters) and to report (its threshold, window and
    severity, and the query as staff typed it, which the alert quotes)."""

    id: int
    name: str
    query: Query
    places: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    source_types: frozenset[str] = frozenset()
    spans: tuple[tuple[str, ...], ...] = ()  # runs of words that may spell a place name (name_spans)
    text: str = ""  # the query as typed and stored
    min_items: int = 1
    window_minutes: int = 60
    severity: str = "medium"


def compile_watchlist(row: Mapping[str, Any]) -> Watchlist:
    """A stored watchlist row, parsed. Raises QueryError for a query that cannot be read. A hand-made row without
    the alert settings gets the Theo dõi form's defaults (1 item in 60 minutes, medium)."""
    q = parse(row["query"], bounded=False)  # saved already (the save checks the bounds); one saved before them still runs
    if q is None:
        raise QueryError("Từ khóa theo dõi đang trống.")
    return Watchlist(int(row["id"]), row["name"], q, frozenset(row.get("places") or ()),
                     frozenset(row.get("topics") or ()), frozenset(row.get("source_types") or ()),
                     tuple(name_spans(q)), row["query"], int(row.get("min_items", 1)),
                     int(row.get("window_minutes", 60)), row.get("severity", "medium"))


def _run_hits(doc: Doc, words: Sequence[str]) -> list[str]:
    """The item's text where `words` occur side by side (one entry per distinct match)."""
    found: list[str] = []
    for f, toks in enumerate(doc.fields):
        starts = doc.positions(words[0], f)
        for k, w in enumerate(words[1:], start=1):
            if not starts:
                break
            starts = {s for s in starts if s + k in doc.positions(w, f)}
        for s in sorted(starts):
            found.append(" ".join(str(x) for x in toks[s:s + len(words)]))
    return found


def _term_hits(doc: Doc, t: Term, read: dict[str, list[tuple[str, ...]]]) -> list[str]:
    """The item's text the term matched (one entry per distinct match), or [] if it does not occur. `read`: the
    query's words that the item holds through a place name read with marks, with those names."""
    found = _run_hits(doc, t.words)
    if not t.phrase and not found:  # a word of a place name typed with marks, the name written without them
        spans = read.get(t.words[0], ())
        found = [h for span in spans for h in _run_hits(doc, [fold(w) for w in span])] or [" ".join(s) for s in spans]
    elif t.phrase:  # the phrase with its place name written without marks
        for _, alt in phrase_readings(t.words, doc.reads):
            found += _run_hits(doc, alt)
    return list(dict.fromkeys(found))


def _read_words(wl: Watchlist, doc: Doc) -> dict[str, list[tuple[str, ...]]]:
    """Word of the query → the place names (runs of its words, `name_spans`) the item holds as read with marks."""
    read: dict[str, list[tuple[str, ...]]] = {}
    for span in wl.spans if doc.reads else ():
        if " ".join(span) in doc.reads:
            for w in span:
                read.setdefault(w, []).append(span)
    return read


def match(wl: Watchlist, doc: Doc) -> tuple[str, ...] | None:
    """The words of `doc` that matched `wl` (in query order), or None when it does not match."""
    if wl.source_types and doc.source_type not in wl.source_types:
        return None
    if wl.topics and not (wl.topics & doc.topics):
        return None
    if wl.places and not (wl.places & doc.places):
        return None
    words: list[str] = []
    ok = False
    read: dict[str, list[tuple[str, ...]]] | None = None
    for group in wl.query.groups:
        if not all(_fold(w) in doc.vocab for t in group if not t.negated for w in t.words):
            continue  # a word of the group is not in the item at all (most items, most watchlists)
        read = _read_words(wl, doc) if read is None else read
        got: list[str] = []
        for t in group:
            hits = _term_hits(doc, t, read)
            if bool(hits) == t.negated:
                break
            got += hits
        else:
            ok = True
            words += got
    return tuple(dict.fromkeys(words)) if ok else None


def items_of(rows: Iterable[Mapping[str, Any]]) -> list[WatchItem]:
    """`store.watchlists.item_docs` records, typed once as they come in."""
    return [WatchItem.of(r) for r in rows]


def docs_of(rows: Iterable[Mapping[str, Any]]) -> list[Doc]:
    """`item_docs` records tokenised for matching."""
    return [Doc.of_item(it) for it in items_of(rows)]


def _list(v: Any) -> list[str]:
    return [] if v is None or (isinstance(v, float)) else [str(x) for x in v]


def _pending(rows: Iterable[Mapping[str, Any]]) -> list[Hit]:
    """`store.watchlists.unreported` records as Hits (words NULL: none)."""
    return [Hit(int(h["watchlist_id"]), str(h["item_id"]), h["published_at"], tuple(_list(h["words"]))) for h in rows]


def compile_all(rows: Sequence[Mapping[str, Any]]) -> list[Watchlist]:
    """The watchlists that can be matched (one whose stored query no longer parses is skipped)."""
    out = []
    for r in rows:
        try:
            out.append(compile_watchlist(r))
        except QueryError:
            continue
    return out


def match_new(db: Database, ids: Sequence[str], now: datetime, tagged_since: datetime | None = None) -> list[str]:
    """Match new items against the active watchlists, store the hits, raise the alerts due; returns the
    ids of the alerts raised. Items already matched are not matched again (a hit is stored once).
    `tagged_since`: the oldest tagging to read (default `now` - TAG_SLACK: new items were tagged moments ago; the
    catch-up of items tagged before a crash passes their tagging time, so place and topic narrowing still see it).
    An alert is due by the hits published within a watchlist's window before `now`, so an old item caught up late
    is stored as a hit but pushes nothing."""
    if not ids:
        return []
    since = now - TAG_SLACK if tagged_since is None else min(tagged_since, now - TAG_SLACK)
    with db.read() as cur:
        rows = store_watch.active_watchlists(cur)
        if not rows:
            return []
        items = items_of(store_watch.item_docs(cur, ids, since).to_dict("records"))
    docs = [Doc.of_item(it) for it in items]
    wls = compile_all(rows)
    hits = [Hit(wl.id, d.item_id, d.published_at, words)
            for d in docs for wl in wls if (words := match(wl, d)) is not None]
    if not hits:
        return []
    hit_ids = {h.watchlist_id for h in hits}
    with db.write() as cur:
        store_watch.add_hits(cur, hits, now)
        return _report(cur, [wl for wl in wls if wl.id in hit_ids], now, {it.item_id: it for it in items})


def _report(cur: Any, wls: Sequence[Watchlist], now: datetime, known: Mapping[str, WatchItem]) -> list[str]:
    """Report the watchlists' unreported hits in their windows: by a watchlist's open alert, or by a new
    alert once there are min_items of them. A few queries for all the watchlists together (not per
    watchlist), so 100 watchlists cost little more than one. Returns the ids of the alerts raised.
    `known`: the items match_new has read already (the new ones); only older hits' items are read again."""
    if not wls:
        return []
    ids = [wl.id for wl in wls]
    earliest = min(now - timedelta(minutes=wl.window_minutes) for wl in wls)
    pending = store_watch.unreported(cur, ids, earliest)
    if not len(pending):
        return []
    existing = store_watch.open_alerts(cur, ids, OPEN_STATES)
    marks: list[tuple[int, str, str]] = []
    grown: set[str] = set()
    due: list[tuple[Watchlist, list[Hit]]] = []
    by_wl: dict[int, list[Hit]] = {}
    for h in _pending(pending.to_dict("records")):  # plain records: pandas per watchlist costs more than the rest
        by_wl.setdefault(h.watchlist_id, []).append(h)
    for wl in wls:
        since = now - timedelta(minutes=wl.window_minutes)
        mine = [h for h in by_wl.get(wl.id, ()) if h.published_at >= since]
        if not mine:
            continue
        if wl.id in existing:
            marks += [(wl.id, h.item_id, existing[wl.id]) for h in mine]
            grown.add(existing[wl.id])
        elif len(mine) >= wl.min_items:
            due.append((wl, mine))
    raised: list[str] = []
    if due:
        need = sorted({h.item_id for _, hs in due for h in hs} - known.keys())
        items = dict(known)
        if need:  # hits stored by an earlier pass
            items.update((it.item_id, it) for it in items_of(store_watch.item_docs(cur, need, earliest - TAG_SLACK)
                                                            .to_dict("records")))
        for wl, hs in due:
            alert_id = store_alerts.raise_alert(cur, build_alert(wl, hs, [items[h.item_id] for h in hs
                                                                          if h.item_id in items]), now)
            marks += [(wl.id, h.item_id, alert_id) for h in hs]
            raised.append(alert_id)
    store_watch.mark_reported(cur, marks)
    for alert_id in sorted(grown):  # an open alert holds every item reported by it (drill-down, reports)
        store_alerts.update_alert_items(cur, alert_id, store_watch.alert_item_ids(cur, alert_id), now)
    return raised


def build_alert(wl: Watchlist, hits: Sequence[Hit], items: Sequence[WatchItem]) -> NewAlert:
    """The alert for these hits: the reason names the watchlist, the count against its threshold and
    window, and the words that matched."""
    words = list(dict.fromkeys(w for h in hits for w in h.words))
    n = len(hits)
    minutes = wl.window_minutes
    if wl.min_items <= 1:
        why = f"có {n} tin mới"  # «khớp» is said once, by the keywords that follow
    else:
        why = f"{n} tin trong {_duration(minutes)} qua (ngưỡng: {wl.min_items} tin trong {_duration(minutes)})"
    keywords = matched_keywords(wl.text, words)
    said = (f"khớp từ khóa {', '.join(f'«{k}»' for k in keywords[:8])}" if keywords
            else f"từ khớp: {', '.join(words[:8]) or '—'}")
    reason = f"Theo dõi «{wl.name}»: {why}; {said}."
    detail = f"chữ trong tin, bài: {', '.join(words[:8]) or '—'}; truy vấn: {wl.text}"
    title = f"Theo dõi «{wl.name}»" + (f": {_display_title(items)}" if items else "")
    topics = sorted({t for it in items for t in it.topics})
    places = sorted({p for it in items for p in it.places})
    return NewAlert.of(
        title[:300], wl.severity, reason, kind="watchlist", story_id=store_watch.watch_key(wl.id),
        topics=topics, places=places, item_ids=[h.item_id for h in hits], n_items=n,
        n_outlets=len({it.outlet or it.source_type for it in items}),
        details={"watchlist_id": wl.id, "watchlist": wl.name, "query": wl.text, "n_items": n,
                 "min_items": wl.min_items, "window_minutes": minutes, "words": words,
                 "keywords": keywords, "detail": detail},
    )


def matched_keywords(query: str, words: Sequence[str]) -> list[str]:
    """The watchlist's own terms that these hits answer, as staff typed them (marks and capitals kept): a reason
    read aloud names «bãi thải», not the «bai thai» an item written without diacritics holds. A term counts when
    its folded words occur, side by side, in a matched text (a place name read across two terms counts for both).
    [] when the query no longer parses. Read without the search limits, as the matching reads it: a watchlist saved
    before them still runs (the limits apply to edits), and its reason gave the fallback «từ khớp: …»."""
    try:
        q = parse(query, bounded=False)
    except QueryError:
        return []
    found = [f" {_fold_text(w)} " for w in words]

    def occurs(run: Sequence[str]) -> bool:
        key = f" {' '.join(_fold(w) for w in run)} "
        return any(key in f for f in found)

    out: list[str] = []
    for group in q.groups if q else ():
        run: list[str] = []  # single words typed side by side read as typed («sạt lở», not «sạt», «lở»)
        for t in group:
            if t.negated or not occurs(t.words):
                if run:
                    out.append(_as_typed(query, run))
                run = []
                continue
            if run and not t.phrase and not t.quoted and _side_by_side(query, [*run, *t.words]):
                run += t.words
                continue
            if run:
                out.append(_as_typed(query, run))
            run = list(t.words)
        if run:
            out.append(_as_typed(query, run))
    return list(dict.fromkeys(out))


def _side_by_side(query: str, words: Sequence[str]) -> bool:
    return bool(re.search(_typed_pattern(words), unicodedata.normalize("NFC", query), flags=re.IGNORECASE))


def _typed_pattern(words: Sequence[str]) -> str:
    return r"(?<!\w)" + r"[^\w\"-]+".join(re.escape(w) for w in words) + r"(?!\w)"


def _fold_text(text: str) -> str:
    return " ".join(_fold(w) for w in syllables(text))


def _as_typed(query: str, words: Sequence[str]) -> str:
    """`words` (the parser's lower-cased syllables) as the query spells them: «Vàng Danh», not «vàng danh»."""
    m = re.search(_typed_pattern(words), unicodedata.normalize("NFC", query), flags=re.IGNORECASE)
    return " ".join(re.findall(r"[^\W_]+", m.group(0))) if m else " ".join(words)  # syllables, case kept


def _display_title(items: Sequence[WatchItem]) -> str:
    """Name the alert like a story (migration 070): an item written with diacritics first, press first,
    then the earliest; an item without diacritics by its restored title. Staff read this title in the
    queue, the notifications and the reports, so not "bai thai than sau nha em…"."""
    def key(it: WatchItem) -> tuple[int, int, datetime]:
        return (0 if has_marks(it.title) else 1, 0 if it.source_type == "press" else 1, it.published_at)

    best = min(items, key=key)
    return shown_title(best.title, best.title_restored)


def _duration(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440} ngày"
    if minutes % 60 == 0:
        return f"{minutes // 60} giờ"
    return f"{minutes} phút"
