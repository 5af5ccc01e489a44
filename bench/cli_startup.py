"""CPU a `langnghe` process spends before and around its work: the start-up every CLI call pays (round 25).

Each command runs as a fresh `python -m langnghe …` process on a small seeded database (LANGNGHE_DB, so no running
serve's state is read), `--runs` times; the figure is the median of the child's user + system CPU (getrusage, as
bench/measure.py: it moves less with the machine's load than wall time does). A last run of each lists which
heavy libraries the process had loaded when it ended.

    PYTHONPATH=. .venv/bin/python bench/cli_startup.py [--runs 3] [--against OTHER_CHECKOUT] [--stories]
                                                        [--no-bytecode-cache]

`--stories` also says whether detection/stories.py's scikit-learn imports (HashingVectorizer, murmurhash3_32) cost
anything in a process that tags: the classifier loads them first.

`--against` measures another checkout too, side by side (e.g. main before round 25:
`mkdir /tmp/main && git archive main | tar -x -C /tmp/main`); the database is seeded once by this checkout's code.
An uncounted first run of each command compiles what it imports (kept in a temporary folder, as an installation
keeps `__pycache__`; PYTHONDONTWRITEBYTECODE would otherwise make every run compile every first-party module, ~0.15 s)
and reads the files into the page cache.

Round 25, main before → after, median CPU s (compiled modules cached; 2 shared cores at load ~1, `python -c pass`
0.04 s): `--help` 1.47 → 0.11, `status` 1.34 → 0.41, `collect --help` 1.32 → 0.16, `search` 1.43 → 0.97 (it makes
a DataFrame: pandas stays), `report weekly --help` 1.19 → 0.14, `steps` 1.35 → 0.31; under load ~2 every figure was
up to 1.5 times these. Before, every one loaded pandas, pyarrow, numpy, DuckDB and python-docx; after, the helps
none of them and status/steps DuckDB alone (docs/ARCHITECTURE.md *Conventions*, CLI).
`--stories`: pipeline load 3.9 s CPU, after which both scikit-learn modules stories uses are loaded and importing them
costs 0.000 s, so detection/stories.py keeps them.

Round 26, main before → after (`--runs 5 --against`, load 8-10 on the 2 shared cores): `search` 1.08 → 0.40 (typed
rows from store.search.search_rows: no pandas, pyarrow nor numpy), serve's modules (IMPORTS: what serve imports
before it starts) 0.80 → 0.66 (python-docx and pyarrow no longer loaded; numpy stays, detection/emerging.py's
Kleinberg automaton); the other commands unchanged (0.12-0.37).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from bench.measure import child_cpu

ROOT = Path(__file__).resolve().parents[1]

COMMANDS: list[list[str]] = [
    ["--help"],
    ["status"],
    ["collect", "--help"],
    ["search", "bãi thải"],
    ["report", "weekly", "--help"],
    ["steps"],
]
# Modules a process imports and ends, measured as the commands are: what `langnghe serve` imports before it starts
# (its run's `from langnghe.service import serve`; round 26)
IMPORTS: list[tuple[str, str]] = [("serve's modules (import langnghe.service)", "import langnghe.service")]
HEAVY = ("pandas", "pyarrow", "sklearn", "scipy", "numpy", "duckdb", "docx", "matplotlib", "underthesea")

RUN_CLI = "from langnghe.cli import main\nsys.exit(main(sys.argv[1:]))"  # as `python -m langnghe` runs it


def probe(body: str) -> str:
    """Python code that runs `body`, then says on the pipe $BENCH_FD which heavy libraries were loaded at exit."""
    return ("import atexit, os, sys\n"
            "def said():\n"
            f"    os.write(int(os.environ['BENCH_FD']), ' '.join(m for m in {HEAVY!r} if m in sys.modules).encode())\n"
            "atexit.register(said)\n"
            f"{body}\n")


def seed(path: Path) -> None:
    """A few items, enough for `search` to find one and `status` to count them."""
    sys.path.insert(0, str(ROOT))
    from collectors.textutil import canonical_url, content_hash, sha1
    from store import items as store_items
    from store.db import Database, utcnow
    from vocab.item import Item

    now = utcnow()
    items = []
    for n in range(20):
        url = f"https://baomoi.example/tin/{n}"
        title = f"Bãi thải than sạt lở lần {n}" if n % 2 else f"Hạ Long đón khách du lịch {n}"
        pub = now - timedelta(hours=n)
        items.append(Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type="press",
                          outlet="Báo", url=url, canonical_url=canonical_url(url), title=title, summary="tóm tắt",
                          published_at=pub, published_estimated=False, fetched_at=pub,
                          content_hash=content_hash(title, "tóm tắt", url)))
    db = Database(str(path))
    with db.write() as cur:
        store_items.insert_items(cur, items)
    db.close()


def run_env(root: Path, db: Path, pycache: str) -> dict[str, str]:
    """The environment of a run in `root`: its code, the seeded database, and compiled modules kept in `pycache` as
    an installation keeps them beside the code (PYTHONDONTWRITEBYTECODE, if set, made every run compile every
    first-party module again: ~0.15 s); "" leaves bytecode as the environment says."""
    drop = ("LANGNGHE_CONFIG", "PYTHONPATH") + (("PYTHONDONTWRITEBYTECODE",) if pycache else ())
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "PYTHONPATH": str(root), "LANGNGHE_DB": str(db), **({"PYTHONPYCACHEPREFIX": pycache} if pycache else {})}


def cpu_of(root: Path, env: dict[str, str], argv: list[str], code: str = "") -> float:
    """User + system CPU seconds of one `python -m langnghe ARGV` run in `root` (with `code`: `python -c CODE`)."""
    args = ["-c", code] if code else ["-m", "langnghe", *argv]
    proc = subprocess.Popen([sys.executable, *args], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return child_cpu(usage)


def loaded(root: Path, env: dict[str, str], argv: list[str], code: str = "") -> str:
    """The heavy libraries a `langnghe ARGV` process (with `code`: one running CODE) had loaded when it ended."""
    read, write = os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", probe(code or RUN_CLI), *argv], cwd=root, env={**env, "BENCH_FD": str(write)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write,))
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        text = fh.read().decode()
    proc.wait()
    return text or "—"


# In a fresh process: load the NLP pipeline as serve's tag job does, then import what StoryIndex imports.
STORIES_PROBE = """
import sys
from bench.measure import cpu
from nlp.service import get_pipeline
from vocab.config import load
t = cpu()
get_pipeline(load())
loaded = [m for m in ("sklearn.feature_extraction.text", "sklearn.utils.murmurhash") if m in sys.modules]
print(f"pipeline load: {cpu() - t:.2f} s CPU; already loaded after it: {', '.join(loaded) or 'none'}")
t = cpu()
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: F401  (detection/stories.py's imports)
from sklearn.utils import murmurhash3_32  # noqa: F401
print(f"detection/stories.py's scikit-learn imports after it: {cpu() - t:.3f} s CPU")
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--against", default="", help="another checkout to measure beside this one")
    ap.add_argument("--stories", action="store_true", help="also what stories' scikit-learn imports cost after tagging")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="leave PYTHONDONTWRITEBYTECODE as it is (default: compiled modules kept in a temporary folder)")
    args = ap.parse_args(argv)
    roots = [Path(args.against).resolve()] if args.against else []
    roots.append(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cli.duckdb"
        seed(db)
        pycache = "" if args.no_bytecode_cache else str(Path(tmp) / "pycache")
        if not pycache and os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("PYTHONDONTWRITEBYTECODE is set: every run compiles every first-party module again")
        bare = statistics.median(_bare() for _ in range(args.runs))
        print(f"python -c pass: {bare:.2f} s CPU (median of {args.runs})")
        rows = [(f"langnghe {' '.join(a)}", a, "") for a in COMMANDS] + [(name, [], code) for name, code in IMPORTS]
        for name, argv_, code in rows:
            print(name)
            for root in roots:
                env = run_env(root, db, pycache)
                cpu_of(root, env, argv_, code)  # compiles what this imports (kept in pycache), not counted
                runs = [cpu_of(root, env, argv_, code) for _ in range(args.runs)]
                print(f"  {root}: {statistics.median(runs):.2f} s CPU (runs {', '.join(f'{r:.2f}' for r in runs)})"
                      f"; loaded: {loaded(root, env, argv_, code)}")
    if args.stories:
        subprocess.run([sys.executable, "-c", STORIES_PROBE], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       check=True)
    return 0


def _bare() -> float:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    _, _, usage = os.wait4(proc.pid, 0)
    return child_cpu(usage)


if __name__ == "__main__":
    sys.exit(main())
