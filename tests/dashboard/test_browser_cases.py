"""Phản ánh in real Chromium: a refused 'Lưu' keeps the note staff typed (clear_on_submit emptied it,
which AppTest does not show)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, log_in, require_chromium
from tests.dashboard.served import prepare, serving
from tests.dashboard.test_browser import _goto, _settle, _type
from tests.conftest import database

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NOTE = "Đã gọi điện cho tổ trưởng tổ 5"


def _answered_case(cfg_path) -> int:  # type: ignore[no-untyped-def]
    from orchestration import cases
    from store import cases as store_cases
    from store.db import utcnow
    from store.items import insert_items
    from tests.dashboard.test_cases_page import complaint
    from vocab import config as config_mod

    cfg = config_mod.load(cfg_path)
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            ids = insert_items(cur, [complaint(7, utcnow() - timedelta(hours=2))])
        cid = cases.open_for_items(cfg, db, ids, now=utcnow())[0]
        with db.write() as cur:
            store_cases.transition(cur, cid, "answered", "chuyenvien", utcnow())
    return cid


def test_a_refused_case_change_keeps_the_note_in_chromium(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    cfg, pw = prepare(tmp_path, n_items=60)
    _answered_case(cfg)
    with serving(cfg, tmp_path) as (_, port):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle")
            log_in(page, "chuyenvien", pw["chuyenvien"])
            _goto(page, "Phản ánh")
            page.locator("[data-testid=stButtonGroup]").get_by_text("Đã trả lời / đóng").click()
            _settle(page)
            combo = page.locator('[data-testid="stSelectbox"]').filter(has_text="Giao cho").first \
                .get_by_role("combobox")
            options = page.get_by_role("option")
            combo.click()
            if not options.count():
                combo.press("ArrowDown")  # the list opens on the first click or on ↓ once focused
            try:
                options.filter(has_text="Nguyễn Thị Lan").first.click(timeout=10_000)
            except Exception:
                page.screenshot(path=str(tmp_path / "debug.png"), full_page=True)
                raise
            _settle(page)
            _type(page, "Ghi chú nội bộ", NOTE)
            page.get_by_role("button", name="Lưu").click()
            page.get_by_text("mở lại trước khi giao").first.wait_for(timeout=20_000)  # refused: said why
            _settle(page)
            assert page.get_by_label("Ghi chú nội bộ").input_value() == NOTE
            browser.close()
