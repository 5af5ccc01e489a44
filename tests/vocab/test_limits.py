"""[limits]: the bounds on what one answer is read for, in the one documented place (round 20). Nonsense is refused
at load in Vietnamese, naming the setting and its range: 0 would refuse every feed or answer, a negative number
the same, a few zeros too many would let one answer take gigabytes or minutes again; the shipped numbers are the
code's defaults (DEFAULT_LIMITS, used where no Config is given)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from vocab import config as C


def _load(tmp_path, text: str):
    p = tmp_path / "o.toml"
    p.write_text(text, encoding="utf-8")
    return C.load(p)


def test_the_shipped_limits_are_the_codes_defaults():
    assert C.load().limits == C.DEFAULT_LIMITS == C.LimitsConfig()


@pytest.mark.parametrize("toml,said", [
    ("max_entries = 0", "[limits] max_entries phải từ 1 đến 100000, không phải 0"),
    ("max_entries = -10", "[limits] max_entries phải từ 1 đến 100000"),
    ("max_entries = 100000000", "[limits] max_entries phải từ 1 đến 100000"),
    ("max_entries = 2.5", "[limits] max_entries phải là một số nguyên"),
    ("max_feed_mb = 0", "[limits] max_feed_mb phải lớn hơn 0 và không quá 128, không phải 0"),
    ("max_feed_mb = -1", "[limits] max_feed_mb phải lớn hơn 0 và không quá 128"),
    ("max_feed_mb = 8000", "[limits] max_feed_mb phải lớn hơn 0 và không quá 128"),
    ("max_feed_mb = nan", "[limits] max_feed_mb phải là một số hữu hạn"),
    ("max_json_mb = 0", "[limits] max_json_mb phải lớn hơn 0"),
    ("max_json_values = 0", "[limits] max_json_values phải từ 1"),
    ("max_json_values = 1e12", "[limits] max_json_values phải là một số nguyên"),
    ("max_page_chars = 0", "[limits] max_page_chars phải từ 1"),
    ("max_article_chars = 500000000", "[limits] max_article_chars phải từ 1 đến 5000000"),
    ("max_article_mb = -8", "[limits] max_article_mb phải lớn hơn 0"),
    ("max_mail_mb = 0", "[limits] max_mail_mb phải lớn hơn 0"),
    ("max_answer_mb = 1024", "[limits] max_answer_mb phải lớn hơn 0 và không quá 64"),
    ("fold_cache_words = 0", "[limits] fold_cache_words phải từ 1"),
    ('max_entries = "1000"', "[limits] max_entries phải là một số nguyên"),
    ("max_entrys = 10", "[limits] không có thiết lập: max_entrys"),
])
def test_nonsense_in_limits_is_refused_at_load_in_vietnamese(tmp_path, toml, said):
    with pytest.raises(C.ConfigError) as err:
        _load(tmp_path, f"[limits]\n{toml}\n")
    assert said in str(err.value)


def test_limits_at_the_edges_of_their_range_load(tmp_path):
    low = _load(tmp_path, "[limits]\nmax_entries = 1\nmax_feed_mb = 0.5\nfold_cache_words = 1\n").limits
    assert (low.max_entries, low.feed_bytes, low.fold_cache_words) == (1, 524_288, 1)
    high = "\n".join(f"{k} = {C._RANGES[f'limits.{k}'][1]}" for k in (f.name for f in fields(C.LimitsConfig)))
    top = _load(tmp_path, f"[limits]\n{high}\n").limits
    assert top.max_entries == 100_000 and top.max_mail_mb == 100


def test_every_limit_has_a_range():
    """A new limit gets a range here, or 0 and a typo of a few zeros would load."""
    assert {f.name for f in fields(C.LimitsConfig)} == {k.split(".", 1)[1] for k in C._RANGES if k.startswith("limits.")}
