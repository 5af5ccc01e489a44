"""fix33: Nguồn tin's refusal of an interval said «1440 phút», written into the message, not the rule's bound, and
not Vietnamese-style; the config file's message keeps «1440» (in TOML «1.440» is a float).

fix35: the «one bound» half patched the bound in both modules, so a second copy under the same name passed it; the
tree is now read for every binding of the name (`test_the_bound_is_bound_once_in_the_tree`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from orchestration import sources as sources_store
from vocab import config as C


def _row(**over):
    return {"name": "moi", "kind": "rss", "url": "https://moi.vn/rss", "outlet": "Mới", "source_type": "press",
            "interval_minutes": 0, "enabled": False, "options": {}, **over}


def test_form_message_says_the_rules_bound_vietnamese_style(monkeypatch):
    with pytest.raises(ValueError) as refused:
        sources_store.check_source(_row(interval_minutes=2000), kinds=["rss"])
    assert "từ 1 đến 1.440 phút" in str(refused.value) and "1440" not in str(refused.value)
    # the message says the name's value, not a number written into it (that the name is the rule's own, not a copy
    # of it, is test_the_bound_is_bound_once_in_the_tree's)
    monkeypatch.setattr(C, "SOURCE_INTERVAL_MAX_MINUTES", 2 * 1440)
    monkeypatch.setattr(sources_store, "SOURCE_INTERVAL_MAX_MINUTES", 2 * 1440)
    with pytest.raises(ValueError, match="từ 1 đến 2.880 phút"):
        sources_store.check_source(_row(interval_minutes=3000), kinds=["rss"])
    assert sources_store.check_source(_row(interval_minutes=2000), kinds=["rss"])["interval_minutes"] == 2000


def test_config_file_message_keeps_the_bound_as_toml_writes_it():
    with pytest.raises(C.ConfigError, match=r"hoặc từ 1 đến 1440, không phải 2000"):
        C._check_range("sources[0]", "interval_minutes", 2000.0)


ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("vocab", "store", "notify", "surveys", "collectors", "nlp", "detection", "reports", "orchestration",
               "dashboard", "langnghe", "devtools", "scripts", "bench")


def bindings(name: str) -> tuple[list[str], list[str]]:
    """Where the tree gives `name` a value (an assignment, a def, a loop, an import from anywhere but vocab.config),
    and where it imports it from vocab.config."""
    copies, imports = [], []
    for top in FIRST_PARTY:
        for path in sorted((ROOT / top).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), where)):
                if isinstance(node, ast.ImportFrom):
                    for alias in node.names:
                        if (alias.asname or alias.name) == name or alias.name == name:
                            (imports if node.module == "vocab.config" and alias.name == name and alias.asname in (None, name)
                             else copies).append(f"{where}:{node.lineno}")
                elif isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
                    copies.append(f"{where}:{node.lineno}")
                elif isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.ctx, ast.Store):
                    copies.append(f"{where}:{node.lineno}")
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                    copies.append(f"{where}:{node.lineno}")
    return copies, imports


def test_the_bound_is_bound_once_in_the_tree():
    copies, imports = bindings("SOURCE_INTERVAL_MAX_MINUTES")
    assert len(copies) == 1 and copies[0].startswith("vocab/config.py:"), (
        f"the interval bound has one home, vocab/config.py; its name is bound at: {copies}")
    assert any(i.startswith("orchestration/sources.py:") for i in imports)  # the form's message reads that one
