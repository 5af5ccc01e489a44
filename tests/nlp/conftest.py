"""Shared NLP fixtures: one pipeline per test session (models load once)."""

from __future__ import annotations

import pytest

from vocab import config as config_mod
@pytest.fixture(scope="session")
def cfg():
    """The shipped defaults only (no override file from the environment)."""
    return config_mod.parse(config_mod.read_toml(config_mod.DEFAULTS_PATH))


@pytest.fixture(scope="session")
def pipeline(cfg):
    from nlp.pipeline import Pipeline

    return Pipeline.from_config(cfg)


@pytest.fixture(scope="session")
def normaliser(pipeline):
    return pipeline.res.normaliser


@pytest.fixture(scope="session")
def gazetteer(pipeline):
    return pipeline.res.gazetteer
