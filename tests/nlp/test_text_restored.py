"""`text_restored` (round 18): the start of a text written without diacritics, restored by the Normalise step, which a
rapid report gives after its verbatim quote (reports load no model)."""

from __future__ import annotations

from nlp.steps import RESTORED_TEXT_CHARS, restored_start
from vocab.folding import fold


def test_an_unmarked_post_gets_its_restored_reading_and_a_marked_one_none(pipeline):
    post = "bai thai than sau nha em sat roi, bun dat tran vao nha dan o vang danh"
    rows = [{"id": "u", "title": post, "text": post, "source_type": "social"},
            {"id": "m", "title": "Sạt lở bãi thải", "text": "Bùn đất tràn vào nhà dân ở Vàng Danh.", "source_type": "press"}]
    out = {o["id"]: o for o in pipeline.tag(rows)}
    reading = out["u"]["text_restored"]
    assert reading and reading != post and fold(reading) == fold(post)  # marks added, the words kept
    assert out["m"]["text_restored"] == ""


def test_restored_start_keeps_one_line_cut_at_a_word():
    assert restored_start("mưa  to\nquá") == "mưa to quá"
    long = "mưa to quá " * 100
    cut = restored_start(long)
    assert len(cut) <= RESTORED_TEXT_CHARS and long.startswith(cut) and long[len(cut)] == " "  # a whole word
