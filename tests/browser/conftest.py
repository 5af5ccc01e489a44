"""One `langnghe demo` for the browser walks that only look at it (test_demo_live, test_local_only, test_phone):
it took 10–15 s to start, once per module and, under xdist, once per worker that got one of a module's tests.
Those modules share the xdist group "browser-demo" (`--dist loadgroup`, pyproject.toml), so that one worker runs
them all against this server (pytest 9.2 ignored the group until tests/conftest.py's `_group_suffixes`, round 21).
The walks that do not test signing in open their pages with one signed-in cookie (`demo_signed_in`) instead of
each filling in the login form (a page load and a login run per walk).

The package's walks share one Chromium (`chromium`), each in its own contexts. Package scope, not session: a
started sync Playwright holds an asyncio loop running in the worker's thread, and every later `asyncio.run()` (the
collectors' tests) would fail «cannot be called from a running event loop»; pytest stops it as soon as the next
test is outside tests/browser. For the same reason a walk never calls `sync_playwright()` itself here (one
instance a thread); tests elsewhere (tests/dashboard) start and stop their own."""

from __future__ import annotations

from typing import Any

import pytest

from orchestration.accounts import SESSION_COOKIE
from tests.browser.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, login_if_asked, require_chromium, running_demo

DEMO_GROUP = pytest.mark.xdist_group("browser-demo")


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
    context = _chromium_process.browser().new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle")
        login_if_asked(page, srv.output)
        page.wait_for_function("(name) => document.cookie.includes(name + '=')", arg=SESSION_COOKIE, timeout=60_000)
        return context.storage_state()
    finally:
        context.close()
