"""Story grouping on real news, judged by reading: merged pairs and big stories of a `bench/real_stream.py` run.

    PYTHONPATH=. .venv/bin/python bench/real_stream.py --n 3000 --days 10 --db /tmp/rs/x.duckdb
    PYTHONPATH=. .venv/bin/python bench/stories_real.py --db /tmp/rs/x.duckdb [--stored] [--pairs 60]
        [--stories 30] [--seed 15] [--set join_threshold=0.35 …] [--show] [--verdicts bench/stories_real_verdicts.tsv]

The stream's items are grouped again, offline, by today's `detection.stories.StoryIndex` with the settings of
`[stories]` (and any `--set` overrides), fed in the stream's hourly steps (`--stored`: the grouping the run stored
instead). VNTC carries no event labels, so precision is read, not computed: a fixed-seed sample of merged pairs
(uniform over all pairs that share a story) and of stories of 3+ items is printed with titles and leads (`--show`)
to be judged; verdicts are kept in a TSV keyed by the articles' VNTC slugs (stable from run to run, the item ids
are not: they hash the local server's port):

    P <slug a> <slug b> same|diff      a merged pair (slugs sorted)
    S <slug of first item> <n> one|mixed|chain     a story: one event; several events; chained (A~B, B~C, A≁C)

Prints: stories by size; the pair sample with the judged share that is one event (pairwise precision on real
news); every judged pair again, kept or split by this grouping (what a change costs in same-event pairs and what
it removes); the story sample with verdicts; and "chained" stories measured without reading (two members with
cosine below --chain-low while the story holds them). VNTC is MIT (its PROVENANCE.md); the verdicts quote no text.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERDICTS = ROOT / "bench" / "stories_real_verdicts.tsv"


def slug_of(url: str) -> str:
    """The article's VNTC slug from its local link (…/a/<feed>/<slug>.html)."""
    tail = (url or "").rsplit("/", 1)[-1]
    return tail[:-5] if tail.endswith(".html") else tail


def load(db_path: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    import duckdb

    from store import stories as store_stories

    con = duckdb.connect(db_path, read_only=True)
    try:
        cur = con.cursor()
        rows = store_stories.grouped_since(cur, datetime(1970, 1, 1))
        texts = store_stories.grouped_readings(cur)
    finally:
        con.close()
    return rows, texts


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in pairs:
        k, v = kv.split("=", 1)
        out[k] = float(v) if "." in v else int(v)
    return out


class Cosines:
    """Cosine of two items as the index sees them at the end of the stream (its final IDF)."""

    def __init__(self, index: Any, items: list[Any]):
        vecs = index._vectors([index._text(g) for g in items], update_df=False)
        self.vec = {g.item_id: v for g, v in zip(items, vecs)}

    def __call__(self, a: str, b: str) -> float:
        import numpy as np

        (ia, va), (ib, vb) = self.vec[a], self.vec[b]
        _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        return float(np.dot(va[pa], vb[pb]))

    def min_pair(self, ids: list[str]) -> float:
        return min(self(a, b) for a, b in combinations(ids, 2))


def regroup(rows: list[dict[str, Any]], overrides: dict[str, Any]) -> tuple[dict[str, str], Cosines]:
    """Group the rows again in the stream's hourly steps (items published in (t−1 h, t] at t)."""
    from detection.stories import GroupItem, StoryIndex, StoryParams
    from vocab import config as config_mod
    from vocab.config import section

    cfg = config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH))
    sec = dict(section(cfg, "stories"))
    sec.update(overrides)
    index = StoryIndex(StoryParams.from_section(sec))
    steps: dict[datetime, list[GroupItem]] = defaultdict(list)
    for r in rows:
        t = r["published_at"]
        step = t.replace(minute=0, second=0, microsecond=0) + (timedelta(hours=1) if (t.minute, t.second, t.microsecond) != (0, 0, 0) else timedelta(0))
        steps[step].append(GroupItem(
            item_id=r["item_id"], published_at=t, folded=r["folded"], source=r["source"] or "", topics=tuple(r["topics"] or ()),
            mask=tuple(r["mask"] or ()), wards=frozenset(r["wards"] or ()), provinces=frozenset(r["provinces"] or ())))
    got: dict[str, str] = {}
    for step in sorted(steps):
        batch = sorted(steps[step], key=lambda g: (g.published_at, g.item_id))
        for a in index.add(batch):
            got[a.item_id] = a.story_id
        index.expire(step)
    return got, Cosines(index, [g for b in steps.values() for g in b])


def read_verdicts(path: Path) -> tuple[dict[tuple[str, str], str], dict[tuple[str, int], str]]:
    pairs: dict[tuple[str, str], str] = {}
    stories: dict[tuple[str, int], str] = {}  # (slug of the first item, items): a story of another size is another
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            f = line.split("\t")
            if len(f) >= 4 and f[0] == "P":
                pairs[(f[1], f[2])] = f[3]
            elif len(f) >= 4 and f[0] == "S":
                stories[(f[1], int(f[2]))] = f[3]
    return pairs, stories


def show_item(t: dict[str, Any], lead: int = 220) -> str:
    return f"{t['outlet']} | {t['title']}\n        {(t['summary'] or '')[:lead]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="a bench/real_stream.py database")
    ap.add_argument("--stored", action="store_true", help="judge the grouping the run stored, not a new one")
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="[stories] overrides")
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--stories", type=int, default=30)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--chain-low", type=float, default=0.15, help="cosine under which two members count as unrelated")
    ap.add_argument("--verdicts", default=str(VERDICTS))
    ap.add_argument("--show", action="store_true", help="print titles and leads of the unjudged sample")
    args = ap.parse_args()

    rows, texts = load(args.db)
    slug = {iid: slug_of(t["url"]) for iid, t in texts.items()}
    if args.stored:
        got, index = {r["item_id"]: r["story_id"] for r in rows}, None
    else:
        got, index = regroup(rows, parse_sets(args.set))
        stored = {r["item_id"]: r["story_id"] for r in rows}
        same = sum(1 for i in got if (got[i] == i) == (stored[i] == i))
        print(f"regrouped {len(got)} items ({same} start or join as the stored run did)")
    members: dict[str, list[str]] = defaultdict(list)
    for iid in sorted(got, key=lambda i: (slug.get(i, i))):
        members[got[iid]].append(iid)
    sizes = Counter(len(m) for m in members.values())
    all_pairs = [tuple(sorted((slug[a], slug[b]))) for m in members.values() for a, b in combinations(m, 2)]
    print(f"items {len(got)}, stories {len(members)}, merged pairs {len(all_pairs)}; size → stories: "
          + ", ".join(f"{s}:{c}" for s, c in sorted(sizes.items())))

    verdict_p, verdict_s = read_verdicts(Path(args.verdicts))
    by_slug = {slug[i]: i for i in got}
    rng = random.Random(args.seed)
    uniform = rng.sample(sorted(all_pairs), min(args.pairs, len(all_pairs)))
    per_story = []  # at most two pairs per story (as bench/real_stream.py samples), so one chain does not fill it
    for sid in sorted(members, key=lambda k: slug[k]):
        own = sorted(tuple(sorted((slug[a], slug[b]))) for a, b in combinations(members[sid], 2))
        per_story += rng.sample(own, min(2, len(own)))
    print_sample = list(dict.fromkeys(uniform + per_story))
    for name, sample in (("uniform over all merged pairs", uniform), ("at most two per story", per_story)):
        judged = [verdict_p[p] for p in sample if p in verdict_p]
        n_same = judged.count("same")
        print(f"\n== {len(sample)} merged pairs, {name} (seed {args.seed}): judged {len(judged)}, one event {n_same}"
              + (f" = {n_same / len(judged):.2f}" if judged else ""))
    for a, b in print_sample:
        if (a, b) in verdict_p and not args.show:
            continue
        sim = index(by_slug[a], by_slug[b]) if index is not None else None
        print(f"P\t{a}\t{b}\t{verdict_p.get((a, b), '?')}" + (f"\tsim {sim:.2f}" if sim is not None else ""))
        if args.show:
            print("    - " + show_item(texts[by_slug[a]]) + "\n    - " + show_item(texts[by_slug[b]]))
    merged = set(all_pairs)
    kept = Counter((v, p in merged) for p, v in verdict_p.items() if p[0] in by_slug and p[1] in by_slug)
    print(f"\n== every judged pair, in this grouping: one event kept {kept[('same', True)]} of "
          f"{kept[('same', True)] + kept[('same', False)]}; other events kept {kept[('diff', True)]} of "
          f"{kept[('diff', True)] + kept[('diff', False)]}")

    big = sorted(((sid, m) for sid, m in members.items() if len(m) >= 3), key=lambda sm: slug[sm[0]])
    ssample = rng.sample(big, min(args.stories, len(big)))
    sv = Counter()
    print(f"\n== {len(ssample)} stories of 3+ items (of {len(big)})")
    for sid, m in ssample:
        key = slug[sid]
        v = verdict_s.get((key, len(m)), "?")
        sv[v] += 1
        if v == "?" or args.show:
            print(f"S\t{key}\t{len(m)}\t{v}")
            if args.show:
                for i in m:
                    print("    · " + show_item(texts[i], 140))
    print("  verdicts: " + ", ".join(f"{k} {c}" for k, c in sv.most_common()))
    if index is not None:
        chained = sum(1 for _, m in big if index.min_pair(m) < args.chain_low)
        print(f"\nchained without reading (two members under cosine {args.chain_low}): {chained} of {len(big)} stories of 3+")


if __name__ == "__main__":
    main()
