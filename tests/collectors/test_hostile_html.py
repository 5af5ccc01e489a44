"""Pages that made the HTML parsers work for minutes (no time is measured here; bench figures in
docs/SECURITY.md). lexbor (html_list) spends time quadratic in the depth of unclosed block elements: 40,000
`<section>` (200 KB) took 6 s, a 5 MB page of them longer than any deadline, and the parse ran in the
collectors' event loop. trafilatura (full text) is superlinear in page size: 2.7 MB of paragraphs took 22 s,
10 MB over 10 minutes, in the ingest path. A page nested too deep is refused (DocumentError); an article
page is cut to [limits] max_article_chars after its scripts and styles are dropped."""

from __future__ import annotations

import pytest

from collectors import fulltext, html_list
from collectors.base import DocumentError
from collectors.textutil import block_depth_over
from vocab.config import DEFAULT_LIMITS

OPTIONS = {"item": "li.tin", "title": "a"}
def paras(n: int) -> str:
    return "".join(f"<p>Người dân phường Vàng Danh bức xúc vì bụi than từ bãi thải số {i}.</p>" for i in range(n))


def test_a_list_page_nested_too_deep_is_refused_before_it_is_parsed():
    page = "<html><body>" + "<section>" * 40_000 + "<ul><li class=tin><a href=/a>Tin</a></li></ul></body></html>"
    with pytest.raises(DocumentError, match="lồng nhau quá sâu"):
        html_list.extract_rows(page, "https://pakn.example.vn/", OPTIONS)


def test_an_ordinary_list_page_with_some_unclosed_divs_is_read():
    page = "<html><body>" + "<div class=x>" * 50 + "<ul>" + "<li class=tin><a href=/a>Tin A</a><div>" * 500 \
        + "</ul></body></html>"
    rows, _, _ = html_list.extract_rows(page, "https://pakn.example.vn/", OPTIONS)
    assert len(rows) == 500


@pytest.mark.parametrize("page,over", [
    ("<div>" * 3001, True),
    ("<div></div>" * 100_000, False),
    ("<DIV class='a'>" * 3001, True),
    ("<divx>" * 5000 + "<span>" * 5000 + "<p>" * 5000, False),  # not a block that nests in lexbor's scope walk
    ("<section>" * 2000 + "</section>" * 2000 + "<div>" * 2000, False),
])
def test_block_depth_is_read_in_one_pass(page, over):
    assert block_depth_over(page, 3000) is over


def test_an_enormous_article_page_is_cut_before_extraction():
    page = "<html><body><article>" + paras(40_000) + "</article></body></html>"  # 3.5 MB
    text = fulltext.extract_text(page, "https://bao.vn/a")
    assert text and "Vàng Danh" in text and len(text) < DEFAULT_LIMITS.max_article_chars


def test_scripts_and_styles_are_dropped_before_the_cut():
    head = "<script>var x = '" + "a" * 600_000 + "';</script><style>" + "b" * 100_000 + "</style><script src=x>"
    page = f"<html><head>{head}</script></head><body><article><h1>Tin</h1>" + paras(20) + "</article></body></html>"
    assert len(page) > DEFAULT_LIMITS.max_article_chars
    text = fulltext.extract_text(page, "https://bao.vn/a")
    assert text and "Vàng Danh" in text
