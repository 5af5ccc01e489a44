"""Every figure that differs between two metrics files (round 28; read `metrics-1.0.json` after every retrain).

    PYTHONPATH=. .venv/bin/python -m nlp.eval.metrics_diff nlp/models/metrics-1.0.json /tmp/X/metrics-1.0.json

Both JSON files are flattened to dotted keys (lists by index: `info.topic_rule.fallback`,
`heldout.per_topic.economy.f1`, `info.comment_topics.thresholds.3`) and compared value by value; numbers are equal
only when exactly equal (no tolerance: a retrain is deterministic). Prints one line a key that differs or is on
one side only, then how many keys were compared; `--ignore KEY…` leaves keys out (default `info.trained_at`, the
date of the run). Exit 0 when nothing differs, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

IGNORED = ("info.trained_at",)
MISSING = object()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{dotted key: leaf value} of a JSON value; an empty dict or list is a leaf of its own."""
    if isinstance(value, dict) and value:
        items = value.items()
    elif isinstance(value, list) and value:
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    out: dict[str, Any] = {}
    for k, v in items:
        out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def differences(a: Any, b: Any, ignore: tuple[str, ...] = IGNORED) -> list[tuple[str, Any, Any]]:
    """(key, value in a, value in b) for every flattened key whose values differ, MISSING for a side without it."""
    fa, fb = flatten(a), flatten(b)
    out = []
    for key in sorted(set(fa) | set(fb)):
        if key in ignore:
            continue
        va, vb = fa.get(key, MISSING), fb.get(key, MISSING)
        if va is MISSING or vb is MISSING or type(va) is not type(vb) or va != vb:
            out.append((key, va, vb))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", help="a metrics file (e.g. nlp/models/metrics-1.0.json)")
    ap.add_argument("b", help="the other (e.g. /tmp/X/metrics-1.0.json)")
    ap.add_argument("--ignore", nargs="*", default=list(IGNORED), help="keys left out (default: info.trained_at)")
    args = ap.parse_args(argv)
    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (args.a, args.b))
    diff = differences(a, b, tuple(args.ignore))
    show = lambda v: "(absent)" if v is MISSING else json.dumps(v, ensure_ascii=False)  # noqa: E731
    for key, va, vb in diff:
        print(f"{key}: {show(va)} → {show(vb)}")
    n = len((set(flatten(a)) | set(flatten(b))) - set(args.ignore))
    print(f"{len(diff)} of {n} keys differ" + (f" (left out: {', '.join(args.ignore)})" if args.ignore else ""))
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
