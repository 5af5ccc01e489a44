"""fix33: Nguồn tin's refusal of an interval said «1440 phút», written into the message, not the rule's bound, and
not Vietnamese-style; the config file's message keeps «1440» (in TOML «1.440» is a float)."""

from __future__ import annotations

import pytest

from orchestration import sources as sources_store
from vocab import config as C


def _row(**over):
    return {"name": "moi", "kind": "rss", "url": "https://moi.vn/rss", "outlet": "Mới", "source_type": "press",
            "interval_minutes": 0, "enabled": False, "options": {}, **over}


def test_form_message_says_the_rules_bound_vietnamese_style(monkeypatch):
    with pytest.raises(ValueError) as refused:
        sources_store.check_source(_row(interval_minutes=2000), kinds=["rss"])
    assert "từ 1 đến 1.440 phút" in str(refused.value) and "1440" not in str(refused.value)
    monkeypatch.setattr(C, "SOURCE_INTERVAL_MAX_MINUTES", 2 * 1440)  # one bound: the rule's, not a copy of it
    monkeypatch.setattr(sources_store, "SOURCE_INTERVAL_MAX_MINUTES", 2 * 1440)
    with pytest.raises(ValueError, match="từ 1 đến 2.880 phút"):
        sources_store.check_source(_row(interval_minutes=3000), kinds=["rss"])
    assert sources_store.check_source(_row(interval_minutes=2000), kinds=["rss"])["interval_minutes"] == 2000


def test_config_file_message_keeps_the_bound_as_toml_writes_it():
    with pytest.raises(C.ConfigError, match=r"hoặc từ 1 đến 1440, không phải 2000"):
        C._check_range("sources[0]", "interval_minutes", 2000.0)
