"""fix33: the [reports] settings were checked twice, apart: vocab.config's load checked their numbers (as a part's
section), reports.ReportSettings.from_config their types, unknown keys, pdf_engine, schedule_weekday, schedule_time
and layout, at each report. A config with `schedule_weekday = 9` or `pdf_engine = "word"` loaded, serve started, and
every report failed on it. Now [reports] is a typed section (vocab.config.ReportsConfig): read, defaulted and checked
at load, with the messages reports said; ReportSettings is those fields plus what it derives, and reads the result."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from reports.settings import ReportSettings, check_layout
from tests.conftest import make_config
from vocab import config as C


@pytest.mark.parametrize("line, said", [
    ("schedule_weekday = 9", "[reports] schedule_weekday phải là 0 (tắt) hoặc 1–7"),
    ('pdf_engine = "word"', "[reports] pdf_engine phải là auto, chromium hoặc weasyprint"),
    ('schedule_time = "25:00"', "[reports] schedule_time phải có dạng giờ:phút"),
    ('layout = "x"', '[reports] layout phải là "party"'),
    ('symbol = "BC-STTTT"', '[reports] symbol của văn bản Đảng có dạng "BC/BTGDVTU"'),
    ("archive_dir = 5", "[reports] archive_dir phải là một chuỗi trong ngoặc kép"),
    ("top_stories = true", "[reports] top_stories phải là một số"),
    ('charts = "yes"', "[reports] charts phải là true hoặc false"),
    ("chartz = 1", "[reports] không có thiết lập: chartz"),
    ("top_stories = -5", "[reports] top_stories phải từ 0 trở lên"),
])
def test_a_report_setting_mistake_is_refused_at_load(tmp_path, line, said):
    (tmp_path / "o.toml").write_text(f"[reports]\n{line}\n", encoding="utf-8")
    with pytest.raises(C.ConfigError) as err:
        C.load(tmp_path / "o.toml")
    assert said in str(err.value)


def test_report_settings_read_what_the_load_checked(tmp_path):
    cfg = make_config(tmp_path, reports={"top_stories": 7, "layout": "state", "symbol": "BC-SVHTTDL",
                                         "signer_title": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
                                         "parent_body": "UBND {tỉnh}"})
    assert isinstance(cfg.reports, C.ReportsConfig) and cfg.reports.top_stories == 7
    s = ReportSettings.from_config(cfg, charts=False)
    assert (s.top_stories, s.layout, s.symbol, s.charts) == (7, "state", "BC-SVHTTDL", False)
    assert s.parent_body == "UBND Quảng Ninh"  # {tỉnh} put in: derived here, not stored in the config
    # one list of [reports] fields and defaults: vocab's, which ReportSettings extends
    assert issubclass(ReportSettings, C.ReportsConfig)
    assert {f.name: f.default for f in fields(ReportSettings) if f.name in cfg.reports.__dataclass_fields__} == {
        f.name: f.default for f in fields(C.ReportsConfig)}
    # from_config no longer checks: what it is given is the load's result (a Config built past the load is taken)
    odd = replace(cfg, reports=replace(cfg.reports, pdf_engine="word"))
    assert ReportSettings.from_config(odd).pdf_engine == "word"


def test_one_layout_rule_for_the_load_and_the_reports():
    with pytest.raises(C.ConfigError, match="TM."):
        check_layout(ReportSettings(layout="state", symbol="BC-SVHTTDL", signer_title=("T/M BAN THƯỜNG VỤ", "BÍ THƯ")))
    with pytest.raises(C.ConfigError, match="TM."):
        C.check_report_layout("state", "BC-SVHTTDL", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"))
