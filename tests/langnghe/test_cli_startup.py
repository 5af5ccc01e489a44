"""Every `langnghe` process builds the whole parser (every command module is discovered and registered), so what a
command module imports at its top every CLI call pays: until round 25 that was pandas, pyarrow, numpy, DuckDB and
python-docx, ~1.6 s of CPU before `langnghe --help` printed a line (bench/cli_startup.py). A command module imports
its heavy libraries inside `run` (docs/ARCHITECTURE.md *Conventions*, CLI); these tests hold that."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Libraries no help text needs; each costs 0.07-2.4 s of CPU to import
HEAVY = ("pandas", "pyarrow", "numpy", "sklearn", "scipy", "duckdb", "docx", "matplotlib", "underthesea",
         "openpyxl", "weasyprint", "statsmodels", "httpx")
# Libraries `langnghe status` has no use for: it reads counts, makes no DataFrame nor Arrow table, fetches nothing
NOT_FOR_STATUS = ("pandas", "pyarrow", "numpy", "sklearn", "scipy", "docx", "matplotlib", "underthesea", "httpx")


def _loaded(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The HEAVY modules a fresh interpreter has loaded after running `code` (its last line of output)."""
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()[-1].split() if out.stdout.strip() else []


def test_building_every_help_text_imports_no_heavy_library():
    """`langnghe --help` and every subcommand's help, built in one process, as each `langnghe …` call builds them."""
    code = ("from langnghe import cli\n"
            "def walk(p):\n"
            "    p.format_help()\n"
            "    for s in cli._sub_parsers(p).values():\n"
            "        walk(s)\n"
            "walk(cli.build_parser())")
    assert _loaded(code) == []


def test_status_makes_no_dataframe_and_loads_no_pandas(tmp_path):
    """`langnghe status` opens the database and counts: DuckDB, and nothing of pandas, pyarrow or the NLP (1.6 s
    of CPU before round 25, 0.6 s after: bench/cli_startup.py)."""
    from collectors.textutil import canonical_url, content_hash, sha1
    from store import items as store_items
    from store.db import Database, utcnow
    from vocab.item import Item

    path = tmp_path / "s.duckdb"
    url, pub = "https://baomoi.example/tin/1", utcnow() - timedelta(hours=1)
    it = Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type="press", outlet="Báo", url=url,
              canonical_url=canonical_url(url), title="Bãi thải than sạt lở", summary="", published_at=pub,
              published_estimated=False, fetched_at=pub, content_hash=content_hash("Bãi thải than sạt lở", "", url))
    db = Database(str(path))
    with db.write() as cur:
        store_items.insert_items(cur, [it])
    db.close()
    env = {k: v for k, v in os.environ.items() if k != "LANGNGHE_CONFIG"}
    loaded = _loaded("from langnghe import cli\nassert cli.main(['status']) == 0",
                     env={**env, "LANGNGHE_DB": str(path), "PYTHONPATH": str(ROOT)})
    assert "duckdb" in loaded  # the probe sees what a command loads
    assert not set(loaded) & set(NOT_FOR_STATUS), loaded


# What `langnghe serve` has no use for before its first report or its first write through Arrow (round 26)
NOT_FOR_SERVE_START = ("pandas", "pyarrow", "docx", "matplotlib", "sklearn", "scipy", "underthesea", "openpyxl",
                       "weasyprint")


def test_serve_imports_neither_python_docx_nor_pyarrow():
    """serve's import chain (langnghe.service → orchestration.jobs → reports.schedule → reports.generate, and the
    store modules the jobs use) loaded python-docx and pyarrow before round 26; they load when a DOCX is written
    (reports.generate.write_docx) and when an Arrow table is made."""
    loaded = _loaded("import langnghe.service\nfrom store.db import DatabaseLocked")
    assert "duckdb" in loaded  # the probe sees what serve loads
    assert not set(loaded) & set(NOT_FOR_SERVE_START), loaded


def test_no_store_module_loads_pyarrow_or_pandas_on_import():
    """Every store module imports pyarrow and pandas inside the functions that make an Arrow table or a DataFrame
    (docs/ARCHITECTURE.md *Conventions*, CLI): store/cases, alerts, stories and surveys imported pyarrow at their top
    until round 26."""
    code = ("import importlib, pathlib\n"
            "for p in sorted(pathlib.Path('store').glob('*.py')):\n"
            "    importlib.import_module('store.' + p.stem)")
    loaded = _loaded(code)
    assert "duckdb" in loaded
    assert not set(loaded) & {"pandas", "pyarrow"}, loaded


def test_search_reads_typed_rows_and_loads_no_pandas(tmp_path):
    """`langnghe search` printed a DataFrame's rows (pandas, numpy: 0.97 s of CPU a call in round 25); it reads
    store.search.search_rows' typed rows since round 26, the dashboard keeping its DataFrame (`search`)."""
    from tests.langnghe.test_search_output import _seed

    path = tmp_path / "s.duckdb"
    _seed(path)
    env = {k: v for k, v in os.environ.items() if k != "LANGNGHE_CONFIG"}
    loaded = _loaded("from langnghe import cli\nassert cli.main(['search', 'bãi thải', '--json']) == 0",
                     env={**env, "LANGNGHE_DB": str(path), "PYTHONPATH": str(ROOT)})
    assert "duckdb" in loaded
    assert not set(loaded) & {"pandas", "pyarrow", "numpy"}, loaded


def test_alert_decision_modules_load_numpy_only_when_they_compute():
    """detection.emerging (the burst automaton) and detection.source_health imported numpy at their top until round
    26, on serve's import chain (orchestration.jobs → detection.jobs); they import it in the function that computes.
    serve still loads numpy at start through detection.stories, whose StoryIndex works in numpy arrays throughout
    and is built on the first detection tick; importing it there lazily would move numpy's 0.28 s of CPU, not save
    it: `langnghe.service.serve` imports pandas (numpy with it) before its threads start (round 27)."""
    assert "numpy" not in _loaded("import detection.emerging, detection.source_health")
    used = _loaded("from detection.emerging import kleinberg_two_state\nkleinberg_two_state([0, 5, 0], 1.0, 3.0, 1.0)")
    assert "numpy" in used  # the probe sees numpy once the burst code runs


def test_the_survey_report_module_loads_the_statistics_only_when_it_builds_a_report():
    """reports.survey imported surveys.stats at its top until round 27: pandas, scipy and statsmodels (3.8 s of CPU
    at load ~11, 0.4 s without) for `langnghe survey report` before it had checked its arguments or the survey's
    number. They load in the functions that compute the tables."""
    assert not set(_loaded("import reports.survey")) & {"pandas", "numpy", "scipy", "statsmodels"}
    assert "statsmodels" in _loaded("import reports.survey\nfrom surveys import stats")  # the probe sees them
