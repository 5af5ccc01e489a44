"""A changed [limits] setting changes the bound the collectors read under (round 20: they were module constants, so
an operator who needed a larger feed cap, or a smaller one on a small machine, had to edit code). Each case runs
the real collection pass (Runner, the Config a deployment's file gives) against real bodies from a 127.0.0.1
server: the same answer is read whole under the shipped limits and cut or refused under a smaller one."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from pathlib import Path

import pytest

from collectors import _social, email_inbox
from collectors.base import ENTRIES_CUT
from collectors.runner import Runner
from tests.conftest import database, make_config, rss_doc, rss_source, send


@pytest.fixture(autouse=True)
def fresh_gates():
    _social.reset_gates()
    yield
    _social.reset_gates()


def feed(n: int) -> bytes:
    return rss_doc([{"title": f"Tin {i} về Uông Bí", "link": f"https://bao.vn/tin-{i}",
                     "pubDate": "Sun, 22 Nov 2026 08:00:00 +0700", "description": f"Nội dung {i}"} for i in range(n)])


def reddit_listing(n: int) -> bytes:
    children = [{"kind": "t3", "data": {"title": f"Bài {i} về Hạ Long", "permalink": f"/r/quangninh/comments/{i}/",
                                        "name": f"t3_{i}", "created_utc": 1795000000 + i}} for i in range(n)]
    return json.dumps({"kind": "Listing", "data": {"children": children}}).encode()


def collect_once(tmp_path, sources, **limits):
    cfg = make_config(tmp_path, sources, limits=limits)
    with database(cfg.storage.db_path) as db:
        return asyncio.run(Runner(cfg, db).run_due(force=True)).outcomes[0]


@pytest.mark.parametrize("limits,new,cut", [({}, 30, 0), ({"max_entries": 10}, 10, 20)], ids=["shipped", "cap-10"])
def test_a_feed_of_30_entries_keeps_as_many_as_max_entries_and_counts_the_rest(tmp_path, server, limits, new, cut):
    server.routes["/30.rss"] = lambda req: send(req, 200, feed(30))
    out = collect_once(tmp_path, [rss_source("ba-muoi", server.url("/30.rss"))], **limits)
    assert out.outcome == "ok" and out.items_new == new and out.skipped.get(ENTRIES_CUT, 0) == cut


def test_a_smaller_max_feed_mb_cuts_the_feed_after_its_last_whole_entry(tmp_path, server):
    body = feed(200)  # about 30 KB
    server.routes["/feed.rss"] = lambda req: send(req, 200, body)
    out = collect_once(tmp_path, [rss_source("nho", server.url("/feed.rss"))], max_feed_mb=10_000 / 1048576)
    assert out.outcome == "ok" and 0 < out.items_new < 200 and out.skipped[ENTRIES_CUT] == 200 - out.items_new


@pytest.mark.parametrize("limits,new,cut", [({}, 30, 0), ({"max_entries": 10}, 10, 20)], ids=["shipped", "cap-10"])
def test_an_api_answer_maps_as_many_entries_as_max_entries(tmp_path, server, limits, new, cut):
    server.routes["/search.json"] = lambda req: send(req, 200, reddit_listing(30), "application/json")
    src = {"name": "reddit-qn", "kind": "reddit", "url": server.url("/search.json"), "outlet": "Reddit",
           "source_type": "social", "options": {"min_interval_seconds": 0}}
    out = collect_once(tmp_path, [src], **limits)
    assert out.outcome == "ok" and out.items_new == new and out.skipped.get(ENTRIES_CUT, 0) == cut


def test_a_smaller_max_json_values_refuses_the_answer_unparsed(tmp_path, server):
    server.routes["/search.json"] = lambda req: send(req, 200, reddit_listing(30), "application/json")
    src = {"name": "reddit-qn", "kind": "reddit", "url": server.url("/search.json"), "outlet": "Reddit",
           "source_type": "social", "options": {"min_interval_seconds": 0}}
    out = collect_once(tmp_path, [src], max_json_values=50)
    assert out.outcome == "error" and out.error_kind == "document"
    assert "hơn 50 giá trị" in out.error and "[limits] max_json_values" in out.error


# The collection path takes [limits] from its caller only (round 21): each of these had `= DEFAULT_LIMITS` and every
# product caller passed the deployment's, so a new caller forgetting it would have read under the shipped numbers
# whatever the toml said.
NO_DEFAULT = [("collectors._social", "decode_json", "limits"), ("collectors._social", "decode_html", "limits"),
              ("collectors.rss", "parse_feed_bounded", "limits"), ("collectors.rss", "bounded_xml", "limits"),
              ("collectors.fulltext", "fetch_one", "limits"), ("collectors.email_inbox", "fetch_unseen", "limits"),
              ("collectors.email_inbox", "message_cap", "max_bytes"),
              ("collectors.netguard", "guarded_client", "answer_max_bytes"),
              ("collectors.base", "CollectContext", "limits")]


@pytest.mark.parametrize("module,name,param", NO_DEFAULT, ids=[n for _, n, _ in NO_DEFAULT])
def test_the_collection_path_has_no_default_limits(module, name, param):
    sig = inspect.signature(getattr(importlib.import_module(module), name))
    assert sig.parameters[param].default is inspect.Parameter.empty


def test_default_limits_are_read_only_by_the_pure_helpers_that_document_it():
    """DEFAULT_LIMITS (the shipped [limits]) in product code: its definition, fold_word's cache before the CLI sizes
    it, rss.parse_feed/parse_feed_full (helpers for tests and tools) and fulltext.extract_text (pure)."""
    root = Path(__file__).resolve().parents[2]
    product = ("collectors", "detection", "nlp", "notify", "orchestration", "reports", "store", "surveys", "vocab",
               "langnghe", "dashboard")
    found = sorted(str(p.relative_to(root)) for pkg in product for p in (root / pkg).rglob("*.py")
                   if "DEFAULT_LIMITS" in p.read_text(encoding="utf-8"))
    assert found == ["collectors/fulltext.py", "collectors/rss.py", "vocab/config.py", "vocab/folding.py"]
    assert not hasattr(email_inbox._BoundedLiterals, "max_literal")  # each connection is given its own
