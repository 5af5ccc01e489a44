"""The ASGI app `langnghe serve` runs: the Streamlit dashboard (dashboard/app.py) plus one route of ours,
`/download/<signed>`, which serves generated report files to the signed-in session a link was made for
(dashboard/downloads.py). Streamlit's own `/media/` serves anything to anyone, so reports never go there.
Its frontend bundle under `/static/` is gzipped by us (`GzipStatic`): Streamlit leaves it uncompressed.

    langnghe/service.py: bootstrap.run_asgi_app(APP_PATH, "dashboard.server:app", …)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard import downloads
from orchestration.accounts import SESSION_COOKIE, AuthService, AuthSettings

APP_PATH = Path(__file__).resolve().parent / "app.py"
NO_STORE = {"Cache-Control": "no-store, private", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _grant(signed: str, cookie: str | None) -> downloads.Grant | None:
    from orchestration import runtime
    auth = AuthService(runtime.get_db(), AuthSettings.from_config(runtime.get_config()))
    return downloads.resolve(signed, cookie, auth)


async def download(request: Request) -> Response:
    grant = await run_in_threadpool(_grant, request.path_params["signed"], request.cookies.get(SESSION_COOKIE))
    if grant is None:
        return PlainTextResponse(downloads.DENIED, status_code=403, headers=NO_STORE)
    return FileResponse(grant.path, media_type=grant.mime, filename=grant.path.name, headers=NO_STORE)


routes = [Route(downloads.PREFIX + "{signed}", download, methods=["GET"])]

STATIC_PREFIX = "/static/"


class GzipStatic:
    """Gzip Streamlit's frontend files (`/static/…`) for browsers that accept it. Streamlit serves them
    uncompressed (it expects a proxy to compress): Tổng quan's first load was 9.2 MB, 4.6 MB of it Plotly's
    bundle, a minute and more on a phone's 3G; gzipped about 70 % less. The files are content-hashed and
    cached for a year, so each browser fetches them once; Starlette compresses large bodies in a thread.
    Other paths (pages, websocket, `/download/` files) pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=1024, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(STATIC_PREFIX):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def __getattr__(name: str) -> st.App:
    """`app`, built on first use: importing the routes (tests) must not set up a Streamlit app."""
    if name == "app":
        globals()["app"] = built = st.App(APP_PATH, routes=routes, middleware=[Middleware(GzipStatic)])
        return built
    raise AttributeError(name)
