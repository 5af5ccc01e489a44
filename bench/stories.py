"""Speed and memory of story grouping and of one detection step, at 10k / 100k / 1M items in the window.

    .venv/bin/python bench/stories.py                       # all sizes, both parts (1M takes several minutes)
    .venv/bin/python bench/stories.py --sizes 10000 100000 --parts detection

Each (part, size) runs in its own process so peak RSS is that run's own. Items are synthesised (no NLP):
folded Vietnamese words drawn Zipf-like from the shipped background news, grouped in events (70% single
items, 20% two or three, 10% four to twelve), each with a ward.

grouping   N items spread over the story window (72 h), fed to StoryIndex in 15-minute steps:
           time per step (mean, p95, max), items/s, stories found vs true events, purity (items whose
           story was started by an item of their own event), pairwise recall and precision, peak RSS.
detection  a database holding N grouped items over the baseline period (15 days) and the same N in
           `items`; one live step = run_detection(cfg, db, now) with the step's new items (≈ N/1440):
           cold step (index rebuilt from story_items), then warm steps (mean, max); also the
           detection part alone (Detector.detect over the touched stories). Peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.measure import peak_rss_mb  # noqa: E402

STEP = timedelta(minutes=15)
T_END = datetime(2025, 9, 30, 0, 0)


def vocabulary() -> list[str]:
    from vocab.folding import fold, words

    counts: dict[str, int] = {}
    with open(ROOT / "demo" / "background" / "vntc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            for w in words(fold(r["title"] + " " + r["summary"])):
                counts[w] = counts.get(w, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


WARDS = ["vang danh", "yen tu", "uong bi", "bac son", "nam khe", "quang trung", "thanh son", "trung vuong",
         "phuong dong", "phuong nam", "ha long", "cam pha", "mong cai", "quang yen", "dong trieu"]


def synthesise(n: int, span: timedelta, seed: int = 1) -> list[dict]:
    """n items over `span` ending at T_END, oldest first; each has its true event id.

    Words: function words (the 300 most frequent), a topic's own 60-word pool (events of one topic
    share it, as real confusers do; mid-frequency words) and the event's 5 two-word phrases (10 rare words), of which each item uses ~70%.
    """
    rng = random.Random(seed)
    vocab = vocabulary()
    common, rest = vocab[:300], vocab[300:]
    topics = [rng.sample(rest[:1000], 60) for _ in range(13)]
    weights = [1.0 / (i + 1) for i in range(len(common))]
    out: list[dict] = []
    ev = 0
    start = T_END - span
    while len(out) < n:
        r = rng.random()
        size = 1 if r < 0.7 else rng.randint(2, 3) if r < 0.9 else rng.randint(4, 12)
        size = min(size, n - len(out))
        topic = rng.randrange(13)
        event_words = rng.sample(rest, 10)
        ward = rng.choice(WARDS)
        t0 = start + timedelta(seconds=rng.uniform(0, span.total_seconds() - 5 * 3600))
        phrases = [f"{event_words[2 * k]} {event_words[2 * k + 1]}" for k in range(5)]  # names, key phrases
        for j in range(size):
            picked = [ph for ph in phrases if rng.random() < 0.7]
            body = rng.choices(common, weights=weights, k=16) + rng.sample(topics[topic], 8)
            rng.shuffle(body)
            for ph in picked:
                body.insert(rng.randrange(min(len(body), 12) + 1), ph)
            title = " ".join(body[:12])
            text = " ".join(body[12:]) + f" phuong {ward}"
            out.append({"id": f"e{ev}-{j}", "event": ev, "ward": ward, "topic": topic,
                        "published_at": t0 + timedelta(minutes=rng.uniform(0, 300)),
                        "source": f"src{rng.randrange(40)}", "title": title, "text": text,
                        "folded": f"{title}\n{text}", "sentiment": rng.choice(["negative", "neutral", "positive"])})
        ev += 1
    out.sort(key=lambda r: (r["published_at"], r["id"]))
    return out


def tags_of(r: dict) -> dict:
    """The tags the NLP pipeline gives such an item: its topic, and its ward as the gazetteer reports it."""
    ward = " ".join(w.capitalize() for w in r["ward"].split())
    return {"folded": r["folded"], "topics": [f"t{r['topic']}"], "sentiment": r["sentiment"], "in_area": True,
            "places": [f"phường {ward}"],
            "place_details": [{"name": f"Phường {ward}", "level": "ward_2025", "name_2025": f"Phường {ward}",
                               "province": "Quảng Ninh", "matched_text": f"phuong {r['ward']}", "old_name": None}]}


def group_items(rows: list[dict]):
    from detection.stories import group_item_from_tags

    return [group_item_from_tags({"id": r["id"], "published_at": r["published_at"], "title": r["title"],
                                  "summary": r["text"], "source": r["source"]}, tags_of(r)) for r in rows]


def steps_of(rows: list[dict]):
    """Yield (step end time, rows published in that step)."""
    if not rows:
        return
    t = rows[0]["published_at"] - STEP
    i = 0
    while i < len(rows):
        t += STEP
        j = i
        while j < len(rows) and rows[j]["published_at"] <= t:
            j += 1
        yield t, rows[i:j]
        i = j


def pair_scores(truth: dict[str, object], got: dict[str, str]) -> tuple[float, float]:
    """Pairwise recall (item pairs of one true event that share a story) and precision (pairs sharing a
    story that are one true event), counted from cell sizes, not by listing pairs."""
    from collections import Counter

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter((truth[i], got[i]) for i in got))
    true_pairs = pairs(Counter(truth[i] for i in got))
    got_pairs = pairs(Counter(got.values()))
    return both / max(true_pairs, 1), both / max(got_pairs, 1)


# ------------------------------------------------------------------------------------------ grouping
def bench_grouping(n: int) -> dict:
    from detection.stories import StoryIndex

    rows = synthesise(n, timedelta(hours=72))
    items = group_items(rows)
    by_id = {r["id"]: r for r in rows}
    rss_data = peak_rss_mb()
    idx = StoryIndex()
    times = []
    story_of: dict[str, str] = {}
    t_all = time.perf_counter()
    pos = 0
    for t, batch in steps_of(rows):
        chunk = items[pos: pos + len(batch)]
        pos += len(batch)
        t0 = time.perf_counter()
        for a in idx.add(chunk):
            story_of[a.item_id] = a.story_id
        idx.expire(t)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    # purity: share of items whose story's first item belongs to the same true event
    pure = sum(1 for iid, sid in story_of.items() if by_id[sid]["event"] == by_id[iid]["event"]) / len(story_of)
    recall, precision = pair_scores({iid: by_id[iid]["event"] for iid in story_of}, story_of)
    events = len({r["event"] for r in rows})
    times.sort()
    return {"part": "grouping", "n": n, "steps": len(times), "items_per_step": round(n / len(times), 1),
            "total_s": round(total, 2), "items_per_s": round(n / total), "step_mean_s": round(sum(times) / len(times), 4),
            "step_p95_s": round(times[int(0.95 * (len(times) - 1))], 4), "step_max_s": round(times[-1], 4),
            "stories": len(set(story_of.values())), "true_events": events, "purity": round(pure, 4),
            "pair_recall": round(recall, 4), "pair_precision": round(precision, 4),
            "active_stories_at_end": len(idx.stories), "postings_keys": len(idx.postings),
            "peak_rss_mb": round(peak_rss_mb()), "rss_after_data_mb": round(rss_data)}


# ------------------------------------------------------------------------------------------ detection
def bench_detection(n: int) -> dict:
    from vocab import config as config_mod
    from langnghe.commands.replay import to_item
    from detection.jobs import Detector
    from store import items as store_items
    from store import stories as store_stories
    from store.db import Database

    span = timedelta(days=15)
    rows = synthesise(n, span)
    n_steps = 4
    cut = rows[-1]["published_at"] - n_steps * STEP  # the last steps arrive "live"; the rest is grouped
    old = [r for r in rows if r["published_at"] <= cut]
    new = [r for r in rows if r["published_at"] > cut]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "b.duckdb")
        data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
        cfg = config_mod.parse(config_mod._merge(data, {"storage": {"db_path": db_path}}))
        db = Database(db_path)
        t0 = time.perf_counter()
        for k in range(0, len(old), 50_000):
            part = old[k: k + 50_000]
            with db.write() as cur:
                store_items.insert_items(cur, [to_item(None, r, r["published_at"]) for r in part])
                store_stories.add_story_items(cur, [
                    {"item_id": r["id"], "story_id": f"e{r['event']}-0", "published_at": r["published_at"],
                     "source": r["source"], "outlet": r["source"], "source_type": "press", "title": r["title"],
                     "folded": r["folded"], "mask": [f"phuong {r['ward']}", r["ward"]], "topics": [f"t{r['topic']}"],
                     "sentiment": r["sentiment"], "in_area": True, "places": [f"phường {r['ward']}"],
                     "similarity": None, "grouped_at": r["published_at"]} for r in part])
        with db.write() as cur:
            store_stories.refresh_stories(cur, sorted({f"e{r['event']}-0" for r in old}), cut)
        load_s = time.perf_counter() - t0
        det = Detector(cfg, db)
        step_times, detect_times, touched_counts = [], [], []
        cold = None
        for s in range(1, n_steps + 1):
            now = cut + s * STEP
            batch = [r for r in new if cut + (s - 1) * STEP < r["published_at"] <= now]
            with db.write() as cur:
                store_items.insert_items(cur, [to_item(None, r, r["published_at"]) for r in batch])
            t1 = time.perf_counter()
            if cold is None:
                with db.read() as cur:
                    det._ensure_index(cur, now)
                cold = time.perf_counter() - t1
                t1 = time.perf_counter()
            tagger = _tagger(batch)
            touched = det.group(now, tagger)
            t2 = time.perf_counter()
            det.detect(now, touched)
            t3 = time.perf_counter()
            det.check_sources(now + timedelta(hours=s))  # force the hourly source check every step
            t4 = time.perf_counter()
            step_times.append(t4 - t1)
            detect_times.append(t3 - t2)
            touched_counts.append(len(touched))
        db.close()
    return {"part": "detection", "n": n, "load_s": round(load_s, 1), "index_rebuild_s": round(cold, 2),
            "new_items_per_step": round(len(new) / n_steps, 1), "touched_per_step": round(sum(touched_counts) / n_steps, 1),
            "step_mean_s": round(sum(step_times) / n_steps, 3), "step_max_s": round(max(step_times), 3),
            "detect_only_mean_s": round(sum(detect_times) / n_steps, 3), "peak_rss_mb": round(peak_rss_mb())}


def _tagger(batch: list[dict]):
    by_id = {r["id"]: r for r in batch}

    def tag(items: list[dict]) -> list[dict]:
        out = []
        for it in items:
            r = by_id.get(it["id"], {})
            out.append({"id": it["id"], **tags_of(r)} if r else {"id": it["id"]})
        return out

    return tag


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--parts", nargs="*", default=["grouping", "detection"], choices=["grouping", "detection"])
    ap.add_argument("--one", nargs=2, metavar=("PART", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        part, n = args.one[0], int(args.one[1])
        res = bench_grouping(n) if part == "grouping" else bench_detection(n)
        print(json.dumps(res))
        return
    for part in args.parts:
        for n in args.sizes:
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, __file__, "--one", part, str(n)], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{part} n={n}: FAILED\n{proc.stderr[-2000:]}", flush=True)
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["wall_s"] = round(time.perf_counter() - t, 1)
            print(json.dumps(res, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
