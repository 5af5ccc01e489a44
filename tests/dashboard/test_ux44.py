"""Round 32's regression walk (ux44): what Chromium showed on this round's merged pages, pinned where it is small.
docs/DASHBOARD.md (`ux44`)."""

from __future__ import annotations

import re

import pytest

from orchestration import sources as sources_store

ENV = "LANGNGHE_INTRANET_PASSWORD"
ROW = {"name": "noibo", "kind": "rss", "url": "https://intranet.example.vn/rss", "outlet": "Cổng nội bộ",
       "source_type": "press", "interval_minutes": 0, "enabled": True, "options": {}, "removed": False}
SOURCE_FILE = re.compile(r"[\w/]+\.py\b")  # «vocab/secrets.py»: a module of the code, not something an admin opens


@pytest.mark.parametrize("login", [{"username": "canbo.vp", "password_env": "matkhau123"},
                                   {"username": "canbo.vp"}, {"password_env": ENV},
                                   {"username": "can:bo", "password_env": ENV},
                                   {"username": "canbo.vp", "password_env": ENV}])
def test_nguon_tins_login_refusals_name_no_source_file(login):
    """Nguồn tin's red box after «Thêm nguồn» with a password typed where the variable's name goes read «… mật khẩu
    đặt trong biến hoặc tệp đó (vocab/secrets.py).»: a path in the code, on the page. It says where the password
    goes on the server instead (the box's help's words)."""
    with pytest.raises(ValueError) as err:
        sources_store.check_source({**ROW, **login}, kinds=["rss"], logins={})
    said = str(err.value)
    assert not SOURCE_FILE.search(said), said
    assert "matkhau123" not in said


def test_chu_de_writes_a_fall_with_the_minus_sign_the_reports_write():
    """ux44: Chủ đề wrote «-21%» with a hyphen where the weekly report writes «−14,3%»."""
    from dashboard.views.topics import _change

    assert (_change(79, 100), _change(125, 100), _change(100, 100), _change(3, 0)) == ("−21%", "+25%", "0%", "mới")
