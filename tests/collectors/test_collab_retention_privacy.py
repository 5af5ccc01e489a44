"""Collaborator reports, the retention job, and author masking."""

from __future__ import annotations

from datetime import datetime, timedelta

import re

import pytest

from vocab import privacy
from vocab.labels import PURGE_LABELS
from collectors.base import SkipItem
from collectors.collab import map_report, report_id
from langnghe import cli
from store import collab, retention
from store.items import insert_items
from kindhelpers import db  # noqa: F401
from tests.conftest import database

NOW = datetime(2024, 11, 21, 3, 0)


def _report(**kw):
    base = dict(reporter="ctv01", text="Bà con khu 3 Vàng Danh bàn tán việc xe than gây bụi, nhiều người bức xúc.",
                place="phường Vàng Danh", channel="zalo", link=None)
    base.update(kw)
    return collab.NewReport(**base)


def _create(cur, r, now):
    """What orchestration.ingest.submit_report does before the pipeline (its hourly limit aside): map, then store
    unless saved before."""
    item = map_report(reporter=r.reporter, text=r.text, place=r.place, channel=r.channel, link=r.link, now=now)
    rid = report_id(r.reporter, r.text, r.place, now, channel=r.channel, link=r.link)
    return collab.saved_before(cur, r, rid, now) or collab.insert_report(cur, r, item, rid, now)


def test_map_report_is_pure_and_checks_input():
    a = map_report(reporter="ctv01", text="Nghe người dân nói về giá đền bù", place="Trưng Vương",
                   channel="offline", link=None, now=NOW)
    b = map_report(reporter="ctv01", text="Nghe người dân nói về giá đền bù", place="Trưng Vương",
                   channel="offline", link=None, now=NOW)
    assert a == b and a.collector == "collab" and a.source == "ctv" and a.source_type == "ctv"  # heard in person: CTV / trực tiếp
    assert a.url.startswith("urn:langnghe:collab:") and a.author is None
    assert a.summary.endswith("Địa bàn: Trưng Vương") and a.outlet == "CTV DLXH – Nghe trực tiếp (ngoài đời)"
    with pytest.raises(SkipItem):
        map_report(reporter="x", text="  ", place="", channel="zalo", link=None, now=NOW)
    with pytest.raises(SkipItem, match="http"):
        map_report(reporter="x", text="nội dung đủ dài", place="", channel="zalo", link="javascript:x", now=NOW)


def test_create_report_with_screenshot_and_double_submit(db):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    with db.write() as cur:
        s1 = _create(cur, _report(screenshot=png, screenshot_mime="image/png",
                                               screenshot_name="anh.png"), NOW)
        s2 = _create(cur, _report(screenshot=png, screenshot_mime="image/png"), NOW)
    assert s1.new_item and not s1.duplicate_report and s2.duplicate_report and s2.item_id == s1.item_id
    with db.read() as cur:
        assert collab.count_reports(cur) == 1
        assert collab.screenshot(cur, s1.report_id) == (png, "image/png")
        rows = collab.recent_reports(cur)
        assert rows[0]["has_screenshot"] and rows[0]["channel"] == "zalo"
        row = cur.execute("SELECT collector, source_type, title FROM items WHERE id = ?", [s1.item_id]).fetchone()
    assert row[0] == "collab" and row[1] == "social" and row[2].startswith("Bà con khu 3 Vàng Danh")


def test_different_reports_in_one_minute_are_all_kept_and_a_resend_is_one_across_the_minute(db):
    """The id folded reporter, text, place and the minute: one collaborator's two reports with the same words (heard
    in person, then read in a Zalo group; or two links) in one minute were one, the second lost; the same form
    sent again at 10:00:59 and 10:01:01 was two. Now every different report is kept, and an identical resend
    within store.collab.RESEND_MINUTES is one."""
    at = NOW + timedelta(seconds=59)
    with db.write() as cur:
        a = _create(cur, _report(), at)
        b = _create(cur, _report(channel="offline"), at + timedelta(seconds=1))          # same words, heard in person
        c = _create(cur, _report(channel="facebook", link="https://www.facebook.com/groups/ub/posts/1/"), at)
        d = _create(cur, _report(channel="facebook", link="https://www.facebook.com/groups/ub/posts/2/"), at)
        e = _create(cur, _report(reporter="ctv02", text="Người dân Yên Tử hỏi về giá đền bù đường mới."), at)
        again = _create(cur, _report(), at + timedelta(seconds=2))                         # the minute has turned
        later = _create(cur, _report(), at + timedelta(minutes=collab.RESEND_MINUTES, seconds=1))
    assert not any(x.duplicate_report for x in (a, b, c, d, e, later))
    assert len({x.report_id for x in (a, b, c, d, e, later)}) == 6
    assert again.duplicate_report and again.report_id == a.report_id and again.item_id == a.item_id
    with db.read() as cur:
        assert collab.count_reports(cur) == 6


def test_report_with_a_link_already_collected_links_to_that_item(db):
    url = "https://www.facebook.com/groups/uongbi/posts/1001/"
    first = map_report(reporter="a", text="Bài đăng về bụi than", place="", channel="facebook", link=url, now=NOW)
    with db.write() as cur:
        insert_items(cur, [first])
        s = _create(cur, _report(link=url, channel="facebook", reporter="b"), NOW)
    assert not s.new_item and s.item_id == first.id


def _aged(db, days_raw_ago: int, days_item_ago: int, n: int):
    m = map_report(reporter="r", text=f"Phản ánh số {n} về môi trường", place="", channel="other", link=None,
                   now=NOW - timedelta(days=days_item_ago))
    from dataclasses import replace

    m = replace(m, raw=b"x", fetched_at=NOW - timedelta(days=days_raw_ago))
    with db.write() as cur:
        insert_items(cur, [m])
    return m


def test_retention_purges_raw_and_old_items_and_logs(db):
    fresh = _aged(db, 1, 1, 1)
    old_raw = _aged(db, 40, 40, 2)
    ancient = _aged(db, 800, 800, 3)
    archive_imported_today = _aged(db, 0, 800, 4)
    with db.write() as cur:
        dry = retention.purge(cur, NOW, raw_payload_days=30, items_days=730, dry_run=True)
    assert {p.what: p.rows for p in dry}["raw_payloads"] == 2
    with db.write() as cur:
        done = retention.purge(cur, NOW, raw_payload_days=30, items_days=730)
    got = {p.what: p.rows for p in done}
    assert got["raw_payloads"] == 2 and got["items"] == 1 and got["item_rows:item_links"] == 1
    with db.read() as cur:
        ids = {r[0] for r in cur.execute("SELECT id FROM items").fetchall()}
        raws = {r[0] for r in cur.execute("SELECT item_id FROM item_raw").fetchall()}
        log = retention.recent_log(cur)
    assert ids == {fresh.id, old_raw.id, archive_imported_today.id} and ancient.id not in ids
    assert raws == {fresh.id, archive_imported_today.id}
    assert any(r["what"] == "items" and r["rows"] == 1 and not r["dry_run"] for r in log)
    assert any(r["dry_run"] for r in log)


def test_retention_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "r.duckdb"))
    assert cli.main(["init-db"]) == 0  # retention refuses a database that does not exist (round 28)
    assert cli.main(["retention", "--dry-run"]) == 0
    assert "Sẽ xóa 0 dòng dữ liệu gốc của tin" in capsys.readouterr().out
    assert cli.main(["retention"]) == 0 and cli.main(["retention", "--log"]) == 0
    out = capsys.readouterr().out
    assert "dòng tin bài" in out and "nhật ký gửi thông báo" in out
    assert not re.search(r"raw_payloads|notify_|item_rows", out)  # no internal key reaches staff


def test_retention_cli_names_every_purged_table_in_vietnamese(tmp_path, monkeypatch, capsys):
    """A real purge also reports the rows of each table that belonged to the purged items
    ("item_rows:TABLE"): each prints in Vietnamese, once "dòng", never a table name."""

    path = tmp_path / "r.duckdb"
    with database(path) as db:
        _aged(db, 800, 800, 1)
        with db.read() as cur:
            tables = retention._item_tables(cur)
    monkeypatch.setenv("LANGNGHE_DB", str(path))
    assert cli.main(["retention"]) == 0 and cli.main(["retention", "--log"]) == 0
    out = capsys.readouterr().out
    assert "Đã xóa 1 dòng tin bài" in out and "dòng liên kết của tin đã xóa" in out
    assert "dòng dòng" not in out and not re.search(r"item_|bảng ", out), out
    assert [t for t in tables if f"item_rows:{t}" not in PURGE_LABELS] == []  # a new item table: name it there


@pytest.mark.parametrize("author,stype,collector,expected", [
    ("@hoanganh.bsky.social", "social", "bluesky", "@h***h"),
    ("u/saigon_hiker", "social", "reddit", "u/s***r"),
    ("@minh@social.example.vn", "social", "mastodon", "@m***h@social.example.vn"),
    ("thanh_uongbi", "social", "xenforo", "t***i"),
    ("Minh Hà", "press", "rss", "Minh Hà"),                      # a journalist's byline
    ("QTV - Quảng Ninh TV", "social", "youtube", "QTV - Quảng Ninh TV"),  # a channel
    (None, "social", "telegram", None),
])
def test_mask_author(author, stype, collector, expected):
    assert privacy.mask_author(author, source_type=stype, collector=collector) == expected


def test_mask_author_public_list_reveal_and_off():
    assert privacy.mask_author("Uông Bí 24h", source_type="social", collector="telegram",
                               public_authors=["uông bí 24h"]) == "Uông Bí 24h"
    assert privacy.mask_author("Admin Hải", source_type="social", collector="telegram") == "A***i"
    assert privacy.mask_author("Admin Hải", source_type="social", reveal=True) == "Admin Hải"
    assert privacy.mask_author("Admin Hải", source_type="social", enabled=False) == "Admin Hải"


def test_mask_mentions_and_frame():
    assert privacy.mask_mentions("cảm ơn @hoanganh, mail a@b.com") == "cảm ơn @h***h, mail a@b.com"
    import pandas as pd

    df = pd.DataFrame({"author": ["u/abc_def", "Minh Hà"], "source_type": ["social", "press"],
                       "collector": ["reddit", "rss"]})
    assert privacy.mask_frame(df)["author"].tolist() == ["u/a***f", "Minh Hà"]
    assert df["author"].tolist() == ["u/abc_def", "Minh Hà"]  # the input is not changed


def test_retention_hook_runs_once_a_day(db, tmp_path):
    from orchestration import retention as cmd
    from tests.conftest import make_config

    cfg = make_config(tmp_path, [])
    h = cmd.hook(cfg, db)
    h()
    h()
    with db.read() as cur:
        runs = {r["run_at"] for r in retention.recent_log(cur)}
    assert len(runs) == 1
    assert cmd.effective_days(cfg, db) == (cfg.retention.items_days, cfg.retention.raw_payload_days)


def test_heard_in_person_is_its_own_source_type():
    from collectors.collab import channel_source_type
    from vocab.labels import SOURCE_TYPES

    assert SOURCE_TYPES["ctv"] == "CTV / trực tiếp"
    assert [channel_source_type(c) for c in ("offline", "zalo", "facebook", "press")] == ["ctv", "social", "social", "press"]
