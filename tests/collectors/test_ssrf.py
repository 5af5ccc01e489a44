"""No internal fetches (SSRF): every request of collectors/http.py — sources, redirect hops, article links,
robots.txt — is refused when its host is or resolves to a non-public address, unless the deployment lists
the host in [http] allow_private_hosts. Traffic stays on 127.0.0.1 or in httpx.MockTransport."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

import httpx
import pytest

from collectors.base import FetchError
from collectors.http import Fetcher
from collectors.runner import Runner
from vocab import config as config_mod
from store import fulltext as store_fulltext
from store import sources as store_sources
from store.items import insert_items
from tests.conftest import database, make_config, rss_doc, rss_source, send
from kindhelpers import db, fresh_gates, kserver, server  # noqa: F401
from kindspecs import FIX

pytestmark = pytest.mark.usefixtures("fresh_gates")

FEED = rss_doc([{"title": f"Tin nội bộ {i}", "link": f"https://bao.vn/noi-bo-{i}",
                 "pubDate": "Sun, 22 Nov 2026 08:00:00 +0700", "description": "bí mật"} for i in range(3)])
ARTICLE = (FIX / "fulltext/baoquangninh_article.html").read_bytes()


def strict_http():
    """The shipped [http] defaults (no host exempt), with test timeouts."""
    return replace(config_mod.load().http, connect_timeout_seconds=2.0, read_timeout_seconds=2.0,
                   fetch_deadline_seconds=5.0, per_host_spacing_seconds=0.0)


def fetch(url: str, http=None, **kw):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async with Fetcher(http or strict_http(), **kw) as f:
            return await f.get(url)

    return asyncio.run(go())


class Recorder:
    """A MockTransport that answers every request (so old code would happily fetch) and records them."""

    def __init__(self, routes: dict[str, httpx.Response] | None = None) -> None:
        self.routes = routes or {}
        self.seen: list[str] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        for prefix, resp in self.routes.items():
            if str(request.url).startswith(prefix):
                return resp
        return httpx.Response(200, content=b"secret metadata", headers={"content-type": "text/plain"})


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/",  # cloud metadata (link-local)
    "http://10.1.2.3/admin",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # CGNAT
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[fe80::1]/",
    "http://[fd00::5]/",  # unique local
    "http://[64:ff9b::a01:203]/",  # NAT64 of 10.1.2.3
])
def test_non_public_literal_address_is_refused_before_sending(url):
    rec = Recorder()
    with pytest.raises(FetchError) as err:
        fetch(url, transport=rec.transport)
    assert err.value.kind == "blocked_address"
    assert "không phải địa chỉ công khai" in str(err.value)
    assert rec.seen == []


def test_loopback_server_is_refused_by_address_and_by_name(server):
    server.routes["/secret"] = lambda r: send(r, 200, b"internal", "text/plain")
    for url in (server.url("/secret"), f"http://localhost:{server.port}/secret", f"http://0.0.0.0:{server.port}/secret"):
        with pytest.raises(FetchError) as err:
            fetch(url)
        assert err.value.kind == "blocked_address", url
    assert "/secret" not in server.hits


def test_public_name_that_resolves_to_loopback_is_refused(server):
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)
    asked = []

    async def rebinding_dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["8.8.8.8", "127.0.0.1"] if host == "tin.example.vn" else []

    with pytest.raises(FetchError) as err:
        fetch(f"http://tin.example.vn:{server.port}/feed.rss", resolver=rebinding_dns)
    assert err.value.kind == "blocked_address" and "tin.example.vn (127.0.0.1)" in str(err.value)
    assert asked == ["tin.example.vn"] and server.hits == {}


def test_redirect_hop_to_internal_address_is_refused():
    rec = Recorder({"http://8.8.8.8/feed": httpx.Response(302, headers={
        "location": "http://169.254.169.254/latest/meta-data/iam/security-credentials/"})})
    for url in ("http://8.8.4.4/rss", "http://[2606:4700::1111]/rss", "http://[::ffff:8.8.8.8]/rss"):
        assert fetch(url, transport=rec.transport).status == 200  # public addresses still go out
    with pytest.raises(FetchError) as err:
        fetch("http://8.8.8.8/feed.rss", transport=rec.transport)
    assert err.value.kind == "blocked_address" and "169.254.169.254" in str(err.value)
    assert rec.seen[3:] == ["http://8.8.8.8/feed.rss"]


def test_allowed_host_port_is_fetched_but_not_its_other_ports(server):
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)
    http = replace(strict_http(), allow_private_hosts=(f"127.0.0.1:{server.port}",))
    assert fetch(server.url("/feed.rss"), http).status == 200
    with pytest.raises(FetchError) as err:
        fetch(f"http://127.0.0.1:{server.port + 1}/feed.rss", http)
    assert err.value.kind == "blocked_address"
    # an allowed feed that redirects to a host that is not allowed
    server.routes["/moved"] = lambda r: send(r, 302, b"", "text/plain",
                                             {"Location": f"http://localhost:{server.port}/feed.rss"})
    with pytest.raises(FetchError) as err:
        fetch(server.url("/moved"), http)
    assert err.value.kind == "blocked_address"
    assert server.hits == {"/feed.rss": 1, "/moved": 1}
    # redirects within allowed hosts are still followed, and capped
    server.routes["/a"] = lambda r: send(r, 301, b"", "text/plain", {"Location": "/b"})
    server.routes["/b"] = lambda r: send(r, 200, FEED)
    server.routes["/loop"] = lambda r: send(r, 302, b"", "text/plain", {"Location": "/loop"})
    got = fetch(server.url("/a"), http)
    assert got.url == server.url("/b") and got.body == FEED
    with pytest.raises(FetchError, match="chuyển hướng quá 5 lần") as err:
        fetch(server.url("/loop"), http)
    assert err.value.kind == "transport" and server.hits["/loop"] == 6


@pytest.mark.parametrize("kind, options", [
    ("rss", {}),
    ("html_list", {"item": "li", "title": "a"}),  # robots.txt is fetched first for this kind
])
def test_runner_records_blocked_address_on_health_and_stores_nothing(tmp_path, kind, options):
    rec = Recorder({
        "http://8.8.8.8/": httpx.Response(302, headers={"location": "http://10.0.0.8/feed.rss"}),
        "http://10.0.0.8/": httpx.Response(200, content=FEED, headers={"content-type": "application/rss+xml"}),
    })
    src = {"name": "noi-bo", "kind": kind, "url": "http://8.8.8.8/feed.rss", "outlet": "X", "options": options}
    cfg = replace(make_config(tmp_path, [src]), http=strict_http())
    with database(cfg.storage.db_path) as db:
        for attempt in (1, 2):
            outcome = asyncio.run(Runner(cfg, db, transport=rec.transport).run_due(force=True)).outcomes[0]
            assert outcome.outcome == "error" and outcome.error_kind == "blocked_address"
            assert "10.0.0.8" in outcome.error and "allow_private_hosts" in outcome.error
            with db.read() as cur:
                assert cur.execute("SELECT count(*) FROM items").fetchone()[0] == 0
                state = store_sources.get_states(cur)["noi-bo"]
                assert state.consecutive_failures == attempt
                health = store_sources.health(cur, cfg.sources, datetime(2030, 1, 1))[0]
            assert health["last_error_kind"] == "blocked_address"
    assert not any(u.startswith("http://10.0.0.8") for u in rec.seen)


def test_runner_resolves_names_with_the_injected_resolver(tmp_path, server):
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)

    async def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    cfg = replace(make_config(tmp_path, [rss_source("ten", f"http://tin.example.vn:{server.port}/feed.rss")]),
                  http=strict_http())
    with database(cfg.storage.db_path) as db:
        outcome = asyncio.run(Runner(cfg, db, resolver=dns).run_due(force=True)).outcomes[0]
    assert outcome.error_kind == "blocked_address" and server.hits == {}


def _item(url: str, n: int):
    from datetime import timedelta

    from collectors.base import Item
    from collectors.textutil import canonical_url, sha1
    from store.db import utcnow

    now = utcnow()
    return Item(id=sha1(canonical_url(url)), source="s", collector="rss", source_type="press", outlet="O",
                url=url, canonical_url=canonical_url(url), title=f"Bài {n}", summary=f"Tóm tắt {n}",
                published_at=now - timedelta(minutes=n), published_estimated=False, fetched_at=now,
                content_hash=sha1(f"h{n}"))


def test_fulltext_of_internal_links_is_refused_and_stores_no_text(server, db, tmp_path):
    from collectors import fulltext

    server.routes["/bai.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    server.routes["/noi-bo.html"] = lambda r: send(r, 200, ARTICLE, "text/html; charset=utf-8")
    server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nAllow: /\n", "text/plain")
    ok = _item(server.url("/bai.html"), 1)
    bad = [_item(f"http://localhost:{server.port}/noi-bo.html", 2), _item(f"http://0.0.0.0:{server.port}/noi-bo.html", 3),
           _item(f"http://[::1]:{server.port}/noi-bo.html", 4)]
    with db.write() as cur:
        insert_items(cur, [ok, *bad])
    cfg = make_config(tmp_path, [], fulltext={"per_host_spacing_seconds": 0.0})  # 127.0.0.1 allowed, by name only
    counts = asyncio.run(fulltext.run(cfg, db))
    assert counts == {"ok": 1, "fetch_blocked_address": 3}
    assert "/noi-bo.html" not in server.hits
    with db.read() as cur:
        assert list(store_fulltext.texts_for(cur, [ok.id, *(b.id for b in bad)])) == [ok.id]
        statuses = dict(cur.execute("SELECT item_id, status FROM item_fulltext").fetchall())
    assert {statuses[b.id] for b in bad} == {"fetch_blocked_address"}


def test_allow_list_entries_are_checked_at_load():
    data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
    assert config_mod.parse(data).http.allow_private_hosts == ()  # nothing private by default
    ok = config_mod._merge(data, {"http": {"allow_private_hosts": ["intranet.tinh.vn", "10.0.0.5:8080", "[::1]:80"]}})
    assert config_mod.parse(ok).http.allow_private_hosts == ("intranet.tinh.vn", "10.0.0.5:8080", "[::1]:80")
    bad = config_mod._merge(data, {"http": {"allow_private_hosts": ["http://intranet.tinh.vn/"]}})
    with pytest.raises(config_mod.ConfigError, match="không có dạng 'host' hoặc 'host:port'"):
        config_mod.parse(bad)


def test_demo_config_allows_only_its_own_feed_server():
    from langnghe.commands.demo import demo_config

    assert demo_config(8765).http.allow_private_hosts == ("127.0.0.1:8765",)
    assert demo_config(9123).http.allow_private_hosts == ("127.0.0.1:9123",)


def _rebinding_dns():  # type: ignore[no-untyped-def]
    """A resolver whose first answer (the check before the request) is public and every later one loopback."""
    answers = iter([["8.8.8.8"]])

    async def rebinding_dns(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.1"])

    return rebinding_dns


def test_name_that_rebinds_after_the_check_is_not_dialled(server):
    """DNS rebinding: the first answer (the check) is public, the next (httpx's own lookup, before the
    fix) is loopback. The connection dials only addresses it checked itself, so it is refused."""
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)
    rebinding_dns = _rebinding_dns()
    with pytest.raises(FetchError) as err:
        fetch(f"http://tin.example.vn:{server.port}/feed.rss", resolver=rebinding_dns)
    assert err.value.kind == "blocked_address" and "tin.example.vn (127.0.0.1)" in str(err.value)
    assert server.hits == {}


def test_allowed_name_is_dialled_at_the_address_its_lookup_gave(server):
    """The connection uses the checked lookup's address, not a second lookup of its own (the name is
    unknown to the system resolver)."""
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)
    http = replace(strict_http(), allow_private_hosts=(f"feed.noibo.test:{server.port}",))

    async def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "feed.noibo.test" else []

    assert fetch(f"http://feed.noibo.test:{server.port}/feed.rss", http, resolver=dns).status == 200
    assert "/feed.rss" in server.hits


def test_notification_client_dials_only_checked_addresses(server):
    """The blocking client of the notifiers: same guard at connect time."""
    from collectors import netguard
    from collectors.base import BlockedAddressError

    server.routes["/hook"] = lambda r: send(r, 200, b"ok", "text/plain")
    limits = httpx.Limits()
    blocked = netguard.sync_transport(frozenset(), lambda h, p: ["127.0.0.1"], limits)
    with httpx.Client(transport=blocked) as client, pytest.raises(BlockedAddressError):
        client.get(f"http://hook.example.vn:{server.port}/hook")
    allowed = netguard.sync_transport(netguard.parse_allow([f"hook.noibo.test:{server.port}"]),
                                      lambda h, p: ["127.0.0.1"], limits)
    with httpx.Client(transport=allowed) as client:
        assert client.get(f"http://hook.noibo.test:{server.port}/hook").status_code == 200
    assert list(server.hits) == ["/hook"]


def test_every_guarded_pool_shares_one_tls_context():
    """Building a TLS context loads the CA bundle (≈ 20 ms of CPU); every collect pass, full-text pass and
    notification client built two. The guarded pools share one, which still verifies certificates."""
    import ssl

    from collectors import netguard

    limits = httpx.Limits()
    pools = [netguard.async_transport(frozenset(), None, limits)._pool,
             netguard.async_transport(frozenset(), None, limits)._pool,
             netguard.sync_transport(frozenset(), None, limits)._pool]
    contexts = {id(p._ssl_context) for p in pools}
    assert len(contexts) == 1
    assert pools[0]._ssl_context.verify_mode == ssl.CERT_REQUIRED and pools[0]._ssl_context.check_hostname


def _proxy_env(monkeypatch, **env: str) -> None:
    for k in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(k, raising=False)
        monkeypatch.delenv(k.upper(), raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)


@pytest.mark.parametrize("env", [{"HTTPS_PROXY": "http://127.0.0.1:9"},  # a proxy for https only
                                 {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "tin.example.vn"}])
def test_requests_the_proxy_does_not_carry_still_dial_only_checked_addresses(server, monkeypatch, env):
    """With a proxy in the environment, what goes direct (the other scheme, a NO_PROXY host) is connected by this
    machine: the rebinding guard must stay on for it (it was dropped for every request as soon as any proxy was set)."""
    _proxy_env(monkeypatch, **env)
    server.routes["/feed.rss"] = lambda r: send(r, 200, FEED)
    rebinding_dns = _rebinding_dns()
    with pytest.raises(FetchError) as err:
        fetch(f"http://tin.example.vn:{server.port}/feed.rss", resolver=rebinding_dns)
    assert err.value.kind == "blocked_address"
    assert server.hits == {}


def test_proxied_requests_go_to_the_proxy(server, monkeypatch):
    """The proxy named by HTTP_PROXY still carries http requests (here the test server plays the proxy: it gets
    the request with the absolute URL); the check before the request applies to the source's name."""
    _proxy_env(monkeypatch, HTTP_PROXY=f"http://127.0.0.1:{server.port}")
    server.routes["http://tin.example.vn/feed.rss"] = lambda r: send(r, 200, FEED)  # a proxy's request line

    async def dns(host: str, port: int) -> list[str]:
        return ["8.8.8.8"]

    assert fetch("http://tin.example.vn/feed.rss", resolver=dns).status == 200


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://0x7f.0.0.1/"])
def test_numeric_spellings_of_loopback_are_refused(url):
    """Decimal, hex and short forms of 127.0.0.1 are names to httpx; the system resolver reads them as the
    address they spell, and that address is judged."""
    rec = Recorder()
    with pytest.raises(FetchError) as err:
        fetch(url, transport=rec.transport, resolver=lambda host, port: _numeric(host))
    assert err.value.kind == "blocked_address" and rec.seen == []


async def _numeric(host: str) -> list[str]:
    import socket

    return [info[4][0] for info in socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_NUMERICHOST)]


@pytest.mark.parametrize("url,location", [
    ("http://0177.0.0.1/feed.rss", None),  # an octal IPv4, which httpx refuses to parse
    ("http://8.8.8.8/feed.rss", "http://①②⑦.0.0.1/x"),  # a name IDNA cannot encode, in a redirect
    ("http://8.8.8.8/feed.rss", "http://0177.0.0.1/x"),
    ("http://8.8.8.8/feed.rss", "http://[::1/x"),
], ids=["octal-source", "idna-redirect", "octal-redirect", "broken-redirect"])
def test_an_address_httpx_cannot_parse_is_a_fetch_error_not_a_crash(url, location):
    """A source address httpx cannot parse raised httpx.InvalidURL out of the Fetcher, and a redirect to a
    name IDNA cannot encode a UnicodeError: the runner logged a collector crash with its traceback at every
    poll. Both are transport errors saying the address is invalid; nothing is sent to it."""
    raw = [(b"location", (location or "/").encode())]  # as a server sends it: UTF-8 bytes
    rec = Recorder({"http://8.8.8.8/feed": httpx.Response(302, headers=raw)})
    with pytest.raises(FetchError) as err:
        fetch(url, transport=rec.transport)
    assert err.value.kind == "transport"
    assert rec.seen == ([] if location is None else [url])
