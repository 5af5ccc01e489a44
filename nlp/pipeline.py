"""The NLP pipeline: configured steps over batches of items.

    Pipeline.from_config(cfg)        loads the restorer, gazetteer and classifier once
    pipeline.tag(rows) -> rows       rows: id, title, text (+ source, url, published, source_type, flags)
                                     out:  id, topics, sentiment, in_area, places, place_details,
                                           lang, model_version, no_diacritics, folded, and the
                                           fields any other configured step declares in `adds`

Step order comes from `[nlp] steps`; see nlp/steps.py for the step contract.

The `model_version` stamped on every tag row is more than the model files' version (nlp/version.py): it adds
the pipeline's code revision and a fingerprint of the steps, the province and the data files, so a code fix or
an edited landmarks file reaches stored items (re-tagged by `nlp.service`), as a retrain does.
`tag_parallel` spreads a large batch over worker processes (fork; models shared copy-on-write).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import os
from typing import Any, Iterable

from nlp.classify import Classifier
from nlp.gazetteer import load_gazetteer
from nlp.normalise import Normaliser, load_nsw
from nlp.diacritics import Restorer
from nlp.steps import STEPS, Resources, Step
# find_models, model_dir and nlp_settings are imported from here by the commands and tools too
from nlp.version import (DEFAULT_STEPS, find_models, model_dir, nlp_settings, pipeline_settings, province_of,
                         stamp_version, tag_settings)

log = logging.getLogger("langnghe.nlp")

OUTPUT_FIELDS = ("id", "topics", "sentiment", "in_area", "places", "place_details", "lang", "model_version",
                 "no_diacritics", "title_restored", "text_restored", "folded")
_DEFAULTS: dict[str, Any] = {"topics": [], "sentiment": "neutral", "in_area": False, "places": [],
                             "place_details": [], "lang": "other", "no_diacritics": False,
                             "title_restored": "", "text_restored": "", "folded": ""}


def dropped_row(item_id: Any, model_version: str, reason: str) -> dict[str, Any]:
    """The output row of an item the pipeline could not tag (a step's unexpected error): the defaults, marked
    dropped like a DropItem, so saving it takes the item out of the waiting ones instead of offering it again."""
    row: dict[str, Any] = {k: (list(v) if isinstance(v, list) else v) for k, v in _DEFAULTS.items()}
    return {**row, "id": item_id, "model_version": model_version, "dropped": reason}


class Pipeline:
    def __init__(self, res: Resources, steps: Iterable[str] = DEFAULT_STEPS, model_version: str = ""):
        self.res = res
        self.model_version = model_version or res.classifier.version
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown nlp step(s): {unknown}; known: {sorted(STEPS)}")
        self.steps: list[Step] = [STEPS[s](res) for s in steps]
        # a step's own fields reach the output with the shipped ones: a new step needs no edit here
        self.output_fields = OUTPUT_FIELDS + tuple(dict.fromkeys(
            f for st in self.steps for f in st.adds if not f.startswith("_") and f not in OUTPUT_FIELDS))

    @classmethod
    def from_config(cls, cfg: Any = None, *, settings: dict[str, Any] | None = None) -> "Pipeline":
        s = pipeline_settings(settings if settings is not None else nlp_settings(cfg))
        directory = model_dir(s)
        cpath, rpath, version = find_models(directory, s.get("model_version", ""))
        # the rows are built before the freeze below, so they join the frozen model objects
        restorer = Restorer.load_ready(rpath, preload_rows=bool(s.get("preload_rows", True)))
        tags = tag_settings(s)
        max_chars, classify_chars = int(tags["max_chars"]), int(tags["classify_chars"])
        normaliser = Normaliser(restorer, load_nsw(restorer), max_chars=max_chars,
                                min_marked_share=float(tags["min_marked_share"]), restore_chars=classify_chars + 500)
        province = province_of(cfg)
        gazetteer = load_gazetteer(province, directory)
        classifier = Classifier.load(cpath)
        res = Resources(normaliser=normaliser, gazetteer=gazetteer, classifier=classifier, max_chars=max_chars,
                        classify_chars=classify_chars)
        steps = s.get("steps") or DEFAULT_STEPS
        p = cls(res, steps, stamp_version(version, steps, province, settings=tags))
        p.workers = int(s.get("workers", 1))
        # The models are hundreds of thousands of long-lived objects (n-gram tables, vocabularies): moved out
        # of the collector's reach, the full collections that the restorer's cache growth triggers no longer
        # walk them (they are freed as usual when unreferenced; a cycle among them would only be kept)
        gc.collect()
        gc.freeze()
        return p

    workers = 1

    def tag(self, rows: list[dict]) -> list[dict]:
        items = []
        for r in rows:
            it = {"id": r.get("id"), "title": _s(r.get("title")), "text": _s(r.get("text"))}
            for k in ("source", "url", "published", "source_type", "flags"):  # source_type, flags: the route
                if k in r:
                    it[k] = r[k]
            items.append(it)
        for step in self.steps:
            step.run(items)
        out = []
        for it in items:
            row = {k: it.get(k, _DEFAULTS.get(k)) for k in self.output_fields}
            row["model_version"] = self.model_version
            for k, v in _DEFAULTS.items():
                if row[k] is None:
                    row[k] = v if not isinstance(v, list) else []
            if it.get("_dropped"):
                row["dropped"] = it["_dropped"]
            out.append(row)
        return out

    def tag_parallel(self, rows: list[dict], workers: int | None = None, chunk: int = 200) -> list[dict]:
        """Like `tag`, over `workers` forked processes (falls back to `tag` for 1 worker or few rows)."""
        workers = workers or self.workers
        if workers <= 1 or len(rows) <= chunk or "fork" not in mp.get_all_start_methods():
            return self.tag(rows)
        global _WORKER_PIPELINE
        _WORKER_PIPELINE = self
        chunks = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
        ctx = mp.get_context("fork")
        with ctx.Pool(workers) as pool:
            parts = pool.map(_tag_chunk, chunks)
        return [r for part in parts for r in part]


_WORKER_PIPELINE: Pipeline | None = None


def _tag_chunk(rows: list[dict]) -> list[dict]:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE.tag(rows)


def _s(v: Any) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else str(v)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
