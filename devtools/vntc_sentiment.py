"""Round 15's VNTC sentiment labels (docs/NLP_ROUNDS.md, "Round 15: sentiment on real news"): the review sample and
the merge of the labellers' files into data/training/labelled_V<k>.jsonl.

    PYTHONPATH=. python -m devtools.vntc_sentiment review 1 [--labels /work/wt/labels/vsent] [--n 20]
    PYTHONPATH=. python -m devtools.vntc_sentiment merge 1 [--fix V-PL_TN_-3132=neutral …]

Inputs: V<k>_input.jsonl (devtools/vntc_sentiment_sample.py) and V<k>_labels.jsonl ({id, sentiment, sure}, one
per input line, in the same order). The review sample of slice k is `random.Random(k).sample(lines, n)`. The merged
rows carry the fields of the news slices (title, text, in_area false, places [], style press, diacritics true) with
`topics` [] and `topics_labelled` false (sentiment only: `nlp.train.is_vntc_set`), `vntc_section`, `vntc_id` and the
labeller's `sure`; a reviewer's fix sets `reviewed_from` to the labeller's label.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from devtools.jsonl import label_tool_args, read_jsonl, write_jsonl

LABELS = Path("/work/wt/labels/vsent")
OUT = Path(__file__).resolve().parents[1] / "data" / "training"
SENTIMENTS = ("negative", "neutral", "positive")


def joined(labels: Path, k: int) -> list[dict]:
    """The slice's input lines with their labels; refuses a label file that does not match line for line."""
    inp, lab = read_jsonl(labels / f"V{k}_input.jsonl"), read_jsonl(labels / f"V{k}_labels.jsonl")
    if [r["id"] for r in inp] != [r["id"] for r in lab]:
        raise SystemExit(f"V{k}: nhãn không khớp từng dòng với dữ liệu vào ({len(lab)} nhãn, {len(inp)} dòng)")
    bad = [r["id"] for r in lab if r.get("sentiment") not in SENTIMENTS]
    if bad:
        raise SystemExit(f"V{k}: nhãn sắc thái không hợp lệ ở {bad[:5]}")
    return [{**i, "sentiment": lb["sentiment"], "sure": bool(lb.get("sure", True))} for i, lb in zip(inp, lab)]


def row(r: dict) -> dict:
    """A labelled_V row in the training files' format (NFC text)."""
    nfc = lambda s: unicodedata.normalize("NFC", s or "")  # noqa: E731
    out = {"id": r["id"], "title": nfc(r["title"]), "text": nfc(r["text"]), "topics": [], "topics_labelled": False,
           "sentiment": r["sentiment"], "in_area": False, "places": [], "style": "press", "diacritics": True,
           "vntc_section": r["section"], "vntc_id": r["vntc_id"], "sure": r["sure"]}
    if "reviewed_from" in r:
        out["reviewed_from"] = r["reviewed_from"]
    return out


def merge(labels: Path, k: int, fixes: dict[str, str], out_dir: Path = OUT) -> Path:
    rows = joined(labels, k)
    ids = {r["id"] for r in rows}
    unknown = sorted(set(fixes) - ids)
    if unknown:
        raise SystemExit(f"V{k}: không có dòng {unknown}")
    for r in rows:
        if r["id"] in fixes and fixes[r["id"]] != r["sentiment"]:
            r["reviewed_from"], r["sentiment"] = r["sentiment"], fixes[r["id"]]
    path = out_dir / f"labelled_V{k}.jsonl"
    return write_jsonl(path, [row(r) for r in rows])


def main() -> None:
    args = label_tool_args(__doc__, LABELS, "ID=nhãn: nhãn sửa sau khi rà soát").parse_args()
    rows = joined(Path(args.labels), args.slice)
    if args.action == "review":
        for r in random.Random(args.slice).sample(rows, args.n):
            print(f"{r['id']}\t{r['section']}\t{r['sentiment']}{'' if r['sure'] else ' (?)'}\n  {r['title']}\n  {r['text']}")
        return
    fixes = dict(f.split("=", 1) for f in args.fix)
    bad = [v for v in fixes.values() if v not in SENTIMENTS]
    if bad:
        raise SystemExit(f"nhãn sửa không hợp lệ: {bad}")
    print(merge(Path(args.labels), args.slice, fixes))


if __name__ == "__main__":
    main()
