"""An uploaded file's name is outside input (round 22, docs/SECURITY.md "Files"): a crafted upload may send
folders, terminal escapes, a bidi override or 10,000 characters; the import log and the survey list (printed by
`langnghe survey list` and `langnghe import`'s history, shown on pages) kept it as sent."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from collectors import imports as imp
from orchestration import imports as importer
from orchestration import surveys as survey_importer
from store import imports as store_imports
from tests.surveys.conftest import csv_file

HOSTILE = "../../etc/\x1b]0;bị chiếm\x07\u202egpj.\x1b[2J" + "x" * 10_000 + ".csv"
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)


def _clean(name: str) -> None:
    assert len(name) <= imp.items.MAX_FILE_NAME_CHARS and name.endswith(".csv"), name[-20:]
    assert not any(ord(c) < 32 or c in "\u202e\x7f/" for c in name), repr(name[:40])


@pytest.mark.parametrize("name, kept", [("bao-cao.csv", "bao-cao.csv"), ("C:\\Users\\x\\Ý kiến.csv", "Ý kiến.csv"),
                                        ("\x1b[2J\u202e.csv", "[2J.csv"), ("", "tệp"),
                                        ("..", "tệp"), ("../..", "tệp"), ("a/..", "tệp"), (". .", "tệp")])
def test_a_stored_name_is_its_visible_base_name(name, kept):
    assert imp.stored_name(name) == kept


def test_an_import_keeps_the_uploaded_name_visible_and_bounded(db, cfg):
    f = csv_file([{"Tiêu đề": "Bụi than", "Nội dung": "Người dân Vàng Danh phản ánh bụi", "Ngày": "01/12/2026 08:00"}])
    settings = imp.settings_for(cfg, HOSTILE)
    _clean(settings.source.url.removeprefix("file:"))
    assert len(settings.source.name) == len("import-") + imp.items.SOURCE_STEM_CHARS
    assert not any(ord(c) < 32 or c == "\u202e" for c in settings.source.name)
    importer.import_file(db, cfg, HOSTILE, f, {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày"},
                         settings, NOW)
    with db.read() as cur:
        _clean(store_imports.recent_imports(cur)[0]["file_name"])


def test_a_survey_keeps_the_uploaded_name_and_a_title_from_it_visible(db, cfg):
    f = csv_file([{"Giới tính": ["Nam", "Nữ"][i % 2], "Hài lòng": ["Có", "Không"][i % 2]} for i in range(6)])
    q = survey_importer.preview(HOSTILE, f, cfg.imports).questionnaire
    res = survey_importer.import_survey(db, cfg, HOSTILE, f, q, title="Khảo sát \x1b]0;x\x07\u202eabc", username="u",
                                        now=NOW, tag=False)
    with db.read() as cur:
        file_name, title, series = cur.execute("SELECT file_name, title, series FROM surveys WHERE id = ?",
                                               [res.survey_id]).fetchone()
    _clean(file_name)
    assert title == series == "Khảo sát ]0;xabc"


def test_the_cli_says_the_title_it_stored_not_the_one_typed(tmp_path, cfg, capsys):
    """Round 22 review: `langnghe survey import` printed the raw --title (or the file's stem), terminal escapes and
    all, while the store kept a cleaned copy: it prints what is stored now, the fallback for an invisible title too."""
    from langnghe import cli
    from store import surveys as store_surveys
    from tests.conftest import database

    conf = tmp_path / "c.toml"
    conf.write_text(f'[storage]\ndb_path = "{cfg.storage.db_path}"\nsnapshot_path = "{tmp_path}/s.duckdb"\n',
                    encoding="utf-8")
    for i, (title, shown) in enumerate([("\x1b]0;x\x07Ý  kiến\u202e", "]0;xÝ kiến"), ("\u200b", "Y kien 2")], 1):
        path = tmp_path / f"y-kien-{i}.csv"
        path.write_text(f"Số con\n{i}\n{i + 1}\n", encoding="utf-8")
        assert cli.main(["--config", str(conf), "survey", "import", str(path), "--title", title]) == 0
        out = capsys.readouterr().out
        assert f"Đã nhập khảo sát số {i} «{shown}», đợt 1" in out, out
        assert "\x1b" not in out and "\u202e" not in out
    db = database(cfg.storage.db_path)
    with db.read() as cur:
        assert sorted(s.title for s in store_surveys.list_surveys(cur)) == ["Y kien 2", "]0;xÝ kiến"]
    db.close()


def test_the_title_proposed_from_a_file_name_reads_as_words():
    """«day-them-hoc-them-dot-1.csv» was proposed, and kept, as the title «day-them-hoc-them-dot-1», which then named
    the survey in every list and report unless staff retyped it (round 25's walk)."""
    from orchestration.surveys import title_from_file

    assert title_from_file("tmp/day-them-hoc-them-dot-1.csv") == "Day them hoc them dot 1"
    assert title_from_file("Khảo_sát  học phí.xlsx") == "Khảo sát học phí"
    assert title_from_file(".csv") == "Khảo sát"
