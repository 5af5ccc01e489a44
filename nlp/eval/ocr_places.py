"""Hand-run: places in OCR'd text (issue 13). Reads /work/shared (never used by tests).

    .venv/bin/python -m nlp.eval.ocr_places [--base REF]

1. seed 002 (real OCR, no diacritics): paragraphs naming Uông Bí in an OCR'd form ("Uong Bi", "Ubng Bi",
   "Udng Bi", "Uong Bi1") and how many are tagged in the area;
2. OCR-noised copies of the area's other names (n→b, o→b/d, a letter dropped, rn for m, a stray digit) in a
   plain sentence without diacritics: the share still tagged in the area;
3. false places on clean text: items of the team-labelled set and the demo corpus whose places change
   when the OCR-tolerant pass is turned off (a place the fuzzy pass added that is not in the labels).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from nlp import gazetteer as gz
from nlp.pipeline import Pipeline
from vocab.folding import strip_marks

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/seeds/002_a4c1d82f065061bf.txt")
PAT = re.compile(r"\b[Uu][a-zđ]{0,2}n[gq]\s*B[iíìl1]\w?\b")


def noisy(name: str, rng: random.Random) -> str:
    """One OCR-like corruption of a name without diacritics."""
    s = strip_marks(name).replace("đ", "d").replace("Đ", "D")
    words = s.split()
    j = rng.randrange(len(words))
    w = words[j]
    kind = rng.choice(["sub", "drop", "digit", "rn"])
    if kind == "sub" and len(w) > 2:
        k = rng.randrange(1, len(w))
        w = w[:k] + {"n": "b", "o": "b", "u": "d", "a": "e", "i": "l", "h": "b"}.get(w[k], "b") + w[k + 1:]
    elif kind == "drop" and len(w) > 3:
        k = rng.randrange(1, len(w))
        w = w[:k] + w[k + 1:]
    elif kind == "rn" and "m" in w:
        w = w.replace("m", "rn", 1)
    else:
        w = w + "1"
    words[j] = w
    return " ".join(words)


def main() -> None:
    pipe = Pipeline.from_config(None)
    text = SEED.read_text(encoding="utf-8")
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    hits = [p for p in paras if PAT.search(p)]
    out = pipe.tag([{"id": str(i), "title": "", "text": p} for i, p in enumerate(hits)])
    print(f"seed 002: {sum(o['in_area'] for o in out)} of {len(hits)} paragraphs naming Uông Bí in OCR'd form in the area")

    g = pipe.res.gazetteer if hasattr(pipe, "res") else gz.Gazetteer()
    names = sorted({e.name.split(" ", 1)[-1] if e.level.startswith("ward") else e.name
                    for ents in g.index.values() for e in ents if e.in_area and e.strong and e.level != "province"})
    names = [n for n in names if len(strip_marks(n).replace(" ", "")) >= 6]
    rng = random.Random(13)
    rows = [{"id": f"n{i}", "title": "", "text": f"Nguoi dan o {noisy(n, rng)} phan anh ve tinh trang duong xuong cap."}
            for i, n in enumerate(names)]
    tagged = pipe.tag(rows)
    ok = sum(o["in_area"] for o in tagged)
    print(f"OCR-noised area names: {ok} of {len(rows)} sentences in the area ({ok / len(rows):.0%})")

    clean = []
    for f in sorted((ROOT / "data" / "training").glob("labelled_*.jsonl")):
        clean += [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    corpus = ROOT / "demo" / "corpus" / "quangninh.jsonl"
    clean += [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines() if x.strip()]
    items = [{"id": str(i), "title": r.get("title", ""), "text": r.get("text") or r.get("summary", "")} for i, r in enumerate(clean)]
    with_ocr = pipe.tag(items)
    saved = gz.Gazetteer._ocr_hits
    gz.Gazetteer._ocr_hits = lambda self, *a, **k: []  # type: ignore[method-assign]
    try:
        without = pipe.tag(items)
    finally:
        gz.Gazetteer._ocr_hits = saved  # type: ignore[method-assign]
    changed = [(it, a["places"], b["places"]) for it, a, b in zip(items, with_ocr, without) if a["places"] != b["places"]]
    print(f"clean text: {len(changed)} of {len(items)} items get a different place list from the OCR-tolerant pass")
    for it, a, b in changed[:10]:
        print("  ", set(a) - set(b), "|", (it["title"] + " " + it["text"])[:120])


if __name__ == "__main__":
    main()
