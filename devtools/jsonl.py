"""JSON-lines files of the label tools (data lines handed out, labellers' answers), read one way."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON-lines file in order, blank lines skipped (a labeller's file often ends with some)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(ln) for ln in fh if ln.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """`rows` as a JSON-lines file (UTF-8, not ASCII-escaped), written beside and renamed over `path`: a merge
    stopped half-way leaves the old training file whole."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def label_tool_args(doc: str | None, labels: Path, fix_help: str) -> argparse.ArgumentParser:
    """The command line the label tools share: `review K [--n N]` or `merge K [--fix …]` over a labels folder."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("review", "merge"))
    ap.add_argument("slice", type=int)
    ap.add_argument("--labels", default=str(labels))
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--fix", nargs="*", default=[], help=fix_help)
    return ap
