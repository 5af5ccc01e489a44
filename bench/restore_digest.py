"""Digest of the restorer's and the pipeline's output on the labelled set, to prove a speed change exact.

    PYTHONPATH=. .venv/bin/python bench/restore_digest.py [--dump out.jsonl] [--limit N]

The shipped classifiers were trained on restored text, so a change to the restorer (or to what the
pipeline restores) must leave its output byte-identical, or the model must be retrained. Run this at the
commit before and after a change: the digests must be equal. For every row of data/training/*.jsonl it
restores the folded title and the folded text (whole text, lowercase, as social posts are typed) and the
title and text stripped of marks (case kept), and tags the row as written and stripped of marks with the
configured pipeline (topics, sentiment, places, `title_restored`, `folded`…). `--dump` writes every output
line, so two dumps can be diffed when the digests differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rows(limit: int) -> list[dict]:
    out: list[dict] = []
    for path in sorted((ROOT / "data/training").glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for ln in fh:
                if ln.strip():
                    r = json.loads(ln)
                    out.append({"id": str(r["id"]), "title": r.get("title") or "", "text": r.get("text") or ""})
    return out[:limit] if limit else out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", default="", help="write every output line to this file")
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows (0: all)")
    args = ap.parse_args(argv)

    from nlp.pipeline import Pipeline
    from vocab.config import load
    from vocab.folding import fold, strip_marks

    pipe = Pipeline.from_config(load())
    restorer = pipe.res.normaliser.restorer
    data = rows(args.limit)
    t = time.perf_counter()
    lines: list[str] = []
    for r in data:
        for kind, conv in (("fold", fold), ("strip", strip_marks)):
            title, text = restorer.restore(conv(r["title"])), restorer.restore(conv(r["text"]))
            lines.append(json.dumps([r["id"], kind, title, text], ensure_ascii=False))
    restore_s = time.perf_counter() - t
    stripped = [{**r, "title": strip_marks(r["title"]), "text": strip_marks(r["text"])} for r in data]
    for kind, batch in (("tag", data), ("tag-stripped", stripped)):
        for o in pipe.tag(batch):
            lines.append(json.dumps([o["id"], kind, o], ensure_ascii=False, sort_keys=True))
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    if args.dump:
        Path(args.dump).write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_bare = sum(1 for ln in lines if '"tag-stripped"' in ln and '"no_diacritics": true' in ln)
    print(f"{len(data)} labelled rows; {len(lines)} output lines ({n_bare} stripped rows tagged as without "
          f"diacritics); restoring took {restore_s:.1f}s")
    print(f"sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
