"""The dashboard in real headless Chromium against `langnghe serve` on a seeded database:
log in (a reload keeps the session, signing out ends it), open an alert, acknowledge it with a note,
dismiss another, and find both actions in the audit log (as the admin); the malicious item executes nothing; screenshots of every page at
1366×768 go to test-artifacts/dashboard/.

On the package's `served` (tests/browser/conftest.py; until round 26 tests/dashboard/test_browser.py, which seeded
800 items and started a server and a Chromium of its own, the suite's longest test). Its pages are opened in
contexts of its own, without the shared cookies: the walk tests signing in and out. The two alerts it acts on are
read by no other walk (the briefing walks check its columns and reasons, not which alerts are open)."""

from __future__ import annotations

import re

import pytest

from devtools.screenshots import scroll_main
from tests.browser.conftest import SERVED_GROUP
from tests.browser.helpers import ARTIFACTS, goto, log_in, open_filters, settle, type_into

pytestmark = [pytest.mark.browser, pytest.mark.slow, SERVED_GROUP]
SHOTS = ARTIFACTS / "dashboard"


def _shot(page, name: str, full: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # what a 1366×768 screen shows
    if full:  # Streamlit scrolls inside its main section: scroll it and take the next screens too
        for k in (2, 3):
            if not scroll_main(page, 650):
                break
            page.wait_for_timeout(400)
            page.screenshot(path=str(SHOTS / f"{name}_{k}.png"))
        page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]'); if (m) m.scrollTo(0, 0); }""")


def _open_alert_id(page) -> str:  # type: ignore[no-untyped-def]
    """The id of the alert whose detail is shown (its heading: '● A000012 · title')."""
    head = page.get_by_role("heading", level=3).filter(has_text=re.compile(r"A\d{6} ·")).first
    head.wait_for(timeout=20_000)
    return re.search(r"A\d{6}", head.inner_text()).group(0)


def test_review_alerts_in_chromium_and_see_them_in_the_audit_log(served, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, pw, srv = served.base, served.passwords, served.server
    said_before = len(srv.output)  # the shared server's lines up to this walk: only the walk's own are checked
    dialogs: list[str] = []
    # a first visit without a session is a deep link: it gets the login form, not a blank page
    # (a pages/ folder beside app.py once made Streamlit run that page module by itself)
    first = chromium.new_page(viewport={"width": 1366, "height": 768})  # a context of its own: no cookie
    first.goto(f"{base}/alerts?alert=A000001", wait_until="networkidle")
    first.locator("input[type=password]").wait_for(timeout=90_000)
    first.close()
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/", wait_until="networkidle")
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=90_000)
    _shot(page, "00_dang_nhap")

    # a wrong password first: refused, with a message
    page.get_by_label("Tên đăng nhập").fill("chuyenvien")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Sai tên đăng nhập hoặc mật khẩu").wait_for(timeout=20_000)

    log_in(page, "chuyenvien", pw["chuyenvien"])
    page.get_by_text("Tin mới nhất").first.wait_for(timeout=90_000)
    settle(page)
    # reloading the page keeps the user signed in (auth.remember_in_browser)
    assert "langnghe_session" in {c["name"] for c in page.context.cookies()}
    page.reload(wait_until="networkidle")
    page.get_by_text("Tin mới nhất").first.wait_for(timeout=90_000)
    assert page.locator("input[type=password]").count() == 0
    settle(page)
    _shot(page, "01_tong_quan", full=True)

    # open the first alert, acknowledge it with a note
    goto(page, "Cảnh báo")
    page.get_by_label("Ghi chú (kèm theo thao tác)", exact=True).wait_for(timeout=90_000)
    first_id = _open_alert_id(page)
    type_into(page, "Ghi chú (kèm theo thao tác)", "Đã báo cáo lãnh đạo, đề nghị phường xác minh")
    _shot(page, "02_canh_bao")
    page.get_by_role("button", name="Tiếp nhận").click()
    page.get_by_text(f"Đã tiếp nhận cảnh báo {first_id}.").wait_for(timeout=20_000)
    settle(page)

    # open another one and dismiss it with a reason
    combo = page.locator('[data-testid="stSelectbox"]').filter(has_text="Mở cảnh báo").first \
        .get_by_role("combobox")
    options = page.get_by_role("option")
    try:
        combo.click()
        if not options.count():
            combo.press("ArrowDown")  # the list opens on the first click or on ↓ once focused
        options.first.wait_for(timeout=5_000)
    except Exception:
        page.screenshot(path=str(SHOTS / "debug_select.png"))
        raise
    second_id = next(re.search(r"A\d{6}", t).group(0) for t in options.all_inner_texts()
                     if first_id not in t)
    options.filter(has_text=second_id).first.click()
    settle(page)
    assert _open_alert_id(page) == second_id
    type_into(page, "Lý do bỏ qua (bắt buộc)", "Tin trùng, không thuộc địa bàn")
    page.get_by_role("button", name="Bỏ qua cảnh báo").click()
    try:
        page.get_by_text(f"Đã bỏ qua cảnh báo {second_id}.").wait_for(timeout=20_000)
    except Exception:
        page.screenshot(path=str(SHOTS / "debug_dismiss.png"), full_page=True)
        raise
    settle(page)
    _shot(page, "03_canh_bao_da_xu_ly")

    # the malicious item: shown as text, nothing runs, no non-http link anywhere
    goto(page, "Tin bài")
    open_filters(page)
    page.get_by_text("Chỉ tin về địa bàn theo dõi").first.click()  # the page opens on the area; this item is not
    settle(page)
    page.get_by_label(re.compile("^Tìm trong tiêu đề")).fill("tin doc")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_text("Liên kết gốc không phải http(s)").wait_for(timeout=20_000)
    # the title is on the page as plain text, tags and all
    page.get_by_role("heading", level=4).filter(has_text='<script>window.__xss=1;alert("xss")</script>') \
        .first.wait_for(timeout=10_000)
    _shot(page, "04_tin_bai_tin_doc")
    assert page.evaluate("() => window.__xss") is None
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert page.locator("script", has_text="__xss").count() == 0
    assert page.locator("iframe[src^='javascript']").count() == 0

    for title, name in (("Trước giao ban", "05_truoc_giao_ban"), ("Chủ đề", "06_chu_de_dia_ban"),
                        ("Nguồn tin", "07_nguon_tin")):
        goto(page, title)
        page.wait_for_timeout(600)  # let the charts draw before the picture
        _shot(page, name, full=True)
    assert page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Quản trị").count() == 0

    # the admin sees both actions, by whom, in the audit log
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=20_000)
    settle(page)
    assert "langnghe_session" not in {c["name"] for c in page.context.cookies()}
    page.reload(wait_until="networkidle")  # signed out stays signed out
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=90_000)
    log_in(page, "quantri", pw["quantri"])
    goto(page, "Quản trị")
    page.get_by_text("Thao tác gần đây").wait_for(timeout=20_000)
    log = page.locator('[data-testid="stTable"]').first
    log.wait_for(timeout=20_000)
    text = log.inner_text()
    assert re.search(rf"chuyenvien.*Chuyển trạng thái.*Cảnh báo {second_id}.*Đã tiếp nhận → Bỏ qua|"
                     rf"chuyenvien.*Chuyển trạng thái.*Cảnh báo {second_id}.*Mới → Bỏ qua", text, re.S), text
    assert re.search(rf"chuyenvien.*Chuyển trạng thái.*Cảnh báo {first_id}.*→ Đã tiếp nhận", text, re.S), text
    assert "Đã báo cáo lãnh đạo" in text and "Tin trùng" in text
    _shot(page, "08_quan_tri_nhat_ky")
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert "Traceback" not in srv.output[said_before:], srv.output[said_before:][-3000:]
