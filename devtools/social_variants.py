"""Writes data/training/labelled_S9.jsonl: the programmatic minority of the social-register set.

Hand-written short stems (below, one label each) are combined with hand-picked decorations of the same
polarity: emoji and emoticons, stretched letters ("quáaa"), a closing particle, or written without
diacritics. Fixed seed, so the file is reproducible: `python -m devtools.social_variants`.
The other slices (labelled_S1…S8) are written line by line; this slice stays a small minority.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from vocab.folding import strip_marks

OUT = Path(__file__).resolve().parents[1] / "data" / "training" / "labelled_S9.jsonl"
N_PER_LABEL = 120

STEMS = {
    "positive": [
        "anh này nói chuẩn", "cô giáo có tâm", "phim hay", "quán ngon", "bác sĩ tận tình", "cảnh đẹp",
        "bài hát hay", "shop uy tín", "cảm ơn các anh", "tự hào quê mình", "thương cô quá", "giỏi quá em ơi",
        "xịn thật", "dễ thương quá", "ý nghĩa quá", "đáng xem", "yêu nghề thật sự", "cán bộ nhiệt tình",
        "đường đẹp hẳn", "mừng cho bà con", "chúc mừng em", "ngưỡng mộ chú", "hài hước ghê", "đỉnh thật",
        "ưng cái bụng", "tuyệt vời", "quý anh quá", "người tốt việc tốt", "xứng đáng", "ngon thật sự",
    ],
    "negative": [
        "chán thật", "phí tiền", "thái độ tệ", "đường nát quá", "bụi than kinh khủng", "lừa đảo",
        "bực mình", "thất vọng", "dở tệ", "không ra gì", "nói mà không làm", "hứa suông", "mất điện mãi",
        "nước bẩn quá", "sợ quá", "lo quá", "tức ghê", "ghét kiểu này", "buồn ghê", "xót quá",
        "chẳng ai giải quyết", "làm ăn chán", "kém thật", "vô trách nhiệm", "tắc đường hoài", "toàn hứa",
        "không tin nổi", "khổ dân", "giao hàng chậm", "đắt mà dở",
    ],
    "neutral": [
        "cho hỏi giá", "mấy giờ mở cửa", "ở đâu vậy", "ib mình nhé", "bao giờ có kết quả", "tên phim là gì",
        "mai có cắt điện không", "xin link", "ai biết chỉ với", "đã xem", "hóng", "theo dõi",
        "mình ở Uông Bí", "để mai tính", "check ib", "còn hàng không", "có ai đi cùng không",
        "lịch họp tổ dân phố", "đường nào vậy", "mấy giờ chiếu", "cho xin số điện thoại", "tag bạn vào xem",
        "đăng ký ở đâu", "có phụ đề không", "ship mất mấy ngày", "chuyến xe mấy giờ", "nộp hồ sơ ở đâu",
        "có ai biết không", "đợi thông tin chính thức", "cuối tuần đi chơi đâu",
    ],
}
DECOR = {
    "positive": ["<3", "❤️", "😍", "👍", "🥰", ":)", ":D", "=))", "🤣", "👏👏", "<3 <3", "😘", "🙏", ":))", "^^"],
    "negative": ["😡", "😤", "👎", ":(", ":((", "😢", "😭", "🙄", "😒", "-_-", ">.<", "😩", "😠", "💢", "=.="],
    "neutral": ["?", "??", "ạ", "nhé", "mn ơi", "ạ?", "với ạ", "nha", "", "ad ơi", "🤔", "...", "shop ơi", "", "!"],
}


def _stretch(text: str, rng: random.Random) -> str:
    words = text.split()
    i = rng.randrange(len(words))
    w = words[i]
    words[i] = w + w[-1] * rng.randint(2, 4)
    return " ".join(words)


def variants(rng: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for label, stems in STEMS.items():
        n = 0
        while n < N_PER_LABEL:
            t = rng.choice(stems)
            kind = rng.random()
            if kind < 0.3 and label != "neutral":
                t = _stretch(t, rng)
            if kind > 0.75:
                t = strip_marks(t)
            d = rng.choice(DECOR[label])
            t = f"{t} {d}".strip() if label == "neutral" or rng.random() < 0.85 else f"{d} {t}".strip()
            if t.lower() in seen:
                continue
            seen.add(t.lower())
            out.append((label, t))
            n += 1
    return out


def _topic_labels() -> dict[tuple[str, str], list[str]]:
    """(id, text) → topics of the lines of the current file whose topics are labelled (hand-written labels that a
    regeneration must not drop)."""
    if not OUT.exists():
        return {}
    with open(OUT, encoding="utf-8") as fh:
        rows = [json.loads(ln) for ln in fh if ln.strip()]
    return {(r["id"], r["text"]): r["topics"] for r in rows if r.get("topics_labelled")}


def main() -> None:
    from vocab.folding import VI_MARKED

    rng = random.Random(13)
    rows = variants(rng)
    rng.shuffle(rows)
    kept = _topic_labels()
    with open(OUT, "w", encoding="utf-8") as fh:
        for i, (label, text) in enumerate(rows, 1):
            topics = kept.get((f"S9-{i:04d}", text))  # round 11: the topics labelled by hand stay with their line
            r = {"id": f"S9-{i:04d}", "title": "", "text": text, "topics": topics or [],
                 "topics_labelled": topics is not None,
                 "sentiment": label, "in_area": "Uông Bí" in text, "places": ["Uông Bí"] if "Uông Bí" in text else [],
                 "style": "social", "diacritics": any(ch in VI_MARKED for ch in text.lower()),
                 "generated": True}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
