"""One `langnghe demo` for the browser walks that only look at it (test_demo_live, test_local_only, test_phone):
it took 10–15 s to start, once per module and, under xdist, once per worker that got one of a module's tests.
Those modules share the xdist group "browser-demo" (`--dist loadgroup`, pyproject.toml), so that one worker runs
them all against this server (pytest 9.2 ignored the group until tests/conftest.py's `_group_suffixes`, round 21).
The walks that do not test signing in open their pages with one signed-in cookie (`demo_signed_in`) instead of
each filling in the login form (a page load and a login run per walk).

The walks on `langnghe serve` over a seeded database (test_briefing_print, test_case_note, test_download_session,
test_drilldown_live, test_grid_csv, test_review_alerts, test_tabs_stay) share one such server too (`served`, xdist
group "browser-served"): each started its own (seeding it, then `serve` up: 15–40 s under load). None of them needs a
fresh server; the changes a walk leaves that another could see (the briefing marked held, in test_briefing_print; an
alert acknowledged and another dismissed, in test_review_alerts) are read by no other walk.
`served_as(user)` is a signed-in browser storage for the walks that do not test signing in.

The package's walks share one Chromium (`chromium`), each in its own contexts. Package scope, not session: a
started sync Playwright holds an asyncio loop running in the worker's thread, and every later `asyncio.run()` (the
collectors' tests) would fail «cannot be called from a running event loop»; pytest stops it as soon as the next
test is outside tests/browser. For the same reason a walk never calls `sync_playwright()` itself here (one
instance a thread); tests elsewhere (tests/dashboard) start and stop their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import (ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ServerProcess, log_in, login_if_asked,
                                   require_chromium, running_demo, signed_in_state)

DEMO_GROUP = pytest.mark.xdist_group("browser-demo")
SERVED_GROUP = pytest.mark.xdist_group("browser-served")


class _Chromium:
    """One headless Chromium for the package's walks, launched on first use (each walk launched its own: 1–5 s)."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def browser(self) -> Any:
        """The Chromium, launched again if the last one went away (a crash is then one test's, not the run's)."""
        if self._browser is None or not self._browser.is_connected():
            from playwright.sync_api import sync_playwright

            require_chromium()
            if self._playwright is None:
                self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self._browser

    def stop(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()


@pytest.fixture(scope="package")
def _chromium_process():  # type: ignore[no-untyped-def]
    held = _Chromium()
    yield held
    held.stop()


@pytest.fixture
def chromium(_chromium_process):  # type: ignore[no-untyped-def]
    """The package's Chromium (`_Chromium`) for one walk: open pages with `chromium.new_page(…)` or contexts with
    `chromium.new_context(…)` (each its own cookies and storage, as a fresh browser had); every context the test
    opened is closed after it, whether it passed or not. Do not close the browser itself."""
    browser = _chromium_process.browser()
    yield browser
    for context in list(browser.contexts):
        context.close()


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """(server, dashboard port) of one demo for the package's walks, stopped after the last."""
    with running_demo(tmp_path_factory.mktemp("demo")) as (srv, port):
        ARTIFACTS.mkdir(exist_ok=True)
        yield srv, port


@pytest.fixture(scope="package")
def demo_signed_in(demo_server, _chromium_process):  # type: ignore[no-untyped-def]
    """The browser storage (the session cookie, auth.remember_in_browser) of the analyst the demo printed, signed
    in once through the login form: `chromium.new_context(storage_state=…)` opens the demo signed in."""
    srv, port = demo_server
    return signed_in_state(_chromium_process.browser(), f"http://127.0.0.1:{port}/",
                           lambda page: login_if_asked(page, srv.output))


@dataclass(frozen=True)
class Served:
    """One `langnghe serve` on tests/dashboard/served.py's database (300 items, the malicious one, three users), with
    what the walks need put there before it started (DuckDB: one process a file): an answered complaint case and a
    weekly report in the archive."""

    base: str  # http://127.0.0.1:port
    port: int
    passwords: dict[str, str]
    server: ServerProcess
    folder: Path  # the database's, its log's (langnghe-serve.log)
    report: Path  # the archived weekly report's DOCX
    case_id: int  # the answered case


def answered_case(cfg_path: Path) -> int:
    """A complaint case, answered (test_case_note: a change to an answered case is refused). Its item is tagged as
    the seeded ones are (with the current stamp): serve tagging it mid-walk would move a count test_drilldown_live
    compares."""
    from devtools.rows import tag_row
    from nlp.version import current_stamp
    from orchestration import cases
    from store import cases as store_cases
    from store.db import utcnow
    from store.items import insert_items
    from store.tags import save_tags
    from tests.conftest import database
    from tests.dashboard.test_cases_page import complaint
    from vocab import config as config_mod
    from vocab.folding import fold

    cfg = config_mod.load(cfg_path)
    item = complaint(7, utcnow() - timedelta(hours=2))
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            ids = insert_items(cur, [item])
            save_tags(cur, [tag_row(ids[0], topics=[], sentiment="negative", in_area=True, places=[],
                                    folded=fold(f"{item.title} {item.summary}"), model_version=current_stamp(cfg))],
                      now=utcnow())
        cid = cases.open_for_items(cfg, db, ids, now=utcnow())[0]
        with db.write() as cur:
            store_cases.transition(cur, cid, "answered", "chuyenvien", utcnow())
    return cid


@pytest.fixture(scope="package")
def served(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The package's `Served`, started at its first walk, stopped after the package."""
    from tests.dashboard.served import archive_report, prepare, serving

    require_chromium()
    tmp = tmp_path_factory.mktemp("served")
    cfg, pw = prepare(tmp, n_items=300)
    case_id = answered_case(cfg)
    report = archive_report(cfg)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(cfg, tmp) as (srv, port):
        yield Served(f"http://127.0.0.1:{port}", port, pw, srv, tmp, report, case_id)


@pytest.fixture(scope="package")
def served_as(served, _chromium_process):  # type: ignore[no-untyped-def]
    """`served_as(username)`: that user's browser storage (session cookie) on `served`, signed in once through the
    form; `chromium.new_context(storage_state=…)` opens the server signed in. A walk that signs out signs in itself
    (signing out ends the session of every context holding its cookie)."""
    states: dict[str, Any] = {}

    def state(username: str) -> Any:
        if username not in states:
            # signed in on Phản ánh, not Tổng quan: its charts and live fragment would be drawn for nothing
            states[username] = signed_in_state(_chromium_process.browser(), f"{served.base}/cases",
                                               lambda page: log_in(page, username, served.passwords[username]))
        return states[username]

    return state
