"""Near-empty items on our own held-out rows, and the evidence rule's K (round 29, issue 13; nlp/evidence.py).

    PYTHONPATH=. python -m nlp.eval.evidence [--model-dir D] [--k 0 1 2 3 4 5]

Tags the own held-out rows (press, official, forum, our social posts) and the social slices' held-out lines once,
as `langnghe evaluate` feeds them (nlp.train.pipeline_row), with the rule off (the models' reading), then:
1. how many items have ≤ 2 content syllables (nlp.evidence.content_syllables of the text the classifiers read), and
   what gold and the models say for them (topic share; sentiment counts);
2. for each K: the figures of `langnghe evaluate` with the rule applied at K — own held-out topics and sentiment
   (all / without diacritics), social held-out sentiment, comment chips (precision, macro-F1, share given a chip).
K 0 is the rule off (the shipped pipeline). Reads data/training only: no eval-only data.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from nlp import evidence as E
from nlp import train as T
from nlp.pipeline import Pipeline, nlp_settings
from nlp.steps import classify_text
from vocab.config import load as load_config


def tag_with_text(pipeline: Pipeline, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The pipeline's output rows (rule off) and the text its classifiers read for each."""
    items = []
    for r in rows:
        it = {"id": r.get("id"), "title": str(r.get("title") or ""), "text": str(r.get("text") or "")}
        for k in ("source_type", "flags"):
            if k in r:
                it[k] = r[k]
        items.append(it)
    for step in pipeline.steps:
        step.run(items)
    limit = pipeline.steps[0].res.classify_chars
    texts = [classify_text(it, limit) for it in items]
    out = [{"topics": list(it.get("topics") or []), "sentiment": it.get("sentiment") or "neutral",
            "in_area": bool(it.get("in_area"))} for it in items]
    return out, texts


def with_rule(out: list[dict], evs: list[E.Evidence], k: int) -> list[dict]:
    res = []
    for o, e in zip(out, evs):
        s = o["sentiment"]
        res.append({**o, "topics": E.keep_topics(o["topics"], e, k),
                    "sentiment": s if s == "neutral" else E.keep_sentiment(s, e, k)})
    return res


def summary(rows: list[dict], out: list[dict], evs: list[E.Evidence], topics_labelled: bool = True) -> dict:
    near = [i for i, e in enumerate(evs) if e.content <= 2]
    res: dict = {"n": len(rows), "near_empty": len(near),
                 "by_content": dict(sorted(Counter(min(evs[i].content, 3) for i in range(len(rows))).items())),
                 "gold_sentiment": dict(Counter(rows[i]["sentiment"] for i in near)),
                 "model_sentiment": dict(Counter(out[i]["sentiment"] for i in near)),
                 "model_with_topic": sum(bool(out[i]["topics"]) for i in near),
                 "with_topic_keyword": sum(bool(evs[i].topics) for i in near),
                 "with_polar_cue": sum(evs[i].polar for i in near)}
    if topics_labelled:
        res["gold_with_topic"] = sum(bool(rows[i]["topics"]) for i in near)
        res["model_topic_right"] = sum(bool(set(out[i]["topics"]) & set(rows[i]["topics"])) for i in near)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default="")
    ap.add_argument("--k", type=int, nargs="*", default=[0, 1, 2, 3, 4, 5])
    args = ap.parse_args(argv)
    cfg = load_config()
    settings = nlp_settings(cfg)
    if args.model_dir:
        settings = {**settings, "model_dir": args.model_dir}
    E.MIN_CONTENT = E.MIN_CONTENT_POLARITY = 0  # the models' reading: the rules are applied below, per K
    pipeline = Pipeline.from_config(cfg, settings=settings)
    held = T.split(T.load_labelled())[1]
    own = [r for r in held if T.is_own_set(r)]
    social = [r for r in held if T.is_social_set(r)]
    own_out, own_txt = tag_with_text(pipeline, [T.pipeline_row(r) for r in own])
    soc_out, soc_txt = tag_with_text(pipeline, [T.pipeline_row(r) for r in social])
    own_ev = [E.evidence(t, limit=99) for t in own_txt]
    soc_ev = [E.evidence(t, limit=99) for t in soc_txt]
    ct = [i for i, r in enumerate(social) if T.has_comment_topics(r)]
    print(json.dumps({"near_empty": {"own_heldout": summary(own, own_out, own_ev),
                                     "social_heldout": summary(social, soc_out, soc_ev, topics_labelled=False),
                                     "social_heldout_with_topics": summary(
                                         [social[i] for i in ct], [soc_out[i] for i in ct], [soc_ev[i] for i in ct])}},
                     ensure_ascii=False))
    nd_own = [i for i, r in enumerate(own) if r.get("diacritics") is False]
    for k in args.k:
        o = with_rule(own_out, own_ev, k)
        s = with_rule(soc_out, soc_ev, k)
        a = T._scores(own, o)
        nd = T._scores([own[i] for i in nd_own], [o[i] for i in nd_own])
        sent = T._sentiment_scores([r["sentiment"] for r in social], [x["sentiment"] for x in s])
        chips = T.comment_topic_scores([list(social[i]["topics"]) for i in ct], [s[i]["topics"] for i in ct])
        print(json.dumps({"k": k, "own_topics": [a["topic_macro_f1"], nd["topic_macro_f1"]],
                          "own_sentiment": [a["sentiment_macro_f1"], nd["sentiment_macro_f1"]],
                          "social_sentiment": sent["sentiment_macro_f1"],
                          "chips": {x: chips[x] for x in ("chip_precision", "topic_macro_f1", "topic_micro_f1",
                                                           "with_topic_predicted", "with_topic_gold", "chips")}},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
