"""CPU per item of two trained model directories, tagged slice by slice alternately in one process, so that both
see the same load on a shared machine (bench/tag.py times one model per run).

    .venv/bin/python bench/tag_ab.py nlp/models /tmp/other-model [--n 3000]

Items: the title+lead items of bench/tag.py, with diacritics, then 1,000 of them stripped of diacritics and
lowercased (each pipeline has its own restorer, so each sees every item once).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--slices", type=int, default=10)
    args = ap.parse_args(argv)
    from nlp.eval import load_pipeline
    from tag import _cpu, load_items, typed_bare

    pa, pb = load_pipeline(args.a), load_pipeline(args.b)
    items = load_items(args.n)
    bare = typed_bare(items[:1000])
    pa.tag(items[:50])
    pb.tag(items[:50])
    for name, its in (("with diacritics", items), ("without diacritics", bare)):
        ca = cb = 0.0
        n, k = len(its), args.slices
        for i in range(k):
            part = its[i * n // k:(i + 1) * n // k]
            c = _cpu()
            pa.tag(part)
            ca += _cpu() - c
            c = _cpu()
            pb.tag(part)
            cb += _cpu() - c
        print(f"{name}, {n} items: CPU per item {ca / n * 1000:.2f} ms ({args.a}) / {cb / n * 1000:.2f} ms ({args.b}): "
              f"{cb / ca - 1:+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
