"""The one-way layers hold: scripts/check_imports.py finds no broken rule (R1–R8, see its docstring)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_imports_flow_one_way():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--strict", "--verbose"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_check_can_fail(tmp_path):
    """A store module that imports a collector is caught (the check is not vacuous)."""
    for pkg in ("store", "collectors", "vocab"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "collectors" / "rss.py").write_text("X = 1\n")
    (tmp_path / "store" / "items.py").write_text("def f():\n    from collectors.rss import X\n    return X\n")
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--root", str(tmp_path),
                          "--strict", "--verbose"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "store.items:2 → collectors.rss" in res.stdout
    assert "R5 = 1" in res.stdout or "R1 = 1" in res.stdout


def test_a_package_importing_its_own_floor_or_above_is_caught(tmp_path):
    """R6 keeps docs/ARCHITECTURE.md's diagram true: reports/ (floor 3) importing nlp/ (floor 3) or notify/ importing
    store/ (both floor 2) breaks no other rule; a package without a floor is named."""
    for pkg in ("vocab", "store", "notify", "nlp", "reports", "extra"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "nlp" / "steps.py").write_text("X = 1\n")
    (tmp_path / "store" / "db.py").write_text("Y = 1\n")
    (tmp_path / "reports" / "weekly.py").write_text("from nlp.steps import X\n")
    (tmp_path / "notify" / "base.py").write_text("from store.db import Y\n")
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--root", str(tmp_path),
                          "--strict", "--verbose"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "R6 = 3" in res.stdout, res.stdout
    assert "reports.weekly:1 → nlp.steps" in res.stdout and "notify.base:1 → store.db" in res.stdout
    assert "extra: no floor" in res.stdout


def test_a_circle_among_one_packages_modules_is_caught(tmp_path):
    """R7: store/ held alerts → tags → fulltext → search → dashboard → alerts, kept alive by an import inside a
    function; a circle of two modules, one import in a function, is named."""
    for pkg in ("vocab", "store"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "store" / "a.py").write_text("from store.b import Y\nX = 1\n")
    (tmp_path / "store" / "b.py").write_text("Y = 2\n\n\ndef f():\n    from store.a import X\n    return X\n")
    (tmp_path / "store" / "c.py").write_text("from store.a import X\n")  # imports into the circle: not part of it
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--root", str(tmp_path),
                          "--strict", "--verbose"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "R7 = 1" in res.stdout and "store.a ⇄ store.b" in res.stdout
    assert "store.c" not in res.stdout.split("R7 = 1", 1)[1]


def test_an_import_under_type_checking_closes_no_circle(tmp_path):
    """R7 counted `if TYPE_CHECKING:` imports, which never run: a module naming another's class only in a hint
    made a "circle". Such imports are left out of R7 (whichever way TYPE_CHECKING is spelled); a real one, or
    one in the `else:` beside it, still counts."""
    for pkg in ("vocab", "store"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "store" / "a.py").write_text("from store.b import Y\nX = 1\n")
    (tmp_path / "store" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from store.a import X\nY = 2\n")
    (tmp_path / "store" / "c.py").write_text("from store.d import Y\nX = 1\n")
    (tmp_path / "store" / "d.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    from store.c import X\nY = 2\n")

    def run() -> str:
        res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--root", str(tmp_path),
                              "--strict", "--verbose"], capture_output=True, text=True, timeout=120)
        return res.stdout

    assert "R7 = 0" in run()
    (tmp_path / "store" / "d.py").write_text(
        "import typing\nif typing.TYPE_CHECKING:\n    pass\nelse:\n    from store.c import X\nY = 2\n")
    out = run()
    assert "R7 = 1" in out and "store.c ⇄ store.d" in out and "store.a" not in out.split("R7 = 1", 1)[1]


def test_sql_outside_store_is_caught(tmp_path):
    """R8: orchestration/jobs.py counted search_postings with its own SELECT (round 20), which no rule saw. A job
    running SQL text, or a page building it in an f-string, is named; store/ and prose in a docstring are not."""
    for pkg in ("vocab", "store", "orchestration", "dashboard"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "store" / "search.py").write_text('def n(cur):\n    return cur.execute("SELECT count(*) FROM t")\n')
    (tmp_path / "orchestration" / "jobs.py").write_text(
        '"""Runs SELECT mailbox, then the jobs."""\n\n\ndef job(cur):\n'
        '    return int(cur.execute("SELECT count(*) FROM search_postings").fetchone()[0])\n')
    (tmp_path / "dashboard" / "page.py").write_text(
        'def q(table):\n    """DELETE FROM nothing: prose."""\n    return f"DELETE FROM {table} WHERE id = 1"\n')
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_imports.py"), "--root", str(tmp_path),
                          "--strict", "--verbose"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "R8 = 3" in res.stdout, res.stdout
    assert "orchestration.jobs:5 SQL outside store/: .execute(…)" in res.stdout
    assert "orchestration.jobs:5 SQL outside store/: 'SELECT count(*) FROM search_postings'" in res.stdout
    assert "dashboard.page:3 SQL outside store/: 'DELETE FROM '" in res.stdout
    assert "store.search" not in res.stdout


def executemany_calls(source: str) -> list[int]:
    """Lines of the `….executemany(…)` calls in a Python source."""
    import ast

    return [n.lineno for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "executemany"]


def test_store_writes_batches_without_executemany():
    """docs/ARCHITECTURE.md: batch writes go through Arrow, never `executemany`, which runs one statement a row
    (6.5–11 ms of CPU each: store.surveys.save_text_tags and store.cases.open_cases took 1.7 s and 5.8 s for a
    few hundred rows until round 24). R8 keeps it out of the other packages; this, out of store/."""
    assert executemany_calls("def f(cur, rows):\n    cur.executemany('INSERT INTO t VALUES (?)', rows)\n") == [2]
    bad = [f"{p.relative_to(ROOT)}:{line}" for p in sorted((ROOT / "store").rglob("*.py"))
           for line in executemany_calls(p.read_text(encoding="utf-8"))]
    assert not bad, bad
