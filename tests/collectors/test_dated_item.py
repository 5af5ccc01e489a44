"""collectors.base.dated_item: the Item every mapper ends with (rss.map_entry and _social.make_item, round 26)."""

from __future__ import annotations

from datetime import datetime, timedelta

from collectors import _social, rss
from collectors.base import dated_item
from collectors.textutil import content_hash, sha1
from vocab.config import SourceConfig

FETCHED = datetime(2026, 12, 7, 8, 0)
URL = "https://baoquangninh.example/tin/bai-thai-sat-lo.html"


def _item(published: datetime | None, flags: tuple[str, ...] = ("own_channel",)):
    src = SourceConfig(name="bqn", kind="rss", url="https://baoquangninh.example/rss", outlet="Báo Quảng Ninh")
    return dated_item(src, url=URL, canonical=URL, title="Bãi thải sạt lở", text="Ở phường Vàng Danh.",
                      published=published, fetched_at=FETCHED, future_tolerance_minutes=60, outlet="Báo Quảng Ninh",
                      guid="g1", author=None, flags=flags)


def test_identity_comes_from_the_canonical_url_and_the_text():
    it = _item(FETCHED - timedelta(hours=2))
    assert it.id == sha1(URL)
    assert it.content_hash == content_hash("Bãi thải sạt lở", "Ở phường Vàng Danh.", URL)
    assert (it.published_at, it.published_estimated, it.flags) == (FETCHED - timedelta(hours=2), False, ("own_channel",))


def test_a_missing_or_future_date_becomes_the_fetch_time_flagged_after_the_given_flags():
    assert (_item(None).published_at, _item(None).published_estimated, _item(None).flags) == (
        FETCHED, True, ("own_channel", "no_date"))
    ahead = _item(FETCHED + timedelta(minutes=61))
    assert (ahead.published_at, ahead.published_estimated, ahead.flags) == (FETCHED, True, ("own_channel", "future_date"))
    assert _item(FETCHED + timedelta(minutes=59)).flags == ("own_channel",)  # within the tolerance


def test_a_feed_entry_and_a_social_post_of_the_same_story_are_the_same_item():
    """What makes two items one (id, content hash, effective date) is decided in one place for every kind."""
    src = SourceConfig(name="bqn", kind="rss", url="https://baoquangninh.example/rss", outlet="Báo Quảng Ninh")
    entry = {"link": URL, "title": "Bãi thải sạt lở", "summary": "Ở phường Vàng Danh."}
    a = rss.map_entry(entry, src, FETCHED)
    b = _social.make_item(src, url=URL, title="Bãi thải sạt lở", text="Ở phường Vàng Danh.", published=None,
                          fetched_at=FETCHED)
    assert (a.id, a.content_hash, a.published_at, a.flags) == (b.id, b.content_hash, b.published_at, b.flags)
    assert a.flags == ("no_date",)
