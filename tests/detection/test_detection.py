"""Detection pieces: the burst automaton, Vietnamese formatting, source-health alarms, the live hook."""

from __future__ import annotations

import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from scenario_eval import make_cfg  # noqa: E402

from langnghe.commands.replay import to_item  # noqa: E402
from detection import emerging as E
from detection import explain as X
from detection import severity as S
from detection.alert_types import AlertParams, OpenAlert, PriorAlert, StoryStats, WholeStory
from detection.jobs import Detector, run_detection, scheduler_hook  # noqa: E402
from store import alerts as store_alerts  # noqa: E402
from store import items as store_items  # noqa: E402
from store import sources as store_sources  # noqa: E402
from store import tags as tag_store  # noqa: E402
from tests.conftest import database

NOW = datetime(2025, 9, 20, 3, 0)


# ------------------------------------------------------------------------------------------ automaton
def test_kleinberg_finds_an_injected_burst_and_nothing_in_flat_background():
    rng = np.random.default_rng(3)
    base = 0.5  # items per hour
    flat = rng.poisson(base, 24 * 14)
    assert not any(E.kleinberg_two_state(flat, base, 8.0, np.log(24 * 14)))
    counts = flat.copy()
    counts[200:216] += rng.poisson(base * 8, 16) + 2  # 16 hours of burst
    states = E.kleinberg_two_state(counts, base, 8.0, np.log(24 * 14))
    flagged = {i for i, s in enumerate(states) if s}
    assert set(range(200, 216)) <= flagged
    assert len(flagged - set(range(198, 218))) == 0


def test_poisson_tail():
    assert E.poisson_tail(0, 3.0) == 1.0
    assert abs(E.poisson_tail(1, 2.0) - (1 - np.exp(-2.0))) < 1e-12
    assert E.poisson_tail(12, 0.01) < 1e-20


def test_vietnamese_number_and_duration_formatting():
    assert X.fmt_num(0.3, 1) == "0,3"
    assert X.fmt_num(1234.5, 1) == "1.234,5"
    assert X.fmt_num(2.0, 1) == "2"
    assert X.fmt_num(12345) == "12.345"
    assert X.fmt_rate(0.25) == "0,2" or X.fmt_rate(0.25) == "0,3"
    assert X.fmt_rate(0.04) == "0,04"
    assert X.fmt_duration(41) == "41 phút"
    assert X.fmt_duration(240) == "4 giờ"
    assert X.fmt_duration(95) == "1 giờ 35 phút"
    assert X.fmt_duration(3 * 24 * 60 + 130) == "3 ngày 2 giờ"
    assert X.fmt_pct(0.8333) == "83%"
    assert X.fmt_local(datetime(2025, 9, 10, 23, 15)) == "06:15 11/09"


def _evaluate(stats: dict, times, total, base, cell, prev: dict | None, p, now) -> E.Decision:
    """evaluate_story on store-like rows, typed at the boundary as detection.jobs types them."""
    return E.evaluate_story(StoryStats.of(stats), times, total, base, cell, PriorAlert.of(prev) if prev else None, p, now)


def _regrade(alert: dict, story: dict, score, p) -> S.Regrade | None:
    return S.regrade(OpenAlert.of(alert), WholeStory.of(story), score, p)


def _stats(n, outlets, neg, area, press, social, minutes=240):
    t0 = NOW - timedelta(minutes=minutes)
    return {"story_id": "s", "n_items": n, "n_outlets": outlets, "n_sources": outlets, "n_press": press,
            "n_social": social, "n_negative": neg, "n_in_area": area, "first_at": t0, "last_at": NOW,
            "topics": [["disaster"]] * n, "places": [["phường Vàng Danh", "TP Uông Bí"]] * n,
            "titles": ["Sạt lở"] * n, "types": ["press"] * n}


def test_reason_matches_the_issue_example():
    p = AlertParams()
    times = [NOW - timedelta(minutes=240 - 20 * i) for i in range(12)]
    import make_scenarios as ms

    stats = {**_stats(12, 9, 10, 12, 8, 4), "texts": _texts(ms.burst_rows(ms.START))}
    d = _evaluate(stats, times, 12, 0.3, ("disaster", "phường Vàng Danh"), None, p, NOW)
    assert d.alert and d.burst and d.severity == "high"
    detail = d.details["detail"]  # the engineers' figures («Chi tiết»); the reason is the staff sentence
    assert detail.startswith("12 tin từ 9 nguồn trong 4 giờ (8 báo chí, 4 mạng xã hội), nền 0,3 tin/ngày")
    assert "83% tiêu cực" in detail and "địa bàn: phường Vàng Danh" in detail
    assert d.reason.startswith("12 tin, bài trong 4 giờ (từ ")
    assert "gấp nhiều lần mức thường ngày (khoảng 2 tin/tuần); 83% tiêu cực; lan trên 9 nguồn (8 tin báo chí, " \
           "4 tin mạng xã hội). Địa bàn: phường Vàng Danh" in d.reason


def test_reason_lists_the_most_specific_places_only():
    ward = "phường Vàng Danh (TP Uông Bí cũ)"
    district = "TP Uông Bí cũ, nay phường Uông Bí, phường Vàng Danh, phường Yên Tử"
    ranked = [(ward, 4), (district, 3), ("tỉnh Quảng Ninh", 2)]
    assert X.distinct_places(ranked, area_province="Quảng Ninh") == [ward]
    assert X.distinct_places(ranked) == [ward, "tỉnh Quảng Ninh"]  # no area given: the province stays
    other = [("tỉnh Quảng Nam cũ, nay TP Đà Nẵng", 2), ("tỉnh Quảng Ninh", 1)]  # another province is no unit
    assert X.distinct_places(other, area_province="Quảng Ninh") == [p for p, _ in other]
    p = AlertParams(area_province="Quảng Ninh")
    times = [NOW - timedelta(minutes=240 - 20 * i) for i in range(12)]
    stats = {**_stats(12, 9, 10, 12, 8, 4), "places": [[ward, district, "tỉnh Quảng Ninh"]] * 12}
    d = _evaluate(stats, times, 12, 0.3, ("environment", district), None, p, NOW)
    assert "(4 tin trong 14 ngày: «Môi trường, tài nguyên» tại TP Uông Bí cũ)" in d.details["detail"]
    assert f"địa bàn: {ward};" in d.details["detail"] and d.places == (ward,)
    assert f"Địa bàn: {ward}." in d.reason


def test_weighting_neutral_broad_story_does_not_alert_but_negative_local_does():
    p = AlertParams()
    times = [NOW - timedelta(minutes=60 - 20 * i) for i in range(3)]
    neutral = _evaluate(_stats(3, 3, 0, 3, 3, 0, 40), times, 3, 0.3, None, None, p, NOW)
    negative = _evaluate(_stats(3, 3, 3, 3, 3, 0, 40), times, 3, 0.3, None, None, p, NOW)
    national = _evaluate(_stats(3, 3, 3, 0, 3, 0, 40), times, 3, 0.3, None, None, p, NOW)
    assert neutral.burst and not neutral.alert
    assert negative.alert
    assert not national.alert


def test_a_story_placed_only_in_another_province_does_not_alert_however_wide():
    """Real national news (bench/real_stream.py) is mostly other provinces' incidents; nine outlets on a market
    fire in Bạc Liêu are no issue for a Quảng Ninh office. A story naming no place (a national policy) still is."""
    p = AlertParams()
    times = [NOW - timedelta(minutes=60 - 6 * i) for i in range(9)]
    fire = {**_stats(9, 9, 9, 0, 9, 0, 60), "places": [["tỉnh Bạc Liêu cũ, nay tỉnh Cà Mau"]] * 9}
    elsewhere = _evaluate(fire, times, 9, 0.3, None, None, p, NOW)
    assert elsewhere.burst and elsewhere.score >= p.min_score and not elsewhere.alert
    allowed = AlertParams(alert_elsewhere=True)
    assert _evaluate(fire, times, 9, 0.3, None, None, allowed, NOW).alert
    national = _evaluate({**fire, "places": [[]] * 9}, times, 9, 0.3, None, None, p, NOW)
    assert national.alert and "Chưa xác định địa bàn." in national.reason


def test_busy_cell_needs_more_than_its_usual_flow():
    """Three items in a day where the cell normally has eight a day is no burst."""
    p = AlertParams()
    times = [NOW - timedelta(hours=h) for h in (20, 12, 2)]
    d = _evaluate(_stats(3, 3, 3, 3, 3, 0, 18 * 60), times, 3, 8.0, None, None, p, NOW)
    assert not d.burst and not d.alert


def test_open_alert_blocks_a_second_one():
    p = AlertParams()
    times = [NOW - timedelta(minutes=40 - 20 * i) for i in range(3)]
    prev = {"alert_id": "A1", "status": "acknowledged", "n_items": 3}
    d = _evaluate(_stats(9, 8, 9, 9, 9, 0, 40), times, 9, 0.3, None, prev, p, NOW)
    assert not d.alert


# ------------------------------------------------------------------------------------------ sources
def _insert(db, rows, at):
    with db.write() as cur:
        store_items.insert_items(cur, [to_item(None, r, at) for r in rows])


def test_source_volume_below_its_2_sigma_band_raises_then_clears(tmp_path):
    cfg = make_cfg(str(tmp_path / "s.duckdb"))
    db = database(cfg.storage.db_path)
    rng = random.Random(1)
    start = NOW - timedelta(days=15)
    n = 0
    for day in range(15):
        k = rng.randint(9, 13) if day < 14 else 1  # steady ~11/day, then 1 in the last 24 hours
        rows = []
        for _ in range(k):
            t = start + timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            rows.append({"id": f"i{n}", "source": "baoquangninh", "title": f"Tin {n} về Quảng Ninh",
                         "text": f"nội dung {n}", "published_at": t})
            n += 1
        # a second, quiet source that is never judged (too few items a day)
        t = start + timedelta(days=day, hours=9)
        rows.append({"id": f"q{day}", "source": "fb-nho", "title": f"bai {day}", "text": "x", "published_at": t})
        with db.write() as cur:  # seen when published (fetched_at drives item_links.seen_at)
            store_items.insert_items(cur, [to_item(None, r, r["published_at"]) for r in rows])
    det = Detector(cfg, db)
    raised = det.check_sources(NOW)
    assert [(a.source, a.kind, a.raised_at) for a in raised] == [("baoquangninh", "volume_drop", NOW)]
    assert "1 tin trong 24 giờ qua" in raised[0].reason and "σ" in raised[0].reason
    # the same condition an hour later: no second alarm
    assert det.check_sources(NOW + timedelta(hours=1)) == []
    # volume comes back: the alarm clears
    for i in range(12):
        t = NOW + timedelta(hours=1, minutes=5 * i)
        _insert(db, [{"id": f"back{i}", "source": "baoquangninh", "title": f"Tin mới {i}", "text": "x",
                      "published_at": t}], t)
    det.check_sources(NOW + timedelta(hours=2, minutes=1))
    with db.read() as cur:
        alarms = store_alerts.source_alarms(cur)
    assert len(alarms) == 1 and not alarms.iloc[0].open
    db.close()


def test_source_failing_repeatedly_raises_then_clears(tmp_path):
    cfg = make_cfg(str(tmp_path / "f.duckdb"))
    db = database(cfg.storage.db_path)
    det = Detector(cfg, db)

    def outcome(kind, at):
        o = store_sources.Outcome(source="vnexpress-thoi-su", started_at=at, finished_at=at, outcome=kind,
                                  next_due_at=at + timedelta(minutes=15),
                                  error_kind="timeout" if kind == "error" else None,
                                  error="read timed out" if kind == "error" else None)
        with db.write() as cur:
            store_sources.record_outcome(cur, o)

    outcome("ok", NOW - timedelta(hours=5))
    for i in range(2):
        outcome("error", NOW - timedelta(hours=4 - i))
    assert det.check_sources(NOW - timedelta(hours=2)) == []  # two failures: not yet
    outcome("error", NOW - timedelta(hours=1))
    raised = det.check_sources(NOW)
    assert [(a.source, a.kind) for a in raised] == [("vnexpress-thoi-su", "failing")]
    assert "lỗi liên tiếp 3 lần" in raised[0].reason and "timeout" in raised[0].reason
    outcome("ok", NOW + timedelta(minutes=30))
    det.check_sources(NOW + timedelta(hours=2))
    with db.read() as cur:
        alarms = store_alerts.source_alarms(cur)
    assert len(alarms) == 1 and alarms.iloc[0].cleared_at is not None
    db.close()


# ------------------------------------------------------------------------------------------ live path
def test_scheduler_hook_groups_items_tagged_by_the_nlp_store(tmp_path, monkeypatch):
    """The hook serve() registers runs the same detection at wall-clock time, reading item_tags."""
    cfg = make_cfg(str(tmp_path / "h.duckdb"))
    db = database(cfg.storage.db_path)
    t = NOW - timedelta(hours=2)
    _insert(db, [{"id": "x1", "source": "baoquangninh", "title": "Sạt lở bãi thải than ở Vàng Danh",
                  "text": "Đất đá vùi lấp 2 nhà dân.", "published_at": t},
                 {"id": "x2", "source": "fb-uongbi24h", "title": "sat lo bai thai than o vang danh",
                  "text": "dat da vui lap 2 nha dan", "published_at": t + timedelta(minutes=5)}], t)
    with db.write() as cur:
        tag_store.save_tags(cur, [
            {"id": i, "topics": ["disaster"], "sentiment": "negative", "in_area": True,
             "places": ["phường Vàng Danh"], "place_details": [], "lang": "vi", "model_version": "test",
             "no_diacritics": i == "x2", "folded": f}
            for i, f in (("x1", "sat lo bai thai than o vang danh dat da vui lap 2 nha dan"),
                         ("x2", "sat lo bai thai than o vang danh dat da vui lap 2 nha dan"))])
    import store.db as store_db

    monkeypatch.setattr(store_db, "utcnow", lambda: NOW)
    scheduler_hook(cfg, db)()
    with db.read() as cur:
        grouped = cur.execute("SELECT item_id, story_id, sentiment FROM story_items ORDER BY item_id").fetchall()
    assert [g[0] for g in grouped] == ["x1", "x2"] and grouped[0][1] == grouped[1][1]
    assert {g[2] for g in grouped} == {"negative"}
    db.close()


def test_untagged_items_wait_for_the_grace_period(tmp_path):
    cfg = make_cfg(str(tmp_path / "g.duckdb"), alerts={"untagged_grace_minutes": 30})
    db = database(cfg.storage.db_path)
    t = NOW - timedelta(minutes=10)
    _insert(db, [{"id": "late", "source": "s", "title": "Tin chưa gắn nhãn", "text": "x", "published_at": t}], t)
    with db.read() as cur:
        tagged = cur.execute("SELECT count(*) FROM item_tags").fetchone()[0]
    assert not tagged
    run_detection(cfg, db, NOW)
    with db.read() as cur:
        assert cur.execute("SELECT count(*) FROM story_items").fetchone()[0] == 0
    run_detection(cfg, db, NOW + timedelta(minutes=25))
    with db.read() as cur:
        assert cur.execute("SELECT count(*) FROM story_items").fetchone()[0] == 1
    db.close()


def test_disabled_detection_does_nothing(tmp_path):
    cfg = make_cfg(str(tmp_path / "o.duckdb"), alerts={"enabled": False})
    db = database(cfg.storage.db_path)
    _insert(db, [{"id": "a", "source": "s", "title": "Tin", "text": "x", "published_at": NOW - timedelta(days=1)}], NOW)
    assert run_detection(cfg, db, NOW) == []
    with db.read() as cur:
        assert cur.execute("SELECT count(*) FROM story_items").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("level,expect", [("ward_2025", True), ("ward_old", True), ("district_old", True),
                                          ("phường", True), ("xã", True), ("province", False)])
def test_ward_levels_from_the_gazetteer(level, expect):
    """Wards give their 2025 unit; an old district, the 2025 units it became (here its name_2025)."""
    from detection.stories import place_mask_and_wards

    _, wards = place_mask_and_wards([{"name": "Phường Bắc Sơn", "level": level, "name_2025": "Phường Vàng Danh",
                                      "matched_text": "Bắc Sơn"}])
    assert (wards == frozenset({"vang danh"})) is expect


def test_a_backlog_drains_over_several_steps(tmp_path):
    cfg = make_cfg(str(tmp_path / "b.duckdb"), stories={"max_items_per_step": 4})
    db = database(cfg.storage.db_path)
    t = NOW - timedelta(days=2)
    _insert(db, [{"id": f"b{i}", "source": "s", "title": f"Tin số {i} về chuyện {i * 7}", "text": f"nội dung {i}",
                  "published_at": t + timedelta(minutes=i)} for i in range(10)], t)
    counts = []
    for k in range(4):
        run_detection(cfg, db, NOW + timedelta(minutes=k))
        with db.read() as cur:
            counts.append(cur.execute("SELECT count(*) FROM story_items").fetchone()[0])
    assert counts == [4, 8, 10, 10]
    db.close()


# ------------------------------------------------------------------------------------------ arithmetic
def _num(s: str) -> float:
    return float(s.replace(".", "").replace(",", "."))


def _minutes(s: str) -> int:
    m = re.fullmatch(r"(?:(\d+) ngày)? ?(?:(\d+) giờ)? ?(?:(\d+) phút)?", s.strip())
    d, h, mi = (int(x or 0) for x in m.groups())
    return d * 1440 + h * 60 + mi


def check_reason_adds_up(reason: str, p: AlertParams) -> dict:
    """Recompute every figure of a reason from the ones beside it; returns them."""
    head = re.match(r"(\d+) tin từ (\d+) nguồn trong ([^(]+) \((?:(\d+) báo chí, (\d+) mạng xã hội|[^)]*)\)", reason)
    n = int(head.group(1))
    if head.group(4):
        assert int(head.group(4)) + int(head.group(5)) == n
    base = re.search(r"nền ([\d.,]+) tin/ngày \((?:(\d+) tin trong (\d+) ngày|mức sàn)", reason)
    rate = _num(base.group(1))
    if base.group(2):
        exact = int(base.group(2)) / int(base.group(3))
        assert abs(rate - exact) <= 0.05 * exact + 0.05, (rate, exact)  # shown rounded
    else:
        exact = p.baseline_floor_per_day
    win = re.search(r"so với nền, trong (.+?) từ \d\d:\d\d \d\d/\d\d: dự kiến ([\d,]+) tin, có (\d+) tin, gấp ([\d.,]+) lần",
                    reason)
    window = _minutes(win.group(1))
    span = _minutes(head.group(3))
    assert window == max(span, p.bin_minutes), (window, span)
    expected = _num(win.group(2))
    assert int(win.group(3)) == n
    assert abs(expected - exact * window / 1440) <= 0.05 * expected, (expected, exact * window / 1440)
    ratio = _num(win.group(4))
    assert abs(ratio - n / expected) <= max(0.5, 0.01 * ratio), (ratio, n / expected)
    neg = re.search(r"(\d+)% tiêu cực \((\d+)/(\d+) tin\)", reason)
    assert int(neg.group(3)) == n and int(neg.group(1)) == round(100 * int(neg.group(2)) / n)
    return {"n": n, "expected": expected, "ratio": ratio, "window": window}


def test_reason_of_the_issue_adds_up():
    """'3 tin … trong 5 phút, nền 0,9 tin/ngày, gấp 78 lần' did not add up: the ratio used a 1-hour window
    it did not name. Now the window, the expected count and the ratio are all in the sentence."""
    p = AlertParams()
    times = [NOW - timedelta(minutes=5 - 2.5 * i) for i in range(3)]
    d = _evaluate(_stats(3, 3, 3, 3, 1, 2, 5), times, 3, 13 / 14, ("disaster", "phường Vàng Danh"), None, p, NOW)
    assert d.alert
    got = check_reason_adds_up(d.details["detail"], p)
    assert "nền 0,9 tin/ngày (13 tin trong 14 ngày" in d.details["detail"]
    assert "trong 1 giờ từ" in d.details["detail"] and got["window"] == 60 and got["expected"] == 0.039
    assert got["ratio"] == 77


@pytest.mark.parametrize("n,minutes,base,cell", [
    (3, 41, 0.2, None), (12, 240, 4 / 14, ("disaster", "phường Vàng Danh")), (5, 9, 15 / 14, ("environment", "TP Uông Bí cũ")),
    (7, 26 * 60 + 7, 0.2, None), (4, 95, 30 / 14, ("traffic", "")),
])
def test_every_reason_adds_up(n, minutes, base, cell):
    p = AlertParams(min_score=0)
    times = [NOW - timedelta(minutes=minutes * (1 - i / max(n - 1, 1))) for i in range(n)]
    d = _evaluate(_stats(n, n, n - 1, n, n - 1, 1, minutes), times, n, base, cell, None, p, NOW)
    assert d.alert, d.details
    check_reason_adds_up(d.details["detail"], p)


# ------------------------------------------------------------------------------------------ severity
def _texts(rows) -> list[str]:
    from vocab.folding import fold

    return [fold(f"{r['title']}\n{r['text']}") for r in rows]


def test_severity_weighs_harm_scale_officials_and_spread():
    import make_scenarios as ms

    p = AlertParams()
    burst = ms.burst_rows(ms.START)
    first3 = S.harm_signals(_texts(burst[:3]))
    assert first3.harms == ("vùi lấp", "sơ tán")
    level, points, why = S.severity_of(first3, True, 27.0, p)
    assert level == "high", (points, why)  # a slide burying homes with evacuations, on press and social
    full = S.harm_signals(_texts(burst))
    assert full.affected >= 10 and full.official  # "hàng chục hộ dân", "chính quyền", "lãnh đạo tỉnh"
    assert S.severity_of(full, True, 80.0, p)[0] == "high"
    # "không có thương vong" is no harm; a dialogue with 50 households is not 50 affected
    calm = S.harm_signals(["rat may khong co thuong vong", "doi thoai voi hon 50 ho dan ve ha tang"])
    assert calm == S.HarmSignals(harms=(), affected=0, official=False)
    assert calm.as_json() == {"harms": [], "affected": 0, "official": False}  # details["harm"], as stored
    assert S.severity_of(calm, False, 18.0, p)[0] == "low"
    assert S.severity_of(S.harm_signals(["mot nguoi tu vong, 3 nguoi mat tich"]), False, 18.0, p)[0] == "medium"


def test_severity_of_the_demo_incident_is_high():
    """The demo's designed burst (coal-waste mud into dozens of homes, evacuations) at the moment it alerts:
    its first items from three sources, as the detector sees them."""
    import json

    rows = [json.loads(x) for x in (Path(__file__).parents[2] / "demo" / "corpus" / "quangninh.jsonl")
            .read_text(encoding="utf-8").splitlines() if x.strip()]
    burst = sorted((r for r in rows if r["story"] == "burst-vangdanh"), key=lambda r: r["offset_minutes"])
    sig = S.harm_signals(_texts([{"title": r["title"], "text": r["summary"]} for r in burst]))
    mixed = {r["source_type"] for r in burst} == {"press", "social"}
    assert S.severity_of(sig, mixed, 27.0, AlertParams())[0] == "high", sig


# ------------------------------------------------------------------------------------------ re-grading
def _demo_burst() -> list[dict]:
    import json

    rows = [json.loads(x) for x in (Path(__file__).parents[2] / "demo" / "corpus" / "quangninh.jsonl")
            .read_text(encoding="utf-8").splitlines() if x.strip()]
    return sorted((r for r in rows if r["story"] == "burst-vangdanh"), key=lambda r: r["offset_minutes"])


def _story(rows) -> dict:
    return {"n_items": len(rows), "n_press": sum(r["source_type"] == "press" for r in rows),
            "n_social": sum(r["source_type"] == "social" for r in rows),
            "texts": _texts([{"title": r["title"], "text": r["summary"]} for r in rows])}


def test_regrade_raises_severity_as_the_story_grows_and_restates_the_reason():
    p = AlertParams()
    burst = _demo_burst()
    alert = {"severity": "medium", "score": 18.0, "details": {"n_items": 5, "severity_points": 2},
             "reason": "5 tin từ 5 nguồn trong 9 phút; chủ đề: Thiên tai, sự cố; mức trung bình: vùi lấp; "
                       "cả báo chí và mạng xã hội"}
    assert _regrade(alert, _story(burst[:6]), 18.0, p) is None  # nothing new: still medium
    r = _regrade(alert, _story(burst[:7]), 18.0, p)  # the ward's notice: evacuations, 37 homes, officials
    assert r is not None and r.severity == "high"
    assert r.reason == ("5 tin từ 5 nguồn trong 9 phút; chủ đề: Thiên tai, sự cố; mức cao: vùi lấp, sơ tán; "
                        "ít nhất 37 hộ/người bị ảnh hưởng; chính quyền vào cuộc; cả báo chí và mạng xã hội")
    assert r.details["severity"] == "high" and r.details["severity_points"] == 5 and r.details["n_items"] == 5
    assert r.note.startswith("Mức độ: trung bình → cao khi vấn đề có 7 tin (5 điểm: ")
    # never lowered: a high alert stays high whatever the story holds
    assert _regrade({**alert, "severity": "high"}, _story(burst[:1]), 0.0, p) is None
    # the same level with more to say restates the reason, without a history note
    more = _regrade({**alert, "severity": "high", "details": {"severity_points": 4}}, _story(burst[:7]), 18.0, p)
    assert more is not None and more.severity == "high" and more.note == "" and "sơ tán" in more.reason
    assert _regrade({**alert, "severity": "high", "details": r.details}, _story(burst[:9]), 18.0, p) is None
    # a reason without the clause gets it after its own words, not after its full stop («… theo dõi.; mức cao»)
    bare = _regrade({**alert, "reason": "7 tin từ 6 nguồn trong 24 giờ, có nhắc địa bàn theo dõi. "}, _story(burst[:7]),
                     18.0, p)
    assert bare is not None and bare.reason.startswith("7 tin từ 6 nguồn trong 24 giờ, có nhắc địa bàn theo dõi; mức cao: ")
    # an abbreviation's dot at the end is not a full stop: "TP." stays (rstrip(".") left «TP; mức cao»)
    abbrev = _regrade({**alert, "reason": "7 tin từ 6 nguồn, nhắc TP."}, _story(burst[:7]), 18.0, p)
    assert abbrev is not None and abbrev.reason.startswith("7 tin từ 6 nguồn, nhắc TP.; mức cao: ")


def test_demo_alert_raised_live_is_regraded_high_with_a_history_event(tmp_path):
    """The demo burst replayed minute by minute (as `serve` ticks): the alert is raised on the first posts,
    before the ward's notice, and re-graded as the story grows; the change is in its history."""
    from datetime import timezone

    from scenario_eval import run_rows

    start = datetime(2026, 9, 11, 1, 0, tzinfo=timezone.utc)
    rows = [{"id": r["id"], "source": r["feed"], "source_type": r["source_type"], "title": r["title"],
             "text": r["summary"], "published": (start + timedelta(minutes=r["offset_minutes"])).isoformat(),
             "tags": {"topics": r.get("topics") or [], "sentiment": r.get("sentiment"), "in_area": True,
                      "places": ["phường Vàng Danh"]}} for r in _demo_burst()]
    alerts, db = run_rows(rows, str(tmp_path / "live.duckdb"), step_minutes=1)
    try:
        assert len(alerts) == 1 and alerts[0]["severity"] != "high", alerts
        with db.read() as cur:
            a = store_alerts.get_alert(cur, alerts[0]["alert_id"])
            events = store_alerts.audit_log(cur)
        assert a["severity"] == "high" and a["n_items"] >= 7  # the ward's notice (7th item) has joined
        assert a["reason"].split(". Mức độ ")[-1].startswith("cao: vùi lấp, sơ tán")
        assert a["details"]["detail"].split("; mức ")[-1].startswith("cao: vùi lấp, sơ tán")
        sev = events[events["action"] == "severity"]
        assert len(sev) >= 1 and list(sev["username"]) == ["system"] * len(sev)
        assert sev["note"].iloc[0].startswith("Mức độ: ") and "→ cao" in " ".join(sev["note"])
    finally:
        db.close()


def test_replay_moves_the_processors_clock_to_each_step(tmp_path):
    """The processor (cases, watchlist hits) runs on the replay's simulated time, not the wall clock."""
    from langnghe.commands.replay import SimClock
    from scenario_eval import run_rows

    clock, seen = SimClock(), []
    rows = [{"id": f"c{k}", "source": "s", "title": f"Tin {k}", "text": "x",
             "published": f"2025-09-20T10:{k * 20:02d}:00+07:00"} for k in range(2)]
    _, db = run_rows(rows, str(tmp_path / "c.duckdb"), step_minutes=15, clock=clock,
                     processor=lambda ids: seen.append((ids, clock())))
    db.close()
    assert seen == [(["c0"], datetime(2025, 9, 20, 3, 0)), (["c1"], datetime(2025, 9, 20, 3, 30))]


# ------------------------------------------------------------------------------------------ staff sentence
def test_the_reason_is_a_staff_sentence_and_the_statistics_go_to_the_detail_line():
    """Read aloud at the briefing, «dự kiến 0,045 tin … gấp 67 lần» meant nothing; the reason now says what rose,
    against the usual flow, over what window and from where, and topics whose labels hold commas join by «; »."""
    p = AlertParams()
    n = 32
    times = [NOW - timedelta(minutes=360 * (1 - i / (n - 1))) for i in range(n)]
    stats = {**_stats(n, 4, 25, n, 20, 12, 360), "topics": [["religion", "misinformation_fraud"]] * n}
    d = _evaluate(stats, times, n, 1.0, ("religion", "phường Vàng Danh"), None, p, NOW)
    assert d.alert
    assert d.reason.startswith(f"32 tin, bài trong 6 giờ (từ {X.fmt_local(NOW - timedelta(hours=6))}), gấp nhiều "
                               "lần mức thường ngày (khoảng 1 tin/ngày); 78% tiêu cực; lan trên 4 nguồn (20 tin báo chí, "
                               "12 tin mạng xã hội). Địa bàn: phường Vàng Danh; TP Uông Bí. Lĩnh vực: Tin giả, lừa đảo; "
                               "Tôn giáo, tín ngưỡng. Mức độ ")
    assert d.reason.endswith(".") and "dự kiến" not in d.reason and "nền" not in d.reason
    assert "chủ đề: Tin giả, lừa đảo; Tôn giáo, tín ngưỡng;" in d.details["detail"]
    check_reason_adds_up(d.details["detail"], p)


@pytest.mark.parametrize("per_day,text", [(3.4, "khoảng 3 tin/ngày"), (0.96, "khoảng 1 tin/ngày"),
                                          (0.3, "khoảng 2 tin/tuần"), (0.15, "khoảng 1 tin/tuần"),
                                          (0.05, "chưa đến 1 tin/tuần"), (1234.0, "khoảng 1.234 tin/ngày")])
def test_usual_rate_reads_in_the_unit_that_reads_best(per_day, text):
    assert X.usual_rate(per_day) == text


def test_regrade_restates_a_staff_sentence_and_its_detail_line():
    p = AlertParams()
    burst = _demo_burst()
    alert = {"severity": "medium", "score": 18.0,
             "details": {"n_items": 5, "severity_points": 2, "detail": "5 tin từ 5 nguồn; mức trung bình: vùi lấp"},
             "reason": "5 tin, bài trong 9 phút (từ 08:00 11/09), gấp nhiều lần mức thường ngày (chưa đến 1 tin/tuần). "
                       "Lĩnh vực: Thiên tai, sự cố; Môi trường, tài nguyên. Mức độ trung bình: vùi lấp."}
    r = _regrade(alert, _story(burst[:7]), 18.0, p)
    assert r is not None and r.severity == "high"
    assert r.reason == ("5 tin, bài trong 9 phút (từ 08:00 11/09), gấp nhiều lần mức thường ngày (chưa đến 1 tin/tuần). "
                        "Lĩnh vực: Thiên tai, sự cố; Môi trường, tài nguyên. Mức độ cao: vùi lấp, sơ tán; ít nhất 37 "
                        "hộ/người bị ảnh hưởng; chính quyền vào cuộc; cả báo chí và mạng xã hội.")
    assert r.details["detail"].startswith("5 tin từ 5 nguồn; mức cao: vùi lấp, sơ tán; ")


def test_a_floor_baseline_is_told_as_the_little_the_place_had_not_as_a_rate():
    """The floor (0,2 tin/ngày) is no usual flow: «khoảng 1 tin/tuần» would claim one; the cell had under three."""
    p = AlertParams()
    times = [NOW - timedelta(minutes=41 * (1 - i / 2)) for i in range(3)]
    d = _evaluate(_stats(3, 3, 3, 3, 1, 2, 41), times, 3, p.baseline_floor_per_day, None, None, p, NOW)
    assert d.alert
    assert "gấp nhiều lần mức thường ngày (14 ngày qua có dưới 3 tin cùng lĩnh vực tại địa bàn này); 100% tiêu cực" \
        in d.reason, d.reason
    assert "mức sàn: 14 ngày qua có dưới 3 tin" in d.details["detail"]


def test_the_detectors_tagger_is_given_the_items_flags_and_address(tmp_path):
    """An item the detector tags itself (replay, tests) is routed as the pipeline routes it: a comment's flags send it
    to the comment topic model (round 18), so they must reach the tagger with the address."""
    from dataclasses import replace

    cfg = make_cfg(str(tmp_path / "f.duckdb"))
    db = database(cfg.storage.db_path)
    t = NOW - timedelta(hours=1)
    item = to_item(None, {"id": "c1", "source": "fb", "title": "", "text": "đồng ý", "published_at": t,
                          "url": "https://example.invalid/p?comment_id=1"}, t)
    with db.write() as cur:
        store_items.insert_items(cur, [replace(item, flags=("fb_comment", "fb_post:1_0"))])
    seen: list = []

    def tagger(rows):
        seen.extend(rows)
        return [{"id": r.id, "topics": [], "sentiment": "neutral"} for r in rows]

    run_detection(cfg, db, NOW, tagger=tagger)
    db.close()
    assert [r.id for r in seen] == ["c1"]
    assert "fb_comment" in seen[0].flags and seen[0].url == "https://example.invalid/p?comment_id=1"


def test_a_raised_alert_is_typed_and_frozen_and_its_row_is_replays():
    """Round 22: RaisedAlert / RaisedAlarm were TypedDicts; now frozen dataclasses, and `as_row` is the one place
    they become the dict `langnghe replay` writes (--alerts-out's keys, in its order; times in ISO)."""
    import dataclasses
    import json

    from detection.alert_types import RaisedAlarm, RaisedAlert

    a = RaisedAlert(alert_id="A1", raised_at=NOW, story_id="s1", title="Ngập", topics=("disaster",),
                    places=("phường Vàng Danh",), item_ids=("i1", "i2"), severity="low", score=15.0, reason="3 tin",
                    previous_alert_id=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.severity = "high"  # type: ignore[misc]
    row = a.as_row()
    assert list(row) == ["alert_id", "raised_at", "story_id", "title", "topics", "places", "item_ids", "severity",
                         "score", "reason", "previous_alert_id"]
    assert row["raised_at"] == NOW.isoformat() and row["item_ids"] == ["i1", "i2"] and row["topics"] == ["disaster"]
    assert json.loads(json.dumps(row, ensure_ascii=False)) == row
    alarm = RaisedAlarm(id=7, source="baoquangninh", kind="failing", raised_at=NOW, reason="lỗi")
    assert alarm.as_row() == {"id": 7, "source": "baoquangninh", "kind": "failing", "raised_at": NOW.isoformat(),
                              "reason": "lỗi"}
