"""Where tagging spends its CPU, per step, with and without diacritics (issue #13).

    PYTHONPATH=. .venv/bin/python bench/tag_profile.py [--n 600] [--passes 3] [--cprofile bare|marked] [--top 30]

The bench/tag.py items (VNTC title+lead) and the same items typed without diacritics, lowercased. Each pass
empties the restorer's caches, then tags the items slice by slice, alternating the two forms (each item seen
once per pass, as in a stream), and times each step of the pipeline in CPU seconds (process time). Prints the
per-item milliseconds of each step, both forms, the median over the passes, and "(restore)": the part of
them spent in the restorer (the normalise step's, and the places step's confirmations in marked text). `--cprofile` profiles one more pass
of one form (cProfile, sorted by own time) instead of the per-step table's last pass.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed_tag(pipe, rows: list[dict], acc: dict[str, float]) -> None:
    """pipeline.tag's steps one by one, adding each step's CPU seconds to `acc`."""
    items = [{"id": r["id"], "title": r["title"], "text": r["text"]} for r in rows]
    for step in pipe.steps:
        c = time.process_time()
        step.run(items)
        acc[step.name] = acc.get(step.name, 0.0) + time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--slices", type=int, default=5)
    ap.add_argument("--cprofile", choices=("bare", "marked"), default=None)
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)

    from bench.tag import load_items, typed_bare
    from nlp.pipeline import Pipeline, nlp_settings
    from vocab.config import load

    items = load_items(args.n)
    bare = typed_bare(items)
    pipe = Pipeline.from_config(load(), settings=nlp_settings(load()))
    pipe.tag(items[:50])
    restorer = pipe.res.normaliser.restorer
    m = len(items)
    bounds = [(i * m // args.slices, (i + 1) * m // args.slices) for i in range(args.slices)]
    spent = {"restore": 0.0}
    real_restore = restorer.restore

    def timed_restore(text: str, max_chars: int = 50_000) -> str:  # the restorer's share of the normalise step
        c = time.process_time()
        try:
            return real_restore(text, max_chars)
        finally:
            spent["restore"] += time.process_time() - c

    restorer.restore = timed_restore  # type: ignore[method-assign]
    runs: dict[str, list[dict[str, float]]] = {"marked": [], "bare": []}
    for _ in range(args.passes):
        restorer.clear_cache()
        acc = {"marked": {}, "bare": {}}
        for a, b in bounds:
            for form, rows in (("marked", items), ("bare", bare)):
                spent["restore"] = 0.0
                _timed_tag(pipe, rows[a:b], acc[form])
                acc[form]["(restore)"] = acc[form].get("(restore)", 0.0) + spent["restore"]
        for k in runs:
            runs[k].append(acc[k])
    names = [s.name for s in pipe.steps] + ["(restore)"]
    print(f"{m} items, {args.passes} passes (median), CPU ms per item; restorer caches emptied before each pass")
    print(f"{'step':<12}{'marked':>10}{'bare':>10}")
    tot = {"marked": 0.0, "bare": 0.0}
    for nm in names:
        v = {k: statistics.median(r[nm] for r in runs[k]) / m * 1000 for k in runs}
        if not nm.startswith("("):
            tot = {k: tot[k] + v[k] for k in tot}
        print(f"{nm:<12}{v['marked']:>10.3f}{v['bare']:>10.3f}")
    print(f"{'total':<12}{tot['marked']:>10.3f}{tot['bare']:>10.3f}   ratio marked/bare {tot['marked'] / tot['bare']:.0%}")
    if args.cprofile:
        restorer.clear_cache()
        rows = bare if args.cprofile == "bare" else items
        prof = cProfile.Profile()
        for a, b in bounds:
            prof.enable()
            _timed_tag(pipe, rows[a:b], {})
            prof.disable()
            _timed_tag(pipe, (items if args.cprofile == "bare" else bare)[a:b], {})
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
