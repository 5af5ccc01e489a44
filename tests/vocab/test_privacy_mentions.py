"""vocab.privacy's one rule for @mentions, asked by the pages, the reports and the pushes alike."""

from __future__ import annotations

import pandas as pd

from vocab.privacy import mask_mentions_in, mentions_masked


def test_the_admins_saved_switch_wins_over_the_config():
    assert mentions_masked({}, config_switch=True)
    assert not mentions_masked({}, config_switch=False)
    assert not mentions_masked({"retention.mask_author_handles": False}, config_switch=True)
    assert mentions_masked({"retention.mask_author_handles": True}, config_switch=False)
    assert not mentions_masked({"retention.mask_author_handles": True}, config_switch=True, rule=False)


def test_feed_text_is_masked_in_frames_dicts_and_tuples_and_the_rest_left_alone():
    df = pd.DataFrame({"title": ["@nguoidung4 ơi, bụi than", None], "outlet": ["@baoqn", "x"], "n": [1, 2]})
    out, total = mask_mentions_in((df, 2))
    assert out["title"].iloc[0] == "@n***4 ơi, bụi than" and pd.isna(out["title"].iloc[1])
    assert list(out["outlet"]) == ["@baoqn", "x"] and total == 2  # outlets are not feed text
    assert df["title"].iloc[0] == "@nguoidung4 ơi, bụi than"  # the caller's frame is not changed
    d = mask_mentions_in({"title": "hỏi @hoanganh.l", "note": "@nguoidung4", "stories": [{"title": "@ab12 à"}]})
    assert d == {"title": "hỏi @h***l", "note": "@nguoidung4", "stories": [{"title": "@a***2 à"}]}
    assert mask_mentions_in(None) is None


def test_an_rss_feed_of_a_social_group_masks_its_posters():
    """An RSS bridge of a Facebook group or a forum carries posters' names: they are persons, not the
    publisher (a press feed's byline and a YouTube channel stay public)."""
    from vocab.privacy import mask_author

    assert mask_author("user799", source_type="social", collector="rss") == "u***9"
    assert mask_author("Báo Quảng Ninh", source_type="press", collector="rss") == "Báo Quảng Ninh"
    assert mask_author("QTV", source_type="social", collector="youtube") == "QTV"
    assert mask_author("Tin nhanh", source_type="official", collector="rss") == "Tin nhanh"


def test_every_personal_source_type_is_one_a_source_may_be_configured_with():
    """PERSONAL_SOURCE_TYPES named "forum", which the config refuses as a source type: a forum's feed is "social"
    there, so the "forum" rule never applied. One vocabulary: every personal type is a valid source type."""
    from vocab.labels import CONFIGURED_SOURCE_TYPES
    from vocab.privacy import PERSONAL_SOURCE_TYPES

    assert PERSONAL_SOURCE_TYPES and PERSONAL_SOURCE_TYPES <= set(CONFIGURED_SOURCE_TYPES)


def test_typed_rows_are_masked_in_their_feed_text_fields_only():
    """`langnghe search` lists store.search.Found rows, not a frame: the same rule masks their feed-text fields."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Row:
        title: str
        summary: str | None
        outlet: str

    rows = [Row("@nguoidung4 ơi, bụi than", None, "@baoqn")]
    assert mask_mentions_in(rows) == [Row("@n***4 ơi, bụi than", None, "@baoqn")]
    assert rows[0].title == "@nguoidung4 ơi, bụi than"  # the caller's row is not changed
