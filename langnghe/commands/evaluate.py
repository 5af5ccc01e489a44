"""`langnghe evaluate`: figures of the installed models on the labelled set's held-out split.

Use it after editing the gazetteer files or installing another model version; it trains nothing.
"""

from __future__ import annotations

import argparse
import json

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="đánh giá mô hình hiện tại (chủ đề, sắc thái, địa bàn) trên phần dữ liệu để riêng")
    p.add_argument("--all", action="store_true", help="đánh giá trên mọi tin đã gán nhãn (kể cả dữ liệu huấn luyện)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from nlp import train as T
    from nlp.pipeline import Pipeline

    pipeline = Pipeline.from_config(cfg)
    rows = T.load_labelled()
    subset = rows if args.all else T.split(rows)[1]
    res = T.evaluate(pipeline, subset)
    print(json.dumps({"model_version": pipeline.model_version, "rows": "all" if args.all else "heldout",
                      **res}, ensure_ascii=False, indent=2))
    return 0
