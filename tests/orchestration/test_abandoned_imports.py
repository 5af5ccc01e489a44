"""A `langnghe import` killed mid-file (SIGKILL, a power cut) left its import_log row «running» for ever: Nhập dữ liệu
showed «đang nhập (hoặc bị ngắt)» (hostile34). Only the process holding the database can write an import into it, so
the next import, or the next start of serve, marks a «running» row it is not writing itself as interrupted (fix34)."""

from __future__ import annotations

import io
from datetime import datetime

from collectors import imports as imp
from orchestration import imports as importer
from orchestration import ingest
from store import imports as store_imports
from tests.conftest import database, make_config

NOW = datetime(2026, 12, 6, 8, 0)
CSV = ("Tiêu đề,Nội dung,Ngày\n"
       '"Bụi than Vàng Danh","Người dân phản ánh xe chở than gây bụi","01/12/2026 08:00"\n'
       '"Ngập Uông Bí","Đường ngập sau mưa lớn","01/12/2026 09:00"\n').encode()
MAPPING = {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày"}


def _killed_run(db) -> int:
    """The row a killed import leaves: started, never finished."""
    with db.write() as cur:
        return store_imports.start_import(cur, now=NOW, file_name="bi-ngat.csv", file_sha1="0" * 40,
                                          source="import-bi-ngat", mapping=MAPPING)


def test_the_next_import_marks_a_killed_imports_row_interrupted_and_not_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "processor", lambda cfg, db: None)  # the log rows, not the tagging
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    try:
        killed = _killed_run(db)
        seen: list[str] = []

        def meanwhile(*_a) -> None:  # another session's import starting while this one writes (inside serve)
            assert importer.end_abandoned(db) == 0
            with db.read() as cur:
                seen.append(store_imports.import_run(cur, res_id[0])["status"])

        res_id: list[int] = []
        real_start = store_imports.start_import
        monkeypatch.setattr(store_imports, "start_import",
                            lambda cur, **kw: res_id.append(real_start(cur, **kw)) or res_id[-1])
        res = importer.import_file(db, cfg, "phan-anh.csv", io.BytesIO(CSV), MAPPING,
                                   imp.settings_for(cfg, "phan-anh.csv"), NOW, on_progress=meanwhile)
        assert seen == ["running"]  # its own row, in flight, is left alone
        with db.read() as cur:
            old = store_imports.import_run(cur, killed)
            new = store_imports.import_run(cur, res.log_id)
        assert old["status"] == "interrupted" and old["error"].startswith("bị ngắt") and old["finished_at"] is None
        assert new["status"] == "done"
    finally:
        db.close()


def test_serve_marks_a_killed_imports_row_interrupted_at_start(tmp_path, monkeypatch):
    from langnghe import service, state

    cfg = make_config(tmp_path, storage={"snapshot_every_minutes": 0}, fulltext={"enabled": False})
    db = database(cfg.storage.db_path)
    killed = _killed_run(db)
    db.close()
    seen: list[str] = []

    def before_start(db):  # type: ignore[no-untyped-def]
        with db.read() as cur:
            seen.append(store_imports.import_run(cur, killed)["status"])

    monkeypatch.setattr(service, "route_logs", lambda cfg: tmp_path / "serve.log")
    monkeypatch.setattr(service, "_stop_on_sigterm", lambda: None)
    monkeypatch.setattr(service, "_warn_mail_servers", lambda cfg, db: None)
    monkeypatch.setattr(service, "install_jobs", lambda *a: None)
    monkeypatch.setattr(state, "record", lambda cfg, path: tmp_path / "state.json")
    monkeypatch.setattr(state, "clear", lambda: None)
    monkeypatch.setattr(service, "run_dashboard", lambda cfg: None)
    monkeypatch.setattr(service, "listen_refusal", lambda *_a: None)
    assert service.serve(cfg, before_start=before_start) == 0
    assert seen == ["interrupted"]
