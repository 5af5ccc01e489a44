"""One sha256 over the pipeline's tags of bench/tag.py's items, with and without diacritics (a speed change must not
move it): run it on two checkouts and compare.

    PYTHONPATH=. .venv/bin/python bench/tag_digest.py [--n 600] [--root OTHER_CHECKOUT] [--dump out.jsonl]

`--root` tags with another checkout's code (e.g. a `git archive` of main in /tmp) and the models of its
[nlp] model_dir; the items are always read from this checkout's bench/tag.py. The restorer's caches are emptied
before each form, as bench/tag.py's issue #13 measure does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--root", default=str(ROOT), help="the checkout whose code tags the items")
    ap.add_argument("--dump", default="", help="write every output row to this file")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.tag import load_items, typed_bare

    items = load_items(args.n)
    bare = typed_bare(items)
    for name in [m for m in sys.modules if m.split(".")[0] in ("bench", "nlp", "vocab", "store")]:
        del sys.modules[name]  # the code under test comes from --root
    sys.path[0] = str(Path(args.root).resolve())
    from nlp.pipeline import Pipeline
    from vocab.config import load

    pipe = Pipeline.from_config(load())
    lines: list[str] = []
    for kind, rows in (("with", items), ("without", bare)):
        pipe.res.normaliser.restorer.clear_cache()
        for o in pipe.tag(rows):
            lines.append(json.dumps([kind, o], ensure_ascii=False, sort_keys=True))
    if args.dump:
        Path(args.dump).write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_bare = sum(1 for ln in lines if ln.startswith('["without"') and '"no_diacritics": true' in ln)
    import nlp.pipeline as used

    print(f"code from {Path(used.__file__).parents[1]}: {len(lines)} rows ({n_bare} tagged as without diacritics)")
    print(f"sha256 {hashlib.sha256(chr(10).join(lines).encode('utf-8')).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
