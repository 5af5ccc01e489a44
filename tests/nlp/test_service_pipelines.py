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


def test_settings_that_only_feed_the_pipeline_share_it_and_those_that_make_it_do_not(tmp_path, loads):
    """Keyed on the settings Pipeline.from_config reads (nlp.version.PIPELINE_SETTINGS), not the whole [nlp] table:
    a config that differs in how the service feeds the pipeline (batch size, seconds a tick, full-text characters)
    reused nothing until round 28 and loaded the models again (3–4 s, a few hundred MB kept)."""
    base = service.get_pipeline(make_config(tmp_path / "a"))
    fed = make_config(tmp_path / "b", nlp={"batch_size": 7, "tag_seconds_per_tick": 0, "fulltext_chars": 0})
    assert service.get_pipeline(fed) is base and len(loads) == 1
    for n, other in enumerate([{"workers": 1}, {"preload_rows": False}, {"min_marked_share": 0.2}]):
        service.get_pipeline(make_config(tmp_path / f"c{n}", nlp=other))
        assert len(loads) == n + 2, other


def test_from_config_reads_only_the_settings_it_is_keyed_on():
    """A setting Pipeline.from_config reads and PIPELINE_SETTINGS does not name would never reach it (from_config is
    given those only): a new one is named there, so that a config that changes it loads its own pipeline."""
    import inspect
    import re

    from nlp.version import PIPELINE_SETTINGS, TAG_SETTINGS, pipeline_settings

    source = inspect.getsource(pipeline_mod.Pipeline.from_config)
    read = set(re.findall(r"""\bs(?:\.get\(|\[)["'](\w+)["']""", source)) | {"model_dir"} | set(TAG_SETTINGS)
    assert read and "model_dir(s)" in source and "tag_settings(s)" in source
    assert read <= set(PIPELINE_SETTINGS), sorted(read - set(PIPELINE_SETTINGS))
    assert pipeline_settings({"workers": 3, "batch_size": 9}) == {"workers": 3}
