"""item_tags and human_labels: save/replace, pending items, staff corrections round trip, service."""

from __future__ import annotations

from datetime import datetime

import pytest

from store import tags as T
from tests.conftest import database
from vocab import config as config_mod


@pytest.fixture
def db(tmp_path):
    d = database(tmp_path / "t.duckdb")  # a copy of the worker's migrated file
    yield d
    d.close()


def _insert_items(db, rows):
    import pyarrow as pa

    now = datetime(2025, 7, 2, 8, 0)
    with db.write() as cur:
        for i, (item_id, title, summary) in enumerate(rows):
            cur.execute(
                """INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                   title, summary, published_at, published_estimated, fetched_at, flags)
                   VALUES (?, ?, ?, ?, 's', 'rss', 'press', 'O', ?, ?, ?, false, ?, [])""",
                [item_id, f"https://x/{item_id}", f"https://x/{item_id}", f"h{item_id}", title, summary, now, now],
            )
    _ = pa


def test_save_replace_and_pending(db):
    _insert_items(db, [("i1", "Tin 1", "nội dung"), ("i2", "Tin 2", "nội dung")])
    with db.read() as cur:
        pending = T.items_to_tag(cur, "v1", 10)
    assert {r["id"] for r in pending} == {"i1", "i2"}
    assert pending[0]["text"] == "nội dung"
    row = {"id": "i1", "model_version": "v1", "topics": ["land", "governance"], "sentiment": "negative",
           "in_area": True, "places": ["phường Vàng Danh (TP Uông Bí cũ)"],
           "place_details": [{"name": "Phường Vàng Danh", "level": "ward_2025"}], "lang": "vi",
           "no_diacritics": False, "folded": "tin 1 noi dung"}
    with db.write() as cur:
        assert T.save_tags(cur, [row]) == 1
    with db.write() as cur:  # re-tag replaces, never duplicates
        T.save_tags(cur, [{**row, "sentiment": "neutral"}])
    with db.read() as cur:
        got = T.get_tags(cur, "i1")
        assert T.count_tagged(cur) == 1
        assert [r["id"] for r in T.items_to_tag(cur, "v1", 10)] == ["i2"]
        assert {r["id"] for r in T.items_to_tag(cur, "v2", 10)} == {"i1", "i2"}  # newer model: re-tag
    assert got["sentiment"] == "neutral"
    assert got["topics"] == ["land", "governance"]
    assert got["places"] == ["phường Vàng Danh (TP Uông Bí cũ)"]
    assert got["place_details"][0]["level"] == "ward_2025"


def test_restored_titles_in_one_query_and_in_get_tags(db):
    _insert_items(db, [("r1", "bai thai than sat roi", ""), ("r2", "Tin có dấu", "")])
    base = {"model_version": "v1", "topics": [], "sentiment": "neutral", "in_area": True, "places": [],
            "place_details": [], "lang": "vi", "folded": ""}
    with db.write() as cur:
        T.save_tags(cur, [{**base, "id": "r1", "no_diacritics": True, "title_restored": "bãi thải than sạt rồi"},
                          {**base, "id": "r2", "no_diacritics": False, "title_restored": ""}])
    with db.read() as cur:
        assert T.restored_titles(cur, ["r1", "r2", "r3"]) == {"r1": "bãi thải than sạt rồi"}
        assert T.restored_titles(cur, []) == {}
        assert T.get_tags(cur, "r1")["title_restored"] == "bãi thải than sạt rồi"
        assert T.get_tags(cur, "r2")["title_restored"] is None


def test_human_labels_round_trip(db):
    _insert_items(db, [("i1", "Dân bức xúc vì bụi than", "Xe chở than gây bụi")])
    with db.write() as cur:
        T.add_human_label(cur, "i1", "sentiment", "neutral", "lan", now=datetime(2025, 7, 3))
        T.add_human_label(cur, "i1", "sentiment", "negative", "hoa", now=datetime(2025, 7, 4))
        T.add_human_label(cur, "i1", "topics", ["environment"], "hoa", now=datetime(2025, 7, 4))
        T.add_human_label(cur, "i1", "in_area", True, "hoa", now=datetime(2025, 7, 4))
        with pytest.raises(ValueError):
            T.add_human_label(cur, "i1", "colour", "red", "hoa")
    with db.read() as cur:
        labels = T.human_labels(cur)
        hist = T.label_history(cur, "i1")
    assert len(labels) == 1
    h = labels[0]
    assert h["labels"] == {"sentiment": "negative", "topics": ["environment"], "in_area": True}
    assert h["title"] == "Dân bức xúc vì bụi than" and h["username"] == "hoa"
    assert [x["value"] for x in hist if x["field"] == "sentiment"] == ["negative", "neutral"]


def test_train_reads_human_labels(tmp_path):
    from langnghe.commands.train import human_rows
    from tests.conftest import make_config

    cfg = make_config(tmp_path)
    d = database(cfg.storage.db_path)
    _insert_items(d, [("i1", "Dân bức xúc vì bụi than", "Xe chở than gây bụi"), ("i2", "Tin khác", "")])
    with d.write() as cur:
        T.add_human_label(cur, "i1", "topics", ["environment"], "hoa")
        T.add_human_label(cur, "i1", "sentiment", "negative", "hoa")
        T.add_human_label(cur, "i2", "in_area", False, "hoa")  # not a training label for the classifiers
    d.close()
    rows = human_rows(cfg)
    assert rows == [{"id": "human:i1", "title": "Dân bức xúc vì bụi than", "text": "Xe chở than gây bụi",
                     "source_type": "press", "flags": [], "topics": ["environment"], "sentiment": "negative"}]


def test_service_tags_new_and_pending(db, cfg, pipeline):
    from nlp import service

    _insert_items(db, [("n1", "Người dân phường Vàng Danh phản ánh bụi than", "Xe chở than chạy suốt đêm"),
                       ("n2", "Khai mạc lễ hội hoa", "")])
    stamp = datetime(2026, 3, 1, 8, 0)  # a replay's simulated time, far from the wall clock
    assert service.tag_ids(cfg, db, ["n1"], pipeline=pipeline, now=stamp) == 1
    with db.read() as cur:
        t = T.get_tags(cur, "n1")
        assert t["in_area"] is True and t["model_version"] == pipeline.model_version
        assert t["tagged_at"] == stamp
        assert T.get_tags(cur, "n2") is None
    assert service.tag_pending(cfg, db, batch=1, pipeline=pipeline) == 1
    with db.read() as cur:
        assert T.count_tagged(cur) == 2
    assert service.tag_pending(cfg, db, pipeline=pipeline) == 0


def test_tag_pending_command(tmp_path, monkeypatch, pipeline, capsys):
    """The command tags the stored items with the pipeline kept per NLP settings (the session's, by the same
    settings): it does not load the models again (3–4 s)."""
    from langnghe.cli import main
    from nlp import service
    from nlp.pipeline import Pipeline
    from tests.conftest import make_config

    cfg = make_config(tmp_path)
    service.get_pipeline(cfg)  # the session's (loaded again only if a test with other NLP settings evicted it), kept below

    def no_new_load(*a, **k):
        raise AssertionError("tag --pending loaded its own pipeline")

    monkeypatch.setattr(Pipeline, "from_config", no_new_load)
    d = database(cfg.storage.db_path)
    _insert_items(d, [("p1", "Người dân phường Vàng Danh phản ánh bụi than", "")])
    d.close()
    monkeypatch.setenv("LANGNGHE_DB", cfg.storage.db_path)
    assert main(["tag", "--pending"]) == 0
    d = database(cfg.storage.db_path)
    with d.read() as cur:
        assert T.get_tags(cur, "p1")["in_area"] is True
    d.close()
    capsys.readouterr()
    assert main(["tag", "--pending"]) == 0  # nothing left: said so, not «Đã gán nhãn 0 tin» (round 26)
    assert capsys.readouterr().err.startswith("Không có tin nào chờ gán nhãn: mọi tin đã có nhãn của mô hình ")


def test_scheduler_hook_tags_a_batch(db, cfg, pipeline, monkeypatch):
    from nlp import service

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: pipeline)
    _insert_items(db, [("h1", "Bãi Cháy đón khách", ""), ("h2", "Tin khác", "")])
    service.scheduler_hook(cfg, db)()
    with db.read() as cur:
        assert T.count_tagged(cur, pipeline.model_version) == 2


def test_scheduler_hook_loads_the_models_only_once_an_item_waits(db, cfg, pipeline, monkeypatch):
    """An idle serve (nothing stored, or all tagged with the configured stamp) loaded the models at its first tick
    all the same: seconds of CPU and hundreds of MB for nothing. They load at the first tick that finds an item."""
    from nlp import service

    from collections import OrderedDict

    loads: list[object] = []
    monkeypatch.setattr(service, "_PIPELINES", OrderedDict())  # none loaded in this process yet
    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: loads.append(_cfg) or pipeline)
    monkeypatch.setattr("nlp.version.current_stamp", lambda _cfg: pipeline.model_version)
    hook = service.scheduler_hook(cfg, db)
    hook()
    assert loads == []
    _insert_items(db, [("w1", "Bãi Cháy đón khách", "")])
    hook()
    assert len(loads) == 1
    with db.read() as cur:
        assert T.count_tagged(cur, pipeline.model_version) == 1
    hook()  # all tagged: (these stand-in models are not in the cache) nothing is loaded
    assert len(loads) == 1
    service._PIPELINES[service._pipeline_key(cfg)] = pipeline  # loaded (by the ingest path or a tick)
    hook()
    assert len(loads) == 2, "once loaded, the job asks the models as before"


def test_an_idle_scheduler_hook_reads_the_stamp_once(db, cfg, pipeline, monkeypatch):
    """An idle serve asks every tick whether an item waits; the stamp it asks with (model files found, data files
    hashed: ~17 ms) is the same for the hook's config every tick, so it is read once, not once a tick."""
    from collections import OrderedDict

    from nlp import service

    stamps: list[object] = []
    monkeypatch.setattr(service, "_PIPELINES", OrderedDict())  # none loaded: each tick asks the store first
    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: pipeline)
    monkeypatch.setattr("nlp.version.current_stamp", lambda _cfg: stamps.append(_cfg) or pipeline.model_version)
    hook = service.scheduler_hook(cfg, db)
    for _ in range(5):
        hook()
    _insert_items(db, [("i1", "Bãi Cháy đón khách", "")])
    hook()  # the stamp read once still finds the new item
    with db.read() as cur:
        assert T.count_tagged(cur, pipeline.model_version) == 1
    assert len(stamps) == 1


def test_scheduler_hook_tags_batches_until_its_time_is_spent(db, cfg, pipeline, monkeypatch):
    """After an upgrade every stored item waits: one tick tags batch after batch for `tag_seconds_per_tick`
    (clock injected: each batch "takes" 1 s), and 0 keeps the old one batch a tick."""
    from nlp import service

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: pipeline)
    _insert_items(db, [(f"b{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(9)])
    ticks = iter(range(1000))

    def settings(seconds: float):  # the shipped defaults with a small batch
        raw = config_mod.read_toml(config_mod.DEFAULTS_PATH)
        raw["nlp"].update(batch_size=2, tag_seconds_per_tick=seconds)
        return config_mod.parse(raw)

    service.scheduler_hook(settings(2.5), db, clock=lambda: float(next(ticks)))()
    with db.read() as cur:
        assert T.count_tagged(cur, pipeline.model_version) == 6  # batches end at 1, 2, 3 s: the third passes 2.5
    service.scheduler_hook(settings(0), db, clock=lambda: float(next(ticks)))()
    with db.read() as cur:
        assert T.count_tagged(cur, pipeline.model_version) == 8


def test_full_text_joins_the_summary_for_tagging(db):
    from store import fulltext as F

    lead = "Người dân phường Vàng Danh phản ánh xe chở than gây bụi suốt đêm."
    _insert_items(db, [("f1", "Bụi than", lead), ("f2", "Tin khác", "Tóm tắt ngắn"), ("f3", "Không lấy được", "x")])
    article = f"{lead} UBND TP Uông Bí đã yêu cầu doanh nghiệp che phủ thùng xe. " + "Nội dung dài. " * 400
    with db.write() as cur:
        F.save_many(cur, [F.Extracted("f1", article, "ok", "https://x/f1"),
                          F.Extracted("f2", "Bài viết về bồi thường giải phóng mặt bằng.", "ok", "https://x/f2"),
                          F.Extracted("f3", None, "http_404", "https://x/f3")], now=datetime(2025, 7, 2, 9))
    with db.read() as cur:
        plain = {r["id"]: r["text"] for r in T.items_for_tagging(cur, ["f1", "f2", "f3"])}
        full = {r["id"]: r["text"] for r in T.items_for_tagging(cur, ["f1", "f2", "f3"], fulltext_chars=300)}
        pending = {r["id"]: r["text"] for r in T.items_to_tag(cur, "v1", 10, fulltext_chars=300)}
    assert plain == {"f1": lead, "f2": "Tóm tắt ngắn", "f3": "x"}  # 0 = the summary only
    # the article opens with the summary: read once, then the article's next 300 characters
    assert full["f1"].startswith(lead) and full["f1"].count(lead) == 1 and "che phủ" in full["f1"]
    assert len(full["f1"]) == len(lead) + 300
    assert full["f2"] == "Tóm tắt ngắn\n\nBài viết về bồi thường giải phóng mặt bằng."
    assert full["f3"] == "x" and pending == full


def test_summary_and_article():
    assert T.summary_and_article("", "abc", 2) == "ab"
    assert T.summary_and_article("Mở đầu.", "Khác hẳn.", 100) == "Mở đầu.\n\nKhác hẳn."
    assert T.summary_and_article("Mở   đầu bài.", "Mở đầu bài. Thân bài.", 100) == "Mở đầu bài. Thân bài."


def test_stored_tags_from_an_older_pipeline_are_retagged(db, cfg, pipeline):
    """Round 12 changed how posts are read without a new model: items stamped by the older pipeline (the bare
    model version, "1.0") are picked again, and once re-tagged they are left alone."""
    from nlp import service

    _insert_items(db, [("o1", "Người dân phường Vàng Danh phản ánh bụi than", "Xe chở than chạy suốt đêm")])
    old = pipeline.model_version.split("/")[0]
    with db.write() as cur:
        T.save_tags(cur, [{"id": "o1", "model_version": old, "topics": [], "sentiment": "neutral", "places": []}])
    assert pipeline.model_version != old
    from orchestration.status import collect_status
    from nlp.version import current_stamp

    assert current_stamp(cfg) == pipeline.model_version  # status counts without loading the models
    assert collect_status(cfg, db)["items_to_tag"] == 1
    assert service.tag_pending(cfg, db, pipeline=pipeline) == 1
    assert collect_status(cfg, db)["items_to_tag"] == 0
    with db.read() as cur:
        t = T.get_tags(cur, "o1")
        assert t["model_version"] == pipeline.model_version and t["in_area"] is True
    assert service.tag_pending(cfg, db, pipeline=pipeline) == 0


def test_version_stamp_follows_code_steps_province_and_data_files(tmp_path, monkeypatch):
    import shutil

    from nlp import version as P

    data = tmp_path / "data"
    shutil.copytree(P.DATA_DIR, data, ignore=shutil.ignore_patterns("corpus", "vn_legacy_*"))
    steps = P.DEFAULT_STEPS
    base = P.stamp_version("1.0", steps, "Quảng Ninh", data)
    assert base.startswith("1.0/p") and base == P.stamp_version("1.0", steps, "Quảng Ninh", data)
    assert P.stamp_version("1.0", steps[:-1], "Quảng Ninh", data) != base
    assert P.stamp_version("1.0", steps, "Hải Phòng", data) != base
    assert P.stamp_version("1.0", steps, "Quảng Ninh", data, settings=dict(P.TAG_SETTINGS)) == base
    assert P.stamp_version("1.0", steps, "Quảng Ninh", data, settings={"classify_chars": 3000}) != base
    (data / "PROVENANCE.md").write_text("ghi chú", encoding="utf-8")  # decides nothing: same stamp
    assert P.stamp_version("1.0", steps, "Quảng Ninh", data) == base
    with (data / "landmarks.csv").open("a", encoding="utf-8") as f:  # staff add a landmark: re-tag
        f.write("Chợ Mới,Uông Bí\n")
    edited = P.stamp_version("1.0", steps, "Quảng Ninh", data)
    assert edited != base
    monkeypatch.setattr(P, "PIPELINE_REVISION", P.PIPELINE_REVISION + 1)
    assert P.stamp_version("1.0", steps, "Quảng Ninh", data) not in (base, edited)


class _OneBadItem:
    """The shipped pipeline, but one item id raises (a bug in a step, not a DropItem)."""

    def __init__(self, pipeline, bad_id: str):  # type: ignore[no-untyped-def]
        self.pipeline, self.bad_id, self.model_version = pipeline, bad_id, pipeline.model_version

    def tag(self, rows):  # type: ignore[no-untyped-def]
        if any(r["id"] == self.bad_id for r in rows):
            raise ValueError("lỗi của một bước")
        return self.pipeline.tag(rows)


def _hook_in_batches_of_two(db):  # type: ignore[no-untyped-def]
    """serve's tag job with the shipped settings but batches of 2, on a clock that never moves."""
    from nlp import service

    raw = config_mod.read_toml(config_mod.DEFAULTS_PATH)
    raw["nlp"].update(batch_size=2)
    return service.scheduler_hook(config_mod.parse(raw), db, clock=lambda: 0.0)


def test_scheduler_hook_gets_past_an_item_the_pipeline_cannot_tag(db, pipeline, monkeypatch):
    """A step that raises on one stored item (not DropItem: a bug) failed its whole batch, and the newest-first
    query offered the same batch again every tick: nothing older was ever re-tagged. The batch is tagged item by
    item instead, and the one item is saved as dropped (as a DropItem is), so the next batches run."""
    from nlp import service

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: _OneBadItem(pipeline, "p1"))
    _insert_items(db, [(f"p{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(5)])
    _hook_in_batches_of_two(db)()
    with db.read() as cur:
        assert T.count_to_tag(cur, pipeline.model_version) == 0
        assert T.get_tags(cur, "p0")["places"] and T.get_tags(cur, "p4")["places"]
        assert not T.get_tags(cur, "p1")["places"]


def test_scheduler_hook_saves_nothing_when_no_item_can_be_tagged(db, pipeline, monkeypatch):
    """A pipeline that raises on every item (a broken release, not one odd item) keeps the job failing, as
    before: saving each as dropped would replace every stored item's tags with empty ones."""
    from nlp import service

    class Broken:
        model_version = pipeline.model_version

        def tag(self, rows):  # type: ignore[no-untyped-def]
            raise ValueError("bước hỏng")

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: Broken())
    _insert_items(db, [(f"q{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(3)])
    with pytest.raises(ValueError):
        _hook_in_batches_of_two(db)()
    with db.read() as cur:
        assert T.count_to_tag(cur, pipeline.model_version) == 3


def test_a_last_batch_of_one_bad_item_is_saved_as_dropped(db, pipeline, monkeypatch):
    """The odd item alone in its batch (the last, short batch) failed "entirely", so it was raised as a broken
    pipeline and saved nothing: the same item came back first every tick. A known-good probe item tells the two
    apart: the pipeline tags it, so the item is dropped and the job goes on."""
    from nlp import service

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: _OneBadItem(pipeline, "r2"))
    _insert_items(db, [(f"r{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(3)])  # batches r0 r1, then r2
    _hook_in_batches_of_two(db)()
    with db.read() as cur:
        assert T.count_to_tag(cur, pipeline.model_version) == 0
        assert T.get_tags(cur, "r0")["places"] and not T.get_tags(cur, "r2")["places"]
        assert not T.get_tags(cur, "__probe__")


def test_a_broken_pipeline_saves_nothing_even_for_a_batch_of_one(db, pipeline, monkeypatch):
    from nlp import service

    class Broken:
        model_version = pipeline.model_version

        def tag(self, rows):  # type: ignore[no-untyped-def]
            raise ValueError("bước hỏng")

    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: Broken())
    _insert_items(db, [("s0", "Tin ở Bãi Cháy", "")])
    with pytest.raises(ValueError):
        service.scheduler_hook(config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH)), db,
                               clock=lambda: 0.0)()
    with db.read() as cur:
        assert T.count_to_tag(cur, pipeline.model_version) == 1


class _BadItems(_OneBadItem):
    """The shipped pipeline, but these item ids raise."""

    def __init__(self, pipeline, bad_ids):  # type: ignore[no-untyped-def]
        super().__init__(pipeline, "")
        self.bad_ids = set(bad_ids)

    def tag(self, rows):  # type: ignore[no-untyped-def]
        if any(r["id"] in self.bad_ids for r in rows):
            raise ValueError("lỗi của một bước")
        return self.pipeline.tag(rows)


def test_a_batch_of_only_bad_items_is_dropped_once_a_real_item_proves_the_pipeline(db, cfg, pipeline, monkeypatch):
    """Two bad items, the newest, once everything else was tagged: a batch where every item fails was raised as a
    broken pipeline every tick and the job stalled on them. The pipeline re-tags a stored item it tagged before
    (a real item's fields), so the two are saved as dropped and the known-good item's tags stay as they were."""
    from nlp import service

    _insert_items(db, [(f"b{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(3)])
    assert service.tag_pending(cfg, db, pipeline=pipeline) == 3
    with db.read() as cur:
        before = T.get_tags(cur, "b2")
    _insert_items(db, [("a0", "Tin lỗi ở Bãi Cháy", ""), ("a1", "Tin lỗi nữa ở Bãi Cháy", "")])  # first in order
    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: _BadItems(pipeline, {"a0", "a1"}))
    _hook_in_batches_of_two(db)()
    with db.read() as cur:
        assert T.count_to_tag(cur, pipeline.model_version) == 0
        assert not T.get_tags(cur, "a0")["places"] and not T.get_tags(cur, "a1")["places"]
        assert T.get_tags(cur, "b2") == before and T.get_tags(cur, "b0")["places"]


def test_a_release_broken_on_real_items_wipes_no_tags_though_it_passes_the_probe(db, cfg, pipeline, monkeypatch):
    """The built-in probe is not a real item: a release that tags it but no stored item must not replace the
    items' earlier tags with empty ones. With no item tagged by this release to prove it, or with one it cannot
    re-tag either, the batch is raised and nothing is saved."""
    from nlp import service

    _insert_items(db, [(f"c{i}", f"Tin số {i} ở Bãi Cháy", "") for i in range(3)])
    old = pipeline.model_version.split("/")[0]
    with db.write() as cur:  # tagged by the previous release
        T.save_tags(cur, [{"id": f"c{i}", "model_version": old, "topics": ["moi_truong"], "sentiment": "negative",
                           "places": ["Bãi Cháy"], "lang": "vi"} for i in range(3)])
    real = {"c0", "c1", "c2"}
    monkeypatch.setattr(service, "get_pipeline", lambda _cfg: _BadItems(pipeline, real))
    with pytest.raises(ValueError):
        _hook_in_batches_of_two(db)()
    with db.write() as cur:  # one item this release did tag: it cannot re-tag it either
        T.save_tags(cur, [{"id": "c2", "model_version": pipeline.model_version, "topics": ["moi_truong"],
                           "sentiment": "negative", "places": ["Bãi Cháy"], "lang": "vi"}])
    with pytest.raises(ValueError):
        _hook_in_batches_of_two(db)()
    with db.read() as cur:
        assert T.get_tags(cur, "c0")["places"] == ["Bãi Cháy"] and T.get_tags(cur, "c1")["model_version"] == old


def test_untagged_items_come_before_the_retag_backlog(db):
    """A mixed backlog after an upgrade: the newest press and social items tagged by the old model, and an import of
    last year's posts whose tagging was interrupted (no tags at all). The untagged import is in the first batch;
    newest first alone left it behind the whole re-tag backlog."""
    _insert_items(db, [("press-new", "Tin mới", "nội dung"), ("social-new", "bài đăng", "nội dung")])
    with db.write() as cur:
        cur.execute("""INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                       title, summary, published_at, published_estimated, fetched_at, flags)
                       VALUES ('import-old', 'https://x/old', 'https://x/old', 'hold', 'nhap', 'import', 'social', 'O',
                       'bài cũ', 'nội dung', ?, false, ?, [])""", [datetime(2025, 1, 5, 8, 0), datetime(2025, 7, 2)])
        cur.execute("UPDATE items SET source_type = 'social' WHERE id = 'social-new'")
        T.save_tags(cur, [{"id": i, "model_version": "v1", "topics": [], "places": [], "folded": "x"}
                          for i in ("press-new", "social-new")])
    with db.read() as cur:
        assert [r["id"] for r in T.items_to_tag(cur, "v2", 1)] == ["import-old"]
        assert [r["id"] for r in T.items_to_tag(cur, "v2", 10)][0] == "import-old"
        assert {r["id"] for r in T.items_to_tag(cur, "v2", 10)} == {"import-old", "press-new", "social-new"}
