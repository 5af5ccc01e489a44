"""Round 28's hostile sweep (`hostile31`) on notification addresses: what a signed-in user types as a subscription's
address is read by the same rules the delivery pass and the channels apply, and one bad address saved before fails
alone, never the pass of everyone else. docs/SECURITY.md «Round 28 sweep»."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orchestration import notify
from store import notify as store_notify
from tests.orchestration.test_notify import NOW, Telegram, env, raise_one, subscribe  # noqa: F401 (fixture)

UNREADABLE = ["http://[::1", "http://[x/", "https://1.1.1.1:99999/"]
HIDDEN = ["https://1.1.1.1/\r\nX-Chen: 1", "https://1.1.1.1/\u202egpj.exe", "a@b.vn\r\nBcc: c@d.vn", "-100\u200b1"]


@pytest.mark.parametrize("address", UNREADABLE)
def test_a_webhook_address_the_client_cannot_read_is_refused_when_saved(env, address):
    cfg, _ = env
    assert "không phải một địa chỉ web đọc được" in (notify.address_refusal(cfg, "webhook", address) or "")


@pytest.mark.parametrize("address", HIDDEN)
def test_an_address_with_a_line_break_or_hidden_character_is_refused_on_every_channel(env, address):
    cfg, _ = env
    channel = "webhook" if address.startswith("http") else "email" if "@" in address else "telegram"
    assert "ký tự điều khiển" in (notify.address_refusal(cfg, channel, address) or "")


def test_a_megabyte_address_is_refused_with_the_limit(env):
    cfg, _ = env
    said = notify.address_refusal(cfg, "email", "a" * 1_000_000 + "@b.vn") or ""
    assert "1.000.005 ký tự" in said and "2.000" in said


def test_ordinary_addresses_still_pass(env):
    cfg, _ = env
    for channel, address in (("email", "canbo@soxaydung.gov.vn"), ("telegram", "-1001234567890"),
                             ("zalo", "1234567890123456789"), ("webhook", "https://1.1.1.1/hook?token=abc%20d")):
        assert notify.address_refusal(cfg, channel, address) is None, (channel, address)


def test_a_webhook_address_saved_before_the_check_fails_alone_not_everyones_pass(env, monkeypatch):
    cfg, db = env
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", "khoa-ky")  # the address fails, not the missing secret (round 29)
    subscribe(db, username="mot_nguoi", channel="webhook", address="http://[::1")  # saved by an older version
    subscribe(db)  # the office's group chat
    raise_one(db)
    tg = Telegram()
    out = notify.deliver(cfg, db, client_factory=tg.client, now=NOW)  # was ValueError «Invalid IPv6 URL», every pass
    assert out == {"sent": 1, "retried": 1} and len(tg.sent) == 1
    with db.read() as cur:
        assert store_notify.outbox_counts(cur) == {"pending": 1, "sent": 1}
    assert notify.deliver(cfg, db, client_factory=tg.client, now=NOW + timedelta(hours=1))["sent"] == 0


def test_the_admins_test_message_to_a_bad_address_is_an_answer_not_a_traceback(env):
    cfg, db = env
    ok, detail = notify.send_test(cfg, db, "email", "a@b.vn\r\nBcc: c@d.vn", "quantri")
    assert not ok and "ký tự điều khiển" in detail
    with db.read() as cur:  # refused before any try, and still in Nhật ký gửi (the review's find, round 28)
        logged = cur.execute("SELECT ok, detail FROM notify_log").fetchall()
    assert logged == [(False, f"(thử) {detail}")], logged


def test_a_channels_own_error_is_said_to_the_admin_with_vietnamese_words_first(env, monkeypatch):
    """A channel's bug (an address its library refuses) reached «Gửi thử» as «HeaderParseError: …» (round 28's review)."""
    cfg, db = env

    def broken(*a, **k):  # type: ignore[no-untyped-def]
        raise ValueError("header")

    monkeypatch.setattr(notify, "send_one", broken)
    ok, detail = notify.send_test(cfg, db, "console", "quantri", "quantri")
    assert not ok and detail == "Lỗi của kênh: ValueError: header", detail


def test_a_survey_titled_with_a_pasted_document_is_refused_and_nothing_is_stored(tmp_path):
    import io

    from orchestration import surveys as importer
    from store import surveys as store_surveys
    from surveys.model import SurveyError
    from tests.conftest import database, make_config

    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    data = io.BytesIO("\n".join(["Giới tính,Hài lòng?"] + [f"{['Nam', 'Nữ'][i % 2]},Có" for i in range(10)]).encode())
    q = importer.preview("a.csv", data, cfg.imports).questionnaire
    for kw in ({"title": "Khảo sát " * 100_000}, {"title": "Học phí", "series": "x" * 301}):
        with pytest.raises(SurveyError, match=r"ký tự: tối đa 300 ký tự"):
            importer.import_survey(db, cfg, "a.csv", data, q, username="u", now=NOW, tag=False, **kw)
    with db.read() as cur:
        assert store_surveys.list_surveys(cur) == []
    assert importer.import_survey(db, cfg, "a.csv", data, q, title="y" * 300, username="u", now=NOW, tag=False)
    db.close()


# --- round 29 (`hostile32`) ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["cánbộ@uongbi.gov.vn", "x; y <a@b.vn>", '"x <a@b.vn>, "y <c@d.vn>',
                                     "a@b.vn\u00a0,\u00a0c@d.vn", "Văn\u2028phòng <vp@x.vn>", "a@b.vn\u2029Bcc: c@d.vn"])
def test_an_email_address_that_would_not_reach_what_it_shows_is_refused_when_saved(env, address):
    cfg, _ = env  # each was saved (round 28's form), then failed every try or went to other addresses
    assert notify.address_refusal(cfg, "email", address), address


def test_a_quoted_name_with_a_comma_is_saved(env):
    cfg, _ = env  # Outlook's «"Họ, Tên" <a@b>» was refused by round 28's form
    assert notify.address_refusal(cfg, "email", '"Nguyễn, Văn A" <a@b.vn>, tp@x.vn') is None


def test_the_admins_test_to_a_megabyte_address_logs_it_cut_at_the_cap(env):
    cfg, db = env
    ok, detail = notify.send_test(cfg, db, "email", "a" * 1_000_000 + "@b.vn", "quantri")
    assert not ok and "1.000.005 ký tự" in detail
    with db.read() as cur:  # was written whole at each click, and drawn in Nhật ký gửi
        (address,), = cur.execute("SELECT address FROM notify_log").fetchall()
    assert len(address) == notify.MAX_ADDRESS_CHARS and address.endswith("…")
