"""Evaluation scripts (run by hand, never by the suite); `load_pipeline` is what they measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.pipeline import Pipeline


def load_pipeline(model_dir: str = "") -> Pipeline:
    """The pipeline the eval scripts measure: the configured one, or the models of `langnghe train --out DIR`."""
    from nlp.pipeline import Pipeline, nlp_settings
    from vocab.config import load

    cfg = load()
    settings = nlp_settings(cfg)
    if model_dir:
        settings = {**settings, "model_dir": model_dir}
    pipe = Pipeline.from_config(cfg, settings=settings)
    print(f"model {pipe.model_version}")
    return pipe
