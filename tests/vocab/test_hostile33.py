"""Round 30's hostile sweep (`hostile33`) on the configuration: an integer of 400 digits (TOML reads it as a Python
int) was an OverflowError traceback out of every command, from float() or math.isfinite(); one past Python's 4,300
digits a ValueError out of tomllib. A source's interval refused for a value that rounds into the range was said as
if it were allowed («Chu kỳ thu thập 0 phút không dùng được: phải là 0 …»). docs/SECURITY.md «Round 30 sweep»."""

from __future__ import annotations

import pytest

from vocab import config as C

BIG = "1" + "0" * 400


def _load(tmp_path, text: str):
    p = tmp_path / "o.toml"
    p.write_text(text, encoding="utf-8")
    return C.load(p)


@pytest.mark.parametrize("toml,said", [
    (f"[notify]\nretry_base_seconds = {BIG}\n", "[notify] retry_base_seconds là một số nguyên 401 chữ số"),
    (f"[dashboard]\nport = {BIG}\n", "[dashboard] port là một số nguyên 401 chữ số"),
    (f"[retention]\nitems_days = -{BIG}\n", "[retention] items_days là một số nguyên 401 chữ số"),
    (f"[nlp]\nbatch_size = {BIG}\n", "[nlp] batch_size là một số nguyên 401 chữ số"),  # a part's section
    ("[nlp]\nbatch_size = " + "9" * 4_300 + "\n", "[nlp] batch_size là một số nguyên 4.300 chữ số"),
    (f'[[sources]]\nname = "x"\nkind = "rss"\noutlet = "x"\nurl = "https://a.vn/rss"\ninterval_minutes = {BIG}\n',
     "[sources[0]] interval_minutes là một số nguyên 401 chữ số"),
], ids=["notify", "port", "negative", "part", "4300-digits", "source"])
def test_an_integer_too_large_for_any_setting_is_said(tmp_path, toml, said):
    with pytest.raises(C.ConfigError, match=r"quá lớn cho mọi thiết lập") as got:
        _load(tmp_path, toml)
    assert said in str(got.value)


def test_an_integer_past_python_s_digit_limit_is_said(tmp_path):
    with pytest.raises(C.ConfigError, match=r"một số nguyên dài hơn 4\.300 chữ số, không phải một tệp cấu hình"):
        _load(tmp_path, "[nlp]\nbatch_size = " + "9" * 5_000 + "\n")


def test_twenty_digits_are_still_refused_by_their_range(tmp_path):
    with pytest.raises(C.ConfigError, match=r"\[dashboard\] port phải từ 1 đến 65535"):
        _load(tmp_path, "[dashboard]\nport = 99999999999999999999\n")


@pytest.mark.parametrize("value,said", [
    (1e-9, "Chu kỳ thu thập 1e-09 phút"),
    (0.9999, "Chu kỳ thu thập 0,9999 phút"),
    (1440.0001, "Chu kỳ thu thập 1440,0001 phút"),
    (2000, "Chu kỳ thu thập 2.000 phút"),
    (0.5, "Chu kỳ thu thập 0,5 phút"),
    (10 ** 400, "Chu kỳ thu thập 1000000000"),
    (float("nan"), "Chu kỳ thu thập (nan) không phải một số"),  # was «Chu kỳ thu thập nan phút» (review30)
    ("mười", "Chu kỳ thu thập ('mười') không phải một số"),
], ids=["1e-9", "0.9999", "1440.0001", "2000", "0.5", "10**400", "nan", "text"])
def test_a_refused_interval_is_said_as_it_is(value, said):
    assert C.source_interval_refusal(value).startswith(said)


@pytest.mark.parametrize("toml,said", [
    # a crashed reply's claim is taken over after 10 × this: 1e9 held the case for centuries, 1e300 made every
    # reply an OverflowError in orchestration.cases.claim_stale
    ("[cases]\nreply_timeout_seconds = 1e9\n", "[cases] reply_timeout_seconds phải lớn hơn 0 và không quá 600, "
                                               "không phải 1000000000"),
    ("[cases]\nreply_timeout_seconds = 1e300\n", "không quá 600, không phải 1e+300"),
    # past 100 years `now ± timedelta(…)` leaves the calendar: every login, purge or detection pass an OverflowError
    ("[auth]\nsession_hours = 1e9\n", "[auth] session_hours phải không quá 876000 (100 năm), không phải 1000000000"),
    ("[retention]\nitems_days = 1000000\n", "[retention] items_days phải không quá 36500 (100 năm)"),
    ("[alerts]\nlookback_hours = 1e300\n", "[alerts] lookback_hours phải không quá 876000 (100 năm), không phải 1e+300"),
    ("[http]\nread_timeout_seconds = 1e12\n", "[http] read_timeout_seconds phải không quá 3153600000 (100 năm)"),
], ids=["reply-1e9", "reply-1e300", "session", "items-days", "lookback-part", "read-timeout"])
def test_a_duration_past_100_years_is_refused(tmp_path, toml, said):
    with pytest.raises(C.ConfigError) as got:
        _load(tmp_path, toml)
    assert said in str(got.value), got.value


def test_durations_up_to_100_years_load(tmp_path):
    cfg = _load(tmp_path, "[auth]\nsession_hours = 876000\n[retention]\nitems_days = 36500\n[cases]\n"
                          "reply_timeout_seconds = 600\n")
    assert C.section(cfg, "auth")["session_hours"] == 876000 and cfg.retention.items_days == 36500
