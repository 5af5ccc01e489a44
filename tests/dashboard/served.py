"""A `langnghe serve` process on a seeded temporary database, for the browser test and screenshots.

    prepare(tmp) → (config path, {username: password})   synthetic demo data, a malicious item, 3 users
    with serving(cfg, tmp) as (srv, port): …               `langnghe serve` up and healthy, stopped after

The server starts with nothing to do in the background, as an office's server between two collections: the
synthetic tags carry the current model's stamp (`nlp.version.current_stamp`), and the weekly report is not
scheduled, and full text is not fetched. Before round 23 its first tick re-tagged every item with the real model
(loading it, then 300–800 items: 98 s of a walk's 2 minutes at load 13, the walk's page runs waiting on the same two
cores), caught up the week's scheduled report (~8 s of CPU; a stop waited for it), and asked the synthetic items'
outlets (baoquangninh.vn …) for their robots.txt: a test sends nothing past 127.0.0.1. Re-tagging after a new model is
tests/nlp/test_store_tags.py's and tests/langnghe/test_service.py's; the schedule, tests/reports'.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from vocab import config as config_mod
from store.db import Database, utcnow
from devtools import DEMO_CONFIG_PATH

PASSWORDS = {"chuyenvien": "chuyen-vien-12345", "quantri": "quan-tri-12345", "xem": "chi-xem-12345"}

MALICIOUS = {
    "title": 'Tin độc <script>window.__xss=1;alert("xss")</script> [bấm vào](javascript:alert(1)) **đậm** '
             '<img src=x onerror="window.__xss=2">',
    "summary": "Nội dung <iframe src=\"javascript:alert(3)\"></iframe> ![ảnh](javascript:alert(4)) "
               "<a href=\"javascript:alert(5)\">liên kết</a> # Tiêu đề giả\n\n| bảng | giả |\n$x^2$ :red[đỏ]",
    "url": "javascript:alert(document.cookie)//https://baoquangninh.vn/",
}


def write_config(tmp: Path, db_path: Path) -> Path:
    demo = config_mod.read_toml(DEMO_CONFIG_PATH)
    lines = [
        "[storage]", f'db_path = "{db_path}"', f'snapshot_path = "{tmp / "snap.duckdb"}"',
        "snapshot_every_minutes = 0",
        "[schedule]", "tick_seconds = 3600",
        "[dashboard]", "refresh_seconds = 30",
        "[reports]", "schedule_weekday = 0",
        "[fulltext]", "enabled = false",  # the synthetic items' addresses are real outlets': nothing leaves 127.0.0.1
        "[auth]", "bcrypt_rounds = 4",
    ]
    for s in demo["sources"]:
        lines += ["[[sources]]"] + [f"{k} = {_toml(v)}" for k, v in s.items()]
    p = tmp / "serve.toml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _toml(v: object) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def prepare(tmp: Path, n_items: int = 800) -> tuple[Path, dict[str, str]]:
    from orchestration.accounts import AuthService, AuthSettings
    from devtools import synth
    from nlp.version import current_stamp
    db_path = tmp / "served.duckdb"
    cfg_path = write_config(tmp, db_path)
    cfg = config_mod.load(cfg_path)
    stamp = current_stamp(cfg)  # tagged already: serve does not re-tag them (the module's docstring)
    with Database(db_path) as db:
        synth.seed(db, n_items=n_items, n_stories=40, n_alerts=12, model_version=stamp)
        synth.add_item(db, title=MALICIOUS["title"], summary=MALICIOUS["summary"], url=MALICIOUS["url"],
                       published_at=utcnow() - timedelta(minutes=5), model_version=stamp)
        auth = AuthService(db, AuthSettings.from_config(cfg))
        for name, role in (("chuyenvien", "analyst"), ("quantri", "admin"), ("xem", "viewer")):
            auth.create_user(name, PASSWORDS[name], role, display_name={"chuyenvien": "Nguyễn Thị Lan",
                                                                        "quantri": "Trần Văn Hùng",
                                                                        "xem": "Lê Minh"}[name])
    return cfg_path, PASSWORDS


def archive_report(cfg_path: Path) -> Path:
    """A weekly report (DOCX only, no charts: quick) in the archive of the database `prepare` made."""
    from reports.generate import weekly_report
    from reports.settings import ReportSettings, to_local, week_of
    from store import reports as store_reports

    cfg = config_mod.load(cfg_path)
    out_root = Path(cfg.storage.db_path).parent / "archive"
    with Database(cfg.storage.db_path) as db:
        s = ReportSettings.from_config(cfg, charts=False, archive_dir=str(out_root))
        week = week_of(to_local(utcnow()))
        out = out_root / "weekly" / week
        res = weekly_report(db, s, week, out, formats=("docx",))
        with db.write() as cur:
            store_reports.add_archive(cur, kind="weekly", period=week, area="", generated_at=utcnow(),
                                      generated_by="chuyenvien", dir=str(out),
                                      files=[p.name for p in res.files.values()], n_items=res.n_items, seconds=1.0)
    return res.files["docx"]


@contextmanager
def serving(cfg_path: Path, tmp: Path) -> Iterator[tuple[object, int]]:
    """`langnghe serve` on `cfg_path` at a free port, up (its banner printed) and healthy; stopped on exit,
    whatever the test did. Yields the ServerProcess (its `.output` for asserts) and the port."""
    from tests.browser.helpers import server_up
    from tests.conftest import free_port

    port = free_port()
    with server_up(["--config", str(cfg_path), "serve", "--port", str(port)], tmp, port, banner_timeout=60) as srv:
        yield srv, port
