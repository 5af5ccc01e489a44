"""`nlp.service.get_pipeline` loads the models once per set of NLP settings, not once per config object: each
test (and each reread config file) makes a new Config, and every one of them loaded and kept its own copy."""

from __future__ import annotations

from typing import Any

import pytest

from nlp import pipeline as pipeline_mod
from nlp import service
from tests.conftest import make_config


@pytest.fixture
def loads(monkeypatch) -> list[Any]:
    """The configs Pipeline.from_config was called with (a stub pipeline each: no model is read)."""
    seen: list[Any] = []
    monkeypatch.setattr(service, "_PIPELINES", type(service._PIPELINES)())
    monkeypatch.setattr(pipeline_mod.Pipeline, "from_config", classmethod(lambda cls, cfg: seen.append(cfg) or object()))
    return seen


def test_configs_with_the_same_nlp_settings_share_one_pipeline(tmp_path, loads):
    a, b = make_config(tmp_path / "a"), make_config(tmp_path / "b")  # two databases, the same models
    assert a is not b and service.get_pipeline(a) is service.get_pipeline(b)
    assert len(loads) == 1


def test_other_nlp_settings_or_province_load_their_own_and_few_are_kept(tmp_path, loads):
    base = service.get_pipeline(make_config(tmp_path / "a"))
    other = service.get_pipeline(make_config(tmp_path / "b", nlp={"classify_chars": 800}))
    elsewhere = service.get_pipeline(make_config(tmp_path / "c", area={"province": "Hải Phòng"}))
    assert len({id(base), id(other), id(elsewhere)}) == 3 and len(loads) == 3
    assert len(service._PIPELINES) == service._KEEP  # the least recently used one was let go
    assert service.get_pipeline(make_config(tmp_path / "d", area={"province": "Hải Phòng"})) is elsewhere
    assert len(loads) == 3
