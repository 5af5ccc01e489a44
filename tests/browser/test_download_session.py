"""Generated report files reach only a signed-in session (issue 11, part 6), on a real server: the package's `served`
(its archived weekly report: tests/browser/conftest.py). Chromium signs in and downloads the report; the file's
address, fetched by a cookieless httpx client, and again after sign-out, is refused. The /download/ route itself is
tested in process in tests/dashboard/test_downloads.py."""

from __future__ import annotations

import httpx
import pytest

from orchestration.accounts import SESSION_COOKIE
from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]


def test_report_download_is_refused_without_the_session_on_a_real_server(served, chromium):
    # signs in itself: its sign-out ends the session it signed in with (served_as's would end for every walk)
    page = chromium.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    got: list = []
    page.on("download", lambda d: got.append(d))
    page.context.on("page", lambda popup: popup.on("download", lambda d: got.append(d)))
    page.goto(f"{served.base}/reports", wait_until="networkidle")
    log_in(page, "xem", served.passwords["xem"])
    page.get_by_role("tab", name="Lưu trữ").click()
    page.get_by_text("Tải DOCX (Word)").first.click(timeout=30_000)
    for _ in range(150):
        if got:
            break
        page.wait_for_timeout(200)
    assert got, "no download started"
    url = got[0].url
    with open(got[0].path(), "rb") as fh:
        assert fh.read() == served.report.read_bytes()  # the signed-in session downloads the report
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}.get(SESSION_COOKIE)
    with httpx.Client(timeout=30) as anon:  # no cookie
        r = anon.get(url)
        assert r.status_code in (403, 404) and not r.content.startswith(b"PK"), (url, r.status_code)
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=20_000)
    with httpx.Client(timeout=30, cookies={SESSION_COOKIE: cookie or ""}) as old:  # after sign-out
        r = old.get(url)
        assert r.status_code in (403, 404) and not r.content.startswith(b"PK"), (url, r.status_code)
    assert "Traceback" not in served.server.output, served.server.output[-3000:]
