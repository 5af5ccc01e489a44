"""`langnghe sources`: the configured sources and their health, or the registered collector kinds."""

from __future__ import annotations

import argparse
import json
import sys

from collectors import registry
from vocab.config import Config
from orchestration.status import collect_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sources", help="liệt kê các nguồn tin và tình trạng thu thập")
    p.add_argument("--kinds", action="store_true", help="liệt kê các loại bộ thu thập thay vì nguồn")
    p.add_argument("--json", action="store_true", help="in JSON (cho chương trình khác đọc)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    if args.kinds:
        kinds = registry.kinds()
        if args.json:
            print(json.dumps(kinds))
        else:  # with the words the Nguồn tin page shows (registry.describe)
            words = registry.describe()
            print("\n".join(_kind_line(k, *words.get(k, (k, ""))) for k in kinds))
        return _load_errors()
    status = collect_status(cfg)
    rows = status["sources"]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str, indent=2))
        return 0
    print(f"{'nguồn':28} {'loại':6} {'trạng thái':10} {'đăng 24h':>9} {'lỗi liên tiếp':>13}  lỗi gần nhất")
    for r in rows:
        err = (r.get("last_error") or "")[:60]
        print(
            f"{r['source'][:28]:28} {r['kind']:6} {r['status']:10} {r['items_24h']:>9} "
            f"{r['consecutive_failures']:>13}  {err}"
        )
    if status.get("note"):
        print(f"\n({status['note']})")
    return 0


def _load_errors() -> int:
    """A kind module that fails to import only disables its own kind (collectors/registry.py): say which, so a
    new kind with a mistake does not just go missing from the list. 1 when any failed."""
    for mod, err in sorted(registry.LOAD_ERRORS.items()):
        print(f"Lỗi: không nạp được collectors/{mod}.py ({err}); loại nguồn của nó không dùng được.", file=sys.stderr)
    return 1 if registry.LOAD_ERRORS else 0


def _kind_line(kind: str, label: str, description: str) -> str:
    return f"{kind:<14} {label}" + (f" — {description}" if description else "")
