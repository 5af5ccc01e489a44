"""Nothing lost after a stop: items tagged by the catch-up (or tagged just before a stop or a crash) still get
their complaint case and their watchlist hit and push, once. A real DuckDB file, closed and reopened as a restart
of `serve` does; a stand-in tagger (no model), the real store and matching."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from nlp import service as nlp_service
from orchestration import ingest
from orchestration.jobs import Scheduler
from store import notify as store_notify
from store import tags as tag_store
from store import watchlists as store_watch
from store.db import utcnow
from tests.conftest import database, make_config
from vocab.item import Item


class _Tagger:
    """Tags every item with the ward it names; `stop_after` sets the stop event once that many batches are tagged
    (Ctrl+C arriving while serve tags a big batch)."""

    model_version = "stand-in-1"

    def __init__(self) -> None:
        self.batches = 0
        self.stop = threading.Event()
        self.stop_after: int | None = None

    def tag(self, rows):
        self.batches += 1
        if self.stop_after == self.batches:
            self.stop.set()
        return [{"id": r["id"], "model_version": self.model_version, "topics": ["moi_truong"],
                 "places": ["Vàng Danh"], "in_area": True, "sentiment": "negative"} for r in rows]


@pytest.fixture
def tagger(monkeypatch):
    t = _Tagger()
    monkeypatch.setattr(nlp_service, "get_pipeline", lambda cfg: t)
    return t


def _item(key: str, title: str, minutes_ago: float, flags: tuple[str, ...] = ()) -> Item:
    at = utcnow() - timedelta(minutes=minutes_ago)
    url = f"urn:langnghe:import:{key}"
    return Item(id=f"id-{key}", source="import-pakn", collector="import", source_type="social", outlet="Tệp nhập",
                url=url, canonical_url=url, title=title, summary="Người dân phản ánh, đề nghị xử lý.", published_at=at,
                published_estimated=False, fetched_at=at, content_hash=f"h-{key}", flags=flags)


def _setup(tmp_path, window: int = 60):
    cfg = make_config(tmp_path, fulltext={"enabled": False}, nlp={"batch_size": 2})
    db = database(cfg.storage.db_path)
    with db.write() as cur:
        wid = store_watch.create(cur, {"name": "Bãi thải", "query": '"bãi thải"', "places": ["Vàng Danh"], "topics": [],
                                       "source_types": [], "min_items": 1, "window_minutes": window,
                                       "severity": "high"}, "cv", utcnow(), active=True)
        store_notify.save_subscription(cur, store_notify.Subscription(0, "cv", "console", "cv", min_severity="low"))
    return cfg, db, wid


def _store(db, items: list[Item]) -> list[str]:
    from store.items import insert_items

    with db.write() as cur:
        return insert_items(cur, items)


def _cases_fail_on(monkeypatch, item_id: str, error: str) -> None:
    """Opening cases raises RuntimeError(error) for a batch holding `item_id`; other batches get their cases."""
    from orchestration import cases

    real = cases.open_for_items

    def bad_on_one(cfg_, db_, ids_, **k):
        if item_id in ids_:
            raise RuntimeError(error)
        return real(cfg_, db_, ids_, **k)

    monkeypatch.setattr(cases, "open_for_items", bad_on_one)


def _counts(db, wid: int) -> dict[str, int]:
    with db.read() as cur:
        one = lambda sql, *p: int(cur.execute(sql, list(p)).fetchone()[0])  # noqa: E731
        return {"hits": one("SELECT count(*) FROM watch_hits WHERE watchlist_id = ?", wid),
                "reported": one("SELECT count(*) FROM watch_hits WHERE watchlist_id = ? AND alert_id IS NOT NULL", wid),
                "alerts": one("SELECT count(*) FROM alerts WHERE story_id = ?", store_watch.watch_key(wid)),
                "outbox": one("SELECT count(*) FROM outbox"),
                "cases": one("SELECT count(*) FROM cases"),
                "pending": tag_store.count_steps_pending(cur)}


def test_items_a_stop_left_get_their_case_and_watchlist_push_at_the_next_start(tmp_path, tagger):
    cfg, db, wid = _setup(tmp_path)
    ids = _store(db, [_item("a", "Sạt lở bãi thải than ở Vàng Danh", 5, ("complaint",)),
                      _item("b", "Đường phường Yên Tử xuống cấp", 4),
                      _item("c", "Bãi thải lại tràn bùn xuống khu dân cư", 3, ("complaint",))])
    tagger.stop_after = 1  # serve stops while the first batch (a, b) is tagged: c stays untagged
    ingest.processor(cfg, db, stop=tagger.stop)(ids)
    assert _counts(db, wid) == {"hits": 0, "reported": 0, "alerts": 0, "outbox": 0, "cases": 0, "pending": 2}
    db.close()

    tagger.stop_after = None
    with database(cfg.storage.db_path) as db2:  # the restart: serve's scheduler runs its catch-up first
        Scheduler(cfg, db2).catch_up()
        after = _counts(db2, wid)
        assert after == {"hits": 2, "reported": 2, "alerts": 1, "outbox": 1, "cases": 2, "pending": 0}
        with db2.read() as cur:
            hit_items = sorted(r[0] for r in cur.execute("SELECT item_id FROM watch_hits").fetchall())
            case_items = sorted(r[0] for r in cur.execute("SELECT item_id FROM cases").fetchall())
        assert hit_items == case_items == ["id-a", "id-c"]  # a: tagged before the stop; c: by the catch-up

        Scheduler(cfg, db2).catch_up()  # a second start, and the steps run again by hand: nothing twice
        assert ingest.after_tagging(cfg, db2, ["id-a", "id-b", "id-c"], utcnow())
        assert _counts(db2, wid) == after


def test_a_crash_between_tags_and_steps_leaves_the_mark_for_the_catch_up(tmp_path, tagger, monkeypatch):
    cfg, db, wid = _setup(tmp_path)
    ids = _store(db, [_item("a", "Bãi thải than sạt ở Vàng Danh", 2)])

    def crash(*a, **k):
        raise SystemExit("killed")  # the process dies after the tags committed, before cases and watchlists

    monkeypatch.setattr(ingest, "run_steps", crash)
    with pytest.raises(SystemExit):
        ingest.processor(cfg, db)(ids)
    monkeypatch.undo()
    monkeypatch.setattr(nlp_service, "get_pipeline", lambda cfg: tagger)
    assert _counts(db, wid)["pending"] == 1
    assert ingest.catch_up(cfg, db) == 0  # nothing left untagged: the tagging catch-up alone did nothing here
    assert _counts(db, wid) == {"hits": 1, "reported": 1, "alerts": 1, "outbox": 1, "cases": 0, "pending": 0}
    db.close()


def test_an_old_item_caught_up_late_is_a_hit_but_pushes_nothing(tmp_path, tagger):
    """The watchlist's window counts back from the catch-up, as it counts back from a live pass: a post from three
    hours before a restart is kept on the Theo dõi page but raises no alert for a 60-minute watchlist."""
    cfg, db, wid = _setup(tmp_path, window=60)
    _store(db, [_item("old", "Bãi thải sạt ở Vàng Danh", 180)])  # stored, then serve stopped before tagging it
    ingest.catch_up(cfg, db)
    assert _counts(db, wid) == {"hits": 1, "reported": 0, "alerts": 0, "outbox": 0, "cases": 0, "pending": 0}
    db.close()


def test_the_tag_job_runs_the_steps_for_items_it_tags(tmp_path, tagger):
    """A batch whose tagging failed on the ingest path is tagged by the tag job: its steps run then, with tags."""
    from orchestration.jobs import tagging

    cfg, db, wid = _setup(tmp_path)
    _store(db, [_item("a", "Bãi thải than sạt ở Vàng Danh", 2, ("complaint",))])  # stored, never processed
    tagging(cfg, db)()
    assert _counts(db, wid) == {"hits": 1, "reported": 1, "alerts": 1, "outbox": 1, "cases": 1, "pending": 0}
    db.close()


def test_a_step_that_fails_keeps_the_mark_and_the_next_run_finishes_it(tmp_path, tagger, monkeypatch, caplog):
    """Opening cases fails once (a bug, a full disk): the watchlist still matched, and the next run opens the case
    without a second hit, alert or push."""
    from orchestration import cases

    cfg, db, wid = _setup(tmp_path)
    ids = _store(db, [_item("a", "Bãi thải than sạt ở Vàng Danh", 2, ("complaint",))])
    real = cases.open_for_items

    def broken(*a, **k):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(cases, "open_for_items", broken)
    ingest.processor(cfg, db)(ids)
    assert _counts(db, wid) == {"hits": 1, "reported": 1, "alerts": 1, "outbox": 1, "cases": 0, "pending": 1}
    stop = threading.Event()
    stop.set()
    assert ingest.finish_tagged(cfg, db, stop=stop) == 0  # serve stopping: left for the next start
    monkeypatch.setattr(cases, "open_for_items", real)
    with caplog.at_level("INFO"):
        assert ingest.finish_tagged(cfg, db) == 1
    assert _counts(db, wid) == {"hits": 1, "reported": 1, "alerts": 1, "outbox": 1, "cases": 1, "pending": 0}
    # said on an import's or a collect's console in Vietnamese (it was «… run for 1 items tagged before a stop», r28)
    assert any(r.getMessage().startswith("Đã đối chiếu hồ sơ phản ánh") for r in caplog.records), caplog.text
    db.close()


def test_one_item_whose_step_always_fails_holds_back_nothing_and_is_given_up_counted(tmp_path, tagger, monkeypatch):
    """Opening the case always fails on one item: its batch's other item and the batch behind it get their cases
    all the same, and after STEP_ATTEMPTS runs the bad item is given up (its row kept, counted), not retried."""
    cfg, db, wid = _setup(tmp_path)  # [nlp] batch_size 2: bad and b in the oldest batch, c behind it
    ids = _store(db, [_item("bad", "Bãi thải than sạt ở Vàng Danh", 5, ("complaint",)),
                      _item("b", "Đường phường Yên Tử xuống cấp", 4, ("complaint",)),
                      _item("c", "Nước thải tràn ra suối ở Vàng Danh", 3, ("complaint",))])
    _cases_fail_on(monkeypatch, "id-bad", "hỏng")
    nlp_service.tag_ids(cfg, db, ids)  # tagged only: the steps left to the catch-up, as after a stop
    assert _counts(db, wid)["pending"] == 3
    assert ingest.finish_tagged(cfg, db) == 2
    assert _counts(db, wid)["cases"] == 2 and _counts(db, wid)["pending"] == 1
    for _ in range(tag_store.STEP_ATTEMPTS - 1):
        assert ingest.finish_tagged(cfg, db) == 0
    with db.read() as cur:
        assert tag_store.count_steps_pending(cur) == 0 and tag_store.count_steps_failed(cur) == 1
        attempts = cur.execute("SELECT attempts FROM item_steps_pending WHERE item_id = 'id-bad'").fetchone()[0]
    assert attempts == tag_store.STEP_ATTEMPTS
    assert ingest.finish_tagged(cfg, db) == 0  # given up: not tried again
    with db.read() as cur:
        assert cur.execute("SELECT attempts FROM item_steps_pending").fetchall() == [(tag_store.STEP_ATTEMPTS,)]
    db.close()


def test_a_step_failing_on_the_live_path_counts_an_attempt_as_the_catch_up_does(tmp_path, tagger, monkeypatch):
    """Round 20: a failure on the live pass (ingest.processor) counted no attempt, only the catch-up's did, and the
    whole live batch stayed owed. Now both go through ingest.run_steps: the live pass tries the batch's items one by
    one (the good one gets its case at once), counts the bad one's attempt with the step and its error, and two more
    runs of the catch-up give it up."""
    cfg, db, wid = _setup(tmp_path)
    ids = _store(db, [_item("bad", "Bãi thải than sạt ở Vàng Danh", 5, ("complaint",)),
                      _item("b", "Đường phường Yên Tử xuống cấp", 4, ("complaint",))])
    _cases_fail_on(monkeypatch, "id-bad", "hỏng ở hồ sơ")
    ingest.processor(cfg, db)(ids)
    assert _counts(db, wid)["cases"] == 1 and _counts(db, wid)["pending"] == 1
    with db.read() as cur:
        row = cur.execute("SELECT attempts, last_step, last_error, failed_at FROM item_steps_pending").fetchall()
    assert row == [(1, "cases", "RuntimeError: hỏng ở hồ sơ", None)]
    for _ in range(tag_store.STEP_ATTEMPTS - 1):
        assert ingest.finish_tagged(cfg, db) == 0
    with db.read() as cur:
        assert tag_store.count_steps_pending(cur) == 0 and tag_store.count_steps_failed(cur) == 1
    db.close()
