"""Figures on the eval-only sets (run by hand; these sets are never trained on or copied into the repo).

    .venv/bin/python -m nlp.eval.eval_only [--data /work/shared/data/eval-only] [--workers 2] [--model-dir /tmp/m]

- ViHSD test (rows that duplicate a train row removed): negative = offensive or hate; our sentiment
  "negative" vs the rest, binary macro-F1, plus recall of negative.
- ViCTSD test: toxic comments vs our "negative" (binary F1 of toxic detection).
- VSFC test and VLSP2016 test: 3-class sentiment macro-F1 (other domains: student and product feedback).
- UBS bank test (real social posts to banks: complaints and praise, the register nearest to the hidden real
  Facebook comments): posts whose aspect labels all carry one polarity, negative or positive (neutral is too
  rare to score); macro-F1 over those two classes, a "neutral" reading counting as a miss of either.
- baomoi TC201805 sample: title+lead items of the sections that map onto one of our topics; per topic,
  F1 of "topic predicted" vs "item is in that section", over the items of all mapped sections.
- ViCTSD article titles (827, with news sections): the same for the sections that map.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from pathlib import Path

from sklearn.metrics import f1_score

DEFAULT = "/work/shared/data/eval-only"

BAOMOI_TOPICS = {
    "suc khoe": "health",
    "lam dep va the hinh - suc khoe": "health",
    "giao duc va viec lam - giao duc": "education",
    "giao duc va viec lam - viec lam": "economy",
    "khoa hoc - sinh thai va moi truong": "environment",
    "bat dong san": "land",
    "du lich": "culture_tourism",
    "chinh tri va phap luat": "public_order",
    "kinh doanh va cong nghiep": "economy",
    "tai chinh": "economy",
}
VICTSD_TOPICS = {"PhapLuat": "public_order", "GiaoDuc": "education", "SucKhoe": "health", "KinhDoanh": "economy"}


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def _read(path: Path, **kw) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, **kw))


def vihsd_test(d: Path) -> tuple[list[str], list[bool]]:
    """ViHSD test texts (rows that duplicate a train row, or are empty, removed) and whether each is
    offensive or hate."""
    train_texts = {nfc(r["free_text"]).lower().strip() for r in _read(d / "sentiment_vihsd_hate_speech/train.csv")}
    test = [r for r in _read(d / "sentiment_vihsd_hate_speech/test.csv")
            if nfc(r["free_text"]).lower().strip() not in train_texts and r["free_text"].strip()]
    return [nfc(r["free_text"]) for r in test], [r["label_id"] != "0" for r in test]


def vsfc_test(d: Path) -> tuple[list[str], list[str]]:
    """VSFC test sentences and their sentiment as our labels."""
    m = {"0": "negative", "1": "neutral", "2": "positive"}
    rows = _read(d / "sentiment_vsfc_student_feedback/test.csv")
    return [nfc(r["sentence"]) for r in rows], [m[r["sentiment"]] for r in rows]


def vlsp_test(d: Path) -> tuple[list[str], list[str]]:
    """VLSP 2016 test comments (rows with a class) and their sentiment as our labels."""
    m = {"-1": "negative", "0": "neutral", "1": "positive"}
    rows = [r for r in _read(d / "sentiment_vlsp2016_product_comments/sentiment_test.csv", delimiter="\t")
            if r.get("Class") in m]
    return [nfc(r["Data"]) for r in rows], [m[r["Class"]] for r in rows]


def ubs_test(d: Path) -> tuple[list[str], list[str]]:
    """UBS bank test posts with one polarity (negative or positive) over all their aspect labels."""
    texts, gold = [], []
    with open(d / "sentiment_ubs_bank/test.txt", encoding="utf-8") as fh:
        for ln in fh:
            labels, words = [], ln.split()
            while words and words[0].startswith("__label__"):
                labels.append(words.pop(0).rsplit("#", 1)[-1])
            pols = set(labels)
            if len(pols) == 1 and pols <= {"negative", "positive"} and words:
                texts.append(nfc(" ".join(words)))
                gold.append(pols.pop())
    return texts, gold


def polarity_f1(gold: list[str], pred: list[str]):
    """Per-class F1 of negative and positive (the gold has no neutral; a neutral reading is a miss); the mean is
    the polarity macro-F1."""
    return f1_score(gold, pred, labels=["negative", "positive"], average=None)


def polarity(pipe, texts, gold, workers, name):
    """Macro-F1 over negative and positive, printed and returned with its two classes."""
    out = tag_texts(pipe, texts, workers)
    pred = [o["sentiment"] for o in out]
    per = polarity_f1(gold, pred)
    f1m = float(per.mean())
    print(f"{name}: n={len(texts)}, polarity macro-F1 {f1m:.4f} (negative {per[0]:.4f}, positive {per[1]:.4f}), "
          f"read neutral {sum(p == 'neutral' for p in pred)}")
    return {"n": len(texts), "macro_f1": round(f1m, 4), "f1_negative": round(float(per[0]), 4),
            "f1_positive": round(float(per[1]), 4)}


def tag_texts(pipe, texts: list[str], workers: int) -> list[dict]:
    rows = [{"id": str(i), "title": "", "text": t} for i, t in enumerate(texts)]
    return pipe.tag_parallel(rows, workers=workers)


def binary_neg(pipe, texts, gold_neg, workers, name):
    out = tag_texts(pipe, texts, workers)
    pred = [o["sentiment"] == "negative" for o in out]
    f1m = f1_score(gold_neg, pred, average="macro")
    f1n = f1_score(gold_neg, pred)
    rec = sum(p and g for p, g in zip(pred, gold_neg)) / max(1, sum(gold_neg))
    print(f"{name}: n={len(texts)}, negative-vs-rest macro-F1 {f1m:.4f}, F1(negative) {f1n:.4f}, "
          f"recall(negative) {rec:.4f}")
    return {"n": len(texts), "macro_f1": round(f1m, 4), "f1_negative": round(f1n, 4), "recall_negative": round(rec, 4)}


def three_way(pipe, texts, gold, workers, name):
    out = tag_texts(pipe, texts, workers)
    pred = [o["sentiment"] for o in out]
    f1m = f1_score(gold, pred, average="macro", labels=["negative", "neutral", "positive"])
    print(f"{name}: n={len(texts)}, 3-class sentiment macro-F1 {f1m:.4f}")
    return {"n": len(texts), "macro_f1": round(f1m, 4)}


def topic_sections(pipe, items: list[tuple[str, str]], workers: int, name: str):
    """items: (text, topic code of its section)."""
    out = tag_texts(pipe, [t for t, _ in items], workers)
    codes = sorted({c for _, c in items})
    res = {}
    for c in codes:
        g = [code == c for _, code in items]
        p = [c in o["topics"] for o in out]
        res[c] = round(f1_score(g, p), 4)
    macro = round(sum(res.values()) / len(res), 4)
    print(f"{name}: n={len(items)}, per-topic F1 {res}, macro {macro}")
    return {"n": len(items), "per_topic_f1": res, "macro_f1": macro}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--model-dir", default="", help="models to measure (default: [nlp] model_dir)")
    args = ap.parse_args(argv)
    from nlp.eval import load_pipeline

    pipe = load_pipeline(args.model_dir)
    d = Path(args.data)
    results = {"model_version": pipe.model_version}

    # ViHSD
    texts, gold_neg = vihsd_test(d)
    results["vihsd"] = binary_neg(pipe, texts, gold_neg, args.workers, "ViHSD test (deduplicated)")
    # ViCTSD
    rows = _read(d / "sentiment_victsd_news_comments/ViCTSD_test.csv")
    results["victsd_toxic"] = binary_neg(pipe, [nfc(r["Comment"]) for r in rows], [r["Toxicity"] == "1" for r in rows],
                                         args.workers, "ViCTSD test, toxic as negative")
    # VSFC
    results["vsfc"] = three_way(pipe, *vsfc_test(d), args.workers, "VSFC test")
    # VLSP 2016
    results["vlsp2016"] = three_way(pipe, *vlsp_test(d), args.workers, "VLSP2016 test")
    # UBS bank posts
    results["ubs_bank"] = polarity(pipe, *ubs_test(d), args.workers, "UBS bank test (one polarity)")
    # baomoi
    items = []
    with open(d / "news_baomoi_tc201805_sample/tc201805_sample.jsonl", encoding="utf-8") as fh:
        for ln in fh:
            r = json.loads(ln)
            code = BAOMOI_TOPICS.get(r["label"])
            if code and r.get("n_lines", 2) <= 2:
                items.append((nfc(r["text"]), code))
    results["baomoi_topics"] = topic_sections(pipe, items, args.workers, "baomoi sections → topics")
    # ViCTSD titles
    rows = _read(d / "sentiment_victsd_news_comments/derived_article_titles_by_topic.csv")
    items = [(nfc(r["title"]), VICTSD_TOPICS[r["topic"]]) for r in rows if r["topic"] in VICTSD_TOPICS]
    results["victsd_titles_topics"] = topic_sections(pipe, items, args.workers, "ViCTSD titles → topics")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
