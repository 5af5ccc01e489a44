"""Feeds tried in round 22 (docs/SECURITY.md, "Network"): XML entities that are not nested but still multiply.
Round 19 refused an entity declared through another; one 250-character entity referenced 2.5 million times
(7.5 MB, 30 KB gzipped on the wire) still made a 625,000,000-character description, 2.6 GB and 16 s in the
collectors' process. Memory and time are in bench/hostile_parse.py (`--only entity`); here the behaviour."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from collectors import rss
from collectors.base import DocumentError
from collectors.runner import Runner
from tests.conftest import database, make_config, rss_doc, rss_source, send
from vocab.config import DEFAULT_LIMITS

TAIL = b"</channel></rss>"


def feed(prologue: str, description: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss [{prologue}]><rss version="2.0"><channel>'
            f"<title>T</title><item><title>Tin</title><link>https://bao.vn/e</link><description>{description}"
            f"</description></item>").encode() + TAIL


LONG = '<!ENTITY e "' + "bụi than " * 28 + '">'  # 252 characters
REFS_PAST = DEFAULT_LIMITS.feed_bytes // 250 + 100  # just past max_feed_mb once expanded


def test_an_entity_referenced_until_it_would_outgrow_the_feed_cap_is_refused():
    with pytest.raises(DocumentError, match="billion laughs"):
        rss.parse_feed(feed(LONG, "&e;" * REFS_PAST))


def test_a_parameter_entity_that_hides_a_declaration_is_refused():
    """`%p;` declares `e` from character references: no `<!ENTITY e` to be seen, yet expat expands it (main read
    its 10 references as 3,000 characters)."""
    hidden = '<!ENTITY % p "&#60;!ENTITY e \'' + "A" * 300 + '\'&#62;"> %p;'
    with pytest.raises(DocumentError, match="thực thể tham số"):
        rss.parse_feed(feed(hidden, "&e;" * 10))


def test_entities_a_feed_really_uses_still_read():
    """Character entities, a short word, and a long text used a few times: no more than the feed's own size."""
    prologue = '<!ENTITY nbsp "&#160;"><!ENTITY ubnd "UBND">' + LONG
    parsed = rss.parse_feed(feed(prologue, "&ubnd;&nbsp;phường &e;&e;"))
    assert parsed.entries[0].summary.startswith("UBND\u00a0phường bụi than")
    assert parsed.entries[0].summary.count("bụi than") == 56


def test_a_gzipped_entity_bomb_fails_its_own_source_and_the_others_are_stored(tmp_path, server):
    """Through the real pass: 127.0.0.1 serving the bomb gzipped (small on the wire, under every body cap)."""
    bomb = gzip.compress(feed(LONG, "&e;" * REFS_PAST))
    good = rss_doc([{"title": f"Tin tốt {i}", "link": f"https://bao.vn/tot-{i}", "description": "Uông Bí"} for i in range(3)])
    server.routes["/bomb.rss"] = lambda req: send(req, 200, bomb, headers={"Content-Encoding": "gzip"})
    server.routes["/good.rss"] = lambda req: send(req, 200, good)
    cfg = make_config(tmp_path, [rss_source(n, server.url(f"/{n}.rss")) for n in ("bomb", "good")])
    with database(cfg.storage.db_path) as db:
        summary = asyncio.run(Runner(cfg, db).run_due(force=True))
    by = {o.source: o for o in summary.outcomes}
    assert len(bomb) < 100_000
    assert by["good"].outcome == "ok" and by["good"].items_new == 3
    assert by["bomb"].outcome == "error" and by["bomb"].error_kind == "document" and "billion laughs" in by["bomb"].error



def feed_on_lines(description: str) -> bytes:
    """`feed` with LONG, laid out as feedparser keeps an entity for its lenient parser: the `<!DOCTYPE` and each
    `<!ENTITY` starting a line."""
    return feed(LONG, description).replace(b"<!DOCTYPE", b"\n<!DOCTYPE").replace(b"<!ENTITY", b"\n<!ENTITY")


@pytest.mark.parametrize("ref", ["&e ", "&e&", "&e<b/>", "&e_1;"])
def test_references_without_their_semicolon_are_counted_too(ref):
    """Round 22 review: only `&e;` was counted, but feedparser's lenient parser (where it falls back once expat
    gives up on a malformed feed) expands `&e` before any character but a letter, digit, `-` or `.`: 300 KB of
    `&e ` made a 25,000,000-character description. Each spelling it reads is counted now."""
    assert len(rss.parse_feed(feed_on_lines(ref * 10)).entries[0].summary) > 2_000  # it does expand
    with pytest.raises(DocumentError, match="billion laughs"):
        rss.parse_feed(feed_on_lines(ref * REFS_PAST))


def test_a_longer_name_that_starts_with_an_entitys_is_not_its_reference():
    """`&eacute;` is no use of `e` (for either parser): a feed of them with a long `e` still reads."""
    parsed = rss.parse_feed(feed_on_lines("&e " + "caf&eacute; " * (REFS_PAST // 4)))
    assert parsed.entries[0].summary.startswith("bụi than")
