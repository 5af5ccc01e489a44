"""Speed of the NLP pipeline against underthesea's word tokenizer, on 5,000 title+lead items.

    .venv/bin/python bench/tag.py [--n 5000] [--workers 2] [--model-dir /tmp/m]

Items: the VNTC sample shipped in nlp/data/corpus (title + lead ≤ 400 characters).
Prints items/s for: the whole pipeline (1 process, and `workers` processes), underthesea
word_tokenize alone on the same texts (1 core, 2 cores), the ratio pipeline / tokenizer on two
cores (target ≥ 0.70), the pipeline on 1,000 of the items stripped of diacritics, CPU seconds per
item in one process with and without diacritics, the same items with and without diacritics tagged
slice by slice alternately (issue #13: items/s and CPU per item, restorer caches empty at the start),
and peak RSS of this process and of its worker processes. Pipeline and tokenizer are timed alternately on five
slices of the items, so both see the same load when the machine is shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import cpu, peak_rss_mb  # noqa: E402 - after sys.path


def load_items(n: int) -> list[dict]:
    from nlp.normalise import clean

    out = []
    with gzip.open(ROOT / "nlp/data/corpus/vntc_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for ln in fh:
            r = json.loads(ln)
            lines = clean(r["text"]).split("\n")
            title = lines[0][:200]
            lead = " ".join(lines[1:3])[:400]
            out.append({"id": r["id"], "title": title, "text": lead})
            if len(out) >= n:
                break
    while len(out) < n:  # repeat if the corpus is smaller than asked
        out.append(dict(out[len(out) % max(1, len(out))], id=f"r{len(out)}"))
    return out


def typed_bare(items: list[dict]) -> list[dict]:
    """The items as typed without diacritics, lowercased (social style): the restorer runs on every one."""
    from vocab.folding import strip_marks

    return [{**it, "title": strip_marks(it["title"]).lower(), "text": strip_marks(it["text"]).lower()} for it in items]


def _tok(texts: list[str]) -> int:
    from underthesea import word_tokenize

    for t in texts:
        word_tokenize(t)
    return len(texts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model-dir", default="", help="models to time (default: [nlp] model_dir), e.g. langnghe train --out")
    args = ap.parse_args(argv)

    from vocab.config import load
    from nlp.pipeline import Pipeline, nlp_settings

    items = load_items(args.n)
    texts = [f"{it['title']} {it['text']}" for it in items]
    t = time.perf_counter()
    cfg = load()
    settings = nlp_settings(cfg)
    pipe = Pipeline.from_config(cfg, settings={**settings, "model_dir": args.model_dir} if args.model_dir else settings)
    load_s = time.perf_counter() - t
    pipe.tag(items[:50])  # warm caches

    # Pipeline and tokenizer are timed slice by slice, one after the other, so that both see the same
    # load when other processes share the cores; rates are totals over the slices.
    from underthesea import word_tokenize

    word_tokenize(texts[0])
    ctx = mp.get_context("fork")
    n_slices = 5
    bounds = [(i * len(items) // n_slices, (i + 1) * len(items) // n_slices) for i in range(n_slices)]
    tp1 = tk1 = tp2 = tk2 = cp1 = 0.0
    out1: list[dict] = []
    out2: list[dict] = []
    with ctx.Pool(2) as tok_pool:
        tok_pool.map(_tok, [texts[:20]] * 2)  # warm both workers
        for a, b in bounds:
            t, c = time.perf_counter(), cpu()
            out1 += pipe.tag(items[a:b])
            tp1 += time.perf_counter() - t
            cp1 += cpu() - c
            t = time.perf_counter()
            _tok(texts[a:b])
            tk1 += time.perf_counter() - t
            t = time.perf_counter()
            out2 += pipe.tag_parallel(items[a:b], workers=args.workers, chunk=100)
            tp2 += time.perf_counter() - t
            part = texts[a:b]
            t = time.perf_counter()
            tok_pool.map(_tok, [part[i::16] for i in range(16)])
            tk2 += time.perf_counter() - t
    n = len(items)
    p1, k1, p2, k2 = n / tp1, n / tk1, n / tp2, n / tk2
    assert [o["id"] for o in out2] == [it["id"] for it in items]
    assert [o["topics"] for o in out1] == [o["topics"] for o in out2]

    # the same items typed without diacritics (social style): restoration runs on every one
    bare = typed_bare(items[:1000])
    t = time.perf_counter()
    outb = pipe.tag_parallel(bare, workers=args.workers, chunk=100)
    pb = len(bare) / (time.perf_counter() - t)
    assert all(o["no_diacritics"] for o in outb[:50])
    c = cpu()  # CPU per item without diacritics, in this process (workers' CPU is not in RUSAGE_SELF)
    pipe.tag(bare[:300])
    cpb = (cpu() - c) / 300
    # issue #13's measure: the same items with and without diacritics, tagged slice by slice one after the
    # other in this process (both see the same load); the restorer starts empty and sees each item once,
    # as in a stream (re-tagged items are faster: its caches then hold every context)
    restorer = pipe.res.normaliser.restorer
    (restorer.clear_cache if hasattr(restorer, "clear_cache") else restorer._bcache.clear)()  # (older commits)
    ta = tb = ca = cb = 0.0
    m = len(bare)
    for a, b in [(i * m // n_slices, (i + 1) * m // n_slices) for i in range(n_slices)]:
        t, c = time.perf_counter(), cpu()
        pipe.tag(items[a:b])
        ta += time.perf_counter() - t
        ca += cpu() - c
        t, c = time.perf_counter(), cpu()
        pipe.tag(bare[a:b])
        tb += time.perf_counter() - t
        cb += cpu() - c
    self_rss = peak_rss_mb()
    child_rss = peak_rss_mb(resource.RUSAGE_CHILDREN)
    chars = sum(len(x) for x in texts) / len(texts)
    print(f"items: {len(items)} title+lead (mean {chars:.0f} chars); model {pipe.model_version}; "
          f"pipeline load {load_s:.1f}s")
    print(f"pipeline, 1 process:             {p1:8.0f} items/s")
    print(f"pipeline, {args.workers} worker processes:     {p2:8.0f} items/s")
    print(f"pipeline, {args.workers} workers, 1,000 of the items without diacritics: {pb:8.0f} items/s")
    print(f"CPU per item, 1 process: {cp1 / n * 1000:.2f} ms with diacritics, {cpb * 1000:.2f} ms without "
          f"(getrusage; load-independent, the figure docs/SCALE.md plans with; without = re-tagged items)")
    print(f"with / without diacritics, alternating slices of {m} items, each item seen once: "
          f"{m / ta:.0f} / {m / tb:.0f} items/s ({ta / tb:.0%}); CPU per item {ca / m * 1000:.2f} / "
          f"{cb / m * 1000:.2f} ms ({ca / cb:.0%}) (issue #13: without >= 50% of with)")
    print(f"word_tokenize only, 1 core:      {k1:8.0f} items/s")
    print(f"word_tokenize only, 2 cores:     {k2:8.0f} items/s")
    print(f"ratio pipeline({args.workers} workers) / word_tokenize(2 cores): {p2 / k2:.2f} (target >= 0.70)")
    print(f"peak RSS: main process {self_rss:.0f} MB (pipeline models + underthesea's tokenizer + "
          f"{len(items)} items and their tags); largest worker process {child_rss:.0f} MB")
    print(f"load average during the run (other processes share these 2 cores): {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
