"""Every registered collector kind, against a local server with its real-format fixture:
normal answer, changed shape, empty answer, 429 with Retry-After, and a page in another encoding."""

from __future__ import annotations

import gzip
import unicodedata

import pytest

from collectors import registry
from collectors.base import Batch, DocumentError, HttpStatusError, Item

from tests.conftest import send
from kindhelpers import collect, fresh_gates, kserver, server, source  # noqa: F401
from kindspecs import NON_HTTP, NOW, SPECS

pytestmark = pytest.mark.usefixtures("fresh_gates")


KINDS = [k for k in registry.kinds() if k not in NON_HTTP]


def test_every_kind_has_a_spec():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert all((root / path).exists() for path in NON_HTTP.values())
    missing = [k for k in registry.kinds() if k not in SPECS and k not in NON_HTTP]
    assert not missing, f"kinds without a fixture/spec in tests/collectors/kindspecs.py: {missing}"
    # a spec whose kind is not registered ran nothing (a class left without @register, a kind spelt otherwise)
    unknown = sorted((set(SPECS) | set(NON_HTTP)) - set(registry.kinds()))
    assert not unknown, f"specs in tests/collectors/kindspecs.py for kinds not registered: {unknown}"


def test_every_collector_class_is_registered():
    """A class with a `kind` and a `collect` left without `@register` was no kind at all, and no test said so
    (round 27, following ARCHITECTURE.md's recipe with a JSON Feed kind): the registry imports every module of
    collectors/, so each such class there is the one registered under its `kind`."""
    import collectors
    from tests.registered import unregistered as without_register

    registry.load_all()
    unregistered = without_register(collectors, registry._REGISTRY, "kind", "collect", skip=registry._INFRA)
    assert not unregistered, f"collector classes without @register (collectors.registry.register): {unregistered}"


def _serve(server, spec, body, ctype, status=200, headers=None):
    server.routes[spec.path] = lambda r: send(r, status, body, ctype, headers)
    if spec.robots:
        server.routes["/robots.txt"] = lambda r: send(r, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    return source(spec.kind, server.url(spec.path), options=spec.options, source_type=spec.source_type)


@pytest.mark.parametrize("kind", KINDS)
def test_normal_fixture(server, kind):
    spec = SPECS[kind]
    batch = collect(_serve(server, spec, spec.body(), spec.content_type))
    assert isinstance(batch, Batch)
    wrong = {type(it).__name__ for it in batch.items if not isinstance(it, Item)}
    assert not wrong, f"{kind}: its map function returned {wrong}, not vocab.item.Item (end it with _social.make_item)"
    assert len(batch.items) == spec.n_items, (batch.items, batch.skipped)
    assert dict(batch.skipped) == spec.skipped
    for it in batch.items:
        assert it.collector == kind and it.source == f"t-{kind}" and it.fetched_at == NOW
        assert it.url.startswith(("http", "urn:langnghe:")) and it.title  # messages have no public link
        assert it.title == unicodedata.normalize("NFC", it.title)
        assert it.raw is not None and gzip.decompress(it.raw)
        assert it.published_at <= NOW


@pytest.mark.parametrize("kind", KINDS)
def test_every_request_goes_through_ctx_fetch(server, kind):
    """Every request the kind makes is one it asked `ctx.fetch` for: the public-address guard, the body caps, the
    per-host spacing and conditional GET live there. A kind opening its own httpx client passed every other test
    here (round 29, ARCHITECTURE.md's recipe followed with a toy kind)."""
    spec = SPECS[kind]
    asked: list[str] = []
    collect(_serve(server, spec, spec.body(), spec.content_type), asked=asked)
    assert asked and sum(server.hits.values()) == len(asked), (
        f"{kind}: {sum(server.hits.values())} requests reached the server, {len(asked)} through ctx.fetch")


@pytest.mark.parametrize("kind", KINDS)
def test_changed_shape_is_a_counted_skip(server, kind):
    spec = SPECS[kind]
    batch = collect(_serve(server, spec, spec.bad_shape, spec.content_type))
    assert batch.items == []
    assert sum(batch.skipped.values()) >= 1, batch.skipped


@pytest.mark.parametrize("kind", KINDS)
def test_empty_result(server, kind):
    spec = SPECS[kind]
    batch = collect(_serve(server, spec, spec.empty, spec.content_type))
    assert batch.items == [] and not batch.skipped


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", [b"<!DOCTYPE html><html><body>Dang nhap</body></html>", b"\x00\x01{\"items\": [1,"],
                         ids=["login-page", "cut-body"])
def test_a_broken_answer_is_a_document_error_or_a_counted_skip(server, kind, body):
    """A login page or a cut body where the kind's format belongs: a DocumentError (health's «nội dung hỏng hoặc sai
    định dạng») or a counted changed shape, never another exception, which the runner records as «lỗi chương trình».
    A kind parsing with json.loads instead of `_social.decode_json` went through every other test here (round 27)."""
    spec = SPECS[kind]
    try:
        batch = collect(_serve(server, spec, body, spec.content_type))
    except DocumentError:
        return
    assert batch.items == [] and sum(batch.skipped.values()) >= 1, batch


@pytest.mark.parametrize("kind", KINDS)
def test_429_gives_retry_after(server, kind):
    spec = SPECS[kind]
    src = _serve(server, spec, b"Too Many Requests", "text/plain", status=429, headers={"Retry-After": "120"})
    with pytest.raises(HttpStatusError) as ei:
        collect(src)
    assert ei.value.http_status == 429 and ei.value.retry_after == 120


@pytest.mark.parametrize("kind", KINDS)
def test_other_encoding_gives_the_same_items(server, kind):
    spec = SPECS[kind]
    normal = collect(_serve(server, spec, spec.body(), spec.content_type))
    body, ctype = spec.reencode(spec.body())
    assert body != spec.body()
    other = collect(_serve(server, spec, body, ctype))
    assert [i.title for i in other.items] == [i.title for i in normal.items]
    assert [i.summary for i in other.items] == [i.summary for i in normal.items]


def test_every_kind_is_described_for_staff():
    import kindcoverage as coverage
    from vocab import config as C
    rows = coverage.coverage(C.load().sources, registry.kinds())
    assert [r["kind"] for r in rows] == registry.kinds()
    assert all(r["description"] for r in rows)
    assert {p["platform"] for p in coverage.NOT_COLLECTED} == {"Facebook", "Zalo", "TikTok"}
    assert sum(r["paused"] for r in rows) >= 8  # the paused examples in langnghe.toml


@pytest.mark.parametrize("kind", registry.kinds())
def test_every_kind_describes_itself_for_staff_in_its_own_module(kind):
    """Staff adding a source on Nguồn tin saw kind names only ("xenforo", "html_list"): each registered kind's
    own class (not a parent's: google_news extends rss) names a Vietnamese label and one line saying what it
    brings in and its limits, and the page lists them (collectors.registry.describe)."""
    cls = registry._REGISTRY[kind]
    own = vars(cls)
    assert isinstance(own.get("label"), str) and own["label"].strip(), f"{kind}: no `label` on {cls.__name__}"
    text = own.get("description")
    assert isinstance(text, str) and len(text.split()) >= 5, f"{kind}: no one-line `description` on {cls.__name__}"
    assert "\n" not in text and len(text) <= 200, f"{kind}: the description is one line for the page"
    assert unicodedata.normalize("NFC", text) == text and unicodedata.normalize("NFC", own["label"]) == own["label"]
    assert any(ord(ch) > 127 for ch in text), f"{kind}: the description is for staff, in Vietnamese"
    assert registry.describe()[kind] == (own["label"], text)


def options_read(source_code: str) -> set[str]:
    """The option keys a kind's module reads: `_social.opt(source, "key", …)`, `source.options.get("key")`,
    `source.options["key"]`."""
    import re

    return set(re.findall(r"\bopt\(\s*\w+\s*,\s*[\"'](\w+)[\"']", source_code)
               + re.findall(r"options(?:\.get\(|\[)\s*[\"'](\w+)[\"']", source_code))


def test_every_kind_documents_its_options():
    """Each option key a kind reads is named in its module docstring (ARCHITECTURE.md's add-a-source recipe, step
    1); the test only looked for the word «options», so a new key could go undocumented (round 22)."""
    import importlib
    import inspect

    for kind in registry.kinds():
        module = importlib.import_module(type(registry.get(kind)).__module__)
        doc = module.__doc__ or ""
        assert "options" in doc, f"{module.__name__} docstring lists no options"
        missing = options_undocumented(inspect.getsource(module), doc)
        assert not missing, f"{module.__name__} reads options its docstring does not name: {missing}"
    assert options_read('x = _social.opt(source, "web_base", "")\ny = source.options.get("keep_quotes")') == {
        "web_base", "keep_quotes"}
    # a key inside a longer word is not named (a substring test passed `token` for «token_env», round 22 review)
    assert options_undocumented('opt(source, "token", "")', "token_env  name of the variable") == ["token"]
    assert options_undocumented('opt(source, "token", "")', "token  the page's access token") == []


def options_undocumented(source_code: str, doc: str) -> list[str]:
    """The option keys the code reads that the docstring never names as a word of their own."""
    import re

    return sorted(k for k in options_read(source_code) if not re.search(rf"(?<!\w){re.escape(k)}(?!\w)", doc))


def sources_md_kinds(text: str) -> set[str]:
    """The kinds named in backticks in a `###` heading of docs/SOURCES.md («### `telegram` — …»)."""
    import re

    return {k for line in text.splitlines() if line.startswith("### ") for k in re.findall(r"`(\w+)`", line)}


def test_every_kind_has_a_section_in_sources_md():
    """Step 5 of ARCHITECTURE.md's "How to add a source kind" asks for a `### \\`<kind>\\`` section in
    docs/SOURCES.md; nothing checked it, so a new kind could reach Nguồn tin with no word in the docs (round 22)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "SOURCES.md").read_text(encoding="utf-8")
    missing = [k for k in registry.kinds() if k not in sources_md_kinds(text)]
    assert not missing, f"kinds without a ### `<kind>` section in docs/SOURCES.md: {missing}"
    assert sources_md_kinds("### `rss` — press\n`toy` in a sentence\n") == {"rss"}
