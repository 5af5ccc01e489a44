"""Pins, word for word, what staff read for one representative story: the staff sentence (`brief`), the detail line
(`explain`), a re-alert's lead-in, the details stored as JSON, and the two source-health reasons.

The texts were taken from the code before round 20 split detection/emerging.py into the decision, explain,
severity and source_health and typed the shapes they pass: any change in them is a change staff see."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import make_scenarios as ms  # noqa: E402

from detection.alert_types import AlertParams, PriorAlert, StoryStats  # noqa: E402
from detection.emerging import Decision, evaluate_story  # noqa: E402
from detection.source_health import SourceState, check_source_failing, check_source_volume  # noqa: E402
from vocab.folding import fold  # noqa: E402

NOW = datetime(2025, 9, 20, 3, 0)
WARD = "phường Vàng Danh (TP Uông Bí cũ)"
DISTRICT = "TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử"
CELL = ("disaster", WARD)

BRIEF = ("12 tin, bài trong 4 giờ (từ 06:00 20/09), gấp nhiều lần mức thường ngày (khoảng 2 tin/tuần); 83% tiêu cực; "
         "lan trên 9 nguồn (8 tin báo chí, 4 tin mạng xã hội). Địa bàn: phường Vàng Danh (TP Uông Bí cũ). Lĩnh vực: "
         "Thiên tai, sự cố; Môi trường, tài nguyên. Mức độ cao: vùi lấp, sơ tán, bị thương; ít nhất 10 hộ/người bị ảnh "
         "hưởng; chính quyền vào cuộc; cả báo chí và mạng xã hội; lan tỏa rộng.")
DETAIL = ("12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội), nền 0,3 tin/ngày (4 tin trong 14 ngày: «Thiên tai, "
          "sự cố» tại phường Vàng Danh (TP Uông Bí cũ)); so với nền, trong 4 giờ từ 06:00 20/09: dự kiến 0,048 tin, có "
          "12 tin, gấp 250 lần; 83% tiêu cực (10/12 tin); địa bàn: phường Vàng Danh (TP Uông Bí cũ); chủ đề: Thiên tai, "
          "sự cố; Môi trường, tài nguyên; bùng phát từ 06:00 20/09; mức cao: vùi lấp, sơ tán, bị thương; ít nhất 10 "
          "hộ/người bị ảnh hưởng; chính quyền vào cuộc; cả báo chí và mạng xã hội; lan tỏa rộng")
REGROWTH = ("Tái cảnh báo vì tăng mạnh: cảnh báo A7 đã được đánh dấu bỏ qua lúc 10:00 19/09, lý do: tin cũ khi có 4 tin; "
            "nay 12 tin (thêm 8, gấp 3 lần). ")
STORED = ('{"n_items": 12, "n_outlets": 9, "n_sources": 9, "n_press": 8, "n_social": 4, "negative_share": 0.833, '
          '"in_area_share": 1.0, "span_minutes": 240.0, "baseline_per_day": 0.2857, "baseline_cell": ["disaster", '
          '"phường Vàng Danh (TP Uông Bí cũ)"], "baseline_count": 4, "baseline_days": 14.0, "window_minutes": 240, '
          '"window_from": "2025-09-19T23:00:00", "expected_in_window": 0.048, "rate_ratio": 250.0, "poisson_p": 0.0, '
          '"burst": true, "n_negative": 10, "severity_points": 8, "severity_why": ["vùi lấp, sơ tán, bị thương", '
          '"ít nhất 10 hộ/người bị ảnh hưởng", "chính quyền vào cuộc", "cả báo chí và mạng xã hội", "lan tỏa rộng"], '
          '"harm": {"harms": ["vùi lấp", "sơ tán", "bị thương"], "affected": 10, "official": true}, "severity": "high", '
          '"burst_from": "2025-09-19T23:00:00", "score": 70.88, "total_items": 12, "kleinberg_states": [0, 0, 0, 0, 0, 0, '
          '0, 0, 1, 1, 1, 1], "detail": "' + DETAIL + '"}')


def _story() -> StoryStats:
    """The scenario burst (a landslide at the ward: buried homes, evacuations, officials), 12 items in 4 hours from
    9 outlets, as `store.stories.story_stats` returns it."""
    n = 12
    texts = [fold(f"{r['title']}\n{r['text']}") for r in ms.burst_rows(ms.START)]
    return StoryStats.of({
        "story_id": "s", "n_items": n, "n_outlets": 9, "n_sources": 9, "n_press": 8, "n_social": 4, "n_negative": 10,
        "n_in_area": n, "first_at": NOW - timedelta(minutes=240), "last_at": NOW,
        "topics": [["disaster", "environment"]] * n, "places": [[WARD, DISTRICT, "tỉnh Quảng Ninh"]] * n,
        "titles": ["Sạt lở bãi thải"] * n, "types": ["press"] * 8 + ["social"] * 4, "texts": texts, "title": ""})


def _decide(previous: PriorAlert | None = None) -> Decision:
    times = [NOW - timedelta(minutes=240 - 20 * i) for i in range(12)]
    return evaluate_story(_story(), times, 12, 4 / 14, CELL, previous, AlertParams(area_province="Quảng Ninh"), NOW)


def test_a_representative_alerts_brief_detail_and_stored_figures_word_for_word():
    d = _decide()
    assert d.alert and d.severity == "high" and d.score == 70.88
    assert (d.title, d.topics, d.places) == ("Sạt lở bãi thải", ("disaster", "environment"), (WARD,))
    assert d.reason == BRIEF
    assert d.details["detail"] == DETAIL
    assert json.dumps(d.details, ensure_ascii=False, default=str) == STORED  # alerts.details, keys in their order


def test_a_re_alert_opens_both_texts_with_the_closed_alert_it_grew_from():
    prior = PriorAlert("A7", "dismissed", 4, close_reason="tin cũ", updated_at=NOW - timedelta(days=1))
    d = _decide(prior)
    assert d.alert and d.previous_alert_id == "A7" and d.details["regrowth_from"] == 4
    assert d.reason == REGROWTH + BRIEF
    assert d.details["detail"] == REGROWTH + DETAIL


def test_source_health_reasons_word_for_word():
    p = AlertParams()
    quiet = check_source_volume("baoquangninh", [0, 0, 11, 9, 12, 10, 13, 11, 10, 12, 9, 11], 1, p)
    assert quiet is not None and quiet.active
    assert quiet.reason == ("Nguồn baoquangninh: 1 tin trong 24 giờ qua, dưới ngưỡng 8,3 (trung bình 10,8 ± 1,2 tin/ngày "
                            "trong 10 ngày; ngưỡng = trung bình − 2σ). Kiểm tra nguồn có bị chặn, đổi địa chỉ hoặc đổi "
                            "định dạng không.")
    assert quiet.details == {"last_24h": 1, "mean": 10.8, "std": 1.25, "low": 8.3, "days": 10}
    state = SourceState.of({"consecutive_failures": 4, "last_success_at": datetime(2025, 9, 19, 1, 0),
                            "last_error_at": datetime(2025, 9, 20, 2, 30), "last_error_kind": "http",
                            "last_error": " 503 Service Unavailable "})
    failing = check_source_failing("fb-uongbi", state, p)
    assert failing.active
    assert failing.reason == ("Nguồn fb-uongbi lỗi liên tiếp 4 lần (lỗi gần nhất: http: 503 Service Unavailable, lúc "
                              "09:30 20/09); lần lấy tin thành công gần nhất: 08:00 19/09.")
    assert failing.details == {"consecutive_failures": 4, "last_success_at": "2025-09-19 01:00:00",
                               "last_error_kind": "http"}
