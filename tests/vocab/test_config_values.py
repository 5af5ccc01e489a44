"""Numbers in an override file are checked against what they mean, not only their type: `items_days = 0`
(read as "0 turns it off", as several settings say) made the retention job purge every item; a negative
`max_body_mb` failed every fetch; `nan` or `inf` passed as a float and broke the first fetch; and a section
written as a value (`http = 5`, `nlp = "x"`) was a Python traceback. Each is a ConfigError in Vietnamese
naming the setting and its range; nothing starts with it."""

from __future__ import annotations

import pytest

from vocab import config as C


def _load(tmp_path, text: str):
    p = tmp_path / "o.toml"
    p.write_text(text, encoding="utf-8")
    return C.load(p)


@pytest.mark.parametrize("toml,said", [
    ("[retention]\nitems_days = 0\n", "[retention] items_days phải từ 30"),
    ("[retention]\nitems_days = -1\n", "[retention] items_days phải từ 30"),
    ("[retention]\nraw_payload_days = 0\n", "[retention] raw_payload_days phải từ 1"),
    ("[http]\nmax_body_mb = -5\n", "[http] max_body_mb phải lớn hơn 0"),
    ("[http]\nmax_body_mb = nan\n", "[http] max_body_mb phải là một số hữu hạn"),
    ("[http]\nfetch_deadline_seconds = inf\n", "[http] fetch_deadline_seconds phải là một số hữu hạn"),
    ("[http]\nmax_concurrency = 0\n", "[http] max_concurrency phải từ 1"),
    ("[http]\nmax_redirects = -1\n", "[http] max_redirects phải từ 0"),
    ("[schedule]\ntick_seconds = -1\n", "[schedule] tick_seconds phải từ 1"),
    ("[schedule]\ntick_seconds = 0\n", "[schedule] tick_seconds phải từ 1"),  # serve looped at 100% CPU
    ("[schedule]\ntick_seconds = 0.001\n", "[schedule] tick_seconds phải từ 1"),
    ("[schedule]\ndefault_interval_minutes = 0\n", "[schedule] default_interval_minutes phải từ 1"),
    # settings that drive a loop (round 29's sweep, fix29): 0.001 searched again every millisecond in every tab
    ("[dashboard]\nrefresh_seconds = 0.001\n", "[dashboard] refresh_seconds phải từ 5 trở lên"),
    ("[dashboard]\nrefresh_seconds = 4.9\n", "[dashboard] refresh_seconds phải từ 5 trở lên"),
    ("[schedule]\ndefault_interval_minutes = 0.001\n", "[schedule] default_interval_minutes phải từ 1"),
    ("[search]\ncompact_check_minutes = 0.001\n", "[search] compact_check_minutes phải từ 1"),
    ("[alerts]\nsource_check_minutes = 0.001\n", "[alerts] source_check_minutes phải từ 1"),
    ("[storage]\nsnapshot_every_minutes = 0.001\n", "[storage] snapshot_every_minutes phải là 0 (tắt) hoặc từ 1 trở lên"),
    ("[storage]\nsnapshot_every_minutes = -1\n", "[storage] snapshot_every_minutes phải là 0 (tắt) hoặc từ 1 trở lên"),
    ("[fulltext]\ncatchup_minutes = 0.5\n", "[fulltext] catchup_minutes phải là 0 (tắt) hoặc từ 1 trở lên"),
    ('[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://a.vn/r.rss"\noutlet = "A"\ninterval_minutes = 0.01\n',
     # the whole range, as for a value over it (round 31: one rule, `source_interval_refusal`; «từ 1 trở lên» before)
     "[sources[0]] interval_minutes phải là 0 (theo [schedule] default_interval_minutes) hoặc từ 1 đến 1440, "
     "không phải 0.01"),
    ("[storage]\nmax_text_chars = -1\n", "[storage] max_text_chars phải từ 1"),
    ("[storage]\nkeep_upgrade_copies = 0\n", "[storage] keep_upgrade_copies phải từ 1"),
    ("[dashboard]\nport = 70000\n", "[dashboard] port phải từ 1 đến 65535"),
    ("[imports]\nutc_offset_hours = 30\n", "[imports] utc_offset_hours phải từ -12 đến 14"),
    ("[imports]\nchunk_rows = 0\n", "[imports] chunk_rows phải từ 1"),
    ("[imports]\nmax_xlsx_part_mb = 0\n", "[imports] max_xlsx_part_mb phải lớn hơn 0 và không quá 50"),
    ("[imports]\nmax_xlsx_part_mb = 5000\n", "[imports] max_xlsx_part_mb phải lớn hơn 0 và không quá 50"),
    ("http = 5\n", "[http] phải là một bảng"),
    ('nlp = "x"\n', "[nlp] phải là một bảng"),
    ('sources = "x"\n', "[[sources]] phải là danh sách"),
    ("sources = [1]\n", "[[sources]] phải là danh sách"),
])
def test_a_value_out_of_its_range_is_said_in_vietnamese(tmp_path, toml, said):
    with pytest.raises(C.ConfigError) as err:
        _load(tmp_path, toml)
    assert said in str(err.value)


@pytest.mark.parametrize("toml", [
    "[storage]\nsnapshot_every_minutes = 0\nwrite_chunk_items = 0\n",  # documented: 0 turns them off
    "[http]\nper_host_spacing_seconds = 0\nmax_redirects = 0\n",
    "[imports]\nutc_offset_hours = -5\n",
    "[retention]\nitems_days = 30\nraw_payload_days = 1\n",
    "[schedule]\ntick_seconds = 1\n",
    "[dashboard]\nrefresh_seconds = 5\n[search]\ncompact_check_minutes = 1\n[alerts]\nsource_check_minutes = 1\n",
    "[storage]\nsnapshot_every_minutes = 1\n[fulltext]\ncatchup_minutes = 0\n[schedule]\ndefault_interval_minutes = 1\n",
    '[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://a.vn/r.rss"\noutlet = "A"\ninterval_minutes = 0\n',
])
def test_values_at_the_edges_of_their_range_load(tmp_path, toml):
    _load(tmp_path, toml)


@pytest.mark.parametrize("kind,url,said", [
    ("rss", "file:///etc/passwd", "chỉ nhận địa chỉ http:// hoặc https://"),
    ("rss", "http:///x", "có tên máy chủ"),
    ("html_list", "gopher://127.0.0.1/", "chỉ nhận địa chỉ http:// hoặc https://"),
    ("reddit", "http://[::1", "không dùng được"),
    ("email_inbox", "https://mail.example.vn/INBOX", "chỉ nhận địa chỉ imaps:// hoặc imap://"),
])
def test_a_source_address_its_kind_cannot_fetch_is_refused_at_load(tmp_path, kind, url, said):
    """`file:///etc/passwd` or `http:///x` loaded, fetched nothing, and health said «DNS: : Name or service not
    known»: now the config names the source and the schemes its kind reads."""
    text = f'[[sources]]\nname = "nguon-thu"\nkind = "{kind}"\nurl = "{url}"\noutlet = "Thử"\n'
    with pytest.raises(C.ConfigError) as err:
        _load(tmp_path, text)
    assert "[sources] nguon-thu" in str(err.value) and said in str(err.value)


@pytest.mark.parametrize("kind,url", [("rss", "https://baoquangninh.vn/rss/home.rss"), ("rss", "HTTP://a.vn/x"),
                                      ("email_inbox", "imaps://mail.example.vn/INBOX"),
                                      ("email_inbox", "imap://127.0.0.1:1143/INBOX")])
def test_a_source_address_its_kind_reads_loads(tmp_path, kind, url):
    _load(tmp_path, f'[[sources]]\nname = "nguon-thu"\nkind = "{kind}"\nurl = "{url}"\noutlet = "Thử"\n')


@pytest.mark.parametrize("toml,said", [
    ("[alerts]\nbin_minutes = 0\n", "[alerts] bin_minutes phải lớn hơn 0"),  # ZeroDivisionError each pass
    ("[alerts]\nbaseline_days = 0\n", "[alerts] baseline_days phải từ 1"),
    ("[alerts]\nlookback_hours = -24\n", "[alerts] lookback_hours phải lớn hơn 0"),
    ("[alerts]\nburst_scale = 0.5\n", "[alerts] burst_scale phải lớn hơn 1"),
    ("[alerts]\nsource_fail_count = 0\n", "[alerts] source_fail_count phải từ 1"),
    ("[alerts]\nmin_score = nan\n", "[alerts] min_score phải là một số hữu hạn"),
    ("[alerts]\nweight_negative = -inf\n", "[alerts] weight_negative phải là một số hữu hạn"),
    ("[alerts]\nmin_items = -3\n", "[alerts] min_items phải từ 0"),
    ("[alerts]\nbin_minutes = \"60\"\n", "[alerts] bin_minutes phải là một số"),
    ("[nlp]\nbatch_size = 0\n", "[nlp] batch_size phải từ 1"),  # nothing ever tagged
    ("[nlp]\nbatch_size = 1000000000\n", "[nlp] batch_size phải từ 1 đến 10000"),  # every item held at once (round 29)
    ("[nlp]\nmin_marked_share = 1.5\n", "[nlp] min_marked_share phải từ 0 đến 1"),
    ("[stories]\nwindow_hours = -72\n", "[stories] window_hours phải lớn hơn 0"),
    ("[stories]\njoin_threshold = 1.2\n", "[stories] join_threshold phải từ 0 đến 1"),
    ("[stories]\nn_features = 0\n", "[stories] n_features phải từ 1 đến 16777216"),
    ("[stories]\nn_features = 4294967296\n", "[stories] n_features phải từ 1 đến 16777216"),
    ("[stories]\nngram_min = 6\n", "[stories] ngram_min (6) phải không lớn hơn ngram_max"),
    ("[notify]\ntimeout_seconds = 0\n", "[notify] timeout_seconds phải lớn hơn 0"),
    ("[notify]\nmax_attempts = 0\n", "[notify] max_attempts phải từ 1"),
    ("[notify.email]\nport = 0\n", "[notify.email] port phải từ 1 đến 65535"),
    ("[auth]\nbcrypt_rounds = 40\n", "[auth] bcrypt_rounds phải từ 4 đến 31"),
    ("[auth]\nidle_minutes = 0\n", "[auth] idle_minutes phải lớn hơn 0"),
    # waits between tries (round 30, fix30): a typo of a few zeros held the outbox, a failing source or a login back
    # for years, and a lockout of 1e13 minutes made every login an OverflowError
    ("[notify]\nretry_base_seconds = 86400000\n", "[notify] retry_base_seconds phải từ 0 đến 3600, không phải 86400000"),
    ("[notify]\nretry_max_seconds = 86400000\n", "[notify] retry_max_seconds phải từ 0 đến 86400"),
    ("[notify]\nretry_base_seconds = -1\n", "[notify] retry_base_seconds phải từ 0 đến 3600"),
    ("[schedule]\nmax_backoff_hours = 1e9\n", "[schedule] max_backoff_hours phải lớn hơn 0 và không quá 168"),
    ("[schedule]\nmax_backoff_hours = 0\n", "[schedule] max_backoff_hours phải lớn hơn 0 và không quá 168"),  # every tick
    ("[auth]\nlockout_max_minutes = 1e13\n", "[auth] lockout_max_minutes phải từ 0 đến 10080"),
    ("[auth]\nlockout_minutes = 20000\n", "[auth] lockout_minutes phải từ 0 đến 10080"),
    ("[cases]\nreply_timeout_seconds = -1\n", "[cases] reply_timeout_seconds phải lớn hơn 0"),
    ("[reports]\nbrowser_timeout_seconds = inf\n", "[reports] browser_timeout_seconds phải là một số hữu hạn"),
])
def test_a_harmful_number_in_a_parts_section_is_refused_at_load(tmp_path, toml, said):
    """The parts' sections are read as dicts where each part uses them: `bin_minutes = 0` loaded and then
    failed every detection pass (ZeroDivisionError), `batch_size = 0` tagged nothing, nan compared false
    everywhere. Now refused at load by the typed sections' rules."""
    with pytest.raises(C.ConfigError) as err:
        _load(tmp_path, toml)
    assert said in str(err.value)


@pytest.mark.parametrize("toml", [
    "[stories]\njoin_threshold = 0\nsame_source_threshold = 1\nprior_docs = 0\nmax_items_per_step = 0\n",
    "[alerts]\nbaseline_floor_per_day = 0\nuntagged_grace_minutes = 0\n",
    "[nlp]\ntag_seconds_per_tick = 0\nfulltext_chars = 0\n",
    "[auth]\nbcrypt_rounds = 4\n",
    "[notify]\nretry_base_seconds = 3600\nretry_max_seconds = 86400\n",
    "[notify]\nretry_base_seconds = 0.5\nretry_max_seconds = 0\n",  # serve_rig's fast retries; 0 = no cap
    "[schedule]\nmax_backoff_hours = 168\n[auth]\nlockout_minutes = 10080\nlockout_max_minutes = 10080\n",
    "[schedule]\nmax_backoff_hours = 1\n",
    "[schedule]\nmax_backoff_hours = 0.5\n",  # loaded before fix30's bounds (review30)
    "[reports]\nschedule_weekday = 0\n",
])
def test_parts_values_at_the_edges_of_their_range_load(tmp_path, toml):
    _load(tmp_path, toml)


_SOURCE = '[[sources]]\nname = "a"\nkind = "rss"\nurl = "https://a.vn/r.rss"\noutlet = "A"\ninterval_minutes = {}\n'


@pytest.mark.parametrize("minutes", [0, 1, 15, 1440, 0.5, -5, 1441, 1e9, 1e-9, 0.9999, 1440.0001])
def test_the_config_file_refuses_a_source_interval_by_the_form_s_and_the_runner_s_rule(tmp_path, minutes, monkeypatch):
    """`_check_range` kept its own «0, or 1 to 1440» beside `source_interval_refusal` (the form, the runner, a
    managed_sources row) until round 31: one rule now. A rule changed there is the file's rule too."""
    refused = C.source_interval_refusal(minutes) is not None
    if refused:
        with pytest.raises(C.ConfigError, match=r"interval_minutes phải là 0 .* hoặc từ 1 đến 1440, không phải"):
            _load(tmp_path, _SOURCE.format(repr(float(minutes))))
    else:
        assert _load(tmp_path, _SOURCE.format(minutes)).sources[0].interval_minutes == minutes
    monkeypatch.setattr(C, "source_interval_refusal", lambda m: None if m == 0 else "một quy tắc khác")
    if minutes != 0:
        with pytest.raises(C.ConfigError, match="interval_minutes phải là 0"):
            _load(tmp_path, _SOURCE.format(minutes))
