"""Merge the topic labels of a social slice into its data file, and draw the review sample (round 11).

    PYTHONPATH=. .venv/bin/python -m devtools.merge_topic_labels review data/training/labelled_S3.jsonl LABELS
    PYTHONPATH=. .venv/bin/python -m devtools.merge_topic_labels merge data/training/labelled_S3.jsonl LABELS \
        [--fix S3-0042=education] [--fix S3-0100=]

Why: the social-register slices (labelled_S*.jsonl) carried sentiment only (`"topics_labelled": false`); labellers
write their topics apart, one `{"id", "topics"}` line per data line in the same order
(data/training/GUIDELINE_topics_comments.md). `review` prints a random sample of 25 lines of the slice with the
labels given (`random.Random(<slice number>)`, so that the sample is the one in the README); `merge` sets `topics`
and `"topics_labelled": true` on every line, nothing else changed, same line order, and refuses the whole file
(nothing written) when the labels do not match it line for line or name a code we do not have. `--fix ID=a,b`
replaces the labeller's topics of one line by the reviewer's (empty: no topic); the fixes are counted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from devtools.jsonl import read_jsonl
from vocab.labels import TOPICS

MAX_TOPICS = 2  # the guideline's "at most two topics"
SAMPLE = 25


class LabelError(ValueError):
    """The labels do not fit the data file (message in Vietnamese, for the one who runs the merge)."""


def slice_number(path: Path) -> int:
    """3 for labelled_S3.jsonl: the seed of the slice's review sample."""
    m = re.fullmatch(r"labelled_S(\d+)", path.stem)
    if not m:
        raise LabelError(f"{path.name}: không phải tệp lát mạng xã hội labelled_S<số>.jsonl")
    return int(m.group(1))


def check_labels(rows: list[dict], labels: list[dict]) -> list[list[str]]:
    """The topics of each data line, after checking that the labels match the data line for line."""
    if len(rows) != len(labels):
        raise LabelError(f"số dòng nhãn ({len(labels)}) khác số dòng dữ liệu ({len(rows)})")
    out = []
    for i, (r, lab) in enumerate(zip(rows, labels), start=1):
        if lab.get("id") != r.get("id"):
            raise LabelError(f"dòng {i}: mã {lab.get('id')!r} không khớp dữ liệu ({r.get('id')!r})")
        topics = lab.get("topics")
        if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
            raise LabelError(f"dòng {i} ({r['id']}): chủ đề không hợp lệ {topics!r}")
        if len(topics) > MAX_TOPICS or len(set(topics)) != len(topics):
            raise LabelError(f"dòng {i} ({r['id']}): tối đa {MAX_TOPICS} chủ đề khác nhau, có {topics!r}")
        out.append(list(topics))
    return out


def parse_fixes(fixes: list[str]) -> dict[str, list[str]]:
    """{"S3-0042": ["education"]} from ["S3-0042=education"] (after "=" a comma list, empty = no topic)."""
    out: dict[str, list[str]] = {}
    for f in fixes:
        item_id, sep, topics = f.partition("=")
        if not sep or not item_id:
            raise LabelError(f"--fix {f!r}: cần dạng MÃ=chủ_đề,chủ_đề (hoặc MÃ= khi không có chủ đề)")
        out[item_id.strip()] = [t.strip() for t in topics.split(",") if t.strip()]
    return out


def merged(rows: list[dict], topics: list[list[str]], fixes: dict[str, list[str]]) -> tuple[list[dict], int]:
    """The data lines with their topics set and labelled (fixes applied); and how many fixes changed a label."""
    unknown = set(fixes) - {r["id"] for r in rows}
    if unknown:
        raise LabelError(f"--fix: mã không có trong tệp: {', '.join(sorted(unknown))}")
    out, changed = [], 0
    for r, t in zip(rows, topics):
        if r["id"] in fixes:
            new = fixes[r["id"]]
            check_labels([r], [{"id": r["id"], "topics": new}])
            changed += sorted(new) != sorted(t)
            t = new
        # key order kept: "topics" and "topics_labelled" stay where they are
        out.append({**r, "topics": t, "topics_labelled": True})
    return out, changed


def review_sample(rows: list[dict], seed: int, k: int = SAMPLE) -> list[int]:
    """Indices of the review sample: `k` lines drawn by random.Random(seed), in file order."""
    return sorted(random.Random(seed).sample(range(len(rows)), min(k, len(rows))))


def write_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("review", "merge"))
    ap.add_argument("data", type=Path, help="tệp dữ liệu labelled_S<số>.jsonl")
    ap.add_argument("labels", type=Path, help="tệp nhãn chủ đề ({id, topics} mỗi dòng, cùng thứ tự)")
    ap.add_argument("--fix", action="append", default=[], help="MÃ=chủ_đề,… : sửa nhãn của một dòng khi duyệt")
    args = ap.parse_args(argv)
    try:
        rows = read_jsonl(args.data)
        topics = check_labels(rows, read_jsonl(args.labels))
        if args.action == "review":
            for i in review_sample(rows, slice_number(args.data)):
                print(f"{rows[i]['id']}\t{','.join(topics[i]) or '-'}\t{rows[i]['text']}")
            return 0
        out, changed = merged(rows, topics, parse_fixes(args.fix))
        write_jsonl(args.data, out)
    except (LabelError, json.JSONDecodeError, OSError) as e:
        print(f"merge_topic_labels: {e}", file=sys.stderr)
        return 2
    n_topic = sum(bool(r["topics"]) for r in out)
    print(f"{args.data.name}: {len(out)} dòng, {n_topic} có chủ đề, {len(out) - n_topic} không; "
          f"sửa khi duyệt: {changed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
