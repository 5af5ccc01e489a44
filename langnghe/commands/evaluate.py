"""`langnghe evaluate`: figures of the installed models on the labelled set's held-out split.

The press/official/forum rows as `langnghe train`'s "heldout", and apart the topics of the comment lines whose
topics are labelled ("social_topics", nlp.train.evaluate_comment_topics). `--comment-topics --all` measures a
model on every such line: the shipped model before round 11 never trained on their topics ("before" figure).

Rows are fed as the product feeds items (nlp.train.pipeline_row): the social slices' lines as comments (social items
with the flag fb_comment: the comment topic model reads them, when the model has one; round 18), our own social rows
as social posts (no comment flag: the press topic model), the other rows without a source type (the press topic
model). The real VNTC articles labelled for sentiment (round 15) are
reported apart as "vntc_sentiment" (macro-F1, per class, the negative share per VNTC section against the labelled one),
and those whose topics are labelled (round 16) as "vntc_topics" (macro-F1 and F1 per code with its support, the hit
rate: rows with a gold topic where one is predicted). The shipped model 1.0 trained on the corpus copies of the four
mapped sections' V articles, held-out ones included: its "vntc_topics" is the "before" figure, flattered on them.

Use it after editing the gazetteer files or installing another model version; it trains nothing.
"""

from __future__ import annotations

import argparse
import json
import sys

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="đánh giá mô hình hiện tại (chủ đề, sắc thái, địa bàn) trên phần dữ liệu để riêng")
    p.add_argument("--all", action="store_true", help="đánh giá trên mọi tin đã gán nhãn (kể cả dữ liệu huấn luyện)")
    p.add_argument("--comment-topics", action="store_true",
                   help="chỉ đánh giá chủ đề của bình luận/bài đăng mạng xã hội đã gán nhãn chủ đề "
                        "(với --all: mọi dòng, để đo mô hình chưa từng học chủ đề của chúng)")
    p.add_argument("--model-dir", metavar="THƯ_MỤC", default="", help="thư mục mô hình cần đánh giá (mặc định: [nlp] model_dir; "
                   "ví dụ mô hình của `langnghe train --out THƯ_MỤC`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from nlp import train as T
    from nlp.pipeline import Pipeline, nlp_settings

    settings = nlp_settings(cfg)
    if args.model_dir:
        settings = {**settings, "model_dir": args.model_dir}
    try:
        pipeline = Pipeline.from_config(cfg, settings=settings)
    except FileNotFoundError as exc:  # no model there: it was a traceback in English (round 28)
        print(f"langnghe evaluate: {exc}", file=sys.stderr)
        return 2
    rows = T.load_labelled()
    subset = rows if args.all else T.split(rows)[1]
    if args.comment_topics:  # topics on comments (labelled_S* lines with topics), nothing else
        res = {"social_topics": T.evaluate_comment_topics(pipeline, subset)}
    else:
        res = T.evaluate(pipeline, [r for r in subset if T.is_own_set(r)])
        res["social_topics"] = T.evaluate_comment_topics(pipeline, subset)
        res["vntc_sentiment"] = T.evaluate_vntc_sentiment(pipeline, subset)
        res["vntc_topics"] = T.evaluate_vntc_topics(pipeline, subset)
    print(json.dumps({"model_version": pipeline.model_version, "rows": "all" if args.all else "heldout",
                      **res}, ensure_ascii=False, indent=2))
    return 0
