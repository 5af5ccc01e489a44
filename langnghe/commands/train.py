"""`langnghe train`: rebuild the NLP models from the repo (and staff corrections in the database).

Writes nlp/models/{classifier,diacritics}-<version>.* and metrics-<version>.json, and prints the
held-out figures (topic and sentiment macro-F1, in_area accuracy, also on the no-diacritics subset).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path

from vocab.config import Config, section
from vocab.numbers import fmt_num, number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="huấn luyện lại mô hình NLP từ dữ liệu kèm theo (và các sửa nhãn của cán bộ)")
    p.add_argument("--version", metavar="PHIÊN_BẢN", default="", help="phiên bản mô hình sẽ ghi (mặc định: phiên bản kèm theo, "
                   "hoặc <kèm theo>+h<N> khi gộp các sửa nhãn của cán bộ)")
    p.add_argument("--no-human-labels", action="store_true", help="bỏ qua các sửa nhãn của cán bộ trong cơ sở dữ liệu")
    p.add_argument("--no-vntc", action="store_true", help="không thêm bài VNTC vào dữ liệu huấn luyện chủ đề")
    p.add_argument("--out", metavar="THƯ_MỤC", default="", help="thư mục mô hình (mặc định: [nlp] model_dir, tức nlp/models)")
    p.add_argument("--no-save", action="store_true", help="chỉ huấn luyện và đánh giá, không lưu")
    p.set_defaults(func=run)


def human_rows(cfg: Config) -> list[dict]:
    """Staff corrections of topics and sentiment, one row per item ({id, title, text, topics, sentiment}; a field
    not corrected is None). Items without a title (comments, posts) count too: `nlp.train.correction_rows`
    routes them to the comment sentiment model, and items with a title to both models, like the labelled rows."""
    from store import tags as tag_store
    from store.db import Database, DatabaseLocked

    path = cfg.storage.db_path
    for candidate in (path, cfg.storage.snapshot_path):
        if not candidate or not Path(candidate).exists():
            continue
        try:
            db = Database(candidate, read_only=True)
        except DatabaseLocked:  # serve holds it: its snapshot, if it wrote one; said when there is none (round 28)
            if not Path(cfg.storage.snapshot_path or "").is_file():
                print(f"Lưu ý: {path} đang được tiến trình khác (serve) giữ và chưa có bản chụp "
                      f"{cfg.storage.snapshot_path}: lần huấn luyện này không có các sửa nhãn của cán bộ.",
                      file=sys.stderr)
            continue
        with db:
            with db.read() as cur:
                try:
                    labelled = tag_store.human_labels(cur)
                except Exception:  # database without the nlp migration yet
                    return []
        rows = []
        for h in labelled:
            title, text = h.get("title") or "", h.get("text") or ""
            if not title.strip() and not text.strip():
                continue  # the item is gone or empty: nothing to learn from
            lab = h["labels"]
            row = {"id": f"human:{h['item_id']}", "title": title, "text": text, "source_type": h.get("source_type"),
                   "flags": list(h.get("flags") or [])}  # flags: a comment's correction trains the comment model
            row["topics"] = lab.get("topics", None)
            row["sentiment"] = lab.get("sentiment", None)
            if row["topics"] is None and row["sentiment"] is None:
                continue
            rows.append(row)
        return rows
    return []


def unwritable(folder: Path) -> str | None:
    """Why the models cannot be written into `folder` (made if missing), in Vietnamese, or None. Until round 28 a
    wrong `--out` (a file, a read-only disk) was found by `nlp.train.save` after the whole training (minutes), and
    ended on an English traceback."""
    import tempfile

    from vocab.oserrors import os_error_text

    if folder.exists() and not folder.is_dir():
        return "đây là một tệp, không phải thư mục"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return os_error_text(exc)
    return None


# nlp/train.py's log lines (English, the technical record `-v` shows as they are) as the console says them: each
# English template → its Vietnamese one, the arguments in the same order ({0}, {1}…), numbers the Vietnamese way
# (1.234; 0,8123). Until round 28 (cli34) «labelled: 2914 (train …)», «restorer: …» reached staff's console in English.
# tests/langnghe/test_cli34.py fails when nlp/train.py logs a line that is not here.
CONSOLE_LINES = {
    "%s: skipped a line that is not JSON": "{0}: bỏ qua một dòng không phải JSON",
    "NB shares per topic %s": "Tỷ trọng của mô hình NB theo chủ đề: {0}",
    "NB share of %s: the first best %.2f (AP %.5f) beats the anchor %.2f by %.5f ≤ %.4f: the anchor is kept":
        "Tỷ trọng NB của chủ đề {0}: phương án tốt nhất {1} (AP {2}) hơn tỷ trọng neo {3} một khoảng {4} ≤ {5}: vẫn "
        "giữ tỷ trọng neo",
    "NB share of %s: the first best %.2f (AP %.5f) beats the anchor %.2f by %.5f > %.4f: the anchor gives way":
        "Tỷ trọng NB của chủ đề {0}: phương án tốt nhất {1} (AP {2}) hơn tỷ trọng neo {3} một khoảng {4} > {5}: bỏ "
        "tỷ trọng neo, lấy phương án tốt nhất",
    "topic rule: best cross-validated macro-F1 per threshold %s":
        "Quy tắc chủ đề: macro-F1 kiểm định chéo tốt nhất theo ngưỡng {0}",
    "topic rule: the first best %s (%.4f) beats the anchor %.3f by %.4f ≤ %.4f: the anchor is kept":
        "Quy tắc chủ đề: phương án tốt nhất {0} ({1}) hơn ngưỡng neo {2} một khoảng {3} ≤ {4}: vẫn giữ ngưỡng neo",
    "topic rule %s (cross-validated macro-F1 %.4f)": "Quy tắc chủ đề đã chọn: {0} (macro-F1 kiểm định chéo {1})",
    "topic rule with items without a title apart: titled %s, untitled %s (cross-validated macro-F1 %.4f against %.4f)":
        "Quy tắc chủ đề tách riêng tin không có tiêu đề: có tiêu đề {0}, không tiêu đề {1} (macro-F1 kiểm định chéo {2} "
        "so với {3})",
    "per-topic thresholds %s (cross-validated macro-F1 %.4f)":
        "Ngưỡng riêng từng chủ đề: {0} (macro-F1 kiểm định chéo {1})",
    "labelled: %d (train %d, held-out %d), staff corrections: %d":
        "Chia dữ liệu: {0} mục gán nhãn (huấn luyện {1}, để riêng đánh giá {2}); sửa nhãn của cán bộ: {3}",
    "restorer: not in RESTORER_FILES, not read: %s":
        "Bộ khôi phục dấu: không đọc các tệp không có trong RESTORER_FILES: {0}",
    "restorer: %d syllables, %d bigrams (%.1fs)": "Bộ khôi phục dấu: {0} âm tiết, {1} cặp âm tiết ({2} giây)",
    "classifier trained on %d docs, %d features (%.1fs)":
        "Bộ phân loại: đã huấn luyện trên {0} văn bản, {1} đặc trưng ({2} giây)",
    "comment topic model: %s": "Mô hình chủ đề bình luận: {0}",
    "comment topics: the first best, threshold %.3f (%.4f), beats the anchor %.3f by %.4f ≤ %.4f: the anchor is kept":
        "Chủ đề bình luận: phương án tốt nhất, ngưỡng {0} ({1}), hơn ngưỡng neo {2} một khoảng {3} ≤ {4}: vẫn giữ "
        "ngưỡng neo",
    "comment topics: the first best, threshold %.3f (%.4f), beats the anchor %.3f by %.4f > %.4f: the anchor gives "
    "way":
        "Chủ đề bình luận: phương án tốt nhất, ngưỡng {0} ({1}), hơn ngưỡng neo {2} một khoảng {3} > {4}: bỏ ngưỡng "
        "neo, lấy phương án tốt nhất",
    "comment topics: cross-validated figure (mean of the slices' and, with COMMENT_TOPICS_OWN, own social rows' "
    "macro-F1) of the best rule per press share and longest item %s; chosen %s":
        "Chủ đề bình luận: macro-F1 kiểm định chéo (trung bình của các lát dữ liệu và, với COMMENT_TOPICS_OWN, của các "
        "dòng mạng xã hội của ta) của quy tắc tốt nhất theo tỷ trọng báo chí và độ dài tối đa {0}; chọn {1}",
}

# what `nlp.train.save` wrote, as the last lines say it (they read «classifier: …» until round 28)
SAVED = {"classifier": "bộ phân loại", "restorer": "bộ khôi phục dấu", "metrics": "số đo đánh giá"}

_PLACEHOLDER = re.compile(r"%(?:\.(\d+))?([dsf])")
TECHNICAL = ""  # console_text's answer for a line that carries a structure: not shown without `-v`


def console_text(template: str, args: tuple) -> str | None:
    """A line of nlp/train.py's log in Vietnamese (CONSOLE_LINES), None for a line not listed, TECHNICAL for one
    whose argument is a structure (a rule's parameters, per-topic figures)."""
    vi = CONSOLE_LINES.get(template)
    if vi is None:
        return None
    shown = []
    for (decimals, kind), value in zip(_PLACEHOLDER.findall(template), args):
        if kind == "d":
            shown.append(number(value))
        elif kind == "f":
            shown.append(fmt_num(float(value), int(decimals or 6)))
        elif isinstance(value, (dict, list, tuple, set)):
            # a rule's or a model's parameters (English codes, decimal points, Python's braces): the technical
            # record, not the console's (the third review, round 28); `langnghe -v train` shows it
            return TECHNICAL
        else:
            shown.append(str(value))
    return vi.format(*shown)


class VietnameseConsole(logging.Filter):
    """Puts the Vietnamese line in place of the English one on the `langnghe.train` logger (the console is its only
    handler: train writes no log file); a line not listed passes as it is; the technical lines (a structure in
    them) are left to `-v`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ((record.args,) if record.args else ())
        try:
            text = console_text(str(record.msg), args)
        except Exception:  # noqa: BLE001 — logging does not catch a filter's error: it would end a training run
            return True  # the English line, as logged
        if text == TECHNICAL:
            return False
        if text is not None:
            record.msg, record.args = text, ()
        return True


def run(args: argparse.Namespace, cfg: Config) -> int:
    train_log = logging.getLogger("langnghe.train")
    console = None if getattr(args, "verbose", False) else VietnameseConsole()  # `-v`: the technical lines as logged
    if console is not None:
        train_log.addFilter(console)
    try:
        return _run(args, cfg)
    finally:
        if console is not None:
            train_log.removeFilter(console)


def _run(args: argparse.Namespace, cfg: Config) -> int:
    from nlp import train as T
    from nlp.pipeline import Pipeline, model_dir
    from nlp.steps import Resources
    from nlp.version import DEFAULT_STEPS
    from nlp.gazetteer import Gazetteer
    from nlp.normalise import Normaliser, load_nsw

    logging.getLogger("langnghe.train").setLevel(logging.INFO)
    settings = section(cfg, "nlp")
    out = Path(args.out) if args.out else model_dir(settings)
    if not args.no_save and (why := unwritable(out)):  # said before minutes of training, not after, in a traceback
        print(f"langnghe train: không ghi được mô hình vào {out}: {why}. Chọn thư mục khác bằng --out, hoặc "
              "--no-save để chỉ huấn luyện và đánh giá.", file=sys.stderr)
        return 2
    extra = [] if args.no_human_labels else human_rows(cfg)
    # rows with only one corrected field: keep what the staff said, the other field is not trained on
    extra_rows = T.correction_rows(extra)
    extra_topics = [r for r in extra_rows if not r.get("_no_topics")]
    extra_sent = [r for r in extra_rows if r["sentiment"] is not None]
    extra_comments = [r for r in extra_rows if T.is_comment_correction(r)]
    version = args.version or (T.DEFAULT_VERSION if not extra_rows else f"{T.DEFAULT_VERSION}+h{len(extra_rows)}")
    rows = T.load_labelled()
    if not rows:
        print("langnghe train: không có dữ liệu gán nhãn (data/training/labelled_*.jsonl).", file=sys.stderr)
        return 2
    print(f"Dữ liệu gán nhãn: {number(len(rows))} mục; sửa của cán bộ: {number(len(extra_rows))} "
          f"(chủ đề {len(extra_topics)}, sắc thái {len(extra_sent)}; bình luận không tiêu đề {len(extra_comments)})",
          file=sys.stderr)
    result = T.train(version=version, labelled=rows, extra_rows=extra_rows, use_vntc=not args.no_vntc)
    _train, held = T.split(rows)
    restorer = result.restorer
    res = Resources(normaliser=Normaliser(restorer, load_nsw(restorer),
                                          max_chars=int(settings.get("max_chars", 20_000))),
                    gazetteer=Gazetteer(cfg.area.province), classifier=result.classifier,
                    max_chars=int(settings.get("max_chars", 20_000)),
                    classify_chars=int(settings.get("classify_chars", 1_500)))
    pipe = Pipeline(res, settings.get("steps") or DEFAULT_STEPS, version)
    # the held-out part of the press/official/social set (comparable with earlier versions), and apart
    # the held-out part of the social-register slices (sentiment; topics where labelled)
    metrics = T.evaluate(pipe, [r for r in held if T.is_own_set(r)])
    result.metrics["heldout"] = metrics
    news = [r for r in held if T.is_news_set(r)]
    if news:  # the held-out part of the real-variety news slices (topics only), reported apart
        result.metrics["heldout_news"] = T.evaluate_topics(pipe, news)
    vntc = [r for r in held if T.is_vntc_set(r)]
    if vntc:  # the held-out part of the real VNTC articles (sentiment only, round 15), reported apart
        result.metrics["heldout_vntc_sentiment"] = T.evaluate_vntc_sentiment(pipe, vntc)
        # and their topics, where labelled (round 16: multi-label, every section)
        result.metrics["heldout_vntc_topics"] = T.evaluate_vntc_topics(pipe, vntc)
    social = [r for r in held if T.is_social_set(r)]
    if social:
        result.metrics["heldout_social"] = T.evaluate_sentiment(pipe, social)
        # the topics of the social lines whose topics are labelled (round 11), reported apart
        result.metrics["heldout_social_topics"] = T.evaluate_comment_topics(pipe, social)
    print(json.dumps({"version": version, "heldout": metrics, "heldout_social": result.metrics.get("heldout_social"),
                      "heldout_social_topics": result.metrics.get("heldout_social_topics"),
                      "heldout_news": result.metrics.get("heldout_news"),
                      "heldout_vntc_sentiment": result.metrics.get("heldout_vntc_sentiment"),
                      "heldout_vntc_topics": result.metrics.get("heldout_vntc_topics")}, ensure_ascii=False, indent=2))
    if not args.no_save:
        paths = T.save(result, out)
        for k, p in paths.items():
            print(f"Đã ghi {SAVED.get(k, k)}: {p}", file=sys.stderr)
    return 0
