"""One `langnghe demo` for the browser walks that only look at it (test_demo_live, test_local_only, test_phone):
it took 10–15 s to start, once per module and, under xdist, once per worker that got one of a module's tests.
Those modules share the xdist group "browser-demo" (`--dist loadgroup`, pyproject.toml), so that one worker runs
them all against this server; with pytest 9.2 xdist ignores the group (pytest-xdist #1386) and each worker that
gets one of them starts its own demo (two at most, where it was one per module)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import ARTIFACTS, running_demo

DEMO_GROUP = pytest.mark.xdist_group("browser-demo")


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """(server, dashboard port) of one demo for the package's walks, stopped after the last."""
    with running_demo(tmp_path_factory.mktemp("demo")) as (srv, port):
        ARTIFACTS.mkdir(exist_ok=True)
        yield srv, port
