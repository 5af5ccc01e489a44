"""Time of the HTML parsers on hostile pages (docs/SECURITY.md): lexbor on deeply nested blocks (html_list),
the depth check that refuses them, and full text's extract_text on huge article pages.

Usage: .venv/bin/python bench/hostile_html.py   (PYTHONPATH=. from a worktree measures that worktree's code)
Prints seconds per case; one process, wall clock (a shared 2-core machine: compare runs of the same day).
"""

from __future__ import annotations

import time

from selectolax.lexbor import LexborHTMLParser

from collectors import fulltext, html_list
from collectors.base import DocumentError
from collectors.textutil import block_depth_over


def _timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        out = fn()
        said = f"{len(out):,} chars" if isinstance(out, str) else ("" if out is None else str(out)[:60])
    except DocumentError as exc:
        said = f"DocumentError: {str(exc)[:60]}"
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s  {said}", flush=True)


def _paras(n: int) -> str:
    return "".join(f"<p>Người dân phường Vàng Danh bức xúc vì bụi than từ bãi thải số {i}.</p>" for i in range(n))


def main() -> None:
    for depth in (10_000, 20_000, 40_000):
        page = "<section>" * depth
        _timed(f"lexbor parse, {depth:,} nested <section> ({len(page) // 1000} KB)", lambda: LexborHTMLParser(page) and None)
    big = "<section>" * 600_000  # 5.4 MB
    _timed("block_depth_over on 600,000 nested <section> (5.4 MB)", lambda: block_depth_over(big, html_list.MAX_BLOCK_DEPTH))
    _timed("html_list.extract_rows on the same page", lambda: html_list.extract_rows(big, "https://x.vn/", {"item": "li", "title": "a"}))
    for n in (20_000, 40_000, 150_000):
        page = "<html><body><article>" + _paras(n) + "</article></body></html>"
        _timed(f"fulltext.extract_text, {n:,} paragraphs ({len(page.encode()) / 1e6:.1f} MB)",
               lambda: fulltext.extract_text(page, "https://bao.vn/a"))


if __name__ == "__main__":
    main()
