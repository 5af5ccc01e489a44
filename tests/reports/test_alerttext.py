"""Round 18 («alerttext»): the rapid report's «Nguyên văn» quote of a post written without diacritics keeps the post
as written (evidence) and gives the tagger's restored reading after it; reports load no model to do so."""

from __future__ import annotations

from datetime import timedelta

import docx

from reports.docx_out import write_docx
from reports.rapid import build_rapid, first_summary, restored_reading
from tests.conftest import database
from tests.reports.conftest import NOW, settings

POST = "bai thai than sau nha em sat roi mn oi, bun dat tran vao nha"
READ = "bãi thải than sau nhà em sạt rồi mn ơi, bùn đất tràn vào nhà"


def _rapid_docx(tmp_path, restored: str | None):  # type: ignore[no-untyped-def]
    from devtools.rows import make_item, tag_row
    from store import alerts as store_alerts
    from store import reports as store_reports
    from store.items import insert_items
    from store.tags import save_tags
    from vocab.alerts import NewAlert

    db = database(tmp_path / "q.duckdb")
    t0 = NOW - timedelta(days=10)
    with db.write() as cur:
        insert_items(cur, [make_item(url="https://x.example/1", title=POST, summary=POST, source="s",
                                     outlet="Nhóm Uông Bí 24h", source_type="social", published_at=t0,
                                     fetched_at=t0, item_id="i1")])
        row = tag_row("i1", topics=["disaster"], sentiment="negative", in_area=True, places=["phường Vàng Danh"],
                      folded=POST, model_version="t")
        save_tags(cur, [{**row, "no_diacritics": True, "title_restored": READ, "text_restored": restored}])
        aid = store_alerts.raise_alert(cur, NewAlert.of(
            "Theo dõi “Bãi thải”", "high", "Theo dõi “Bãi thải”: có 1 tin mới; khớp từ khóa “bãi thải”.",
            kind="watchlist", story_id="W1", item_ids=["i1"], n_items=1, n_outlets=1), t0)
        f = store_reports.rapid_figures(cur, alert_id=aid)
    db.close()
    d = docx.Document(str(write_docx(build_rapid(f, settings(charts=False), "", NOW).doc, tmp_path / "r.docx")))
    return next(p.text for p in d.paragraphs if p.text.startswith("Tin đầu tiên"))


def test_the_quote_keeps_the_post_as_written_and_gives_the_restored_reading_after_it(tmp_path):
    line = _rapid_docx(tmp_path, READ)
    assert line.endswith(f". Nguyên văn: «{POST}» (hệ thống khôi phục dấu: «{READ}»)"), line


def test_an_item_tagged_before_the_reading_was_stored_is_quoted_as_before(tmp_path):
    line = _rapid_docx(tmp_path, None)
    assert line.endswith(f". Nguyên văn: «{POST}»"), line


def test_restored_reading_is_cut_to_the_quote():
    quote = "mua to qua, duong len vang danh ngap het roi mn oi"
    restored = "mưa to quá, đường lên vàng danh ngập hết rồi mn ơi. Xe máy chết máy hàng loạt"
    assert restored_reading(quote, restored) == "mưa to quá, đường lên vàng danh ngập hết rồi mn ơi"
    # teencode written out («mn» → «mọi người»): the reading still ends where the quote does, found by its last words
    post = "bai thai than sau nha em sat roi mn oi, bun dat tran vao nha"
    assert restored_reading(post, "bãi thải than sau nhà em sạt rồi mọi người ơi, bùn đất tràn vào nhà. Chiều nay") == \
        "bãi thải than sau nhà em sạt rồi mọi người ơi, bùn đất tràn vào nhà."
    # a quote cut short mid-word at its limit: the words before it, and «…»
    assert restored_reading("mn oi ngap het roi nh", "mọi người ơi ngập hết rồi nhà cửa") == "mọi người ơi ngập hết rồi…"
    # nothing to align on: cut on a word, saying it goes on
    assert restored_reading("mn oi xyz", "mọi người ơi ngập hết rồi") == "mọi người…"
    assert restored_reading(quote, None) == restored_reading(quote, float("nan")) == ""
    assert restored_reading("Sáng nay bùn đất tràn", "Sáng nay bùn đất tràn") == ""  # a quote with its own marks
    assert restored_reading(quote, quote) == ""  # the restorer added no mark: no second copy
    assert first_summary("mưa to quá, đường lên Vàng Danh…", quote, restored) == \
        f". Nguyên văn: «{quote}» (hệ thống khôi phục dấu: «mưa to quá, đường lên vàng danh ngập hết rồi mn ơi»)"


def test_an_unmarked_summary_that_does_not_repeat_the_title_is_quoted_with_its_reading_too():
    """The demo's posts (qn-0283) have a title and a summary of their own: the unmarked summary was printed as if it
    were the report's words («. mua ca dem, tam 5h sang …»)."""
    summary = "mua ca dem, tam 5h sang nghe am am roi bun dat tran xuong"
    reading = "mưa cả đêm, tầm 5h sáng nghe ầm ầm rồi bùn đất tràn xuống"
    assert first_summary("bãi thải than sau nhà em sạt rồi", summary, reading) == \
        f". Nguyên văn: «{summary}» (hệ thống khôi phục dấu: «{reading}»)"
    assert first_summary("bãi thải than sau nhà em sạt rồi", summary, None) == f". {summary}"  # no reading: as before
