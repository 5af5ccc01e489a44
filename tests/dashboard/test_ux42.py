"""ux42 (round 32): what ux41's new-office walk left on the pages. Each test fails on the code before it."""

from __future__ import annotations

import json
from datetime import timedelta

from devtools import synth
from store import dashboard as q
from store.db import utcnow
from store.reports import place_units
from dashboard import gate
from tests.conftest import database, make_config

PROVINCE = {"name": "Tỉnh Nghệ An", "level": "province", "name_2025": "Tỉnh Nghệ An", "province": "Nghệ An",
            "in_area": True, "display": "tỉnh Nghệ An"}
WARD = {"name": "Phường Trường Vinh", "level": "ward_2025", "name_2025": "Phường Trường Vinh", "in_area": True,
        "display": "phường Trường Vinh (TP Vinh cũ)"}


def test_a_province_is_no_row_of_the_2025_units(tmp_path):
    """ux41's walk: a Nghệ An office read «Tỉnh Nghệ An» as a row of Chủ đề's «Đơn vị mới (2025)» (the tagger gives
    the province its own place entry, level "province"): it counted every item naming the province. Left out of the
    page's table (store.dashboard.place_trends), the map's click (unit_place_names) and Bảng 5 (place_units)."""
    cfg = make_config(tmp_path)
    now = utcnow()
    with database(cfg.storage.db_path) as d:
        for title, details in (("Tỉnh và phường", [PROVINCE, WARD]), ("Chỉ tỉnh", [PROVINCE])):
            iid = synth.add_item(d, title=title, summary=title, url=f"https://x.vn/{len(details)}",
                                 places=[e["display"] for e in details])
            with d.write() as cur:
                cur.execute("UPDATE item_tags SET place_details = ?::JSON WHERE item_id = ?",
                            [json.dumps(details, ensure_ascii=False), iid])
        with d.read() as cur:
            df = q.place_trends(cur, now - timedelta(days=14), now - timedelta(days=7), now + timedelta(minutes=1))
            clicked = q.unit_place_names(cur, ["Tỉnh Nghệ An"], now - timedelta(days=14))
    assert list(df["name_2025"]) == ["Phường Trường Vinh"] and list(df["n_now"]) == [1]
    assert clicked == []
    assert place_units(["tỉnh Nghệ An", "phường Trường Vinh (TP Vinh cũ)"], [PROVINCE, WARD]) == ["Phường Trường Vinh"]
    assert place_units(["tỉnh Nghệ An"], [PROVINCE]) == []  # not its label either
    assert place_units(["phường Trường Vinh"], [PROVINCE, WARD], corrected=True) == ["phường Trường Vinh"]


def test_the_console_channel_is_offered_only_in_the_demo_or_when_configured(tmp_path):
    """ux41's walk: a real install's Thông báo offered «Màn hình máy chủ (demo)», which prints on the server's console
    and reaches no one. Shipped config ([notify.console] enabled = false): neither the subscription form nor the
    admin's «Gửi thử» offers it, and a save to it is refused; the demo's config turns it on (devtools/demo.toml)."""
    import pytest

    from dashboard import data_notify as dn
    from devtools import DEMO_CONFIG_PATH
    from orchestration.accounts import User
    from orchestration.notify import channel_offered
    from store import notify as store_notify
    from tests.dashboard.conftest import Env, discard, no_exception
    from vocab import config as config_mod

    e = Env(tmp_path, notify={"console": {"enabled": False}})
    try:
        e.add_users()
        at = e.page("notifications", "admin").run()
        no_exception(at)
        kinds = [s for s in at.selectbox if s.label == "Kênh"]
        assert len(kinds) == 2 and all("Màn hình máy chủ (demo)" not in s.options for s in kinds), kinds
        assert "Thư điện tử (SMTP)" in kinds[0].options
        with pytest.raises(ValueError, match="không dùng được"):
            dn.save(User("chuyenvien", "Cán bộ chuyenvien", "analyst"),
                    store_notify.Subscription(0, "chuyenvien", "console", "chuyenvien"))
        assert not channel_offered(e.cfg, "console") and channel_offered(e.cfg, "email")
    finally:
        discard(e)
    shipped = make_config(tmp_path / "shipped")
    assert not channel_offered(shipped, "console")
    assert channel_offered(config_mod.load(DEMO_CONFIG_PATH), "console")



OLD_SEARCH_HELP = """**Cách tìm**
- `lũ lụt`: tin có cả hai từ; tin có "lũ lụt" liền nhau xếp trước.
- `"bụi than"`: đúng cụm từ, các từ liền nhau.
- `than AND bụi`: AND có thể bỏ, mọi từ đều phải có.
- `lũ OR "sạt lở"`: một trong hai nhóm.
- `ô nhiễm -"bổ nhiệm"`: dấu trừ loại tin có từ hoặc cụm từ đó.

Tìm theo từng tiếng trọn vẹn ("lũ" không ra "Ludovic" hay "lưới"). Gõ có dấu thì khớp đúng tiếng có dấu đó
(và tiếng không dấu trong tin viết không dấu); gõ không dấu thì khớp mọi cách bỏ dấu: "o nhiem" ra "ô nhiễm".
Địa danh gõ có dấu (`Vàng Danh`) cũng ra tin có dấu mà địa danh lại viết không dấu ("ở Vang Danh", "phường vang danh",
"tối qua ở vang danh") khi hệ thống đã nhận ra đó là địa danh; "vang danh" nghĩa là nổi tiếng thì không. Muốn không
sót cách viết nào, gõ không dấu (`vang danh`): ra mọi tin có hai tiếng đó, kể cả nghĩa khác.
Tìm trong tiêu đề, tóm tắt và toàn văn bài báo đã lưu."""
OLD_WATCH_HELP = ("Từ khóa viết theo cú pháp ô tìm kiếm ở trang Tin bài: \"cụm từ\", OR, -loại trừ, có dấu hoặc "
                  "không dấu. Địa danh gõ có dấu (Vàng Danh) cũng khớp tin có dấu viết địa danh đó không dấu (\"ở Vang "
                  "Danh\") khi hệ thống đã nhận ra địa danh. Tin mới được đối chiếu một lần khi về; mọi thay đổi được "
                  "ghi nhật ký.")


def test_quang_ninhs_help_reads_as_before():
    """Tin bài's «Cách tìm» and Theo dõi's caption, now built from the area's names: Quảng Ninh's words unchanged
    (the help is markdown: a line break inside a paragraph is a space)."""
    from dashboard.labels import search_help, watch_help
    from dashboard.places import QUANG_NINH_EXAMPLES

    assert search_help(QUANG_NINH_EXAMPLES).split() == OLD_SEARCH_HELP.split()
    assert search_help(QUANG_NINH_EXAMPLES).split("\n\n")[0] == OLD_SEARCH_HELP.split("\n\n")[0]  # the list's lines
    assert watch_help(QUANG_NINH_EXAMPLES) == OLD_WATCH_HELP
    assert QUANG_NINH_EXAMPLES["watch"] == '"bãi thải" OR "đất đá thải" -"Cẩm Phả"'


def test_another_areas_help_gives_its_own_names(tmp_path):
    """ux41's walk left Quảng Ninh's names in a Nghệ An office's Tin bài search help («Vàng Danh», «ở Vang Danh»),
    Theo dõi's caption and «Từ khóa» example («-"Cẩm Phả"»), Chủ đề's keyword box («"bụi than"») and Nguồn tin's JSON
    example ({"query": "Uông Bí"}): each now gives the area's own."""
    from tests.dashboard.conftest import Env, discard, no_exception, texts

    e = Env(tmp_path, seeded=True, area={"province": "Nghệ An", "name": "phường Trường Vinh", "focus": "Trường Vinh"})
    try:
        said = []
        for module in ("explorer", "watch", "topics"):
            at = e.page(module, "admin").run()
            no_exception(at)
            said += [str(w.proto.placeholder) for w in at.text_input] + [str(w.proto.help) for w in at.text_input]
            if module == "watch":
                said.append(texts(at))
        at = e.page("sources", "admin").run()
        options = [t for t in at.text_area if t.label.startswith("Tùy chọn riêng")][-1]  # «Thêm nguồn»'s
        options.set_value("[1]")
        next(b for b in at.button if b.label == "Thêm nguồn").click().run()
        no_exception(at)
        said.append(texts(at))
        joined = "\n".join(said)
        assert '`Trường Vinh`' in joined and '"ở Truong Vinh", "phường truong vinh", "tối qua ở truong vinh"' in joined
        assert "(Trường Vinh) cũng khớp" in joined and '"rác thải" OR "bãi rác" -"Anh Sơn"' in joined
        assert '"rác thải"' in joined and 'ví dụ {"query": "Trường Vinh"}' in joined, joined[-600:]
        for qn in ("Uông Bí", "Vàng Danh", "Vang Danh", "vang danh", "Cẩm Phả", "bụi than", "bãi thải"):
            assert qn not in joined, (qn, [s for s in said if qn in s][:1])
    finally:
        discard(e)


def test_a_user_changes_her_own_password(tmp_path):
    """ux41's walk: staff could not change their own password (only an admin's «Đặt lại mật khẩu» or `langnghe users
    passwd`), so the first one the admin typed stayed theirs. The account service's «Đổi mật khẩu»: the current
    password asked, the sign-in's rules and lockout, audited, every session of hers ended, this one too, and a new one
    opened (fix38: this one was kept, and with it a thief of its cookie)."""
    import pytest

    from orchestration.accounts import AuthError, AuthService, AuthSettings
    from store import users as store_users

    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 4, "max_failed_logins": 3, "lockout_minutes": 10})
    with database(cfg.storage.db_path) as db:
        svc = AuthService(db, AuthSettings.from_config(cfg))
        svc.create_user("tran.binh", "mat-khau-dau-tien", "analyst", by="quantri")
        here = svc.login("tran.binh", "mat-khau-dau-tien", client="10.0.0.5").token
        there = svc.login("tran.binh", "mat-khau-dau-tien", client="10.0.0.6").token
        new = "mat-khau-cua-binh"
        for args, said in ((("mat-khau-dau-tien", new, new + "x"), "không khớp"),
                           (("mat-khau-dau-tien", "ngan", "ngan"), "ít nhất 10 ký tự"),
                           (("mat-khau-dau-tien", "mat-khau-dau-tien", "mat-khau-dau-tien"), "phải khác"),
                           (("sai-mat-khau-1", new, new), "Mật khẩu hiện tại không đúng.")):
            with pytest.raises(AuthError, match=said):
                svc.change_own_password("tran.binh", *args, client="10.0.0.5")
        assert svc.check(here)[1] == "ok"  # a refused change ends nothing
        fresh = svc.change_own_password("tran.binh", "mat-khau-dau-tien", new, new, client="10.0.0.5")
        assert svc.check(here)[1] == svc.check(there)[1] == "revoked" and svc.check(fresh)[1] == "ok"
        assert not svc.login("tran.binh", "mat-khau-dau-tien", client="10.0.0.7").ok
        assert svc.login("tran.binh", new, client="10.0.0.7").ok
        with db.read() as cur:
            rows = cur.execute("SELECT username, action, target, CAST(detail AS VARCHAR) FROM dashboard_audit "
                               "WHERE action = 'user.password'").fetchall()
        assert [r[:3] for r in rows] == [("tran.binh", "user.password", "tran.binh")] and "đã đổi" not in rows[0][3]
        assert "mat-khau" not in rows[0][3]
        # the sign-in's lockout: three wrong current passwords from one address, and then nothing is checked there
        for k in range(3):
            with pytest.raises(AuthError) as exc:
                svc.change_own_password("tran.binh", f"doan-sai-{k}", "mat-khau-moi-nua", "mat-khau-moi-nua",
                                        client="10.0.0.5")
        assert "quá nhiều lần" in str(exc.value) and "10 phút" in str(exc.value)
        with pytest.raises(AuthError, match="quá nhiều lần"):
            svc.change_own_password("tran.binh", new, "mat-khau-moi-nua", "mat-khau-moi-nua", client="10.0.0.5")
        assert not svc.login("tran.binh", new, client="10.0.0.5").ok  # the same pair as a sign-in's
        with db.read() as cur:
            assert store_users.pair_failures(cur, "tran.binh", "10.0.0.5")[0]["failures"] == 3


def test_the_sidebar_offers_change_password_and_keeps_the_session(demo_env):
    """Signed in through the gate, the sidebar's «Đổi mật khẩu» opens the form (no password box before it is asked
    for): Vietnamese answers, and the page stays signed in."""
    from tests.dashboard.conftest import PASSWORD

    at = demo_env.app().run()
    at.text_input(key="login_user").set_value("xem")
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert not [t for t in at.text_input if t.key in ("pw_current", "login_password")]
    at.sidebar.button(key="pw_open").click().run()

    def change(current: str) -> None:
        at.text_input(key="pw_current").set_value(current)
        at.text_input(key="pw_new").set_value("mat-khau-moi-cua-xem")
        at.text_input(key="pw_again").set_value("mat-khau-moi-cua-xem")
        next(b for b in at.button if b.label == "Lưu").click().run()

    change("khong-dung-dau")
    assert [e.value for e in at.sidebar.error] == ["Mật khẩu hiện tại không đúng."]
    change(PASSWORD)
    assert not at.error and [s.value for s in at.sidebar.success] == [gate.PASSWORD_CHANGED]
    assert at.session_state["user"]["username"] == "xem" and not [t for t in at.text_input if t.key == "login_user"]
    assert not [t for t in at.text_input if t.key == "pw_current"]  # closed again
    assert demo_env.auth.login("xem", "mat-khau-moi-cua-xem").ok
