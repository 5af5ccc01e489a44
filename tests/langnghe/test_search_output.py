"""What `langnghe search` prints, to the byte, on a fixed small database (round 26: the command reads typed rows from
store.search instead of a DataFrame; the dashboard keeps its DataFrame), and that --json is strict JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from collectors.textutil import canonical_url, content_hash, sha1
from langnghe import cli
from store import items as store_items
from store import tags as store_tags
from store.db import Database
from vocab.item import Item

BASE = datetime(2026, 12, 6, 9, 30, 15, 123456)


def _seed(path) -> None:  # type: ignore[no-untyped-def]
    """Eight items five hours apart, press and social, three of them tagged (one in the area)."""
    items = []
    for n in range(8):
        url = f"https://bao.vn/tin/{n}"
        title = f"Bãi thải than sạt lở ở Vàng Danh lần {n} @nguoidung{n}" if n % 3 else f"Hạ Long đón khách {n}  có  bãi thải"
        pub = BASE - timedelta(hours=5 * n)
        items.append(Item(id=sha1(canonical_url(url)), source="s", collector="rss",
                          source_type="press" if n % 2 else "social",
                          outlet=f"Báo Quảng Ninh điện tử số {n}" if n % 2 else "Nhóm", url=url,
                          canonical_url=canonical_url(url), title=title, summary=f"tóm tắt {n} @ai{n}", published_at=pub,
                          published_estimated=False, fetched_at=pub, content_hash=content_hash(title, "tóm", url),
                          author="a" if n % 2 else None))
    db = Database(str(path))
    with db.write() as cur:
        store_items.insert_items(cur, items)
        store_tags.save_tags(cur, [{
            "id": items[k].id, "model_version": "m", "topics": ["moi_truong", "thien_tai"][: 1 + k % 2],
            "sentiment": "negative", "in_area": bool(k % 2), "places": ["Vàng Danh"], "place_details": "[]",
            "lang": "vi", "no_diacritics": False, "folded": "x"} for k in (0, 1, 4)])
    db.close()


@pytest.fixture
def search(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    path = tmp_path / "s.duckdb"
    _seed(path)
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.setenv("LANGNGHE_DB", str(path))

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["search", *argv])
        return code, capsys.readouterr().out
    return run


def test_untagged_items_are_strict_json_with_null_sentiment(search):
    """An untagged item's sentiment was printed as NaN (pandas' missing value), which is not JSON: a strict reader
    (jq, JavaScript's JSON.parse) refused the whole line."""
    code, out = search("bãi thải", "--json")
    assert code == 0
    rows = [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} is not JSON")) for line in out.splitlines()]
    assert len(rows) == 8
    untagged = [r for r in rows if r["id"] == sha1(canonical_url("https://bao.vn/tin/3"))][0]
    assert (untagged["sentiment"], untagged["topics"], untagged["in_area"]) == (None, [], None)


GOLDEN = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "search_output.txt"
CALLS = [("bãi thải",), ("bãi thải", "--json"), ("bãi thải", "--limit", "2"), ("than", "--newest"), ("khongco",),
         ("khongco", "--json"), ("bai thai", "--in-area"), ('"sạt lở"', "--since", "2026-12-05"),
         ("than", "--until", "2026-12-05", "--json"), ("than OR long", "--newest", "--json", "--limit", "5")]


def _printed(search) -> str:  # type: ignore[no-untyped-def]
    out = []
    for argv in CALLS:
        code, text = search(*argv)
        out.append(f"### {' '.join(argv)} → {code}\n{text}")
    return "".join(out)


def test_the_printed_table_and_json_are_as_before_to_the_byte(search):
    """tests/fixtures/search_output.txt is what the command printed when it read a DataFrame (round 25, with
    --json's NaN fixed): the typed rows print the same table, the same scores and the same JSON."""
    assert _printed(search) == GOLDEN.read_text(encoding="utf-8")
