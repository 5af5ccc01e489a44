"""An import's SHA-1 (the import log's `file_sha1`: which file was imported) is computed once per file: the Nhập dữ
liệu page hashes the upload to key it (dashboard.data.import_opened) and hands that digest down with the opened file;
until round 25 orchestration.imports.import_file read the whole stream again to hash it. The CLI path, which has no
opened file, computes its own, as before."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

import pytest

from collectors import imports as imp
from orchestration import imports as importer
from orchestration import ingest
from tests.conftest import database, make_config
from tests.dashboard.conftest import Env, no_exception

NOW = datetime(2026, 12, 6, 8, 0)
CSV = ("Tiêu đề,Nội dung,Ngày\n"
       '"Bụi than Vàng Danh","Người dân phản ánh xe chở than gây bụi","01/12/2026 08:00"\n'
       '"Ngập Uông Bí","Đường ngập sau mưa lớn","01/12/2026 09:00"\n').encode()
MAPPING = {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày"}


@pytest.fixture
def sha1_reads(monkeypatch) -> list[int]:
    """One entry per SHA-1 computed over a file (hashlib.file_digest), wherever it is called from."""
    calls: list[int] = []
    real = hashlib.file_digest

    def counted(f, digest, *a, **k):
        if digest == "sha1":
            calls.append(1)
        return real(f, digest, *a, **k)

    monkeypatch.setattr(hashlib, "file_digest", counted)
    monkeypatch.setattr(ingest, "processor", lambda cfg, db: None)  # the log row, not the tagging
    return calls


def _logged(db) -> list[str]:
    with db.read() as cur:
        return [r[0] for r in cur.execute("SELECT file_sha1 FROM import_log ORDER BY id").fetchall()]


def test_the_cli_path_computes_the_digest_and_an_opened_file_brings_its_own(tmp_path, sha1_reads):
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    settings = imp.settings_for(cfg, "phan-anh.csv")
    want = hashlib.sha1(CSV).hexdigest()
    try:
        importer.import_file(db, cfg, "phan-anh.csv", io.BytesIO(CSV), MAPPING, settings, NOW)
        assert len(sha1_reads) == 1
        stream = io.BytesIO(CSV)
        opened = imp.OpenedFile("phan-anh.csv", stream, cfg.imports, sha1=want)
        importer.import_file(db, cfg, "phan-anh.csv", stream, MAPPING, settings, NOW, opened=opened)
        assert len(sha1_reads) == 1, "the opened file's digest was computed again"
        assert _logged(db) == [want, want]
    finally:
        db.close()


def test_the_page_hashes_an_upload_once_for_its_key_and_its_import_log(tmp_path, sha1_reads):
    e = Env(tmp_path)
    try:
        at = e.page("imports", "analyst").run()
        at.file_uploader(key="imp_file").set_value(("phan-anh.csv", CSV, "text/csv")).run()
        no_exception(at)
        at.button(key="imp_go").click().run()
        no_exception(at)
        assert any("Đã nhập 2 mục mới" in s.value for s in at.success), [s.value for s in at.success]
        assert len(sha1_reads) == 1
        assert _logged(e.db) == [hashlib.sha1(CSV).hexdigest()]
    finally:
        e.close()
