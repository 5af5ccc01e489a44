"""A sentence that names who did something leaves that part out when nobody is named (round 22): since a login no
account has shows as "" (the synthetic events' «demo»), «Lưu lần cuối bởi {} lúc …» read «bởi  lúc», and «()»,
«do  tạo», «: …» appeared on Trước giao ban, Báo cáo and Thông báo."""

from __future__ import annotations

from dashboard import data


def test_a_named_person_is_put_in_and_nobody_leaves_the_words_out(monkeypatch):
    monkeypatch.setattr(data, "display_names", lambda: {"an": "Chị An"})
    assert "Lưu lần cuối" + data.named("an", " bởi {}") + " lúc 10:00." == "Lưu lần cuối bởi Chị An lúc 10:00."
    assert "Lưu lần cuối" + data.named("demo", " bởi {}") + " lúc 10:00." == "Lưu lần cuối lúc 10:00."
    assert data.named(None, " · Giao cho: {}") == "" and data.named("", "{}: ") == ""
    assert data.named("system", ", do {} tạo") == ", do Hệ thống tạo"
