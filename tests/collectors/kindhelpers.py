"""Collector-kind test helpers: run one kind against the shared 127.0.0.1 server, with a fresh gate state.

Not a conftest.py: tests import `conftest` (tests/conftest.py) by name, so a second one would shadow it.
Modules use `pytestmark = pytest.mark.usefixtures("fresh_gates")` after importing the fixture.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from collectors import _social, netguard, registry, robots
from collectors.base import Batch, CollectContext
from collectors.http import Fetcher
from vocab import config as config_mod
from vocab.config import SourceConfig

from kindspecs import NOW


@pytest.fixture
def fresh_gates():
    _social.reset_gates()
    robots.clear_cache()
    yield
    _social.reset_gates()
    robots.clear_cache()


def http_cfg():
    base = config_mod.load().http
    return replace(base, connect_timeout_seconds=2.0, read_timeout_seconds=2.0, fetch_deadline_seconds=5.0,
                   per_host_spacing_seconds=0.0, allow_private_hosts=("127.0.0.1",))


def source(kind: str, url: str, *, options: dict[str, Any] | None = None, source_type: str = "social",
           name: str | None = None, outlet: str = "Nguồn thử") -> SourceConfig:
    return SourceConfig(name=name or f"t-{kind}", kind=kind, url=url, outlet=outlet, source_type=source_type,
                        options=dict(options or {}))


def collect(src: SourceConfig, now=NOW, limits: config_mod.LimitsConfig = config_mod.DEFAULT_LIMITS,
            asked: list[str] | None = None) -> Batch:
    """`asked`, when given, gets every address the kind asks `ctx.fetch` for."""
    async def go() -> Batch:
        async with Fetcher(http_cfg()) as f:
            async def asking(url: str, *a: Any, **kw: Any) -> Any:
                asked.append(url)  # type: ignore[union-attr]
                return await f.get(url, *a, **kw)

            ctx = CollectContext(fetch=f.get if asked is None else asking, now=now, dial=netguard.dialer(f.allow),
                                 limits=limits)  # as the runner does
            return await registry.get(src.kind).collect(src, ctx)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def kserver():
    """One 127.0.0.1 server per test module (starting/stopping one per test costs 0.5 s each)."""
    from tests.conftest import LocalServer

    s = LocalServer()
    yield s
    s.stop()


@pytest.fixture
def server(kserver):
    """The module's server with no routes left from the previous test, and none of its connections after it."""
    kserver.routes.clear()
    kserver.hits.clear()
    kserver.request_headers.clear()
    yield kserver
    kserver.httpd.end_connections()


@pytest.fixture
def db(tmp_path):
    from tests.conftest import database

    d = database(tmp_path / "t.duckdb")  # a copy of the worker's migrated file
    yield d
    d.close()

