"""Collector kinds register by name; duplicates are refused; every kind honours the protocol."""

from __future__ import annotations

import pytest

from collectors import registry
from collectors.base import Collector


def test_rss_is_registered_and_satisfies_the_protocol():
    assert "rss" in registry.kinds()
    assert isinstance(registry.get("rss"), Collector)


def test_every_registered_kind_satisfies_the_protocol():
    for kind in registry.kinds():
        c = registry.get(kind)
        assert isinstance(c, Collector), kind
        assert c.kind == kind


def test_no_collector_module_fails_to_import():
    registry.load_all()
    assert registry.LOAD_ERRORS == {}


def test_duplicate_kind_is_refused():
    class Again:
        kind = "rss"

        async def collect(self, source, ctx):  # pragma: no cover
            raise NotImplementedError

    with pytest.raises(registry.DuplicateKind, match="rss"):
        registry.register(Again)


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="rss"):
        registry.get("no-such-kind")


def test_sources_kinds_says_which_module_failed_to_import(monkeypatch, capsys):
    """A new kind with a mistake used to vanish from `langnghe sources --kinds` with no word on the console."""
    import argparse

    from langnghe.commands import sources

    monkeypatch.setitem(registry.LOAD_ERRORS, "jsonl_feed", "SyntaxError: invalid syntax (jsonl_feed.py, line 3)")
    assert sources.run(argparse.Namespace(kinds=True, json=False), None) == 1
    err = capsys.readouterr().err
    assert "collectors/jsonl_feed.py" in err and "SyntaxError" in err and "không nạp được" in err
    monkeypatch.delitem(registry.LOAD_ERRORS, "jsonl_feed")
    assert sources.run(argparse.Namespace(kinds=True, json=True), None) == 0


def test_sources_kinds_prints_each_kind_with_the_words_staff_see(capsys):
    """`langnghe sources --kinds` listed bare codes; it now says what each kind is, as the Nguồn tin page."""
    import argparse

    from langnghe.commands import sources

    assert sources.run(argparse.Namespace(kinds=True, json=False), None) == 0
    lines = capsys.readouterr().out.splitlines()
    label, description = registry.describe()["rss"]
    assert len(lines) == len(registry.kinds())
    assert any(ln.startswith("rss ") and label in ln and description in ln for ln in lines)
