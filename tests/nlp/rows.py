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


def comment_route_rows(n: int = 60) -> list[dict]:
    """Own items (A) about the environment or governance and their comments (S1), a third naming the environment:
    enough for `langnghe train` to fit a comment model and choose its route at a small scale (test_topics_route's
    end-to-end test, test_topic_anchor's comment-route and NB-share tests; one builder since fix35, it was written
    three times). The trainer also reads `corpus_texts`: see `CORPUS`."""
    rows = []
    for i in range(n):
        s = list(WORDS)[i % 3]
        rows.append({"id": f"A-{i:04d}", "title": f"Tin {i} {WORDS[s]}", "text": WORDS[s] + " bụi than" * (i % 2),
                     "topics": ["environment" if i % 2 else "governance"], "sentiment": s,
                     "_file": "labelled_A.jsonl"})
        rows.append({"id": f"S1-{i:04d}", "title": "", "text": f"{WORDS[s]} quá" + (" bụi than" if i % 3 == 0 else ""),
                     "topics": ["environment"] if i % 3 == 0 else [], "sentiment": s, "_file": "labelled_S1.jsonl"})
    return rows


CORPUS = ("bụi than ô nhiễm", "thông báo lịch họp phường")  # what `corpus_texts` gives with comment_route_rows

# three press topics, each in its own words: the press topic rule's anchor tests
TOPIC_WORDS = {"education": "học phí sinh viên trường đại học", "economy": "giá vàng doanh nghiệp xuất khẩu",
               "health": "bệnh viện bác sĩ khám bệnh"}


def topic_docs(n: int = 60) -> list[dict]:
    """Own press items (A), one TOPIC_WORDS topic each in turn."""
    codes = list(TOPIC_WORDS)
    return [{"id": f"A-{i:04d}", "title": f"Tin {i}", "text": f"{TOPIC_WORDS[codes[i % 3]]} số {i % 7}",
             "topics": [codes[i % 3]], "_file": "labelled_A.jsonl"} for i in range(n)]


def topic_lines(n: int = 60) -> list[dict]:
    """Comment lines (S1) in the same words, one topic each in turn (held-out ids kept: the caller drops them)."""
    codes = list(TOPIC_WORDS)
    return [{"id": f"S1-{i:04d}", "title": "", "text": f"{TOPIC_WORDS[codes[i % 3]]} quá {i % 5}",
             "topics": [codes[i % 3]], "_file": "labelled_S1.jsonl"} for i in range(n)]
