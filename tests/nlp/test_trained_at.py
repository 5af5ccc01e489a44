"""`info.trained_at` of a trained model is Vietnam time with its offset (round 32), whatever the machine's zone:
until then `time.strftime("%Y-%m-%d")` dated a model trained at 03:30 in Vietnam, on a server kept in UTC or further
west, the day before."""

import time

import nlp.train as T

AT = 1796675400.0  # 2026-12-07 20:30 UTC = 2026-12-08 03:30 in Vietnam, 12:30 on the 7th in Los Angeles


def test_trained_at_is_vietnam_time_with_its_offset():
    assert T.trained_at(AT) == "2026-12-08T03:30:00+07:00"


def test_train_stamps_vietnam_time_on_a_machine_kept_in_another_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        monkeypatch.setattr(time, "time", lambda: AT)
        monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
        monkeypatch.setattr(T, "corpus_texts", lambda: iter(["bụi than ô nhiễm", "thông báo lịch họp phường"]))
        words = {"negative": "bức xúc ô nhiễm tệ", "neutral": "thông báo lịch họp", "positive": "tuyệt vời cảm ơn"}
        rows = []
        for i in range(60):  # the rows of test_topic_anchor's end-to-end tests
            s = list(words)[i % 3]
            rows.append({"id": f"A-{i:04d}", "title": f"Tin {i} {words[s]}", "text": words[s] + " bụi than" * (i % 2),
                         "topics": ["environment" if i % 2 else "governance"], "sentiment": s,
                         "_file": "labelled_A.jsonl"})
            rows.append({"id": f"S1-{i:04d}", "title": "", "text": f"{words[s]} quá" + (" bụi than" * (i % 3 == 0)),
                         "topics": ["environment"] if i % 3 == 0 else [], "sentiment": s,
                         "_file": "labelled_S1.jsonl"})
        info = T.train(labelled=rows, use_vntc=False).classifier.info
    finally:
        monkeypatch.undo()
        time.tzset()
    assert info["trained_at"] == "2026-12-08T03:30:00+07:00"
