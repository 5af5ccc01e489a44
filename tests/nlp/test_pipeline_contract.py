"""Pipeline contract: steps own their fields, order comes from config, DropItem, output shape."""

from __future__ import annotations

import pytest

from nlp.pipeline import OUTPUT_FIELDS, Pipeline
from nlp.steps import STEPS, DropItem, Step, register


def test_each_step_adds_only_its_fields(pipeline):
    item = {"id": "1", "title": "Chùa Ba Vàng bị phản ánh", "text": "Người dân bức xúc vì thu phí."}
    before = set(item)
    for step in pipeline.steps:
        keys = set(item)
        step.run([item])
        added = set(item) - keys
        allowed = set(step.adds) | {"_X"}
        assert added <= allowed, (step.name, added - allowed)
        # and it sets what it declares: a `run_one` that returned its fields (`return {"word_count": n}`) instead
        # of writing them on the item added nothing, and its column came out None with every test passing (round 27)
        unset = [f for f in step.adds if not f.startswith("_") and f not in item]
        assert not unset, f"step {step.name!r} declares {unset} in `adds` but did not set them on the item"
    assert {"no_diacritics", "folded", "lang", "places", "in_area", "topics", "sentiment"} <= set(item) - before


def test_output_shape_and_order(pipeline):
    rows = [{"id": str(i), "title": f"Tin số {i}", "text": "Thông báo lịch tiếp công dân"} for i in range(5)]
    out = pipeline.tag(rows)
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    for o in out:
        assert set(OUTPUT_FIELDS) <= set(o)
        assert not any(k.startswith("_") for k in o)
        assert o["model_version"] == pipeline.model_version


def test_unknown_step_is_an_error(pipeline):
    with pytest.raises(ValueError, match="unknown nlp step"):
        Pipeline(pipeline.res, ["normalise", "nope"])


def test_step_order_from_config_and_drop(pipeline):
    class Dropper(Step):
        name = "test_dropper"
        adds = ()

        def run_one(self, item):
            if "spam" in item["title"]:
                raise DropItem("spam")

    if "test_dropper" not in STEPS:
        register(Dropper)
    p = Pipeline(pipeline.res, ["normalise", "test_dropper", "language", "places"])
    assert [s.name for s in p.steps] == ["normalise", "test_dropper", "language", "places"]
    out = p.tag([{"id": "a", "title": "spam spam", "text": ""}, {"id": "b", "title": "Hạ Long", "text": ""}])
    assert out[0]["dropped"] == "test_dropper: spam"
    assert "dropped" not in out[1] and out[1]["in_area"] is True
    # topics/sentiment were not configured: defaults
    assert out[1]["topics"] == [] and out[1]["sentiment"] == "neutral"


def test_parallel_equals_serial(pipeline):
    rows = [{"id": str(i), "title": f"Người dân phường Vàng Danh phản ánh {i}", "text": "bụi than"} for i in range(450)]
    assert pipeline.tag_parallel(rows, workers=2, chunk=100) == pipeline.tag(rows)


def test_insult_rule_forces_negative(pipeline):
    out = pipeline.tag([
        {"id": "1", "title": "", "text": "Thông báo lịch cắt điện ngày mai, bọn ngu xuẩn"},
        {"id": "2", "title": "", "text": "Thông báo lịch cắt điện ngày mai tại phường Bãi Cháy"},
    ])
    assert out[0]["sentiment"] == "negative"
    assert out[1]["sentiment"] != "negative"


def test_vulgar_intensifiers_are_not_insults(pipeline):
    """"vl" / "vcl" intensify praise as often as complaint; the insult rule made "ngon vl" negative."""
    from nlp.steps import _insult_terms, has_insult

    terms, n = _insult_terms()
    assert not has_insult("ngon vl, bánh cuốn nóng nhà bà Tư sáng nào cũng hết sớm", terms, n)
    assert not has_insult("trận này hay vcl", terms, n)
    assert has_insult("bọn ngu xuẩn", terms, n)


def test_a_steps_declared_fields_reach_the_output(pipeline):
    """ARCHITECTURE.md's recipe: a new step declares `adds`; its fields come out of `tag` with no other edit."""
    class Exclaims(Step):
        name = "test_exclaims"
        adds = ("exclaims", "_scratch")

        def run_one(self, item):
            item["_scratch"] = 1
            item["exclaims"] = (item["title"] + item["text"]).count("!")

    if "test_exclaims" not in STEPS:
        register(Exclaims)
    p = Pipeline(pipeline.res, ["normalise", "test_exclaims"])
    out = p.tag([{"id": "a", "title": "Bức xúc!!", "text": "Quá tệ!"}])
    assert out[0]["exclaims"] == 3 and "_scratch" not in out[0]
    assert "exclaims" not in pipeline.tag([{"id": "b", "title": "Tin", "text": ""}])[0]  # not configured: absent


def test_every_step_of_nlp_steps_is_configured_and_the_fallback_agrees(cfg):
    """ARCHITECTURE.md's recipe, step 2: a step registered in nlp/steps.py but left out of `[nlp] steps` ran nowhere,
    and no test here ran it either (they run the configured steps); and `nlp.version.DEFAULT_STEPS`, the order used
    when no config is given (the stamp's and `Pipeline`'s fallback), kept the old list beside the toml's (round 27)."""
    from nlp.version import DEFAULT_STEPS, nlp_settings

    configured = list(nlp_settings(cfg)["steps"])
    own = [name for name, cls in STEPS.items() if cls.__module__.split(".")[0] == "nlp"]  # not this file's toys
    assert set(own) <= set(configured), f"steps of nlp/ not in [nlp] steps (vocab/langnghe.toml): " \
                                        f"{sorted(set(own) - set(configured))}"
    assert list(DEFAULT_STEPS) == configured, "nlp.version.DEFAULT_STEPS differs from vocab/langnghe.toml's [nlp] steps"


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_every_step_class_is_registered():
    """A step class of nlp/ left without `@register` ran nowhere and every test here passed: the recipe's step 2
    check reads the registry, which never saw it (round 29, ARCHITECTURE.md's recipe followed with a toy step). Each
    `Step` subclass of nlp/ (nlp/steps.py or a module it imports) naming itself is the one registered under its name."""
    unregistered = sorted(f"{c.__module__}.{c.__qualname__}" for c in _subclasses(Step)
                          if c.__module__.split(".")[0] == "nlp" and vars(c).get("name") and STEPS.get(c.name) is not c)
    assert not unregistered, f"step classes without @register (nlp.steps.register): {unregistered}"
