"""Generated report files reach only a signed-in session (issue 11, part 6).

In-process: the /download/ route (dashboard/server.py) through Starlette's TestClient, no network.
On a real server (tests/browser/test_download_session.py): `langnghe serve` on 127.0.0.1, Chromium signs in and
downloads a report; the file's address, fetched by a cookieless httpx client, and again after sign-out, is refused."""

from __future__ import annotations

import time

import httpx
import itsdangerous.timed
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard import downloads, server
from orchestration.accounts import SESSION_COOKIE
from orchestration import runtime
from tests.conftest import database
from tests.dashboard.conftest import PASSWORD, Env
from tests.dashboard.served import archive_report, prepare


@pytest.fixture
def route(tmp_path):
    e = Env(tmp_path)
    e.add_users()
    f = tmp_path / "bao-cao-tuan-2026-W47.docx"
    f.write_bytes(b"PK\x03\x04 bao cao")
    client = TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1")
    yield e, f, client
    e.close()


def _get(client: TestClient, url: str, token: str | None = None) -> httpx.Response:
    """GET with exactly this session cookie (or none)."""
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(url)


def _login(e: Env, name: str = "xem") -> str:
    res = e.auth.login(name, PASSWORD, client="127.0.0.1")
    assert res.ok
    return res.token


def test_link_serves_the_file_to_its_session_only(route):
    e, f, client = route
    token = _login(e)
    url = downloads.link(f, token)
    r = _get(client, url, token)
    assert r.status_code == 200 and r.content == f.read_bytes()
    assert "attachment" in r.headers["content-disposition"] and "no-store" in r.headers["cache-control"]
    # no cookie, or another signed-in user's cookie: refused (with remember_in_browser, the default)
    assert _get(client, url).status_code == 403
    assert _get(client, url, _login(e, "chuyenvien")).status_code == 403
    # a forged or altered link
    assert _get(client, downloads.PREFIX + "abc", token).status_code == 403
    forged = downloads.link(f.parent / "khac.docx", token)
    assert _get(client, forged[:-3] + "xyz", token).status_code == 403
    # signed out: the same link and cookie no longer work
    e.auth.logout(token)
    r = _get(client, url, token)
    assert r.status_code == 403 and "đăng nhập" in r.text


def test_link_expires_and_serves_only_report_files(route, monkeypatch):
    e, f, client = route
    token = _login(e)
    old = int(time.time()) - 31 * 60  # download_link_minutes = 30
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: old)
        stale = downloads.link(f, token)
    assert _get(client, stale, token).status_code == 403
    secret = f.parent / "serve.toml"
    secret.write_text("[auth]\n", encoding="utf-8")
    assert _get(client, downloads.link(secret, token), token).status_code == 403
    f.unlink()
    assert _get(client, downloads.link(f, token), token).status_code == 403


def test_without_cookies_the_link_is_bound_to_the_session(tmp_path):
    e = Env(tmp_path, auth={"remember_in_browser": False})
    try:
        e.add_users()
        f = tmp_path / "bao-cao.pdf"
        f.write_bytes(b"%PDF-1.7")
        client = TestClient(Starlette(routes=server.routes), base_url="http://127.0.0.1")
        token = _login(e)
        url = downloads.link(f, token)
        assert client.get(url).status_code == 200
        e.auth.update("xem", active=False, by="quantri")
        assert client.get(url).status_code == 403
    finally:
        e.close()


def test_report_page_renders_session_links_not_media_downloads(tmp_path):
    from tests.dashboard.conftest import no_exception

    cfg_path, _ = prepare(tmp_path, n_items=60)
    archive_report(cfg_path)
    from vocab import config as config_mod

    cfg = config_mod.load(cfg_path)
    runtime.reset()
    db = database(cfg.storage.db_path)
    runtime.install(cfg, db)
    try:
        from orchestration.accounts import service
        from streamlit.testing.v1 import AppTest

        token = service(cfg, db).login("xem", "chi-xem-12345").token
        at = AppTest.from_string("from dashboard.views import reports as _p\n_p.render()\n", default_timeout=60)
        at.session_state["user"] = {"username": "xem", "display_name": "Lê Minh", "role": "viewer"}
        at.session_state["auth_token"] = token
        at.run()
        no_exception(at)
        assert not at.get("download_button")  # Streamlit would serve its bytes at /media/ to anyone
        links = [b.proto.url for b in at.get("link_button")]
        assert links and all(u.startswith(downloads.PREFIX) for u in links)
    finally:
        runtime.reset()


def test_streamlit_frontend_files_are_gzipped_and_nothing_else():
    """Streamlit serves its bundle (/static/…) uncompressed: 9.2 MB on a phone's first load of Tổng quan.
    GzipStatic compresses only that path; report files and pages pass as they are."""
    from starlette.responses import Response as Plain

    body = ("var plotly = function () { return 1; };\n" * 2000).encode()
    app = Starlette(routes=[
        Route("/static/js/PlotlyChart.abc.js", lambda r: Plain(body, media_type="text/javascript")),
        Route("/download/x", lambda r: Plain(body, media_type="application/octet-stream")),
    ])
    client = TestClient(server.GzipStatic(app), base_url="http://127.0.0.1")
    r = client.get("/static/js/PlotlyChart.abc.js", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip" and r.content == body
    assert int(r.headers["content-length"]) < len(body) // 10
    assert "content-encoding" not in client.get("/download/x", headers={"Accept-Encoding": "gzip"}).headers
    assert "content-encoding" not in client.get("/static/js/PlotlyChart.abc.js",
                                                 headers={"Accept-Encoding": "identity"}).headers
