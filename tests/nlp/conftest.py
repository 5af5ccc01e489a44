"""Shared NLP fixtures: one pipeline per test session (models load once per worker, shared with every test
that tags through `nlp.service.get_pipeline` with the default NLP settings)."""

from __future__ import annotations

import pytest

from vocab import config as config_mod
@pytest.fixture(scope="session")
def cfg():
    """The shipped defaults only (no override file from the environment)."""
    return config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH))


@pytest.fixture(scope="session")
def pipeline(cfg):
    """The one `nlp.service.get_pipeline` keeps: the dashboard and orchestration tests that tag on this worker
    reuse it (same settings) instead of loading the models a second time (~4 s)."""
    from nlp import service

    return service.get_pipeline(cfg)


@pytest.fixture(scope="session")
def normaliser(pipeline):
    return pipeline.res.normaliser


@pytest.fixture(scope="session")
def gazetteer(pipeline):
    return pipeline.res.gazetteer
