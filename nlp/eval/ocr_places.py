"""OCR-noised place names: how many are still found in the area, and how many places appear on clean text.

    PYTHONPATH=. .venv/bin/python nlp/eval/ocr_places.py [--seed FILE]

1. Generated noise: every strong area name of two words or more, written without diacritics in a
   sentence, with one OCR error of each kind (n→b, o→b, o→d, i→l, a letter missing, m→rn, u→ii, a line
   break inside the name). Prints the share tagged in the area, per kind.
2. Clean text (false places): items of the labelled set and the demo corpus whose place list changes
   when approximate matching is switched off, so the count printed is exactly what it adds.
4. Names typed without marks in marked text ("ở uong bi", nlp/mixed.py): places added on clean marked text,
   and the share of in-area items still in the area once their name is rewritten without marks.
3. `--seed FILE`: paragraphs of an OCR'd document that name Uông Bí in some form, tagged in the area.
   Measured only; the file is not shipped and tests never read it.
Run with PYTHONPATH of another checkout to get the figures before a change.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # PYTHONPATH first: run against another checkout for "before"

NOISE = {
    "n→b": lambda w: _sub(w, "n", "b"),
    "o→b": lambda w: _sub(w, "o", "b"),
    "o→d": lambda w: _sub(w, "o", "d"),
    "i→l": lambda w: _sub(w, "i", "l"),
    "u→ii": lambda w: _sub(w, "u", "ii"),
    "m→rn": lambda w: _sub(w, "m", "rn"),
    "missing letter": lambda w: _drop(w),
    "line break": lambda w: w.replace(" ", "\n", 1),
}
TEMPLATES = [
    "Thanh uy {} bao cao ket qua thuc hien nghi quyet nam 2023",
    "Nguoi dan o {} phan anh tinh trang o nhiem keo dai",
    "UBND {} to chuc hoi nghi tiep xuc cu tri",
]


def _sub(w: str, a: str, b: str) -> str | None:
    idx = [i for i, c in enumerate(w) if c == a and i > 0]
    if not idx:
        return None
    i = idx[len(idx) // 2]
    return w[:i] + b + w[i + 1:]


def _drop(w: str) -> str | None:
    idx = [i for i, c in enumerate(w) if c.isalpha() and i > 1 and w[i - 1].isalpha()]  # not a word's first
    if not idx:
        return None
    i = idx[len(idx) // 2]
    return w[:i] + w[i + 1:]


def noised(gaz) -> list[tuple[str, str]]:
    from vocab.folding import fold

    names = sorted({e.name.split(" ", 1)[1] if e.level.startswith("ward") else e.name
                    for es in gaz.index.values() for e in es
                    if e.in_area and e.strong and e.level != "province"})
    out = []
    for nm in names:
        plain = " ".join(w.capitalize() for w in fold(nm).split())
        if len(plain.split()) < 2 or len(plain.replace(" ", "")) < 6:
            continue
        for kind, f in NOISE.items():
            v = f(plain)
            if v and v != plain:
                out.append((kind, v))
    return out


def clean_items() -> list[str]:
    out = []
    for p in sorted((ROOT / "data/training").glob("labelled_*.jsonl")) + [ROOT / "demo/corpus/quangninh.jsonl"]:
        for ln in open(p, encoding="utf-8"):
            r = json.loads(ln)
            out.append(f"{r.get('title') or ''}\n\n{r.get('text') or ''}")
    return out


def _mixed(gaz, texts: list[str]) -> None:
    """4. Names typed without marks in a text that has them (nlp/mixed.py): on clean text, the places it adds
    (false ones, unless a name really was typed so); then each in-area name of a marked item rewritten without
    marks, lowercase ("ở uong bi") and as typed with capitals ("ở Uong Bi"): the share still in the area."""
    from nlp.diacritics import Restorer, _has_marks
    from nlp.mixed import resolve_marked
    from nlp.version import MODELS_DIR, find_models
    from vocab.folding import fold, strip_marks

    restorer = Restorer.load(find_models(MODELS_DIR)[1])

    # what the Places step reads accent-exact: texts with marks (those without go the no-diacritics way)
    marked = [t for t in texts if any(_has_marks(w) for w in t.split())]
    added, examples = 0, []
    for t in marked:
        before = gaz.resolve(t).places
        new = [p for p in resolve_marked(t, gaz, restorer).places if p not in before]
        added += len(new)
        examples += new
    print(f"4. names typed without marks in marked text (nlp/mixed.py): on {len(marked)} clean marked items it adds "
          f"{added} places" + (f" ({', '.join(examples[:5])})" if examples else ""))
    rewritten = Counter()
    found = Counter()
    for t in marked:
        r = gaz.resolve(t)
        if not r.in_area:
            continue
        for h in gaz.find(t):
            if not h.entry.in_area or len(h.entry.acc) < 2 or fold(h.matched_text) == h.matched_text:
                continue
            plain = strip_marks(h.matched_text)
            for style, written in (("lowercase", plain.lower()), ("capitals", plain)):
                u = t.replace(h.matched_text, written)
                rewritten[style] += 1
                found[(style, "before")] += gaz.resolve(u).in_area
                found[(style, "after")] += resolve_marked(u, gaz, restorer).in_area
            break
    for style in ("lowercase", "capitals"):
        n = rewritten[style] or 1
        print(f"   {style:<10} {rewritten[style]} items: in the area before {found[(style, 'before')] / n:.0%}, "
              f"after {found[(style, 'after')] / n:.0%}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", help="an OCR'd document (measured only)")
    args = ap.parse_args(argv)
    from nlp.gazetteer import Gazetteer
    from vocab.folding import fold

    gaz = Gazetteer()
    rng = random.Random(13)
    hit, tot = Counter(), Counter()
    for kind, v in noised(gaz):
        t = rng.choice(TEMPLATES).format(v)
        tot[kind] += 1
        hit[kind] += gaz.resolve(t, accented=False).in_area
    print("1. OCR-noised area names tagged in the area")
    for k in tot:
        print(f"   {k:<15} {hit[k]:>4}/{tot[k]:<4} {hit[k] / tot[k]:.0%}")
    print(f"   {'all':<15} {sum(hit.values()):>4}/{sum(tot.values()):<4} {sum(hit.values()) / sum(tot.values()):.0%}")

    texts = clean_items()
    fuzzy = getattr(gaz, "fuzzy", None)
    added = 0
    examples = []
    for t in texts:
        acc = t != fold(t)
        with_ = gaz.resolve(t, accented=acc).places
        if fuzzy is not None:
            gaz.fuzzy = {}
            without = gaz.resolve(t, accented=acc).places
            gaz.fuzzy = fuzzy
        else:
            without = with_
        new = [p for p in with_ if p not in without]
        added += len(new)
        examples += new
    total = sum(len(gaz.resolve(t, accented=t != fold(t)).places) for t in texts)
    print(f"2. clean text: {len(texts)} items, {total} places; added by approximate matching: {added}"
          + (f" ({', '.join(examples[:5])})" if examples else ""))

    _mixed(gaz, texts)

    if args.seed:
        text = Path(args.seed).read_text(encoding="utf-8")
        paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        pat = re.compile(r"\bu[a-z]?ng\s+b[il1]\b")
        sel = [p for p in paras if pat.search(fold(p).lower())]
        ok = sum(gaz.resolve(p, accented=False).in_area for p in sel)
        print(f"3. {args.seed}: {ok} of {len(sel)} paragraphs naming Uông Bí tagged in the area")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
