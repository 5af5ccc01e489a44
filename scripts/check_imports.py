#!/usr/bin/env python3
"""Measure the one-way layering rules R1–R8 from the code's own imports and calls (stdlib `ast`, nothing run).

    every first-party .py file ──ast──▶ import edges (module-level, in functions, under TYPE_CHECKING)
                                      ├─ guarded edges (inside try/except ImportError|ModuleNotFoundError)
                                      └─ dynamic loads (importlib.import_module / __import__ call sites)
    edges ──▶ R1 store/ and vocab/ stay on the ground floor
          ──▶ R2 collectors/ and nlp/ reach only down (store, vocab), never each other or upward
          ──▶ R3 only a `service`/`server` module imports dashboard/
          ──▶ R4 no guarded first-party import; dynamic loading only in plugin registries
          ──▶ R5 no cycle between top-level packages
          ──▶ R6 each package imports only packages on a lower floor (FLOORS: the diagram in
                 docs/ARCHITECTURE.md); a new top-level package needs a floor there
          ──▶ R7 no import circle among the modules of one package (imports inside functions
                 count: an import moved into a function to dodge a circle still is one; imports under
                 `if TYPE_CHECKING:` do not: they never run, so they cannot close a circle at import time)
    calls and strings ──▶ R8 SQL only in store/: outside it, no `.execute(`/`.executemany(`/`.sql(` call and no
                 string (docstrings aside) that reads as a SQL statement; pages and jobs call named store functions

Usage: `python scripts/check_imports.py [--root DIR] [--strict] [--verbose]`. It prints one line per
rule with its count; `--verbose` lists each violation; `--strict` exits 1 when any count is not 0
(`tests/test_layers.py` runs it that way, so `make test` keeps the house in order).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = {"tests", "bench", "scripts", "docs", "data", "demo", "build", "var", ".venv", ".git"}
# The shared vocabulary: the only first-party package the ground floor may import.
VOCAB = "vocab"
# Modules allowed to load plugins by name (collector kinds, CLI commands, pages, notifiers).
REGISTRIES = {"collectors.registry", "langnghe.cli", "dashboard.nav", "notify.registry"}
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}
# R8: the package that owns the SQL, the calls that run it, and what a SQL statement's text starts with.
SQL_HOME = "store"
SQL_CALLS = {"execute", "executemany", "sql"}
SQL_TEXT = re.compile(r"^\s*(SELECT\s.*\bFROM\b|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|"
                      r"CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|INDEX|MACRO|SEQUENCE)\b|"
                      r"(DROP|ALTER)\s+TABLE\b|WITH\s+\w+\s+AS\s*\()", re.DOTALL)
# The floors of docs/ARCHITECTURE.md's diagram, ground floor 1: a package imports only lower floors.
FLOORS = {"vocab": 1, "store": 2, "notify": 2, "surveys": 2, "collectors": 3, "nlp": 3, "detection": 3,
          "reports": 3, "orchestration": 4, "dashboard": 5, "devtools": 5, "langnghe": 6}


@dataclass(frozen=True)
class Edge:
    src: str  # importing module, dotted
    dst: str  # imported module, dotted
    line: int
    guarded: bool = False
    type_only: bool = False  # under `if TYPE_CHECKING:`: read by type checkers, never run


@dataclass
class Graph:
    packages: set[str]
    modules: set[str] = field(default_factory=set)
    edges: list[Edge] = field(default_factory=list)
    dynamic: list[tuple[str, int, str]] = field(default_factory=list)  # (module, line, what)
    sql: list[tuple[str, int, str]] = field(default_factory=list)  # (module, line, what): SQL outside store/


def first_party_packages(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()
            if p.is_dir() and p.name not in SKIP_DIRS and (p / "__init__.py").exists()}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, mod: str, is_pkg: bool) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names: list[ast.expr] = []
    if handler.type is None:
        return True
    names = list(handler.type.elts) if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in IMPORT_ERRORS for n in names)


class _Visitor(ast.NodeVisitor):
    def __init__(self, mod: str, is_pkg: bool, graph: Graph):
        self.mod, self.is_pkg, self.graph = mod, is_pkg, graph
        self.guard_depth = 0
        self.type_depth = 0
        self.loads_by_name = False
        self.module_strings: list[tuple[int, str]] = []

    def _add(self, dst: str, line: int) -> None:
        if dst.split(".")[0] in self.graph.packages:
            self.graph.edges.append(Edge(self.mod, dst, line, self.guard_depth > 0, self.type_depth > 0))

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        type_only = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        self.type_depth += type_only
        self.visit(node.test)
        for stmt in node.body:
            self.visit(stmt)
        self.type_depth -= type_only
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(_catches_import_error(h) for h in node.handlers)
        self.guard_depth += guarded
        for stmt in node.body:
            self.visit(stmt)
        self.guard_depth -= guarded
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(node, self.mod, self.is_pkg)
        for alias in node.names:
            # `from pkg import mod` names a submodule when pkg/mod(.py) exists; otherwise a name in base.
            sub = f"{base}.{alias.name}"
            self._add(sub if sub in self.graph.modules else base, node.lineno)

    def _sql(self, line: int, what: str) -> None:
        if self.mod.split(".")[0] != SQL_HOME:
            self.graph.sql.append((self.mod, line, what))

    def visit_Expr(self, node: ast.Expr) -> None:
        # A bare string statement is a docstring (or a comment written as one): prose may say SELECT.
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        fn = node.func
        if isinstance(fn, ast.Attribute) and fn.attr in SQL_CALLS:
            self._sql(node.lineno, f".{fn.attr}(…)")
        name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
        if name in {"import_module", "__import__"} and self.mod not in REGISTRIES:
            arg = node.args[0] if node.args else None
            what = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg) if arg else "?"
            self.graph.dynamic.append((self.mod, node.lineno, str(what)))
            self.loads_by_name = True
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and SQL_TEXT.match(node.value):
            self._sql(node.lineno, repr(node.value[:40]))
        # A table of module paths ("pkg.mod") is an import in disguise; weighed when the module loads by name.
        if isinstance(node.value, str) and node.value in self.graph.modules and "." in node.value:
            self.module_strings.append((node.lineno, node.value))


def build(root: Path) -> Graph:
    graph = Graph(first_party_packages(root))
    paths = [p for pkg in sorted(graph.packages) for p in sorted((root / pkg).rglob("*.py"))]
    graph.modules = {module_name(root, p) for p in paths}
    for path in paths:
        mod = module_name(root, path)
        visitor = _Visitor(mod, path.name == "__init__.py", graph)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if visitor.loads_by_name:
            named = {what for m, _, what in graph.dynamic if m == mod}
            graph.dynamic += [(mod, line, f"table entry {name!r}")
                              for line, name in visitor.module_strings if name not in named]
    return graph


def top(mod: str) -> str:
    return mod.split(".")[0]


def _is_service(mod: str) -> bool:
    return mod.split(".")[-1] in {"service", "server"}


def rule_violations(graph: Graph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f"R{i}": [] for i in range(1, 9)}
    seen: set[tuple[str, str, str]] = set()

    def flag(rule: str, e: Edge) -> None:
        if (rule, e.src, e.dst) not in seen:
            seen.add((rule, e.src, e.dst))
            out[rule].append(f"{e.src}:{e.line} → {e.dst}")

    for e in graph.edges:
        s, d = top(e.src), top(e.dst)
        if s == d and not e.guarded:
            continue
        if s in {"store", VOCAB} and d not in {s, VOCAB}:
            flag("R1", e)
        if s == VOCAB and d != VOCAB:
            flag("R1", e)
        if s in {"collectors", "nlp"} and d not in {s, "store", VOCAB} and not (
                d == "langnghe" and e.dst.startswith("vocab.config")):
            # vocab.config was the settings' old home; it is weighed by R1's vocabulary rule instead.
            flag("R2", e)
        if d == "dashboard" and s != "dashboard" and not _is_service(e.src):
            flag("R3", e)
        if e.guarded:
            flag("R4", e)
        if s != d and s in FLOORS and d in FLOORS and FLOORS[d] >= FLOORS[s]:
            flag("R6", e)
    for mod, line, what in graph.dynamic:
        out["R4"].append(f"{mod}:{line} import_module({what})")
        if "'dashboard." in what and top(mod) != "dashboard" and not _is_service(mod):
            out["R3"].append(f"{mod}:{line} loads {what}")
    out["R6"] += [f"{p}: no floor in FLOORS (scripts/check_imports.py, docs/ARCHITECTURE.md)"
                  for p in sorted(graph.packages - set(FLOORS))]
    adj = package_graph(graph)
    out["R5"] = [f"{a} ⇄ {b}" for a in sorted(adj) for b in sorted(adj[a]) if a < b and a in adj[b]]
    out["R5"] += [" → ".join(c) for c in package_cycles(graph) if len(c) > 3]
    out["R7"] = [" ⇄ ".join(c) for c in module_circles(graph)]
    out["R8"] = [f"{mod}:{line} SQL outside store/: {what}" for mod, line, what in graph.sql]
    return out


def module_circles(graph: Graph) -> list[list[str]]:
    """Groups of modules of one package that import each other round a circle (strongly connected
    components of more than one module, Tarjan). Why: such a circle only works while someone keeps the
    import order right, and it hides which module owns what; store/ had one until store/sqlparts.py.
    Imports under `if TYPE_CHECKING:` are left out: they never run (R1–R6 still weigh them)."""
    adj: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.src != e.dst and top(e.src) == top(e.dst) and not e.type_only:
            adj.setdefault(e.src, set()).add(e.dst)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:  # the graph is small (a few hundred modules): recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = [stack.pop()]
            while comp[-1] != v:
                comp.append(stack.pop())
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(adj):
        if v not in index:
            visit(v)
    return sorted(out)


def package_graph(graph: Graph) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {p: set() for p in graph.packages}
    for e in graph.edges:
        if top(e.src) != top(e.dst):
            adj[top(e.src)].add(top(e.dst))
    return adj


def package_cycles(graph: Graph) -> list[list[str]]:
    """Elementary cycles of the package graph (tiny graph: plain DFS from each start, smallest first)."""
    adj = package_graph(graph)
    nodes = sorted(adj)
    cycles: list[list[str]] = []

    def dfs(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(adj[node]):
            if nxt == start:
                cycles.append(path + [start])
            elif nxt > start and nxt not in path:
                dfs(start, nxt, path + [nxt])

    for start in nodes:
        dfs(start, start, [start])
    return cycles


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--strict", action="store_true", help="exit 1 when any rule is broken")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every violation")
    args = ap.parse_args(argv)
    graph = build(Path(args.root))
    found = rule_violations(graph)
    adj = package_graph(graph)
    print("packages: " + ", ".join(f"{p}→{{{','.join(sorted(adj[p]))}}}" for p in sorted(adj)))
    for rule, items in found.items():
        print(f"{rule} = {len(items)}")
        if args.verbose:
            for it in items:
                print(f"    {it}")
    return 1 if args.strict and any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
