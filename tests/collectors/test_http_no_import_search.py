"""A fetch must not search sys.path for modules: without sniffio, httpcore re-tries `import sniffio` for every
lock it creates (several per request), ~1 ms of CPU each — most of what a 304 answer cost."""

from __future__ import annotations

import asyncio
import importlib.machinery

from collectors.http import Fetcher
from tests.conftest import make_config, send


def test_requests_after_the_first_do_not_search_for_modules(tmp_path, server, monkeypatch):
    server.routes["/f.rss"] = lambda req: send(req, 304, b"")
    cfg = make_config(tmp_path)
    searches: list[str] = []
    real = importlib.machinery.PathFinder.find_spec

    def counting(name, path=None, target=None):
        searches.append(name)
        return real(name, path, target)

    async def go() -> None:
        async with Fetcher(cfg.http) as f:
            await f.get(f"{server.base}/f.rss", etag='"x"')  # first request: lazy imports are fine
            monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", staticmethod(counting))
            for _ in range(5):
                assert (await f.get(f"{server.base}/f.rss", etag='"x"')).not_modified

    asyncio.run(go())
    monkeypatch.undo()
    assert searches == []
