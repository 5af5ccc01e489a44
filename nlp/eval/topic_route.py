"""Topics routed by structure (round 18; by source type in round 12): the held-out figures of a model as the product
routes items.

    PYTHONPATH=. .venv/bin/python -m nlp.eval.topic_route [--model-dir /tmp/m] [--unrouted]

Prints (JSON) on the labelled set's held-out split only (data/training, never eval-only data):
- "comments": the social slices' lines with topic labels, fed as comments (nlp.train.pipeline_row: social items
  with the flag fb_comment), with nlp.train.comment_topic_scores' figures (macro/micro-F1, chip precision, share
  given a topic vs gold; also without diacritics);
- "own": our own held-out rows (press / official / forum / social), topics macro-F1 all and without diacritics, and
  apart the titled press-like rows, the untitled press-like rows and the rows of style "social" (own social rows
  fed as social posts: no comment flag, so the press models read them); "own_sentiment" their sentiment macro-F1
  (issue 13's floors), and "own_read_by_comment_model" how many of them the route sends to the comment model (0 by
  construction since round 18);
- "examples": comments of the rounds' briefs, fed as comments, and the topics given.
`--unrouted` feeds every row without a source type or flags (what a harness without the fields sees: the press
model).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[2]))

EXAMPLES = ("chẳng ai làm được như anh ấy", "xem mà nổi da gà", "cảm ơn các anh công an phường 👍",
            "tôi ở phú yên và anh này nói rất chuẩn <3", "đồng ý", "đường Quang Trung ngập sâu, xe chết máy hàng loạt")


def _macro(T, rows: list[dict], out: list[dict]) -> float | None:
    """Topics macro-F1 over the topics present (nlp.train._scores' figure), None without rows."""
    return T._scores(rows, out)["topic_macro_f1"] if rows else None


def measure(pipe, routed: bool = True) -> dict:
    """The figures printed by `main` for one pipeline."""
    from nlp import train as T
    from nlp.steps import item_topics_by_comment_model

    feed = T.pipeline_row if routed else (lambda r: {"id": r["id"], "title": r.get("title", ""),
                                                     "text": r.get("text", "")})
    held = T.split(T.load_labelled())[1]
    social = [r for r in held if T.has_comment_topics(r)]
    out = pipe.tag([feed(r) for r in social])
    gold, pred = [list(r["topics"]) for r in social], [list(o["topics"]) for o in out]
    comments = T.comment_topic_scores(gold, pred)
    nd = [i for i, r in enumerate(social) if r.get("diacritics") is False]
    comments["no_diacritics"] = T.comment_topic_scores([gold[i] for i in nd], [pred[i] for i in nd])
    own = [r for r in held if T.is_own_set(r)]
    o_out = pipe.tag([feed(r) for r in own])
    groups = {"all": lambda r: True, "no_diacritics": lambda r: r.get("diacritics") is False,
              "titled": lambda r: r.get("style") != "social" and bool(str(r.get("title") or "").strip()),
              "untitled": lambda r: r.get("style") != "social" and not str(r.get("title") or "").strip(),
              "social": lambda r: r.get("style") == "social",
              "social_untitled": lambda r: r.get("style") == "social" and not str(r.get("title") or "").strip(),
              "not_social_no_diacritics": lambda r: r.get("style") != "social" and r.get("diacritics") is False,
              "social_no_diacritics": lambda r: r.get("style") == "social" and r.get("diacritics") is False}
    own_res = {}
    for name, keep in groups.items():
        idx = [i for i, r in enumerate(own) if keep(r)]
        own_res[name] = {"n": len(idx), "topic_macro_f1": _macro(T, [own[i] for i in idx], [o_out[i] for i in idx])}
    nd_own = [i for i, r in enumerate(own) if r.get("diacritics") is False]
    own_sent = {"all": T._scores(own, o_out)["sentiment_macro_f1"],
                "no_diacritics": T._scores([own[i] for i in nd_own], [o_out[i] for i in nd_own])["sentiment_macro_f1"]}
    as_comment = {"source_type": "social", "flags": list(T.SLICE_FLAGS)} if routed else {}
    ex = pipe.tag([{"id": f"ex{i}", "title": "", "text": t, **as_comment} for i, t in enumerate(EXAMPLES)])
    return {"routed": routed, "comments": comments, "own": own_res, "own_sentiment": own_sent,
            "own_read_by_comment_model": sum(item_topics_by_comment_model(feed(r)) for r in own),
            "examples": {t: o["topics"] for t, o in zip(EXAMPLES, ex)}}


def main(argv: list[str] | None = None) -> int:
    from nlp.eval import load_pipeline

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default="", help="models to measure (default: [nlp] model_dir)")
    ap.add_argument("--unrouted", action="store_true", help="feed every row without a source type")
    args = ap.parse_args(argv)
    pipe = load_pipeline(args.model_dir)
    print(json.dumps(measure(pipe, routed=not args.unrouted), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
