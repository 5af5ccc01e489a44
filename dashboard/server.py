"""The ASGI app `langnghe serve` runs: the Streamlit dashboard (dashboard/app.py) plus one route of ours,
`/download/<signed>`, which serves generated report files to the signed-in session a link was made for
(dashboard/downloads.py). Streamlit's own `/media/` serves anything to anyone, so reports never go there.

    langnghe/service.py: bootstrap.run_asgi_app(APP_PATH, "dashboard.server:app", …)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

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


def __getattr__(name: str) -> st.App:
    """`app`, built on first use: importing the routes (tests) must not set up a Streamlit app."""
    if name == "app":
        globals()["app"] = built = st.App(APP_PATH, routes=routes)
        return built
    raise AttributeError(name)
