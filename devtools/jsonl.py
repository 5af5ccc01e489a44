"""JSON-lines files of the label tools (data lines handed out, labellers' answers), read one way."""

from __future__ import annotations

import json
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON-lines file in order, blank lines skipped (a labeller's file often ends with some)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(ln) for ln in fh if ln.strip()]
