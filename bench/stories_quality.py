"""Grouping quality and alerts on the demo corpus: replayed through the live detection with the real NLP pipeline.

    .venv/bin/python bench/stories_quality.py                    # demo/corpus/quangninh.jsonl
    .venv/bin/python bench/stories_quality.py --tagger fixture   # the corpus's own hand labels as tags
    .venv/bin/python bench/stories_quality.py --model-dir /tmp/m  # tag with a model trained elsewhere
    .venv/bin/python bench/stories_quality.py --step 1           # the demo burst minute by minute, as serve ticks

Prints pairwise recall and precision of the stories against the corpus's `story` labels (items without
a label are their own event), every story that holds items of two labelled events or of a labelled
event and an unlabelled item ("mixed"), and each alert with its severity and reason, and the restored titles of
its items written without diacritics (what staff read when such an item names the story). The demo's
offsets are laid on a fixed clock (the demo starts at START), so runs are comparable. Its last line is the replay's
time: wall and process CPU seconds, and those of `store.items.insert_items` within it (docs/SCALE.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CORPUS = ROOT / "demo" / "corpus" / "quangninh.jsonl"
START = datetime(2026, 9, 11, 1, 0, tzinfo=timezone.utc)  # 08:00 in Việt Nam


def corpus_rows(path: Path = CORPUS, start: datetime = START) -> list[dict]:
    """Demo corpus rows in the `langnghe replay` format (published = start + offset)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        rows.append({
            "id": r["id"], "source": r["feed"], "source_type": r["source_type"], "title": r["title"],
            "text": r["summary"], "published": (start + timedelta(minutes=r["offset_minutes"])).isoformat(),
            "story": r.get("story"), "tags": {"topics": r.get("topics") or [], "sentiment": r.get("sentiment")},
        })
    return rows


def main() -> None:
    from stories import pair_scores

    from vocab import config as config_mod
    from langnghe.commands.replay import SimClock, fixture_tagger, parse_time, pipeline_tagging, replay
    from store import alerts as store_alerts
    from store import stories as store_stories
    from store import items as store_items
    from store import tags as store_tags
    from store.db import Database

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", default=str(CORPUS))
    ap.add_argument("--tagger", choices=("auto", "fixture"), default="auto")
    ap.add_argument("--step", type=float, default=15, help="minutes between detection steps (live: 1)")
    ap.add_argument("--model-dir", default="", help="models to tag with (e.g. a `langnghe train --out` directory)")
    args = ap.parse_args()
    rows = corpus_rows(Path(args.input))
    for r in rows:
        r["published_at"] = parse_time(r["published"])
    rows.sort(key=lambda r: (r["published_at"], r["id"]))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "q.duckdb")
        data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
        over = {"storage": {"db_path": db_path, "snapshot_path": db_path + ".s"}}
        if args.model_dir:
            over["nlp"] = {"model_dir": str(Path(args.model_dir).resolve())}
        cfg = config_mod.parse(config_mod._merge(data, over))
        with Database(db_path) as db:
            processor, tagger, clock = None, None, SimClock()
            if args.tagger == "auto":
                processor, tagger, how = pipeline_tagging(cfg, db, clock)
            else:
                tagger, how = fixture_tagger(rows), "fixture"
            spent = {"wall": 0.0, "cpu": 0.0, "calls": 0}
            insert_items = store_items.insert_items

            def timed_insert(*a, **kw):  # type: ignore[no-untyped-def]
                w, c = time.perf_counter(), time.process_time()
                try:
                    return insert_items(*a, **kw)
                finally:
                    spent["wall"] += time.perf_counter() - w
                    spent["cpu"] += time.process_time() - c
                    spent["calls"] += 1

            store_items.insert_items = timed_insert  # replay calls it through the module
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                alerts, _ = replay(cfg, db, rows, timedelta(minutes=args.step), tagger=tagger, processor=processor,
                                   clock=clock)
            finally:
                store_items.insert_items = insert_items
            took = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0}
            with db.read() as cur:
                got = {r["item_id"]: r["story_id"] for r in store_stories.grouped_since(cur, datetime(1970, 1, 1))}
                final = {a["alert_id"]: a for a in store_alerts.list_alerts(cur).to_dict("records")}
                named = dict(zip(*[list(c) for c in store_stories.list_stories(
                    cur, datetime(1970, 1, 1), limit=100_000)[["story_id", "title"]].T.values]))
                history = store_alerts.audit_log(cur).to_dict("records")
                # the titles staff read for items written without diacritics (alerts, briefing, reports)
                restored = store_tags.restored_titles(cur, list(got))
    truth = {r["id"]: r["story"] or f"solo:{r['id']}" for r in rows}
    got = {i: got[i] for i in truth if i in got}
    recall, precision = pair_scores(truth, got)
    members: dict[str, list[str]] = defaultdict(list)
    for i, sid in got.items():
        members[sid].append(i)
    mixed = []
    for sid, ids in sorted(members.items()):
        events = Counter(truth[i] for i in ids)
        labelled = [e for e in events if not e.startswith("solo:")]
        if len(events) > 1 and labelled:
            mixed.append((sid, dict(events)))
    print(f"tagging: {how}; items {len(got)}, stories {len(members)}, labelled events "
          f"{len({v for v in truth.values() if not v.startswith('solo:')})}")
    print(f"pairwise recall {recall:.3f}, precision {precision:.3f}; stories mixing a labelled event with another "
          f"event or item: {len(mixed)}")
    for sid, ev in mixed:
        print("   mixed:", sid, ev)
    for a in alerts:
        ev = Counter(truth.get(i, "?") for i in a["item_ids"])
        print(f"alert {a['alert_id']} at {a['raised_at']} severity={a['severity']} items={len(a['item_ids'])} {dict(ev)}")
        print("   ", a["title"])
        print("   ", a["reason"])
        f = final.get(a["alert_id"]) or {}
        print(f"    at the end: severity={f.get('severity')} items={f.get('n_items')} title={f.get('title')!r}")
        print(f"    story {a['story_id']} is named {named.get(a['story_id'])!r}")
        print(f"    reason at the end: … Mức độ {str(f.get('reason') or '').rsplit('Mức độ ', 1)[-1]}")
        for e in history:
            if e["alert_id"] == a["alert_id"] and e["action"] != "raise":
                print(f"    history {e['at']} {e['action']}: {e['note']}")
        for i in sorted(members.get(a["story_id"], [])):
            if restored.get(i):
                print(f"    restored title of {i}: {restored[i]!r}")
    print(f"replay (step {args.step:g} min): {took['wall']:.1f} s wall, {took['cpu']:.1f} s CPU; "
          f"store.items.insert_items {spent['wall']:.1f} s wall, {spent['cpu']:.1f} s CPU in {spent['calls']} calls")


if __name__ == "__main__":
    main()
