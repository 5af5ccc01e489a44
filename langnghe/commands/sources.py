"""`langnghe sources`: the configured sources and their health, or the registered collector kinds."""

from __future__ import annotations

import argparse
import json
import sys

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sources", help="liệt kê các nguồn tin và tình trạng thu thập")
    p.add_argument("--kinds", action="store_true", help="liệt kê các loại bộ thu thập thay vì nguồn")
    p.add_argument("--json", action="store_true", help="in JSON (cho chương trình khác đọc)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from collectors import registry
    from orchestration.status import collect_status

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
    if args.json:  # the note on stderr, so stdout stays JSON: with no database it printed «[]» and nothing else
        print(json.dumps(rows, ensure_ascii=False, default=str, indent=2))
        if status.get("note"):
            print(f"langnghe sources: {status['note']}", file=sys.stderr)
        return 0
    print(_table(rows, registry.describe()))
    if status.get("note"):
        print(f"\n{note_line(status['note'])}")
    return 0


def note_line(note: str) -> str:
    """The status note under the table, in brackets unless it has its own: «(dữ liệu từ bản chụp … (serve đang giữ cơ
    sở dữ liệu))» read nested (round 26's maintainer walk)."""
    return f"Lưu ý: {note}" if "(" in note else f"({note})"


HEADERS = ("Nguồn", "Loại", "Trạng thái", "Tin 24 giờ", "Lỗi liên tiếp", "Lỗi gần nhất")


def _table(rows: list[dict], described: dict[str, tuple[str, str]]) -> str:
    """The sources in the words Nguồn tin shows: the kind's label («Báo điện tử (RSS)») and the state's
    («Hoạt động»), not the codes «rss», «ok» (`--json` keeps the codes for programs). Columns as wide as their
    longest cell."""
    from orchestration.status import HEALTH_STATUS

    cells = [(r["source"][:40], described.get(r["kind"], (r["kind"], ""))[0], HEALTH_STATUS.get(r["status"], r["status"]),
              str(r["items_24h"]), str(r["consecutive_failures"]), (r.get("last_error") or "")[:60]) for r in rows]
    widths = [max(len(c[i]) for c in [HEADERS, *cells]) for i in range(len(HEADERS) - 1)]
    right = {3, 4}  # the counts

    def line(c: tuple[str, ...]) -> str:
        out = [c[i].rjust(w) if i in right else c[i].ljust(w) for i, w in enumerate(widths)]
        return ("  ".join(out) + "  " + c[-1]).rstrip()

    return "\n".join(line(c) for c in [HEADERS, *cells])


def _load_errors() -> int:
    """A kind module that fails to import only disables its own kind (collectors/registry.py): say which, so a
    new kind with a mistake does not just go missing from the list. 1 when any failed."""
    from collectors import registry

    for mod, err in sorted(registry.LOAD_ERRORS.items()):
        print(f"Lỗi: không nạp được collectors/{mod}.py ({err}); loại nguồn của nó không dùng được.", file=sys.stderr)
    return 1 if registry.LOAD_ERRORS else 0


def _kind_line(kind: str, label: str, description: str) -> str:
    return f"{kind:<14} {label}" + (f" — {description}" if description else "")
