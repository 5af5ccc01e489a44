"""Every setting is documented in vocab/langnghe.toml, and the config loader is strict."""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path
from typing import Iterator

import pytest

from vocab import config as C
from devtools import DEMO_CONFIG_PATH
KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=")
ROOT = Path(__file__).resolve().parents[2]
TABLE = re.compile(r"^\[\[?([A-Za-z0-9_.]+)\]\]?\s*$")


def toml_keys(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(line index, table, key) of each `key =` line of a TOML file's lines, under the [table] or [[table]] above it:
    the one walk the checks below share."""
    table = ""
    for i, line in enumerate(lines):
        if (m := TABLE.match(line.strip())):
            table = m.group(1)
        elif (m := KEY.match(line.strip())):
            yield i, table, m.group(1)


def documented_keys(path):
    """{(table, key): documented?}; a key is documented by a comment line directly above it
    (for repeated [[tables]], at the first place it appears)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[tuple[str, str], bool] = {}
    for i, table, name in toml_keys(lines):
        doc = (lines[i - 1].strip() if i else "").startswith("#")
        key = (table, name)
        out[key] = out.get(key, False) or doc if key in out else doc
    return out


def test_every_key_in_defaults_has_a_comment():
    keys = documented_keys(C.DEFAULTS_PATH)
    assert keys, "no keys parsed"
    undocumented = sorted(f"[{t}] {k}" for (t, k), ok in keys.items() if not ok)
    assert not undocumented, f"undocumented settings in langnghe.toml: {undocumented}"


def test_every_code_setting_appears_in_defaults():
    keys = {(t, k) for (t, k) in documented_keys(C.DEFAULTS_PATH)}
    missing = []
    for section, cls in C.SECTIONS.items():
        for f in fields(cls):
            if (section, f.name) not in keys:
                missing.append(f"[{section}] {f.name}")
    for f in fields(C.SourceConfig):
        if ("sources", f.name) not in keys:
            missing.append(f"[[sources]] {f.name}")
    assert not missing, f"settings read by code but absent from langnghe.toml: {missing}"


# A key named for its unit says the unit in words above it: an operator reads the comment, not the key, and
# [cases] reply_timeout_seconds was documented for six rounds as "Address of the Graph API…" (round 22).
UNIT_WORDS = {"seconds": r"second|\d\s?s\b", "minutes": r"minute", "hours": r"hour", "days": r"\bday", "mb": r"\bMB\b|megabyte",
              "chars": r"character", "words": r"\bword", "bytes": r"\bbyte", "rows": r"\brow|posting",
              "items": r"\bitem"}


def unit_comments_missing(path) -> list[str]:
    """`[table] key` of each number named `…_<unit>` whose comment lines above it never say the unit."""
    import tomllib

    lines = path.read_text(encoding="utf-8").splitlines()
    data = tomllib.loads("\n".join(lines))
    seen, bad = set(), []
    for i, table, key in toml_keys(lines):
        if (table, key) in seen:
            continue
        seen.add((table, key))
        unit = next((u for u in UNIT_WORDS if key.endswith("_" + u)), None)
        section = data.get(table, {}) if table else data
        value = (section[0] if isinstance(section, list) else section).get(key) if section else None
        if unit is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        j, said = i - 1, []
        while j >= 0 and lines[j].lstrip().startswith("#"):
            said.append(lines[j])
            j -= 1
        if not re.search(UNIT_WORDS[unit], " ".join(said), re.I):
            bad.append(f"[{table}] {key}")
    return bad


def test_every_setting_named_for_a_unit_says_it_in_words():
    bad = unit_comments_missing(C.DEFAULTS_PATH)
    assert not bad, f"settings whose comment never names their unit: {bad}"


def test_the_unit_check_can_fail(tmp_path):
    toml = tmp_path / "x.toml"
    toml.write_text("[cases]\n# Address of the Graph API used to send replies.\nreply_timeout_seconds = 20\n"
                    "# Seconds a reply may take.\nother_seconds = 20\n# On or off.\npreload_rows = true\n"
                    "# The source's own pace.\npace_seconds = 5\n# Wait 5 s between tries.\nwait_seconds = 5\n",
                    encoding="utf-8")
    # «source's» is no unit (a lone «s» counted as «seconds» until the round 22 review; «5 s» still does)
    assert unit_comments_missing(toml) == ["[cases] reply_timeout_seconds", "[cases] pace_seconds"]


def test_detector_notices_an_undocumented_key(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text("[a]\n# documented\nx = 1\ny = 2\n", encoding="utf-8")
    assert documented_keys(p) == {("a", "x"): True, ("a", "y"): False}


def test_defaults_load_with_real_sources():
    cfg = C.load()
    assert cfg.area.province == "Quảng Ninh"
    kinds = {s.kind for s in cfg.sources}
    assert "rss" in kinds
    assert any("baoquangninh.vn" in s.url for s in cfg.sources)
    assert any("news.google.com/rss/search" in s.url for s in cfg.sources)


def test_an_override_can_say_no_sources(tmp_path):
    """An office that wants none of the default internet sources writes `sources = []` (README): an override
    without the key keeps the defaults, and a new install started on them looks those hosts up at once."""
    p = tmp_path / "o.toml"
    p.write_text("sources = []\n", encoding="utf-8")
    assert C.load(p).sources == ()
    p.write_text('[area]\nprovince = "Quảng Ninh"\n', encoding="utf-8")
    assert C.load(p).sources == C.load().sources


def test_demo_config_points_only_at_loopback():
    cfg = C.load(DEMO_CONFIG_PATH)
    assert cfg.sources and all(s.url.startswith("http://127.0.0.1:") for s in cfg.sources)
    assert {s.source_type for s in cfg.sources} == {"press", "social"}


def test_unknown_key_is_an_error(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text("[http]\nmax_body_mbb = 3\n", encoding="utf-8")
    with pytest.raises(C.ConfigError, match="max_body_mbb"):
        C.load(p)


def test_wrong_type_is_an_error(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text('[http]\nmax_concurrency = "lots"\n', encoding="utf-8")
    with pytest.raises(C.ConfigError, match="max_concurrency"):
        C.load(p)


def test_duplicate_source_names_refused(tmp_path):
    p = tmp_path / "o.toml"
    src = '[[sources]]\nname = "a"\nkind = "rss"\nurl = "http://x/"\noutlet = "X"\n'
    p.write_text(src + src, encoding="utf-8")
    with pytest.raises(C.ConfigError, match="bị trùng"):
        C.load(p)


def test_env_overrides_db_path(monkeypatch, tmp_path):
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "z.duckdb"))
    assert C.load().storage.db_path == str(tmp_path / "z.duckdb")


def test_the_snapshot_follows_the_database_unless_a_config_names_it(monkeypatch, tmp_path):
    """$LANGNGHE_DB or a config's db_path left the snapshot at the default's var/langnghe.snapshot.duckdb: a one-off
    serve wrote over the office's snapshot, and `status` on a damaged database read another's (cli33's walk)."""
    monkeypatch.delenv("LANGNGHE_CONFIG", raising=False)
    monkeypatch.delenv("LANGNGHE_DB", raising=False)
    assert C.load().storage.snapshot_path == "var/langnghe.snapshot.duckdb"  # the default, unchanged
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "z.duckdb"))
    assert C.load().storage.snapshot_path == str(tmp_path / "z.snapshot.duckdb")
    monkeypatch.delenv("LANGNGHE_DB")
    p = tmp_path / "o.toml"
    p.write_text(f'[storage]\ndb_path = "{tmp_path / "office.duckdb"}"\n', encoding="utf-8")
    assert C.load(p).storage.snapshot_path == str(tmp_path / "office.snapshot.duckdb")
    p.write_text(f'[storage]\ndb_path = "{tmp_path / "a.duckdb"}"\nsnapshot_path = "/backup/b.duckdb"\n',
                 encoding="utf-8")
    assert C.load(p).storage.snapshot_path == "/backup/b.duckdb"


@pytest.mark.parametrize("db", ["var/langnghe", "var/langnghe.db", "var/langnghe.DUCKDB", "var/langnghe.snapshot",
                                "var/langnghe.snapshot.duckdb", "var/a.b", "var/a.b.duckdb", "var/a-snapshot.duckdb",
                                "langnghe", "var/langnghe.duckdb.duckdb"])
def test_a_snapshot_beside_a_database_is_its_own(db):
    """«var/langnghe» (no suffix) and «var/langnghe.db» put their snapshot at var/langnghe.snapshot.duckdb, the office
    database's (round 29's sweep, fix29): a derived snapshot is never the default one, never a database of the list,
    and two databases never share one."""
    names = [db, "var/langnghe.duckdb", "var/langnghe", "var/langnghe.db", "var/langnghe.DUCKDB", "var/a.b",
             "var/a.b.duckdb", "var/a-snapshot.duckdb", "var/langnghe.snapshot", "var/langnghe.snapshot.duckdb"]
    snap = C.snapshot_beside(db)
    assert snap not in names and snap != "var/langnghe.snapshot.duckdb", snap
    assert Path(snap).parent == Path(db).parent
    others = {C.snapshot_beside(n) for n in names if n != db}
    assert snap not in others, snap


@pytest.mark.parametrize("toml,said", [
    ("[http]\nmax_body_mbb = 3\n", "[http] không có thiết lập: max_body_mbb"),
    ('[http]\nmax_concurrency = "lots"\n', "[http] max_concurrency phải là một số nguyên, không phải 'lots'"),
    ('[http]\nallow_private_hosts = "x"\n', "phải là danh sách chuỗi"),
    ('[[sources]]\nname = "a"\n', "[sources[0]] thiếu thiết lập bắt buộc: kind, url, outlet"),
    ("[http\n", "không đọc được TOML"),
])
def test_config_mistakes_are_said_in_vietnamese(tmp_path, toml, said):
    """An admin's mistake in the override file was answered in English ('unknown setting(s)', 'must be
    int, got …', 'missing 3 required positional arguments', 'config file not found')."""
    p = tmp_path / "o.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(C.ConfigError) as err:
        C.load(p)
    assert said in str(err.value)
    with pytest.raises(C.ConfigError, match="không có tệp cấu hình"):
        C.load(tmp_path / "khong-co.toml")


@pytest.mark.parametrize("data", ["[storage]\ndb_path = \"var/đ.duckdb\"\n".encode("utf-16"),
                                  "[storage]\ndb_path = \"var/à.duckdb\"\n".encode("cp1258")])
def test_a_config_file_not_in_utf8_is_said(tmp_path, data):
    """Saved by a Windows editor as «Unicode» (UTF-16) or ANSI: a UnicodeDecodeError traceback (round 28)."""
    p = tmp_path / "o.toml"
    p.write_bytes(data)
    with pytest.raises(C.ConfigError, match="không phải văn bản UTF-8 .*Lưu thành… với bảng mã UTF-8"):
        C.load(p)


def test_a_typo_in_a_parts_section_is_an_error(tmp_path):
    """[nlp], [alerts], [notify.email]… are read as dicts: an override's misspelt key was silently ignored, the
    default used instead, though this module promised that typos never pass."""
    p = tmp_path / "o.toml"
    p.write_text('[alerts]\nmin_outlet = 5\n\n[notify.email]\nhots = "smtp.example.vn"\n\n[nlpp]\nsteps = []\n',
                 encoding="utf-8")
    with pytest.raises(C.ConfigError) as ei:
        C.load(p)
    msg = str(ei.value)
    assert "[alerts] min_outlet" in msg and "[notify.email] hots" in msg and "[nlpp]" in msg
    p.write_text('[alerts]\nmin_outlets = 5\n\n[notify.email]\nhost = "smtp.example.vn"\n', encoding="utf-8")
    cfg = C.load(p)
    assert C.section(cfg, "alerts")["min_outlets"] == 5


def test_the_demo_config_loads():
    assert C.load(DEMO_CONFIG_PATH).sources


# how code reads a section that is a plain dict: `section(cfg, "nlp")` and the helpers that wrap it
_SECTION_HELPERS = {"nlp_settings": "nlp"}


def _section_of(node) -> str | None:
    """The table a call reads whole (`section(cfg, "x")`, `nlp_settings(cfg)`), else None."""
    if not isinstance(node, ast.Call):
        return None
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
    if name == "section" and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
        return str(node.args[1].value)
    return _SECTION_HELPERS.get(name or "")


def _key_read(node) -> tuple[ast.expr, str] | None:
    """(the object, the key) of `obj.get("key", …)` or `obj["key"]`."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.func.value, node.args[0].value
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.value, node.slice.value
    return None


def _may_read_a_section(text: str) -> bool:
    """False when the source calls none of the functions `_section_of` knows: then `section_reads` finds nothing."""
    return any(f"{name}(" in text for name in ("section", *_SECTION_HELPERS))


def section_reads(tree: ast.AST) -> set[tuple[str, str]]:
    """{(table, key)} the code reads from a dict section: `section(cfg, "t").get("k")`, and `.get("k")` /
    `["k"]` on a name that a function assigned from an expression holding such a call."""
    out: set[tuple[str, str]] = set()
    for fn in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        names: dict[str, str] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                table = next((t for sub in ast.walk(node.value) if (t := _section_of(sub))), None)
                if table:
                    names[node.targets[0].id] = table
        for node in ast.walk(fn):
            read = _key_read(node)
            if read is None:
                continue
            obj, key = read
            table = _section_of(obj) or (names.get(obj.id) if isinstance(obj, ast.Name) else None)
            if table:
                out.add((table, key))
    return out


def test_every_key_code_reads_from_a_dict_section_is_in_defaults():
    """The dataclass sections are checked above; [nlp], [notify], [cases]… are dicts read with `.get(key,
    fallback)`, so a key the code reads but the defaults lack (an [nlp] province) had a silent fallback and
    no documentation, and an override could not even set it (the loader refuses keys the defaults lack)."""
    keys = set(documented_keys(C.DEFAULTS_PATH))
    reads: set[tuple[str, str]] = set()
    for package in ("vocab", "store", "collectors", "nlp", "detection", "reports", "notify", "surveys",
                    "orchestration", "langnghe", "dashboard"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if not _may_read_a_section(text):  # nine files in ten: parsing and walking them all was 2.5 s of CPU
                continue
            reads |= {(t, k) for t, k in section_reads(ast.parse(text)) if t not in C.SECTIONS}
    assert reads, "no section reads found: the scan is broken"
    missing = sorted(f"[{t}] {k}" for t, k in reads if (t, k) not in keys)
    assert not missing, f"settings read by code but absent from langnghe.toml: {missing}"


def test_section_scan_sees_a_read_through_a_variable():
    code = ("def f(cfg, settings=None):\n    s = dict(settings if settings is not None else nlp_settings(cfg))\n"
            "    return s.get('province'), section(cfg, 'cases')['due_days'], s['steps']\n")
    assert section_reads(ast.parse(code)) == {("nlp", "province"), ("nlp", "steps"), ("cases", "due_days")}


def test_a_setting_an_older_release_had_is_named_with_what_became_of_it(tmp_path):
    """An override file brought from an older release: the dropped key is named with what replaced it and
    what to do, not only refused as unknown."""
    p = tmp_path / "o.toml"
    p.write_text("[stories]\nward_conflict_threshold = 0.9\nconflict_threshold = 0.7\n", encoding="utf-8")
    with pytest.raises(C.ConfigError) as err:
        C.load(p)
    said = str(err.value)
    assert "[stories] ward_conflict_threshold (đã bỏ" in said and "topic_conflict_threshold" in said
    assert said.count("xóa dòng này") == 2
    defaults = C.read_toml(C.DEFAULTS_PATH)
    for key in C.RETIRED:  # a retired key is not a setting again
        section, name = key[1:].split("] ")
        assert name not in defaults.get(section, {})


def test_a_config_path_that_cannot_be_read_is_said_in_vietnamese(tmp_path):
    """A folder, or a name too long, given as --config was a Python traceback ending in the OS's English text
    ("IsADirectoryError: [Errno 21] Is a directory"); it is a ConfigError with vocab.oserrors' Vietnamese reason."""
    with pytest.raises(C.ConfigError) as err:
        C.load(tmp_path)
    assert "không đọc được tệp cấu hình" in str(err.value) and "là một thư mục" in str(err.value)
    with pytest.raises(C.ConfigError, match="quá dài") as err:
        C.load(tmp_path / ("a" * 300))
    assert "too long" not in str(err.value)


def test_a_config_file_without_the_right_to_read_it_is_said_as_a_read(tmp_path, monkeypatch):
    """A configuration file the service account may not read (EACCES) was said with vocab.oserrors' reason for
    writing files: «không có quyền ghi … kiểm tra quyền ghi», sending staff after the wrong permission."""
    path = tmp_path / "langnghe.toml"
    path.write_text("", encoding="utf-8")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(C, "open", denied, raising=False)
    with pytest.raises(C.ConfigError, match="quyền đọc") as err:
        C.read_toml(path)
    assert "quyền ghi" not in str(err.value)
