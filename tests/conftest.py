"""Shared fixtures: a programmable HTTP server on 127.0.0.1, configs pointing at it, temp databases, an SMTP server on
127.0.0.1 (`smtp_server`, refusing the addresses put in its box's `refuse`), press items (`press_item`).

Speed (`make test` has a 15-minute budget): a fresh database costs its migrations (0.12 s at rest, more under load), a seeded one
a second more. `template_copy` builds each kind of file once per worker (under the worker's own basetemp) and
copies it (10–20 ms) to the path a test names: each test still owns its file, and the migrations themselves
still run, once per worker here and from scratch in tests/store. `database(path)` is a migrated empty Database
that way; tests/dashboard's `demo_env` copies a seeded one. Each new AppTest scanned every installed package's
metadata for Streamlit components (0.4–0.9 s, most of a page's run): `streamlit_components_scanned_once` scans once
per worker. Tests over ~10 s are marked `slow` and run first (`pytest_collection_modifyitems`), so that under
xdist none of them starts last; tests sharing a server share an `xdist_group` (`--dist loadgroup`, which pytest 9.2
ignored until `_group_suffixes`: pytest-xdist #1386)."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from collectors.textutil import canonical_url, content_hash, sha1
from vocab import config as config_mod
from devtools.demo_server import QuietHTTPServer
from store.db import Database
from vocab.item import Item

FIXTURES = Path(__file__).parent / "fixtures"
Handler = Callable[[BaseHTTPRequestHandler], None]


class LocalServer:
    """Routes path → handler(request). Handlers write the response themselves."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.request_headers: dict[str, list[dict[str, str]]] = {}
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.hits[path] = server.hits.get(path, 0) + 1
                server.request_headers.setdefault(path, []).append({k.lower(): v for k, v in self.headers.items()})
                handler = server.routes.get(path) or server.routes.get(path.split("?", 1)[0])  # APIs add queries
                if handler is None:
                    send(self, 404, b"not found", "text/plain")
                    return
                try:
                    handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = QuietHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = self.httpd.serve_in_thread()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        """Serving and connection threads ended (`ServedInThread.stop`), not left running into the next test."""
        self.httpd.stop()


def send(req: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "application/rss+xml",
         headers: dict[str, str] | None = None) -> None:
    req.send_response(status)
    req.send_header("Content-Type", ctype)
    req.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        req.send_header(k, v)
    req.end_headers()
    req.wfile.write(body)


def _no_dns(host: str, port: int) -> list[str]:
    import socket

    if host == "localhost":  # what /etc/hosts says; no query leaves the machine
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NONAME, f"{host}: tests resolve no names (inject a resolver)")


async def _no_dns_async(host: str, port: int) -> list[str]:
    return _no_dns(host, port)


def _dashboard_modules() -> dict[str, dict[str, Any]]:
    """Every loaded dashboard module's attributes (a copy of each module's namespace, made in C: every test of the
    suite pays this twice, and the former `{k: id(v)}` of ~1,400 names cost 3–4 ms a test under load, 1 ms now).
    The copy holds the objects, so no id of a replaced one can be reused by its replacement.
    `sys.modules.copy()`, not `list(sys.modules.items())`: the latter builds a tuple per module, an allocation may
    run the garbage collector, a finalizer may let another thread run, and a thread that imports (a server a test
    left stopping) then changes the dict mid-iteration (CI, stop 44: «dictionary changed size during
    iteration»). The copy is made in C with no Python code running."""
    return {name: dict(vars(mod))
            for name, mod in sys.modules.copy().items() if name.startswith("dashboard.") and mod is not None}


_GONE = object()


def left_replaced(before: dict[str, dict[str, Any]]) -> list[str]:
    """`module.attr` names present before a test that hold another object (or none) after it, by identity."""
    out: list[str] = []
    for name, attrs in before.items():
        mod = sys.modules.get(name)
        now = vars(mod) if mod is not None else {}
        out += [f"{name}.{k}" for k, v in attrs.items() if now.get(k, _GONE) is not v]
    return out


# Defined before every other autouse fixture, so it is set up before `monkeypatch` and checks after its undo.
@pytest.fixture(autouse=True)
def dashboard_modules_left_as_found():
    """An AppTest script runs in the test's process and imports the real dashboard modules: one that assigns
    `page._db_cfg = …` leaves it there for every later test of the worker, which then fail or pass by the order
    xdist gave them (a collaborator page test once left a closed database behind this way). Such a leak fails
    here, in the test that made it. Patch with `monkeypatch` (undone first) or install the database the way
    `serve` does (`orchestration.runtime.install`)."""
    before = _dashboard_modules()
    yield
    leaked = left_replaced(before)
    assert not leaked, f"the test left dashboard module attributes replaced: {', '.join(sorted(leaked))}"


SEED_ENV = "LANGNGHE_TEST_SEED"


def run_seed(config: pytest.Config, env: dict[str, str] | None = None) -> int:
    """The seed of this run's random tests (hypothesis's `@given` ones not `derandomize`d: tests/collectors/
    test_feed_fuzz.py, tests/vocab/test_folding.py): `--hypothesis-seed=N` if given, else $LANGNGHE_TEST_SEED, else
    the one the xdist controller drew (every worker uses it), else a new one. A new one each run keeps exploring;
    a failing test names it (`pytest_runtest_makereport`), and either way of giving it replays the same cases."""
    import os
    import random

    given = config.getoption("hypothesis_seed", None)
    if given is not None:
        return int(given)  # hypothesis takes any text; ours are numbers, and another is refused here
    env = os.environ if env is None else env
    if env.get(SEED_ENV, "").strip():
        return int(env[SEED_ENV])
    drawn = getattr(config, "workerinput", {}).get(SEED_ENV)
    return int(drawn) if drawn is not None else random.SystemRandom().randrange(1, 10**6)


@pytest.hookimpl(tryfirst=True)  # before hypothesis's plugin, which reads --hypothesis-seed in its own
def pytest_configure(config: pytest.Config) -> None:
    """Every random test of the run draws from one seed (`run_seed`), given to hypothesis as `--hypothesis-seed`
    would give it. Until round 29 each worker's hypothesis drew its own, printed nowhere: a fuzz failure that did
    not shrink to the same case again could not be replayed."""
    config.stash[_seed_key] = seed = run_seed(config)
    if getattr(config.option, "hypothesis_seed", "absent") is None:
        config.option.hypothesis_seed = seed


_seed_key = pytest.StashKey[int]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller hands its seed to each worker."""
    node.workerinput[SEED_ENV] = node.config.stash[_seed_key]


def derandomized() -> bool:
    """Whether hypothesis draws each test's cases from the test itself, not from a seed: its «ci» profile does so,
    loaded on its own when $CI (or another CI's variable) is set, as on the project's CI. There every run tries the
    same cases, and no seed would replay anything."""
    from hypothesis import settings

    return bool(settings.default.derandomize)


def pytest_report_header(config: pytest.Config) -> str:
    if derandomized():
        return "random tests: derandomized (hypothesis's profile, e.g. «ci» when $CI is set): the same cases every run"
    return f"random tests' seed: {config.stash[_seed_key]} (repeat: {SEED_ENV}={config.stash[_seed_key]})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A failing random test says which seed made its cases (the falsifying example alone may not fail again:
    hypothesis reports it as shrunk, and a flaky one not at all)."""
    report = yield
    test = getattr(item, "obj", None)
    if report.failed and getattr(test, "is_hypothesis_test", False) and not getattr(
            getattr(test, "_hypothesis_internal_use_settings", None), "derandomize", False):
        seed = item.config.stash[_seed_key]
        report.sections.append(("random seed", f"this run's seed was {seed}: {SEED_ENV}={seed} pytest "
                                f"{item.nodeid.split('@')[0]} (or --hypothesis-seed={seed}) replays its cases"))
    return report


# How long a thread the test started may take to end after it: one that ends within THREAD_GRACE_SECONDS is fine (a
# server's loop told to stop, asyncio.run's executor helper), one that ends within THREAD_LINGER_SECONDS is waited for
# and named in a warning (ThreadLeftWarning), one still running then fails the test.
THREAD_GRACE_SECONDS = 0.2
THREAD_LINGER_SECONDS = 5.0


class ThreadLeftWarning(UserWarning):
    """A thread the test started was still running after it (and was waited for)."""


@pytest.fixture(autouse=True)
def threads_left_as_found(request: pytest.FixtureRequest):
    """Every thread the test (or its function-scoped fixtures) started has ended with it. A thread left running
    works on into the next tests of the worker: CI stop 44's «dictionary changed size during iteration» in
    `dashboard_modules_left_as_found` came from a report's chart thread still importing matplotlib two tests after
    the one that started it (round 29). Such a thread is waited for (THREAD_LINGER_SECONDS) and named in a
    warning; one still running then fails the test. Threads of wider-scoped fixtures were started before this
    fixture and are not counted; tests/browser is left out (its package-scoped Playwright starts its executor's
    threads lazily, during a walk). Set up after wider-scoped fixtures and before the test's own function-scoped
    ones (autouse first), so it checks after they are torn down."""
    import warnings

    before = set(threading.enumerate())
    yield
    if request.node.get_closest_marker("browser"):
        return
    waited, running = threads_left(before, THREAD_GRACE_SECONDS, THREAD_LINGER_SECONDS)
    if waited:
        warnings.warn(ThreadLeftWarning(f"the test left {_threads_named(waited)} running after its end (waited for; "
                                        "stop and join it where it is started)"))
    assert not running, (
        f"the test left {_threads_named(running)} running {THREAD_LINGER_SECONDS:g} s after its end; stop and join "
        "it where it is started (the code's stop, or the fixture's teardown)")


def threads_left(before: set[threading.Thread], grace: float,
                 linger: float) -> tuple[list[threading.Thread], list[threading.Thread]]:
    """The threads not in `before` that outlived `grace` seconds but ended within `linger` (waited for), and those
    still running after `linger` seconds in all."""
    # a _DummyThread (a thread started outside `threading` that called into Python) cannot be joined: «cannot join a
    # dummy thread» would fail the test for another reason (review29)
    new = [t for t in threading.enumerate() if t not in before and not isinstance(t, threading._DummyThread)]
    start = time.monotonic()
    for t in new:
        t.join(max(0.0, start + grace - time.monotonic()))
    late = [t for t in new if t.is_alive()]
    for t in late:
        t.join(max(0.0, start + linger - time.monotonic()))
    return [t for t in late if not t.is_alive()], [t for t in late if t.is_alive()]


def _threads_named(threads: list[threading.Thread]) -> str:
    return ", ".join(f"thread {t.name} ({_thread_target(t)}{', daemon' if t.daemon else ''})" for t in threads)


def _thread_target(t: threading.Thread) -> str:
    target = getattr(t, "_target", None)
    if target is None:
        return f"{type(t).__module__}.{type(t).__qualname__}.run"
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook: its suffix, where it took, is not doubled
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `slow` first (stable: each keeps its order), so that under xdist (`-n auto`) the
    browser and serve walks (20–100 s each) start while the other worker runs the short tests, instead of
    one of them starting last and leaving a worker idle at the end. On an xdist worker with `--dist
    loadgroup`, each test's `xdist_group` is put in its node id (`_group_suffixes`)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if hasattr(config, "workerinput") and config.getvalue("loadgroup"):
        _group_suffixes(items)


def _group_suffixes(items: list[pytest.Item]) -> None:
    """`--dist loadgroup` sends a group's tests to one worker by the «@group» its workers append to their node
    ids; pytest-xdist 3.8 writes `item._nodeid`, which pytest 9.2 no longer reads (node ids live in `item._id`),
    so every group was silently split (pytest-xdist #1386): a browser module's server started once per worker,
    and the browser demo's once per worker too. The same suffix, where pytest 9.2 reads it; a no-op once
    pytest-xdist writes it itself (the id then ends in it already)."""
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        suffix = f"@{'_'.join(names)}"
        if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session", autouse=True)
def streamlit_components_scanned_once():
    """Each new AppTest scans the metadata of every installed distribution for Streamlit components (0.4–0.9 s,
    most of a page's run; the suite makes hundreds of AppTests). The installed packages do not change during a
    run: the worker scans once and every AppTest gets that answer. Only when the tests imported streamlit."""
    if "streamlit" not in sys.modules:
        yield
        return
    from streamlit.components.v2 import manifest_scanner

    real = manifest_scanner.scan_component_manifests
    found = real()
    manifest_scanner.scan_component_manifests = lambda *a, **kw: list(found)
    yield
    manifest_scanner.scan_component_manifests = real


_template_root: list[Path] = []  # the worker's folder for template files (set by the session fixture below)
_templates: dict[str, tuple[Path, float]] = {}  # name → (file, monotonic time it was built)


@pytest.fixture(scope="session", autouse=True)
def database_templates(tmp_path_factory: pytest.TempPathFactory):
    """Where `template_copy` keeps this worker's template files (xdist gives each worker its own basetemp)."""
    _template_root.append(tmp_path_factory.mktemp("templates"))
    yield
    _template_root.clear()
    _templates.clear()


def template_copy(name: str, dest: str | Path, build: Callable[[Path], None], max_age: float | None = None) -> Path:
    """Copy the worker's template database `name` to `dest`, built by `build(path)` on first use (and again once
    older than `max_age` seconds: a seeded file's dates are relative to the hour it was built). A `dest` that
    exists already is left as it is: a test that opens its database twice keeps what it wrote."""
    dest = Path(dest)
    if dest.exists():
        return dest
    made = _templates.get(name)
    if made is None or not made[0].exists() or (max_age is not None and time.monotonic() - made[1] > max_age):
        folder = _template_root[0] / f"{name}-{len(_templates)}-{time.monotonic_ns()}"
        folder.mkdir()
        build(folder / "db.duckdb")
        made = _templates[name] = (folder / "db.duckdb", time.monotonic())
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made[0], dest)
    wal = made[0].with_name(made[0].name + ".wal")
    if wal.exists():  # closed cleanly there is none; copied with the file if there is
        shutil.copyfile(wal, dest.with_name(dest.name + ".wal"))
    return dest


def migrated_copy(dest: str | Path) -> Path:
    """`dest` as a copy of a migrated empty database (what `Database(dest)` makes, without the migrations' cost)."""
    return template_copy("migrated", dest, lambda p: Database(p).close())


def database(path: str | Path, **kw: Any) -> Database:
    """A migrated empty Database at `path`, copied from the worker's template (see the module docstring)."""
    return Database(migrated_copy(path), **kw)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """Tests send nothing but to 127.0.0.1, DNS queries included: the address check's default resolvers
    fail every name but localhost (literal IPs and allow_private_hosts need none; tests inject a resolver
    for a made-up public name)."""
    from collectors import netguard

    monkeypatch.setattr(netguard, "system_resolve", _no_dns_async)
    monkeypatch.setattr(netguard, "system_resolve_sync", _no_dns)


@pytest.fixture(autouse=True)
def no_developer_config(monkeypatch):
    """No test reads the configuration or database of the shell that runs pytest: `vocab.config.load()` without a
    path reads $LANGNGHE_CONFIG and $LANGNGHE_DB (a report test's `settings()`, the limits, the collectors'
    contract…), and a developer's own, exported, changed their results (round 31, fix32: `cli_in_process` passed it
    on). A test that means one sets it with `monkeypatch` or the helpers' `env`."""
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.delenv("LANGNGHE_DB", raising=False)


def stop_dashboard_clock(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """The dashboard's one clock (dashboard/clock.py) stopped at `when`: every figure a page draws and every time a
    staff action records follow it (data.now reads it)."""
    from dashboard import clock

    monkeypatch.setattr(clock, "now", lambda: when)


@pytest.fixture
def stopped_dashboard_clock(monkeypatch):
    """The page and the test read one clock, stopped when the test starts: with the page reading the real clock a
    few seconds after the test did, a test that straddled Friday 16:00 or Monday 00:00 (Vietnam) expected one week
    and the page opened on the next (round 21). Returns the stopped time."""
    from store import db as store_db

    now = store_db.utcnow()
    stop_dashboard_clock(monkeypatch, now)
    return now


def break_second_insert(monkeypatch: pytest.MonkeyPatch, message: str) -> list[int]:
    """The import's second chunk fails while its items are stored (a RuntimeError, not the file's fault): the first
    is written as usual. For the tests of what the page and the CLI say and keep then; returns the list that grows
    by one per chunk stored or tried."""
    from orchestration import imports as importer

    real, calls = importer.insert_items, []

    def second_chunk_breaks(cur, items):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError(message)
        return real(cur, items)

    monkeypatch.setattr(importer, "insert_items", second_chunk_breaks)
    return calls


def cli_in_process(args: list[str], env: dict[str, str] | None = None, *, unset: tuple[str, ...] = (),
                   cwd: str | Path | None = None) -> subprocess.CompletedProcess:
    """`python -m langnghe.cli ARGS` run by `langnghe.cli.main` in this process, answered as `subprocess.run` does
    (returncode, stdout, stderr; stderr holds the log lines as the console shows them). For the steps of a test that
    set up state or read it back: a process costs its start-up and imports (1–2 s of CPU, 5–15 s under load) and,
    for a command that tags, loading the models, which the worker loaded once here (`nlp.service.get_pipeline`).
    Keep a real process (`tests/langnghe/test_crash_and_cli.cli`) for the step a test is about when the process
    itself matters: its exit, a signal, a crash. $LANGNGHE_DB and $LANGNGHE_CONFIG are unset, as the `cli` helper
    does (a developer's own config, exported in the shell that runs pytest, changed what a test's command read until
    round 31: pass it in `env` when a test means it), and the variables in `unset`; `cwd` is the working folder for
    the call. What `main` changes in the process (the root logger, the
    secrets directory, the fold cache) is put back."""
    import io
    import logging
    import os
    from contextlib import redirect_stderr, redirect_stdout

    from langnghe import cli
    from vocab import folding, secrets

    out, err = io.StringIO(), io.StringIO()
    root, httpx_log = logging.getLogger(), logging.getLogger("httpx")
    kept = {"level": root.level, "httpx": httpx_log.level, "dir": secrets._dir, "fold": folding._fold_cached,
            "handlers": [(h, h.formatter, list(h.filters)) for h in root.handlers]}
    console = logging.StreamHandler(err)  # what basicConfig gives the real process (pytest's handlers stop it here)
    root.addHandler(console)
    root.setLevel(logging.INFO)
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    for name in ("LANGNGHE_DB", "LANGNGHE_CONFIG", *unset):
        os.environ.pop(name, None)
    os.environ.update(env or {})
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exc:  # argparse's refusals
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        root.removeHandler(console)
        root.setLevel(kept["level"])
        httpx_log.setLevel(kept["httpx"])
        for handler, formatter, filters in kept["handlers"]:
            handler.setFormatter(formatter)
            handler.filters[:] = filters
        secrets._dir, folding._fold_cached = kept["dir"], kept["fold"]
    return subprocess.CompletedProcess(["langnghe", *map(str, args)], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def runnable_script(folder: Path, name: str, text: str) -> Iterator[str]:
    """A path that runs `text` (a script with its #! line) as a program: `folder/name`, made executable, where
    `folder`'s file system lets programs run; else (a temp folder on a noexec mount, as Docker mounts /dev/shm, where
    `make test` puts pytest's temp folders) an in-memory file run through /proc. Open for the block only."""
    import os

    path = folder / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o700)
    if not os.statvfs(folder).f_flag & getattr(os, "ST_NOEXEC", 0):  # Linux's flag; elsewhere the folder is tried
        yield str(path)
        return
    try:  # MFD_EXEC (0x10, Linux 6.3): runnable even where vm.memfd_noexec makes memfds not runnable by default
        fd = os.memfd_create(name, 0x10)
    except OSError:  # an older kernel does not know the flag
        fd = os.memfd_create(name)
    try:
        os.write(fd, text.encode("utf-8"))
        yield f"/proc/{os.getpid()}/fd/{fd}"  # the child runs it through this process's descriptor
    finally:
        os.close(fd)


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.stop()


_defaults_read: dict[tuple[str, int], dict[str, Any]] = {}  # (path, mtime) → the shipped defaults as read


def _shipped_defaults() -> dict[str, Any]:
    """A copy of vocab/langnghe.toml as `read_toml` gives it, read once per worker (and again if the file or
    `DEFAULTS_PATH` changes): a read is 3.6 ms of CPU, a copy 0.2 ms, and every test's config starts from it
    (round 26)."""
    import copy

    path = Path(config_mod.DEFAULTS_PATH)
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _defaults_read:
        _defaults_read.clear()
        _defaults_read[key] = config_mod.read_toml(path)
    return copy.deepcopy(_defaults_read[key])


def make_config(tmp_path: Path, sources: list[dict[str, Any]] | None = None, **sections: dict[str, Any]):
    """Defaults + test overrides: a temp database and report archive, fast timeouts, no politeness delay, and the local
    test servers (127.0.0.1, any port) exempt from the public-address check."""
    data = _shipped_defaults()
    over: dict[str, Any] = {
        "storage": {"db_path": str(tmp_path / "t.duckdb"), "snapshot_path": str(tmp_path / "snap.duckdb")},
        # reports made by a page's button (Khảo sát's «Lập báo cáo khảo sát», Báo cáo's) were written under the
        # checkout's var/reports, the shipped relative default (round 28)
        "reports": {"archive_dir": str(tmp_path / "reports")},
        "http": {
            "connect_timeout_seconds": 2.0,
            "read_timeout_seconds": 1.0,
            "fetch_deadline_seconds": 3.0,
            "per_host_spacing_seconds": 0.0,
            "allow_private_hosts": ["127.0.0.1"],
        },
    }
    for k, v in sections.items():
        over.setdefault(k, {}).update(v)
    # a scheduler test ticks faster than a config file may (0 = no sleeping, 0.05 s…): set after the check
    tick = over.get("schedule", {}).pop("tick_seconds", None)
    snap_every = over.get("storage", {}).pop("snapshot_every_minutes", None)  # 0.001: a snapshot at each test tick
    data = config_mod._merge(data, over)
    if sources is not None:
        data["sources"] = sources
    cfg = config_mod.parse(data)
    if tick is not None:
        cfg = dataclasses.replace(cfg, schedule=dataclasses.replace(cfg.schedule, tick_seconds=float(tick)))
    if snap_every is not None:
        storage = dataclasses.replace(cfg.storage, snapshot_every_minutes=float(snap_every))
        cfg = dataclasses.replace(cfg, storage=storage)
    return cfg


def rss_source(name: str, url: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, "kind": "rss", "url": url, "outlet": kw.pop("outlet", name), **kw}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpBox:
    """What a local SMTP server received: (recipients, raw message) per message. An address in `refuse` is
    refused at RCPT (550, as a mailbox that no longer exists), one in `defer` for now (451, as a full mailbox or
    greylisting: try again later; fix30); the others are taken."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self.answers: dict[str, str] = {}  # an address's own answer at RCPT (a reply of several lines; fix31)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.answers:
            return self.answers[address]
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "451 4.2.2 mailbox full, try again later"
        envelope.rcpt_tos.append(address)  # what aiosmtpd does without this hook
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on 127.0.0.1: (SmtpBox, port); add to `box.refuse` the addresses it should refuse."""
    from aiosmtpd.controller import Controller

    box, port = SmtpBox(), free_port()  # aiosmtpd's start-up check connects to the port it was given: not 0
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    yield box, port
    ctl.stop()


def press_id(key: str) -> str:
    """The id of press_item(key, …): the SHA-1 of its canonical URL, as collection makes it."""
    return sha1(canonical_url(f"https://bao.vn/{key}"))


def press_item(key: str, title: str, summary: str, at: datetime) -> Item:
    """A press article at https://bao.vn/{key}, published and fetched at `at`; its id, canonical URL and content
    hash made as collection makes them (collectors.textutil)."""
    url = f"https://bao.vn/{key}"
    canon = canonical_url(url)
    return Item(id=sha1(canon), source="s", collector="rss", source_type="press", outlet="Báo", url=url,
                canonical_url=canon, title=title, summary=summary, published_at=at, published_estimated=False,
                fetched_at=at, content_hash=content_hash(title, summary, canon))


def rss_doc(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>']
    for it in items:
        parts.append("<item>")
        for k in ("title", "link", "guid", "pubDate", "description"):
            if k in it:
                parts.append(f"<{k}>{it[k]}</{k}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def pretend_serve_holds(cwd: Path, db_path: Path) -> None:
    """The state file a running `langnghe serve` leaves in `cwd`'s var/ (langnghe.state.record), naming this process:
    a test that holds the database in this process, «as serve holds it», is then told what serve's holder is told
    (fix34 names the holder: a holder that is not serve gets other advice)."""
    import json
    import os
    from datetime import datetime, timezone

    (cwd / "var").mkdir(exist_ok=True)
    (cwd / "var" / "langnghe-serve.json").write_text(json.dumps({
        "pid": os.getpid(), "config": None, "db_path": str(db_path.resolve()),
        "snapshot_path": str(db_path.with_suffix(".snapshot.duckdb").resolve()), "url": "http://127.0.0.1:8501",
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}), encoding="utf-8")
