"""A feed behind a login on Nguồn tin (fix36): «Tên đăng nhập» and «Biến môi trường chứa mật khẩu» are stored with the
managed source (migration 041), never a password; the same rules as langnghe.toml's username and password_env."""

from __future__ import annotations

import pytest

from orchestration import sources as sources_store
from store import users as store_users
from store.db import utcnow
from tests.conftest import database, make_config

ENV = "LANGNGHE_INTRANET_PASSWORD"
PASSWORD = "MatKhau-Noi-Bo-36"


def _row(**kw):  # type: ignore[no-untyped-def]
    return {"name": "noibo", "kind": "rss", "url": "https://intranet.example.vn/rss", "outlet": "Cổng nội bộ",
            "source_type": "press", "interval_minutes": 0, "enabled": True, "options": {}, "removed": False, **kw}


def test_a_login_is_stored_and_reaches_the_collected_source(tmp_path):
    clean = sources_store.check_source(_row(username="canbo.vp", password_env=ENV), kinds=["rss"])
    assert (clean["username"], clean["password_env"]) == ("canbo.vp", ENV)
    cfg = make_config(tmp_path, sources=[])
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            store_users.upsert_managed_source(cur, clean, "quantri", utcnow())
            store_users.upsert_managed_source(cur, sources_store.check_source(_row(name="congkhai"), kinds=["rss"]),
                                              "quantri", utcnow())
        eff = sources_store.effective_config(cfg, db)
    assert (eff.source("noibo").username, eff.source("noibo").password_env) == ("canbo.vp", ENV)
    assert (eff.source("congkhai").username, eff.source("congkhai").password_env) == ("", "")
    assert sources_store.as_row(eff.source("noibo"))["password_env"] == ENV  # what the edit form shows


@pytest.mark.parametrize("kw, says", [({"username": "canbo.vp"}, "thiếu password_env"),
                                      ({"password_env": ENV}, "thiếu username"),
                                      ({"username": "canbo.vp", "password_env": PASSWORD}, "không phải mật khẩu")])
def test_half_a_login_or_a_password_in_the_box_is_refused_and_not_quoted(kw, says):
    with pytest.raises(ValueError, match=says) as err:
        sources_store.check_source(_row(**kw), kinds=["rss"])
    assert PASSWORD not in str(err.value)
    assert sources_store.check_source(_row(removed=True, **kw), kinds=["rss"])["removed"]  # removing is never refused


def test_a_row_saved_before_migration_41_reads_as_no_login(tmp_path):
    """The columns come with their default ('') for every row saved before, as a file from round 32 holds."""
    cfg = make_config(tmp_path, sources=[])
    with database(cfg.storage.db_path) as db:
        with db.write() as cur:
            cur.execute("INSERT INTO managed_sources (name, kind, url, outlet, source_type, updated_by, updated_at) "
                        "VALUES ('cu', 'rss', 'https://a.vn/rss', 'A', 'press', 'quantri', now()::TIMESTAMP)")
            rows = store_users.list_managed_sources(cur)
    assert [(r["username"], r["password_env"]) for r in rows] == [("", "")]


def _add(at, **fields):  # type: ignore[no-untyped-def]
    boxes = {t.label: t for t in at.text_input}  # the add form comes after the edit form: its boxes win
    for label, value in fields.items():
        boxes[label].set_value(value)
    next(b for b in at.button if b.label == "Thêm nguồn").click().run()


@pytest.fixture
def login_env(tmp_path):
    """The demo's page with one login secret declared for the intranet's origin ([source_logins], review36)."""
    from tests.dashboard.conftest import Env, discard

    e = Env(tmp_path, seeded=True, source_logins={ENV: "https://intranet.example.vn"})
    yield e
    discard(e)


def test_admin_adds_a_login_source_on_the_page_and_a_half_one_is_refused(login_env):
    demo_env = login_env
    at = demo_env.page("sources", "admin").run()
    labels = {t.label for t in at.text_input}
    assert {"Tên đăng nhập", "Biến môi trường chứa mật khẩu"} <= labels
    _add(at, **{"Tên nguồn (không dấu)": "nua-chung", "Địa chỉ (http/https)": "https://intranet.example.vn/rss",
                "Cơ quan, kênh hiển thị": "Cổng nội bộ", "Tên đăng nhập": "canbo.vp"})
    assert not at.exception
    assert any("thiếu password_env" in e.value for e in at.error)
    names = {s.name for s in sources_store.effective_config(demo_env.cfg, demo_env.db).sources}
    assert "nua-chung" not in names

    at = demo_env.page("sources", "admin").run()
    _add(at, **{"Tên nguồn (không dấu)": "noibo", "Địa chỉ (http/https)": "https://intranet.example.vn/rss",
                "Cơ quan, kênh hiển thị": "Cổng nội bộ", "Tên đăng nhập": "canbo.vp",
                "Biến môi trường chứa mật khẩu": ENV})
    assert not at.exception
    assert any("Đã lưu nguồn noibo" in s.value for s in at.success)
    src = sources_store.effective_config(demo_env.cfg, demo_env.db).source("noibo")
    assert (src.username, src.password_env) == ("canbo.vp", ENV)


def test_a_secret_not_declared_for_the_address_is_refused_on_the_page(login_env):
    """review36: an admin named the Telegram token (or the declared secret, on another host) as a source's
    password_env, and the runner sent it as HTTP Basic to the address the admin chose."""
    for env, url in (("LANGNGHE_TELEGRAM_TOKEN", "https://intranet.example.vn/rss"),
                     (ENV, "https://thu-thap.example.com/rss")):
        at = login_env.page("sources", "admin").run()
        _add(at, **{"Tên nguồn (không dấu)": "lay-bi-mat", "Địa chỉ (http/https)": url,
                    "Cơ quan, kênh hiển thị": "X", "Tên đăng nhập": "x", "Biến môi trường chứa mật khẩu": env})
        assert not at.exception
        assert any("source_logins" in e.value and env in e.value for e in at.error), [e.value for e in at.error]
        assert "lay-bi-mat" not in {s.name for s in sources_store.effective_config(login_env.cfg, login_env.db).sources}
