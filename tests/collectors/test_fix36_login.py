"""A feed behind a login, the supported way (fix36): `username` + `password_env` on a source; HTTP Basic sent only to
the source's own origin (scheme, host, port), never on a redirect elsewhere, never logged (docs/SOURCES.md)."""

from __future__ import annotations

import asyncio
import base64
import logging

import httpx
import pytest

from collectors.base import HttpStatusError
from collectors.http import BasicLogin, Fetcher
from tests.conftest import LocalServer, database, make_config, rss_source, send
from vocab import config as C

USER = "canbo.vp"
PASSWORD = "MatKhau-Noi-Bo-36"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
ENV = "LANGNGHE_INTRANET_PASSWORD"
FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cong thong tin</title>'
        b'<item><title>Thong bao hop</title><link>https://intranet.example.vn/tin/1</link></item></channel></rss>')


def _auth(r) -> str:
    return r.headers.get("Authorization") or ""


def _login_required(r) -> None:
    if _auth(r) == f"Basic {TOKEN}":
        send(r, 200, FEED)
    else:
        send(r, 401, b"login", "text/plain", {"WWW-Authenticate": 'Basic realm="intranet"'})


def _redirect(to: str):
    return lambda r: send(r, 302, b"", "text/plain", {"Location": to})


@pytest.fixture
def two_servers():
    a, b = LocalServer(), LocalServer()  # two ports of 127.0.0.1: two origins
    yield a, b
    a.stop()
    b.stop()


def _get(url: str, login: BasicLogin | None = None, **kw):
    http = make_config_http()

    async def go():
        async with Fetcher(http, **kw) as f:
            return await f.get(url, login=login)

    return asyncio.run(go())


def make_config_http():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        return make_config(Path(d)).http


def _login(url: str) -> BasicLogin:
    return BasicLogin.for_url(url, USER, PASSWORD)


# ---- the Fetcher ---------------------------------------------------------------------------------------------------

def test_the_login_reaches_its_own_origin_and_nothing_else_without_it(two_servers):
    a, _ = two_servers
    a.routes["/feed.rss"] = _login_required
    assert _get(a.url("/feed.rss"), _login(a.url("/feed.rss"))).status == 200
    assert a.request_headers["/feed.rss"][-1]["authorization"] == f"Basic {TOKEN}"
    with pytest.raises(HttpStatusError, match="401"):
        _get(a.url("/feed.rss"))  # no login, no header
    assert "authorization" not in a.request_headers["/feed.rss"][-1]


def test_a_redirect_to_another_origin_never_carries_the_login(two_servers):
    """The feed moves to a second port (another origin): the header stays home; a hop back home takes it again."""
    a, b = two_servers
    a.routes["/old.rss"] = _redirect(b.url("/new.rss"))
    b.routes["/new.rss"] = lambda r: send(r, 200, FEED)
    b.routes["/back.rss"] = _redirect(a.url("/feed.rss"))
    a.routes["/via-b.rss"] = _redirect(b.url("/back.rss"))
    a.routes["/feed.rss"] = _login_required
    login = _login(a.url("/old.rss"))
    assert _get(a.url("/old.rss"), login).status == 200
    assert a.request_headers["/old.rss"][-1]["authorization"] == f"Basic {TOKEN}"
    assert "authorization" not in b.request_headers["/new.rss"][-1]
    assert _get(a.url("/via-b.rss"), login).status == 200  # A → B → A: only the two hops to A carry it
    assert "authorization" not in b.request_headers["/back.rss"][-1]
    assert a.request_headers["/feed.rss"][-1]["authorization"] == f"Basic {TOKEN}"


def test_a_login_for_another_origin_is_not_sent(two_servers):
    """A kind that fetches other addresses than its source's (an API, a linked page) sends them no login."""
    a, b = two_servers
    b.routes["/x"] = lambda r: send(r, 200, FEED)
    assert _get(b.url("/x"), _login(a.url("/feed.rss"))).status == 200
    assert "authorization" not in b.request_headers["/x"][-1]


def test_httpx_itself_drops_the_header_across_ports_but_keeps_it_on_an_https_upgrade(two_servers):
    """What httpx 0.x does with an Authorization header on redirects, checked rather than relied on: it drops it for
    another port of the same host, and keeps it for http://h/ → https://h/, which the Fetcher does not (below)."""
    a, b = two_servers
    a.routes["/old.rss"] = _redirect(b.url("/new.rss"))
    b.routes["/new.rss"] = lambda r: send(r, 200, FEED)
    with httpx.Client(follow_redirects=True, trust_env=False) as client:
        assert client.get(a.url("/old.rss"), headers={"Authorization": f"Basic {TOKEN}"}).status_code == 200
    assert "authorization" not in b.request_headers["/new.rss"][-1]

    seen: list[httpx.Request] = []

    def upgrade(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.scheme == "http":
            return httpx.Response(301, headers={"Location": "https://127.0.0.1/feed.rss"})
        return httpx.Response(200, content=FEED)

    with httpx.Client(follow_redirects=True, transport=httpx.MockTransport(upgrade)) as client:
        client.get("http://127.0.0.1/feed.rss", headers={"Authorization": f"Basic {TOKEN}"})
    assert [r.headers.get("authorization") for r in seen] == [f"Basic {TOKEN}"] * 2  # httpx keeps it on the upgrade

    seen.clear()
    assert _get("http://127.0.0.1/feed.rss", _login("http://127.0.0.1/feed.rss"),
                transport=httpx.MockTransport(upgrade)).status == 200
    assert [r.headers.get("authorization") for r in seen] == [f"Basic {TOKEN}", None]  # the Fetcher does not


def test_a_callers_own_authorization_header_stays_the_callers(two_servers):
    a, _ = two_servers
    a.routes["/api"] = lambda r: send(r, 200, b"{}", "application/json")

    async def go():
        async with Fetcher(make_config_http()) as f:
            return await f.get(a.url("/api"), headers={"Authorization": "Bearer tok"}, login=_login(a.url("/api")))

    asyncio.run(go())
    assert a.request_headers["/api"][-1]["authorization"] == "Bearer tok"


def test_the_login_is_in_no_log_line_and_not_in_repr(two_servers, caplog):
    a, b = two_servers
    a.routes["/old.rss"] = _redirect(b.url("/new.rss"))
    b.routes["/new.rss"] = lambda r: send(r, 404, b"no", "text/plain")
    login = _login(a.url("/old.rss"))
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(HttpStatusError) as err:
            _get(a.url("/old.rss"), login)
    said = "\n".join(r.getMessage() for r in caplog.records) + str(err.value) + repr(login)
    assert caplog.records  # httpx and httpcore did log the requests
    assert PASSWORD not in said and TOKEN not in said


# ---- the settings ----------------------------------------------------------------------------------------------------

def _source(**kw):
    return rss_source("noibo", "https://intranet.example.vn/rss", **kw)


@pytest.mark.parametrize("kw,says", [
    ({"username": USER}, "thiếu password_env"),
    ({"password_env": ENV}, "thiếu username"),
    ({"username": "a:b", "password_env": ENV}, "không dùng được"),
    ({"username": " canbo", "password_env": ENV}, "không dùng được"),
    ({"username": USER, "password_env": "lowercase_name"}, "phải là tên biến"),
])
def test_a_login_with_a_part_missing_or_wrong_is_refused_at_load(tmp_path, kw, says):
    with pytest.raises(C.ConfigError, match=says):
        make_config(tmp_path, sources=[_source(**kw)])


def test_a_password_written_in_password_env_is_refused_and_not_quoted(tmp_path):
    with pytest.raises(C.ConfigError, match="không phải mật khẩu") as err:
        make_config(tmp_path, sources=[_source(username=USER, password_env=PASSWORD)])
    assert PASSWORD not in str(err.value)


def test_a_mailbox_logs_in_through_its_options_not_these(tmp_path):
    src = {"name": "hopthu", "kind": "email_inbox", "url": "imaps://mail.example.vn/INBOX", "outlet": "H",
           "username": USER, "password_env": ENV}
    with pytest.raises(C.ConfigError, match="options username_env"):
        make_config(tmp_path, sources=[src])


def test_a_login_source_loads_and_the_address_refusal_points_to_it(tmp_path):
    cfg = make_config(tmp_path, sources=[_source(username=USER, password_env=ENV)],
                      source_logins={ENV: "https://intranet.example.vn"})
    assert (cfg.sources[0].username, cfg.sources[0].password_env) == (USER, ENV)
    assert PASSWORD not in repr(cfg)
    said = C.source_url_refusal(f"https://{USER}:{PASSWORD}@intranet.example.vn/rss")
    assert "username" in said and "password_env" in said and "Tên đăng nhập" in said and PASSWORD not in said


# ---- the runner ------------------------------------------------------------------------------------------------------

def _collect(tmp_path, server, monkeypatch, password: str | None):
    from collectors.runner import Runner

    server.routes["/feed.rss"] = _login_required
    if password is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, password)
    monkeypatch.chdir(tmp_path)  # the secrets folder (var/secrets) has no file of that name
    cfg = make_config(tmp_path, sources=[rss_source("noibo", server.url("/feed.rss"), username=USER,
                                                    password_env=ENV)], source_logins={ENV: server.url("/")})
    with database(cfg.storage.db_path) as db:
        return asyncio.run(Runner(cfg, db).run_due()).outcomes[0]


def test_a_login_source_is_collected_with_its_secret(tmp_path, server, monkeypatch):
    out = _collect(tmp_path, server, monkeypatch, PASSWORD)
    assert out.outcome == "ok" and out.items_new == 1
    assert server.request_headers["/feed.rss"][-1]["authorization"] == f"Basic {TOKEN}"


def test_a_missing_secret_names_its_variable_and_nothing_is_sent(tmp_path, server, monkeypatch):
    out = _collect(tmp_path, server, monkeypatch, None)
    assert out.outcome == "error" and out.error_kind == "config" and ENV in out.error
    assert "/feed.rss" not in server.hits


def test_a_wrong_password_says_the_login_was_refused(tmp_path, server, monkeypatch):
    out = _collect(tmp_path, server, monkeypatch, "sai-mat-khau")
    assert out.outcome == "error" and out.http_status == 401
    assert "từ chối đăng nhập" in out.error and ENV in out.error and "sai-mat-khau" not in out.error


def test_full_text_of_a_login_sources_articles_never_carries_the_login(tmp_path, two_servers, monkeypatch):
    """The feed is read with the login; its articles, on the source's own host and on another, are fetched for their
    full text without it (collectors/fulltext.py has a Fetcher of its own)."""
    from collectors import fulltext, robots
    from collectors.runner import Runner

    a, b = two_servers
    links = [a.url("/tin/1.html"), b.url("/tin/2.html")]
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + "".join(
        f"<item><title>Thông báo {i}</title><link>{u}</link><description>Tóm tắt {i}</description></item>"
        for i, u in enumerate(links)) + "</channel></rss>").encode()
    a.routes["/feed.rss"] = lambda r: send(r, 200, feed) if _auth(r) == f"Basic {TOKEN}" else send(r, 401, b"", "text/plain")
    page = ("<html><body><article><p>" + "Nội dung thông báo của cơ quan về lịch họp tuần tới. " * 20
            + "</p></article></body></html>").encode()
    a.routes["/tin/1.html"] = b.routes["/tin/2.html"] = lambda r: send(r, 200, page, "text/html; charset=utf-8")
    monkeypatch.setenv(ENV, PASSWORD)
    monkeypatch.chdir(tmp_path)
    robots.clear_cache()
    cfg = make_config(tmp_path, sources=[rss_source("noibo", a.url("/feed.rss"), username=USER, password_env=ENV)],
                      fulltext={"per_host_spacing_seconds": 0.0}, source_logins={ENV: a.url("/")})
    with database(cfg.storage.db_path) as db:
        assert asyncio.run(Runner(cfg, db).run_due()).outcomes[0].items_new == 2
        asyncio.run(fulltext.run(cfg, db))
    robots.clear_cache()
    assert a.request_headers["/feed.rss"][-1]["authorization"] == f"Basic {TOKEN}"
    fetched = a.request_headers.get("/tin/1.html", []) + b.request_headers.get("/tin/2.html", [])
    assert len(fetched) == 2 and not [h for h in fetched if "authorization" in h]


@pytest.mark.parametrize("challenge, says", [
    ('Basic realm="intranet"', "nguồn phải đăng nhập: đặt username và password_env"),
    ('Digest realm="intranet", nonce="1"', "chỉ đăng nhập nguồn bằng HTTP Basic"),
    ('Bearer realm="api"', None),  # an API's token refused: its kind says it, not the login hint
    (None, None),
])
def test_a_401_of_a_source_without_a_login_says_what_the_server_asked(tmp_path, server, challenge, says):
    from collectors.runner import Runner

    server.routes["/feed.rss"] = lambda r: send(r, 401, b"", "text/plain",
                                                {"WWW-Authenticate": challenge} if challenge else None)
    cfg = make_config(tmp_path, sources=[rss_source("congkhai", server.url("/feed.rss"))])
    with database(cfg.storage.db_path) as db:
        out = asyncio.run(Runner(cfg, db).run_due()).outcomes[0]
    assert out.http_status == 401
    if says:
        assert says in out.error
    else:
        assert out.error == "HTTP 401 Unauthorized"


# ---- review36: a secret only to the origin [source_logins] ties it to ------------------------------------------------

@pytest.mark.parametrize("env, url, says", [
    ("LANGNGHE_TELEGRAM_TOKEN", "https://intranet.example.vn/rss", "chưa được khai báo"),
    (ENV, "https://thu-thap.example.com/rss", "chỉ được gửi tới"),
    (ENV, "http://intranet.example.vn/rss", "chỉ được gửi tới"),  # another scheme is another origin
])
def test_a_secret_is_used_only_for_the_origin_it_is_declared_for(tmp_path, env, url, says):
    with pytest.raises(C.ConfigError, match=says):
        make_config(tmp_path, sources=[rss_source("noibo", url, username=USER, password_env=env)],
                    source_logins={ENV: "https://intranet.example.vn"})
    assert C.source_login_refusal(USER, ENV, "https://INTRANET.example.vn:443/rss",
                                  {ENV: "https://intranet.example.vn"}) is None


@pytest.mark.parametrize("origin", ["intranet.example.vn", "https://intranet.example.vn/rss", "ftp://x.vn",
                                    "https://a:b@intranet.example.vn", 5])
def test_a_declared_origin_is_an_origin(tmp_path, origin):
    with pytest.raises(C.ConfigError, match="source_logins"):
        make_config(tmp_path, source_logins={ENV: origin})


def test_the_runner_sends_no_secret_to_an_address_moved_off_its_origin(tmp_path, two_servers, monkeypatch):
    """A managed source's address edited to another host (rows are merged without the load's check): the runner
    checks again, and the secret is not sent."""
    import dataclasses

    from collectors.runner import Runner

    a, b = two_servers
    b.routes["/feed.rss"] = _login_required
    monkeypatch.setenv(ENV, PASSWORD)
    monkeypatch.chdir(tmp_path)
    cfg = make_config(tmp_path, sources=[rss_source("noibo", a.url("/feed.rss"), username=USER, password_env=ENV)],
                      source_logins={ENV: a.url("/")})
    moved = dataclasses.replace(cfg, sources=(dataclasses.replace(cfg.sources[0], url=b.url("/feed.rss")),))
    with database(cfg.storage.db_path) as db:
        out = asyncio.run(Runner(moved, db).run_due()).outcomes[0]
    assert out.outcome == "error" and out.error_kind == "config" and "chỉ được gửi tới" in out.error
    assert "/feed.rss" not in b.hits and PASSWORD not in out.error


@pytest.mark.parametrize("challenge, scheme", [('Negotiate, NTLM, Basic realm="noibo"', "basic"),
                                               ('Basic realm="x"', "basic"), ("Negotiate, NTLM", "negotiate"),
                                               ('Digest realm="x", qop="auth"', "digest"), ("", "")])
def test_the_scheme_a_401_asks_for_finds_basic_among_several(challenge, scheme):
    """review36: httpx joins repeated WWW-Authenticate headers; «negotiate,» was read where Basic was offered."""
    from collectors.http import auth_scheme

    assert auth_scheme(challenge) == scheme
