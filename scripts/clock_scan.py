"""Static half of the clock audit: functions that take `now` (or `at`, `clock`) yet read the wall clock
themselves — the class of the notify bug (a pass at a given time scheduled its retries by the wall clock).

    python scripts/clock_scan.py [--root DIR]   # prints file:line, function and call; exit 1 when any is found

Allowed: a fallback `now or utcnow()` / `clock or (lambda: …)` / `x if now is not None else time.time()`,
and a call marked `# wall clock:` with the reason, on its line or the line above (e.g. the real end of a run
that took `now` as its start).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("langnghe", "dashboard", "orchestration", "collectors", "nlp", "detection", "reports", "store", "vocab",
            "devtools")
PARAMS = {"now", "at", "clock", "held_at"}
WALL = {("store.db", "utcnow"), ("", "utcnow"), ("datetime", "now"), ("datetime", "utcnow"), ("date", "today"),
        ("time", "time"), ("time", "time_ns")}


def _wall(call: ast.Call) -> bool:
    f = call.func
    if isinstance(f, ast.Name):
        return ("", f.id) in WALL
    if isinstance(f, ast.Attribute):
        base = f.value.id if isinstance(f.value, ast.Name) else getattr(f.value, "attr", "")
        return (base, f.attr) in WALL
    return False


def _fallbacks(fn: ast.AST, params: set[str]) -> set[int]:
    """Nodes that only run when the injected value is missing."""
    ok: set[int] = set()
    for n in ast.walk(fn):
        alts: list[ast.AST] = []
        if isinstance(n, ast.BoolOp) and isinstance(n.op, ast.Or):  # `now or utcnow()`, `fixed or …`
            alts = n.values[1:]
        elif isinstance(n, ast.IfExp) and any(isinstance(x, ast.Name) and x.id in params for x in ast.walk(n.test)):
            alts = [n.orelse]
        for a in alts:
            ok.update(id(x) for x in ast.walk(a))
    return ok


def _marked(lines: list[str], lineno: int) -> bool:
    """`# wall clock: why` on the call's line or the line above."""
    return any("# wall clock:" in ln for ln in lines[max(0, lineno - 2):lineno])


def scan(path: Path, root: Path = ROOT) -> list[str]:
    src = path.read_text(encoding="utf-8")
    lines = src.splitlines()
    out = []
    for fn in ast.walk(ast.parse(src)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = {a.arg for a in fn.args.args + fn.args.kwonlyargs} & PARAMS
        if not params:
            continue
        ok = _fallbacks(fn, params)
        for n in ast.walk(fn):
            if isinstance(n, ast.Call) and id(n) not in ok and _wall(n) and not _marked(lines, n.lineno):
                out.append(f"{path.relative_to(root)}:{n.lineno}: {fn.name}({', '.join(sorted(params))}) "
                           f"reads the wall clock: {ast.get_source_segment(src, n)}")
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[argv.index("--root") + 1]).resolve() if "--root" in argv else ROOT
    found = [f for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py")) for f in scan(p, root)]
    print("\n".join(found) or "clock_scan: không có hàm nào vừa nhận `now` vừa đọc đồng hồ thật.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
