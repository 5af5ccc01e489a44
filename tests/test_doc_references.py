"""References between the docs' sections still lead somewhere: NLP.md was split (the round-by-round record moved
to NLP_ROUNDS.md) and a '"Third round" below' that no longer exists sends a maintainer looking for nothing."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from langnghe.cli import _sub_parsers

DOCS = Path(__file__).resolve().parents[1] / "docs"
_QUOTED_HERE = re.compile(r'"([^"\n]{3,90})"\)?\s+(?:below|above)\b')


def _headings(text: str) -> list[str]:
    return [h.lstrip("#").strip() for h in re.findall(r"^#+ .*$", text, re.M)]


def _is_heading(name: str, headings: list[str]) -> bool:
    return any(h.startswith(name.rstrip("…")) for h in headings)


def test_sections_said_to_be_below_or_above_are_in_the_same_doc() -> None:
    bad = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        heads = _headings(text)
        bad += [(doc.name, q) for q in _QUOTED_HERE.findall(text) if not _is_heading(q, heads)]
    assert not bad, bad


def test_nlp_md_names_nlp_rounds_md_for_the_sections_that_moved_there() -> None:
    """A section quoted in NLP.md that only NLP_ROUNDS.md has: the same sentence says where it is."""
    text = (DOCS / "NLP.md").read_text(encoding="utf-8")
    here, moved = _headings(text), _headings((DOCS / "NLP_ROUNDS.md").read_text(encoding="utf-8"))
    bad = []
    for m in re.finditer(r'"([^"\n]{6,90})"', text):
        name = m.group(1)
        if _is_heading(name, moved) and not _is_heading(name, here):
            sentence = text[text.rfind(". ", 0, m.start()) + 1: text.find(". ", m.end())]
            if "NLP_ROUNDS" not in sentence:
                bad.append(name)
    assert not bad, bad


# ------------------------------------------------------------------------------------------------------------
# Names of files, modules and functions. A newcomer follows them literally; one that moved sends them looking for
# nothing (SOURCES.md named `tests/collectors/coverage.py` and `collectors.imports.import_file` long after both
# moved). NLP_ROUNDS.md is a dated record: it names what was tried and removed, on purpose.

ROOT = DOCS.parent
_PKGS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != "var")
_FILE = re.compile(r"`((?:%s)/[\w./-]*[\w])`" % "|".join(map(re.escape, _PKGS)))
_PY = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
_DOTTED = re.compile(r"`((?:%s)(?:[./][A-Za-z_]\w*)+)(?:\(\))?`" % "|".join(map(re.escape, _PY)))
# named on purpose though absent: a plan (SCALE.md's target layout) or a note that a name is gone
NOT_HERE = {
    ("SCALE.md", "store/ch/items.py"), ("SCALE.md", "store/ch"), ("SCALE.md", "store/pg"),
    ("SCALE.md", "store/duckdb"),
    ("DASHBOARD.md", "store.dashboard._search"),
}


def _maintained_docs() -> list[Path]:
    return [ROOT / "README.md", *(d for d in sorted(DOCS.glob("*.md")) if d.name != "NLP_ROUNDS.md")]


def _defines(path: Path, name: str) -> bool:
    return name in _names_defined(path)


@functools.cache
def _names_defined(path: Path) -> frozenset[str]:
    """Every name `path` defines at any depth (function, class, assignment, import), parsed once: ~40 modules are
    named ~240 times, and a parse a reference cost 2–3 s of CPU a run (round 24)."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name for a in node.names)
    return frozenset(names)


def _resolves(ref: str) -> bool:
    """`pkg.module.name`, `pkg/module.name` or `pkg.module`: the module exists and defines the name at any depth
    (a method counts). A dotted name whose second part is no module (`dashboard.port`) is a setting: not checked."""
    parts = re.split(r"[./]", ref)
    for i in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:i])
        if base.with_suffix(".py").is_file():
            rest = parts[i:]
            return not rest or _defines(base.with_suffix(".py"), rest[0])
        if base.is_dir() and i >= 2 and (base / "__init__.py").is_file():
            rest = parts[i:]  # a subpackage (`collectors.imports`): the name is in its __init__, or nowhere
            return not rest or _defines(base / "__init__.py", rest[0])
        if base.is_dir():
            return True  # `pkg.name` with no module `name`: a setting such as `dashboard.port`, or a logger
    return True


def test_files_the_docs_name_exist() -> None:
    bad = []
    for doc in _maintained_docs():
        for ref in _FILE.findall(doc.read_text(encoding="utf-8")):
            if "NNN" in ref or (doc.name, ref) in NOT_HERE or ref.startswith(("test-artifacts/", "var/")):
                continue  # written by a test run or by the product, absent from a clean clone
            if not (ROOT / ref).exists():
                bad.append((doc.name, ref))
    assert not bad, bad


def test_modules_and_functions_the_docs_name_exist() -> None:
    bad = []
    for doc in _maintained_docs():
        for ref in _DOTTED.findall(doc.read_text(encoding="utf-8")):
            if re.search(r"\.(py|md|sql|toml|json|jsonl|gz|sh|png|html|csv|txt)$", ref) or (doc.name, ref) in NOT_HERE:
                continue  # a file: the test above
            if not _resolves(ref):
                bad.append((doc.name, ref))
    assert not bad, bad


def test_the_reference_checks_can_fail() -> None:
    assert not _resolves("collectors.imports.import_file") and _resolves("orchestration.imports.import_file")
    assert not _resolves("collectors.imports.NOTES") and _resolves("collectors.imports.table.NOTES")  # a package
    assert not _resolves("store/tags.save_tag") and _resolves("store/tags.save_tags")
    assert _resolves("dashboard.port")  # a setting, not a module
    assert _FILE.findall("see `tests/collectors/coverage.py`") == ["tests/collectors/coverage.py"]


def test_every_dashboard_page_is_in_the_page_table() -> None:
    text = (DOCS / "DASHBOARD.md").read_text(encoding="utf-8")
    table = text[text.index("## Pages and roles"):]
    table = table[:table.index("\n\n", table.index("|"))]
    pages = [p.stem for p in (ROOT / "dashboard" / "views").glob("*.py") if not p.stem.startswith("_")]
    missing = [p for p in sorted(pages) if f"`views/{p}.py`" not in table]
    assert not missing, f"pages without a row in DASHBOARD.md 'Pages and roles': {missing}"


def test_every_cli_command_is_in_the_readme() -> None:
    from langnghe.cli import build_parser
    import argparse

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    missing = [c for c in sorted(sub.choices) if f"`langnghe {c}" not in text and f"`{c}`" not in text]
    assert not missing, f"commands the README's table does not name: {missing}"
    # and every option a command takes is named in the README or a doc (round 28: `serve --host`, `demo --no-serve`,
    # `import --outlet`/`--source-type`, `tag --compact`, `train --no-vntc`, `search-feeds --engine`/`--interval` and
    # `users add --display-name` were in `--help` alone)
    docs = "\n".join(d.read_text(encoding="utf-8") for d in _ALL_DOCS)
    unnamed = [(path, a.option_strings) for path, parser in _all_parsers(build_parser())
               for a in parser._actions if a.option_strings and "--help" not in a.option_strings
               and not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", docs) for o in a.option_strings)]
    assert not unnamed, f"options no doc names: {unnamed}"


def _all_parsers(parser: "argparse.ArgumentParser", path: str = "langnghe"):
    yield path, parser
    for name, sub in _sub_parsers(parser).items():
        yield from _all_parsers(sub, f"{path} {name}")


# ------------------------------------------------------------------------------------------------------------
# Links and sections a reader follows by hand (round 22): a relative Markdown link or a "docs/X.md *Section*"
# that leads nowhere; a path written without backticks ("see docs/NOTIFY.md", "tests/…/test_x.py's helper").
# NLP_ROUNDS.md is included here: its links and section names are navigation, not a record of what was tried.

_ALL_DOCS = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_SECTION_REF = re.compile(r"\b([A-Z][A-Z_]+\.md)[`,)]*[ \t]*,?\s+(?:\*([^*\n]+)\*|\"([^\"\n]+)\")")
_BOLD_LEAD = re.compile(r"^\s*(?:[-*]|\d+\.)?\s*\*\*([^*\n]+?)\*\*", re.M)
_BARE_FILE = re.compile(r"(?<![\w/.`-])((?:%s)/[\w./-]*\.(?:py|md|toml|sql|sh|csv|json|jsonl|txt|png|gz|tsv))(?![\w/])"
                        % "|".join(map(re.escape, _PKGS)))


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation other than '-' and '_' dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _sections(text: str) -> list[str]:
    """Headings and run-in bold labels ("**Explain.** Every alert…", "- **Display title** (…"), backticks and a
    closing full stop dropped: the docs name both as sections."""
    names = _headings(text) + _BOLD_LEAD.findall(text)
    return [n.replace("`", "").strip().rstrip(".:") for n in names]


def _section_is_there(name: str, sections: list[str]) -> bool:
    return _is_heading(name.replace("`", "").strip().rstrip(".:"), sections)


def _dead_links(doc: Path, text: str) -> list[str]:
    bad = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z][a-z+]*:", target):
            continue  # http(s), mailto: not followed here
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists():
            bad.append(target)
        elif anchor and file.suffix == ".md":
            if anchor not in {_slug(h) for h in _headings(file.read_text(encoding="utf-8"))}:
                bad.append(target)
    return bad


def _dead_sections(text: str) -> list[tuple[str, str]]:
    bad = []
    for m in _SECTION_REF.finditer(text):
        name, section = m.group(1), m.group(2) or m.group(3)
        target = DOCS / name
        if not target.is_file():
            continue  # README.md of a data folder, or a doc named without its section: the file checks above
        if not _section_is_there(section, _sections(target.read_text(encoding="utf-8"))):
            bad.append((name, section))
    return bad


def test_relative_links_lead_to_a_file_and_heading() -> None:
    bad = [(doc.name, t) for doc in _ALL_DOCS for t in _dead_links(doc, doc.read_text(encoding="utf-8"))]
    assert not bad, bad


def test_sections_named_in_another_doc_exist() -> None:
    bad = [(doc.name, *ref) for doc in _ALL_DOCS for ref in _dead_sections(doc.read_text(encoding="utf-8"))]
    assert not bad, bad


_PLACEHOLDERS = {"NNN", "FILE", "PKG", "NAME"}  # `store/migrations/NNN_*.sql`, `tests/FILE.py`: a shape, not a file


def _placeholder(ref: str) -> bool:
    return any(part.split(".")[0].split("_")[0] in _PLACEHOLDERS for part in ref.split("/"))


def test_files_named_without_backticks_exist() -> None:
    bad = []
    for doc in _maintained_docs():
        for ref in _BARE_FILE.findall(doc.read_text(encoding="utf-8")):
            if _placeholder(ref) or (doc.name, ref) in NOT_HERE or ref.startswith(("test-artifacts/", "var/")):
                continue
            if not (ROOT / ref).exists():
                bad.append((doc.name, ref))
    assert not bad, bad


def test_the_link_and_section_checks_can_fail() -> None:
    here = DOCS / "NLP.md"
    assert _dead_links(here, "[a](NLP_ROUNDS.md) [b](img/none.png) [c](NLP_ROUNDS.md#no-such-round)") == [
        "img/none.png", "NLP_ROUNDS.md#no-such-round"]
    assert _dead_links(here, "[d](NLP_ROUNDS.md#earlier-models-figures) [e](https://example.org/x)") == []
    assert _dead_sections("see docs/ALERTS.md *Watchlists* and docs/ALERTS.md, \"Explain\"") == []
    assert _dead_sections("docs/NLP.md *How to retrain*; docs/ALERTS.md \"Old name\"") == [("ALERTS.md", "Old name")]
    assert _dead_sections("docs/NLP.md, \"Places and in_area\"") == []  # the heading's backticks
    assert _BARE_FILE.findall("see docs/NOTIFY.md, tests/x/test_gone.py's helper") == [
        "docs/NOTIFY.md", "tests/x/test_gone.py"]
    assert _placeholder("tests/FILE.py") and _placeholder("store/migrations/NNN_x.sql")
    assert not _placeholder("docs/NLP.md") and not _placeholder("tests/x/test_gone.py")


def test_the_data_flow_lists_the_scheduler_jobs_in_their_order() -> None:
    """ARCHITECTURE.md's data flow names JOBS as orchestration/jobs.py runs them; the Zalo token renewal was
    missing from it for rounds (round 22)."""
    from orchestration.jobs import JOBS

    text = (DOCS / "ARCHITECTURE.md").read_text(encoding="utf-8")
    said = re.search(r"JOBS in order: ([\w →]+)\n", text)
    assert said, "ARCHITECTURE.md's data flow no longer says «JOBS in order: a → b …»"
    assert said.group(1).split(" → ") == [j.name for j in JOBS]


def _unknown_options(span: str, top: "argparse.ArgumentParser") -> list[str]:
    """The `--options` of a `langnghe COMMAND [ACTION] …` span its parser does not have (top-level ones count)."""
    words = span.split()[1:]
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] == "--config" else words[1:]
    commands = _sub_parsers(top)
    if not words or words[0] not in commands:
        return [] if not words or not words[0].islower() else [words[0]]  # `langnghe -v COMMAND`: a placeholder
    parser = commands[words[0]]
    action = words[1].split("|")[0] if len(words) > 1 else ""
    parser = _sub_parsers(parser).get(action, parser)
    known = {o for p in (parser, top) for a in p._actions for o in a.option_strings}
    return [o for o in re.findall(r"(?<![\w-])--[a-z][\w-]*", span) if o not in known]


def test_commands_the_docs_show_exist_with_their_options() -> None:
    """Every `langnghe …` the README and docs show names a command (and action) that exists, with options it takes
    (round 22: none was off, and nothing checked it)."""
    from langnghe.cli import build_parser

    top = build_parser()
    bad = [(doc.name, span, unknown) for doc in _ALL_DOCS
           for span in re.findall(r"`(langnghe [^`]+)`", doc.read_text(encoding="utf-8"))
           if (unknown := _unknown_options(span, top))]
    assert not bad, bad
    assert _unknown_options("langnghe collect --once --twice", top) == ["--twice"]
    assert _unknown_options("langnghe survey delete --yes", top) == ["--yes"]
    assert _unknown_options("langnghe --config F search-feeds --engine bing_news", top) == []
    assert _unknown_options("langnghe gone", top) == ["gone"]


def test_every_doc_is_listed_in_the_readme() -> None:
    """A newcomer finds the docs from the README's *Documentation* list; NOTIFY.md, CASES.md and SURVEYS.md were
    missing from it (round 22)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = text[text.index("## Documentation"):]
    missing = [d.name for d in sorted(DOCS.glob("*.md")) if f"docs/{d.name}" not in listed]
    assert not missing, f"docs the README's Documentation list does not name: {missing}"


def test_notify_md_lists_every_notification_setting() -> None:
    """NOTIFY.md's *Settings* names every key of `[notify]` and of each `[notify.<channel>]` (the add-a-notifier
    recipe asks for the new channel's line there; round 22)."""
    import tomllib

    table = tomllib.loads((ROOT / "vocab" / "langnghe.toml").read_text(encoding="utf-8"))["notify"]
    text = (DOCS / "NOTIFY.md").read_text(encoding="utf-8")
    said = text[text.index("## Settings"):text.index("\n## ", text.index("## Settings") + 1)]
    want = [("notify", k) for k, v in table.items() if not isinstance(v, dict)]
    want += [(f"notify.{ch}", k) for ch, keys in table.items() if isinstance(keys, dict) for k in keys]
    missing = [f"[{t}] {k}" for t, k in want if not re.search(rf"`\[{re.escape(t)}\][^`]*\b{k}\b", said)]
    assert not missing, f"settings NOTIFY.md's Settings does not name: {missing}"
