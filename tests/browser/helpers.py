"""Helpers for real-browser tests: start a `langnghe` server process, wait for it, drive Chromium."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from devtools.serve_rig import CliProcess, wait_http  # noqa: F401 - wait_http: the tests import it from here

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run `make system-deps` (make test does it)")


class ServerProcess(CliProcess):
    """A `langnghe …` subprocess (devtools.serve_rig.CliProcess) with the environment the browser tests need."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None):
        e = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}  # a pipe would hold printed lines back
        # this tree first: the server runs in a temporary folder, where a relative PYTHONPATH=. (a worktree's
        # run) names nothing and the venv's editable install (another tree) would serve its own pages
        e["PYTHONPATH"] = os.pathsep.join([str(ROOT), e.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        e.pop("LANGNGHE_DB", None)
        super().__init__(args, cwd, e)

    def stop(self) -> int:  # type: ignore[override]
        """SIGTERM (serve stops cleanly on it); killed if a job holds the scheduler past 20 s."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


# Streamlit's own flag on its root: "initial" before the first run, "running" (or "rerunRequested") during one,
# "notRunning" once a run has finished and everything it drew (a dialog too) has reached the page.
RUN_DONE = """() => { const a = document.querySelector('[data-testid="stApp"]');
                     return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""


def wait_for_run(page, timeout: float = 90_000) -> None:  # type: ignore[no-untyped-def]
    """Until the page's script run has finished, and still has a quarter of a second later (a run can ask for
    the next: a redirect, a rerun). Waits on the condition where a fixed 1.5–2.5 s pause used to stand."""
    page.wait_for_function(RUN_DONE, timeout=timeout)
    page.wait_for_timeout(250)
    page.wait_for_function(RUN_DONE, timeout=timeout)
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=timeout)


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Until Streamlit has finished the run a click or a key started (a pause for the run to start, then its root's
    flag; no skeleton left)."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid="stApp"]');
                   const s = a && a.getAttribute('data-test-script-state');
                   return s && s !== 'running' && s !== 'rerunRequested'; }""", timeout=30_000)
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=30_000)


def goto(page, title: str, timeout: float = 20_000) -> None:  # type: ignore[no-untyped-def]
    """A click on a page's name in the sidebar, until its heading is drawn and its run has ended."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.get_by_role("heading", level=1).filter(has_text=title.split(" ")[0]).first.wait_for(timeout=timeout)
    settle(page)


def search_then_leave(page, n: int, to: str = "Cảnh báo") -> None:  # type: ignore[no-untyped-def]
    """Tin bài's search typed, «ô nhiễm <n>», not committed (the box keeps the focus), then `to` clicked in the sidebar
    at once, until its heading is drawn; from the second try (n > 0) Tin bài is opened again first. The ux38 and ux39
    walks' loop (NAV_AFTER_COMMIT, ui.address_of; one helper since fix35)."""
    if n:
        goto(page, "Tin bài", timeout=30_000)
    box = page.locator('[data-testid="stTextInputField"]').first
    box.click()
    box.fill(f"ô nhiễm {n}")  # typed, not committed: the box still has the focus
    goto(page, to, timeout=30_000)


def open_filters(page) -> None:  # type: ignore[no-untyped-def]
    """Open Tin bài's «Bộ lọc» (open on a desk since round 17, folded on a phone, where its seven boxes came before the
    items), unless it is open; its widgets are drawn but not shown while it is closed."""
    summary = page.locator('[data-testid="stExpander"] summary').filter(has_text="Bộ lọc").first
    summary.wait_for(timeout=20_000)
    if not summary.evaluate("s => s.parentElement.open"):
        summary.click()
        settle(page)
    page.locator('[data-testid="stMultiSelect"]').first.wait_for(state="visible", timeout=20_000)


def type_into(page, label: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Fill a text field and commit it (Tab); again if a rerun replaced the field meanwhile. The label matched
    exactly: a box with a help icon has a button labelled «Hướng dẫn: <label>» too (ux34)."""
    for _ in range(3):
        box = page.get_by_label(label, exact=True)
        box.fill(text)
        box.press("Tab")
        settle(page)
        if page.get_by_label(label, exact=True).input_value() == text:
            return
    raise AssertionError(f"{label!r} did not keep {text!r}")


# [columns' width, frame's width] in px of every table (canvas grid) the page draws (not those in a folded expander)
GRID_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
                      .map(e => [e.scrollWidth, e.clientWidth])"""


def grid_widths(page) -> list[list[int]]:  # type: ignore[no-untyped-def]
    """[columns, frame] px of each table on the page; a table whose columns are wider scrolls sideways."""
    return page.evaluate(GRID_WIDTHS)


# the same of the one table inside the element keyed `k` (st.container(key=…), st.dataframe(key=…)), with its scroll
# bar's colour; null when it is not drawn
KEYED_GRID = """(k) => { const e = document.querySelector(`.st-key-${k} .dvn-scroller`);
                        return e && [e.scrollWidth, e.clientWidth, getComputedStyle(e).scrollbarColor]; }"""


def grid_width(page, key: str) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """(columns, frame) px of the table keyed `key`, and its scroll bar's colour (scrollbar-color)."""
    found = page.evaluate(KEYED_GRID, key)
    assert found, f"no table drawn in .st-key-{key}"
    return found[0], found[1], found[2]


def log_in(page, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the login form and wait until the app is shown (its «Đăng xuất» button)."""
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=90_000)


def signed_in_state(browser, url: str, sign_in: Callable[..., None]) -> dict:  # type: ignore[no-untyped-def]
    """The browser storage (the session cookie, auth.remember_in_browser) after `sign_in(page)` at `url`, in a context
    of its own closed after: `browser.new_context(storage_state=…)` then opens the app signed in. The one sign-in of
    the walks that share a cookie (tests/browser/conftest.py: `demo_signed_in`, `served_as`)."""
    from orchestration.accounts import SESSION_COOKIE

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        sign_in(page)
        page.wait_for_function("(name) => document.cookie.includes(name + '=')", arg=SESSION_COOKIE, timeout=60_000)
        return context.storage_state()
    finally:
        context.close()


def login_if_asked(page, output: str) -> None:  # type: ignore[no-untyped-def]
    """Log in with the demo account the server printed, if the app shows a login form (retries: a
    loaded machine can drop the first submit while Streamlit is still connecting)."""
    m = re.search(r"[Tt]ài khoản[^:\n]*:\s*(\S+)\s*/\s*[Mm]ật khẩu[^:\n]*:\s*(\S+)", output)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pw_inputs = page.locator("input[type=password]")
    nav = page.get_by_text("Đăng xuất")  # shown only once logged in (the sidebar nav can flash before the gate)
    for _attempt in range(3):
        try:  # Streamlit draws after its websocket connects: the form or the app, as soon as either is there
            pw_inputs.or_(nav).first.wait_for(state="attached", timeout=60_000)  # (it polled every 0.5 s)
        except PlaywrightTimeout:
            pass
        if pw_inputs.count() == 0:
            return
        assert m, "the app asks for a login but the server printed no demo account"
        page.locator("input[type=text]").first.fill(m.group(1))
        pw_inputs.first.fill(m.group(2))
        page.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).first.click()
        try:
            nav.first.wait_for(state="attached", timeout=20_000)
            return
        except PlaywrightTimeout:
            pass
    raise AssertionError("could not log in with the demo account")


@contextmanager
def server_up(args: list[str], cwd: Path, port: int, *, banner_timeout: float) -> Iterator[ServerProcess]:
    """A `langnghe` server process (`args`) run in `cwd`, up (its banner printed) and its dashboard on `port`
    healthy; stopped on exit, whatever the test did."""
    srv = ServerProcess(args, cwd=cwd)
    try:
        srv.wait_for_output(r"Lắng Nghe đang chạy", timeout=banner_timeout)
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=60)
        yield srv
    finally:
        srv.stop()


@contextmanager
def running_demo(cwd: Path) -> Iterator[tuple[ServerProcess, int]]:
    """`langnghe demo` on free ports, run in `cwd`, until its dashboard answers: (server, dashboard port). One
    per test module that walks the demo (a module-scoped fixture), stopped when the module is done."""
    from tests.conftest import free_port

    require_chromium()
    port, feed_port = free_port(), free_port()
    with server_up(["demo", "--port", str(port), "--feed-port", str(feed_port)], cwd, port,
                   banner_timeout=120) as srv:
        yield srv, port
