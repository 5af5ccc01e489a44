"""AppTest of the Phản ánh page: empty state, the queue with an overdue case first, the workflow form
(assign, status, note: audited) and a reply recorded by hand; and complaints shown on their alert."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from orchestration import cases
from store import cases as store_cases
from store.db import utcnow
from store.items import insert_items
from tests.dashboard.conftest import no_exception, texts
from vocab.item import Item


def complaint(i: int, when) -> Item:
    return Item(id=f"c{i}", source="import-pakn", collector="import", source_type="social", outlet="Tệp nhập",
                url=f"urn:langnghe:import:{i}", canonical_url=f"urn:langnghe:import:{i}",
                title=f"Phản ánh số {i}: đèn đường tổ {i} hỏng", summary="Đèn đường hỏng cả tháng.",
                published_at=when, published_estimated=False, fetched_at=when, content_hash=f"h{i}", flags=("complaint",))


def seed(env) -> list[int]:
    now = utcnow()
    with env.db.write() as cur:
        ids = insert_items(cur, [complaint(1, now - timedelta(days=20)), complaint(2, now)])
    old = cases.open_for_items(env.cfg, env.db, ids[:1], now=now - timedelta(days=20))
    new = cases.open_for_items(env.cfg, env.db, ids[1:], now=now)
    return old + new


def open_new_case(env) -> tuple[Any, int]:
    """Cán bộ (analyst) on Phản ánh with the newer of `seed`'s two cases picked: what the tests of its detail start
    from (written out eight times before)."""
    env.add_users()
    _old, new = seed(env)
    at = env.page("cases", "analyst").run()
    at.selectbox(key="case_pick").set_value(new).run()
    return at, new


def test_empty_state(env):
    """With no case at all the page, open on «Đang mở», says where cases come from (it said only «Không có phản ánh
    nào trong nhóm này.» unless «Tất cả» was picked); with cases, an empty group or channel says just that."""
    env.add_users()
    at = env.page("cases", "viewer").run()
    no_exception(at)
    assert "Chưa có phản ánh nào. Phản ánh đến từ các nguồn fanpage" in texts(at)
    seed(env)
    st.cache_data.clear()  # as a write from the dashboard does (data.refresh)
    at = env.page("cases", "viewer").run()
    at.segmented_control(key="case_filter").set_value("Đã trả lời / đóng").run()
    no_exception(at)
    assert "Không có phản ánh nào trong nhóm này." in texts(at) and "Chưa có phản ánh nào" not in texts(at)
    at.segmented_control(key="case_filter").set_value("Tất cả")
    at.multiselect(key="case_channels").set_value(["zalo_oa"]).run()
    assert "Không có phản ánh nào trong nhóm này." in texts(at) and "Chưa có phản ánh nào" not in texts(at)


def test_queue_overdue_first_and_workflow(env):
    env.add_users()
    old, new = seed(env)
    at = env.page("cases", "analyst").run()
    no_exception(at)
    table = next(d.value for d in at.dataframe if "Số" in d.value.columns)
    assert list(table["Số"])[0] == old and list(table["Quá hạn"])[0] == "⚠ quá hạn"
    assert "Tiếp nhận (30 ngày)" in texts(at)
    at.selectbox(key="case_pick").set_value(new).run()
    form = at.get("form")[0] if at.get("form") else None
    assert form is not None
    sel = [s for s in at.selectbox if s.label == "Giao cho"][0]
    sel.set_value("chuyenvien")
    [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].input("Gọi điện cho người dân")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    with env.db.read() as cur:
        c = store_cases.get_case(cur, new)
        ev = store_cases.case_events(cur, new)
    assert c["assignee"] == "chuyenvien" and c["status"] == "assigned"
    assert [e["action"] for e in ev] == ["opened", "assign"] and "Gọi điện" in ev[1]["note"]
    at.text_area[0].input("Đã báo điện lực sửa trong tuần.")
    [b for b in at.button if b.label == "Ghi nhận đã trả lời"][0].click().run()
    no_exception(at)
    with env.db.read() as cur:
        assert store_cases.get_case(cur, new)["status"] == "answered"


def test_viewers_see_but_do_not_act(env):
    env.add_users()
    seed(env)
    at = env.page("cases", "viewer").run()
    no_exception(at)
    assert not [b for b in at.button if b.label in ("Lưu", "Ghi nhận đã trả lời")]


def test_case_names_its_story_and_outlet_not_internal_ids(env):
    """Round 10 walk-through: a case read "Kênh: Fanpage (demo-fanpage-vangdanh)" and "Thuộc chuỗi tin
    2e0d6463…" (a 40-character story hash); its link was a markdown link built from the feed's URL."""
    from store import alerts as store_alerts
    from store import stories as store_stories
    from vocab.alerts import NewAlert
    from vocab.folding import fold

    env.add_users()
    _, new = seed(env)
    sid = "2e0d64638fd3d3e3bac8b1550ce2acf551abb45e"
    now = utcnow()
    with env.db.write() as cur:
        cur.execute("UPDATE items SET url = ? WHERE id = 'c2'",
                    ["https://x.example/a) [bấm](javascript:alert(1)"])
        store_stories.add_story_items(cur, [{
            "item_id": "c2", "story_id": sid, "published_at": now, "source": "import-pakn", "outlet": "Tệp nhập",
            "source_type": "social", "title": "Đèn đường tổ 2 hỏng cả tháng", "in_area": True, "grouped_at": now,
            "folded": fold("Đèn đường tổ 2 hỏng cả tháng")}])
        store_stories.refresh_stories(cur, [sid], now)
        aid = store_alerts.raise_alert(cur, NewAlert.of("Đèn đường tổ 2 hỏng cả tháng", "low", "lý do", story_id=sid,
                                                        item_ids=["c2"], n_items=1, n_outlets=1), now)
    at = env.page("cases", "analyst").run()
    at.selectbox(key="case_pick").set_value(new).run()
    no_exception(at)
    body = texts(at)
    assert sid not in body and "import-pakn" not in body
    assert "Tệp nhập" in body and f"cảnh báo {aid}" in body and "Đèn đường tổ 2 hỏng cả tháng" in body
    assert not any("javascript" in m.value for m in at.markdown)


def test_a_refused_save_keeps_the_typed_note(env):
    """The 'Lưu' form cleared on every submit: a change refused (the case closed meanwhile by a colleague)
    said why and threw away the note staff had typed. The note is emptied only after a saved change."""
    at, new = open_new_case(env)
    with env.db.write() as cur:  # a colleague closes it while this page is open
        store_cases.transition(cur, new, "closed", "truongphong", utcnow())
    [s for s in at.selectbox if s.label == "Giao cho"][0].set_value("chuyenvien")
    [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].input("Đã gọi điện cho tổ trưởng")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    assert "mở lại trước khi giao" in texts(at)
    assert [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].value == "Đã gọi điện cho tổ trưởng"
    with env.db.write() as cur:
        store_cases.transition(cur, new, "in_progress", "truongphong", utcnow())
    at.run()
    [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].input("Đã gọi điện cho tổ trưởng")
    [b for b in at.button if b.label == "Lưu"][0].click().run()
    no_exception(at)
    with env.db.read() as cur:
        assert store_cases.case_events(cur, new)[-1]["note"].endswith("Đã gọi điện cho tổ trưởng")
    assert [t for t in at.text_input if t.label == "Ghi chú nội bộ"][0].value == ""  # saved: emptied


def test_a_queue_longer_than_the_table_says_so(env):
    """Walk at 300k items: a year's 1.500 cases, and Phản ánh › Tất cả listed 500 of them without a word."""
    env.add_users()
    now = utcnow()
    with env.db.write() as cur:
        ids = insert_items(cur, [complaint(i, now - timedelta(hours=i)) for i in range(505)])
        store_cases.open_cases(cur, [store_cases.NewCase(i, "import", "import-pakn", now, now + timedelta(days=7))
                                     for i in ids])
    at = env.page("cases", "viewer").run()
    no_exception(at)
    table = next(d.value for d in at.dataframe if "Số" in d.value.columns)
    assert len(table) == 500
    assert "Bảng liệt kê 500 phản ánh đầu hàng đợi trong 505; chọn kênh hoặc nhóm để thu hẹp." in texts(at)


def test_history_shows_the_year(env):
    """A case's history read «05/12 20:33»: a case open over New Year showed two dates with no year between them."""
    import json

    at, new = open_new_case(env)
    no_exception(at)
    history = next(d for d in at.dataframe if "Người thực hiện" in d.value.columns)
    assert json.loads(history.proto.columns)["Thời gian"]["type_config"]["format"] == "DD/MM/YYYY HH:mm"


def test_a_refused_reply_keeps_its_text_in_a_form_that_does_not_clear_itself(env):
    """The reply form cleared on submit (`clear_on_submit`, done by the browser whatever the page then says): a
    reply refused for its length (5.000 characters, round 28) or a channel that failed lost what staff had typed.
    The form keeps its box, emptied by new keys only after a reply is sent or recorded (`ui.renew_form`)."""
    at, new = open_new_case(env)
    reply = next(f for f in at.get("form") if f.proto.form.form_id.startswith(f"case_reply_{new}"))
    assert not reply.proto.form.clear_on_submit
    long = "Đã báo điện lực. " * 300
    at.text_area[0].input(long)
    [b for b in at.button if b.label == "Ghi nhận đã trả lời"][0].click().run()
    no_exception(at)
    assert "tối đa 5.000 ký tự" in texts(at)
    assert at.text_area[0].value == long
    with env.db.read() as cur:
        assert store_cases.get_case(cur, new)["status"] != "answered"


def test_a_reply_typed_while_another_account_answered_is_refused_and_said(env):
    """A page read before another account's answer still drew the reply form: the second reply was sent (a second
    public answer, the first one's text written over). Now refused, and the refusal is said on the page that no
    longer draws the form (round 29, `hostile32`)."""
    at, new = open_new_case(env)
    at.text_area[0].input("Đã báo điện lực.")
    cases.send_reply(env.cfg, env.db, new, "Điện lực sửa xong chiều nay.", "truongphong", manual=True)  # elsewhere
    [b for b in at.button if b.label == "Ghi nhận đã trả lời"][0].click().run()
    no_exception(at)
    assert f"Phản ánh #{new} đã được trả lời lúc" in texts(at), texts(at)
    with env.db.read() as cur:
        assert store_cases.get_case(cur, new)["reply_text"] == "Điện lực sửa xong chiều nay."
