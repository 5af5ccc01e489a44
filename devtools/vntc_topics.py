"""Round 16's topic labels of the real VNTC articles (docs/NLP_ROUNDS.md, "Round 16: topics on real news"): the
review sample and the merge of the labellers' files into data/training/labelled_V<k>.jsonl.

    PYTHONPATH=. python -m devtools.vntc_topics review 1 [--labels /work/wt/labels/vtopic] [--n 20]
    PYTHONPATH=. python -m devtools.vntc_topics merge 1 [--fix V-PL_TN_-3132=misinformation_fraud+public_order …]

Inputs: T<k>_labels.jsonl ({id, topics, sure}, one per line of labelled_V<k>.jsonl, in the same order;
GUIDELINE_topics_news.md). The review sample of slice k is `random.Random(k).sample(lines, n)`, as round 15's. The
merge keeps every field of the V rows (their sentiment and its `sure` are round 15's) and sets `topics`,
`topics_labelled` true and `topics_sure` (the labeller's); a reviewer's fix (`ID=code+code`, `ID=` for no topic) sets
`topics_reviewed_from` to the labeller's topics. It refuses, writing nothing, a label file whose ids do not match the
V file line for line, or a code not in `vocab.labels.TOPICS`.
"""

from __future__ import annotations

import random
from pathlib import Path

from devtools.jsonl import label_tool_args, read_jsonl, write_jsonl
from vocab.labels import TOPICS

LABELS = Path("/work/wt/labels/vtopic")
OUT = Path(__file__).resolve().parents[1] / "data" / "training"


class LabelError(ValueError):
    """Labels that cannot be merged (message in Vietnamese, for the engineer)."""


def check_codes(where: str, topics: object) -> list[str]:
    """The topic list, refused unless it is a list of known codes without repeats (at most three, as the guideline)."""
    if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
        raise LabelError(f"{where}: mã chủ đề không hợp lệ {topics!r} (chỉ dùng: {', '.join(TOPICS)})")
    if len(set(topics)) != len(topics) or len(topics) > 3:
        raise LabelError(f"{where}: chủ đề trùng lặp hoặc quá ba mã {topics!r}")
    return list(topics)


def joined(labels: Path, k: int, out_dir: Path = OUT) -> list[dict]:
    """The V rows of slice k with their topic labels (`_topics`, `_sure`); refuses labels that do not match the rows
    line for line or carry an unknown code."""
    rows = read_jsonl(out_dir / f"labelled_V{k}.jsonl")
    lab = read_jsonl(labels / f"T{k}_labels.jsonl")
    if [r["id"] for r in rows] != [r.get("id") for r in lab]:
        raise LabelError(f"V{k}: nhãn chủ đề không khớp từng dòng với labelled_V{k}.jsonl "
                         f"({len(lab)} nhãn, {len(rows)} dòng)")
    for r, lb in zip(rows, lab):
        r["_topics"] = check_codes(f"V{k} {r['id']}", lb.get("topics"))
        r["_sure"] = bool(lb.get("sure", True))
    return rows


def parse_fixes(items: list[str]) -> dict[str, list[str]]:
    """`ID=code+code` (or `ID=` for no topic) → {id: codes}, refused on an unknown code."""
    fixes = {}
    for f in items:
        if "=" not in f:
            raise LabelError(f"sửa nhãn phải có dạng ID=mã+mã: {f!r}")
        rid, codes = f.split("=", 1)
        fixes[rid] = check_codes(rid, [c for c in codes.split("+") if c])
    return fixes


def merged(rows: list[dict], fixes: dict[str, list[str]], k: int) -> list[dict]:
    """The V rows with their topics set (fixes applied), in the order of the file."""
    unknown = sorted(set(fixes) - {r["id"] for r in rows})
    if unknown:
        raise LabelError(f"V{k}: không có dòng {unknown}")
    out = []
    for r in rows:
        topics, sure = r.pop("_topics"), r.pop("_sure")
        r.pop("topics_reviewed_from", None)
        if r["id"] in fixes and fixes[r["id"]] != topics:
            r["topics_reviewed_from"], topics = topics, fixes[r["id"]]
        out.append({**r, "topics": topics, "topics_labelled": True, "topics_sure": sure})
    return out


def merge(labels: Path, k: int, fixes: dict[str, list[str]], out_dir: Path = OUT) -> Path:
    """Write the topics into labelled_V<k>.jsonl (all lines checked before the file is touched)."""
    rows = merged(joined(labels, k, out_dir), fixes, k)
    path = out_dir / f"labelled_V{k}.jsonl"
    return write_jsonl(path, rows)


def main() -> None:
    args = label_tool_args(__doc__, LABELS, "ID=mã+mã (ID= khi không có chủ đề): nhãn sửa sau khi rà soát").parse_args()
    try:
        rows = joined(Path(args.labels), args.slice)
        if args.action == "review":
            for r in random.Random(args.slice).sample(rows, args.n):
                print(f"{r['id']}\t{r['vntc_section']}\t{'+'.join(r['_topics']) or '[]'}{'' if r['_sure'] else ' (?)'}"
                      f"\n  {r['title']}\n  {r['text']}")
            return
        print(merge(Path(args.labels), args.slice, parse_fixes(args.fix)))
    except LabelError as e:
        raise SystemExit(str(e)) from None


if __name__ == "__main__":
    main()
