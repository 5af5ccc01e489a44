"""One vocabulary of source types (vocab.labels.SOURCE_TYPES): every type a collector, the collaborators' form or an
import stores has a Vietnamese name there, and the types a configured source may have are a part of it. Until
round 18 vocab.config kept its own list without «ctv», which the collaborators' form stores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collectors import collab
from collectors.imports.items import source_type_of_outlet
from tests.conftest import make_config
from vocab.config import ConfigError
from vocab.labels import CONFIGURED_SOURCE_TYPES, SOURCE_TYPES

ROOT = Path(__file__).resolve().parents[2]


def test_configured_types_are_named_stored_types_and_ctv_is_not_configured():
    assert set(CONFIGURED_SOURCE_TYPES) <= set(SOURCE_TYPES)
    assert "ctv" in SOURCE_TYPES and "ctv" not in CONFIGURED_SOURCE_TYPES


def test_every_type_the_collaborators_form_stores_has_a_label():
    stored = {collab.channel_source_type(ch) for ch in collab.CHANNELS} | {collab.SOURCE.source_type}
    assert stored == {"ctv", "press", "social"} and stored <= set(SOURCE_TYPES)


def test_every_type_an_import_guesses_from_its_outlet_has_a_label():
    guessed = {source_type_of_outlet(o) for o in ("Báo Quảng Ninh", "Nhóm Facebook Uông Bí", "baoquangninh.vn", "?")}
    assert guessed - {None} <= set(SOURCE_TYPES)


# `source_type="…"`, `"source_type": "…"` and `source_type or "…"` in the code that builds items or sources
_LITERAL = re.compile(r"""source_type["']?\s*(?:=|:|or)\s*["']([a-z_]+)["']""")


def test_every_source_type_written_in_the_code_has_a_label():
    """A new collector or form that stores a type of its own (as «ctv» was, outside the config's list) fails here
    until the type is named in vocab.labels.SOURCE_TYPES."""
    found: dict[str, str] = {}
    for pkg in ("collectors", "orchestration", "devtools", "dashboard", "store", "langnghe"):
        for path in (ROOT / pkg).rglob("*.py"):
            for m in _LITERAL.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(m.group(1), str(path.relative_to(ROOT)))
    assert {"press", "social"} <= set(found)  # the scan sees the code
    unnamed = {t: where for t, where in found.items() if t not in SOURCE_TYPES}
    assert not unnamed, f"loại nguồn không có tên trong vocab.labels.SOURCE_TYPES: {unnamed}"


def test_a_configured_source_of_type_ctv_is_refused_naming_the_accepted_types(tmp_path):
    with pytest.raises(ConfigError, match=r"source_type phải là 'press' \(báo chí\) hoặc 'social' \(mạng xã hội\)"):
        make_config(tmp_path, [{"name": "ctv2", "kind": "rss", "url": "http://127.0.0.1:9/f", "outlet": "x",
                                "source_type": "ctv"}])


def test_an_import_default_type_without_a_label_is_refused_at_load(tmp_path):
    assert make_config(tmp_path, imports={"default_source_type": "ctv"}).imports.default_source_type == "ctv"
    with pytest.raises(ConfigError, match="default_source_type"):
        make_config(tmp_path, imports={"default_source_type": "forum"})
