"""The suite's random tests draw from one seed per run, shown in the header and in a failing random test's report,
and that seed replays the same cases (tests/conftest.py `run_seed`; docs/ARCHITECTURE.md, *Tests that fail only
for real reasons*)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import conftest as C

ROOT = Path(__file__).resolve().parent.parent

RANDOM_TESTS = '''
import os
from hypothesis import given, settings, strategies as st


@settings(max_examples=8, database=None)
@given(st.integers(0, 10**12))
def test_records(n):
    with open(os.environ["DRAWN"], "a") as f:
        f.write(f"{n}\\n")


@given(st.integers())
def test_fails(n):
    assert n == -1
'''


def _run(tmp_path: Path, seed: str, ci: bool = False) -> tuple[str, list[str]]:
    """The two tests above in a pytest of their own with our conftest as a plugin; its output, and the cases drawn.
    Outside CI by default, whatever runs this suite: hypothesis loads its derandomized «ci» profile on its own when
    $CI is set (stop 44's CI failed on this test that way), so the run without `ci` names hypothesis's default
    profile, and the one with it sets $CI."""
    (tmp_path / "test_r.py").write_text(RANDOM_TESTS, encoding="utf-8")
    drawn = tmp_path / f"drawn-{seed}-{len(list(tmp_path.glob('drawn-*')))}"
    env = {**os.environ, "DRAWN": str(drawn), C.SEED_ENV: seed, "PYTHONPATH": str(ROOT)}
    profile = []
    if ci:
        env["CI"] = "true"
    else:
        profile = ["--hypothesis-profile=default"]
    res = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                          *profile, "--rootdir", str(tmp_path), str(tmp_path / "test_r.py")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert res.returncode == 1, res.stdout + res.stderr  # test_fails fails, test_records passes
    return res.stdout, drawn.read_text().split()


def test_a_failing_random_test_names_the_seed_that_replays_its_cases(tmp_path):
    out, first = _run(tmp_path, "777")
    assert "random tests' seed: 777 (repeat: LANGNGHE_TEST_SEED=777)" in out
    assert "LANGNGHE_TEST_SEED=777 pytest test_r.py::test_fails" in out and "--hypothesis-seed=777" in out
    assert out.count("this run's seed was") == 1  # the passing random test's report says nothing
    _, again = _run(tmp_path, "777")
    _, other = _run(tmp_path, "778")
    assert len(first) == 8 and again == first and other != first


def test_on_ci_the_cases_are_the_same_every_run_and_no_seed_is_named(tmp_path):
    """Hypothesis's «ci» profile derandomizes: each test draws from itself, so the header says so and a failing
    test names no seed, which would replay nothing."""
    out, first = _run(tmp_path, "777", ci=True)
    assert "random tests: derandomized" in out and "random tests' seed" not in out
    assert "this run's seed was" not in out and "test_fails" in out
    _, other = _run(tmp_path, "778", ci=True)
    assert len(first) == 8 and other == first


def test_every_xdist_worker_takes_the_controllers_seed():
    controller = SimpleNamespace(stash=pytest.Stash(), option=SimpleNamespace(hypothesis_seed=None),
                                 getoption=lambda name, default=None: None)
    C.pytest_configure(controller)  # type: ignore[arg-type]
    node = SimpleNamespace(config=controller, workerinput={})
    C.pytest_configure_node(node)
    worker = SimpleNamespace(getoption=lambda name, default=None: None, workerinput=node.workerinput)
    assert C.run_seed(worker, env={}) == controller.stash[C._seed_key] == controller.option.hypothesis_seed  # type: ignore[arg-type]
    # what the command line says wins over the environment, which wins over the controller's draw
    assert C.run_seed(worker, env={C.SEED_ENV: "12"}) == 12  # type: ignore[arg-type]
    given = SimpleNamespace(getoption=lambda name, default=None: "34", workerinput=node.workerinput)
    assert C.run_seed(given, env={C.SEED_ENV: "12"}) == 34  # type: ignore[arg-type]
