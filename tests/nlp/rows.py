"""A tiny labelled set for the training tests: 36 own items (A), their comments (S1) and, when asked, national news
(N1), three sentiments in turn; one builder so that every test trains on the same rows."""

from __future__ import annotations

WORDS = {"negative": "bức xúc ô nhiễm tệ", "neutral": "thông báo lịch họp", "positive": "tuyệt vời cảm ơn"}


def tiny_labelled(*, news: bool = False) -> list[dict]:
    rows = []
    for i in range(36):
        s = list(WORDS)[i % 3]
        rows.append({"id": f"A-{i:04d}", "title": f"Tin {i} {WORDS[s]}", "text": WORDS[s],
                     "topics": ["environment" if i % 2 else "governance"], "sentiment": s, "_file": "labelled_A.jsonl"})
        rows.append({"id": f"S1-{i:04d}", "title": "", "text": f"{WORDS[s]} quá", "topics": [], "_no_topics": True,
                     "sentiment": s, "_file": "labelled_S1.jsonl"})
        if news:
            rows.append({"id": f"N1-{i:04d}", "title": f"Bản tin {i} giá xăng", "text": f"{WORDS[s]} thị trường",
                         "topics": ["economy"], "sentiment": s, "_file": "labelled_N1.jsonl"})
    return rows
