"""Dashboard test fixtures: a temp database installed as the process-wide handle, optional synthetic
demo data, signed-in users, and AppTest runners for single pages and for the routed app.

Each Env's database starts as a copy of the worker's migrated template, and `demo_env`'s as a copy of a
seeded one (synthetic data and the three users, rebuilt when 5 minutes old): tests/conftest.py
`template_copy`. A test still owns its file. `nlp_loaded` (and `tagging_env`, `demo_env` with it) loads the NLP
models before the page runs: a page that tags must not load them inside AppTest's timeout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from vocab import config as config_mod
from orchestration import runtime
from store.db import Database
from tests.conftest import make_config, migrated_copy, template_copy
from devtools import DEMO_CONFIG_PATH

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
PASSWORD = "mat-khau-thu-nghiem"
TIMEOUT = 30
DEMO_MAX_AGE = 300.0  # seconds: synth dates its items from the hour it ran; a copy this old is rebuilt


DEMO_SOURCES = config_mod.read_toml(DEMO_CONFIG_PATH)["sources"]


class Env:
    def __init__(self, tmp_path: Path, *, seeded: bool = False, **sections: dict[str, Any]):
        """`seeded`: the database starts as what `seed()` and `add_users()` write (a copy of the worker's)."""
        sections.setdefault("auth", {}).setdefault("bcrypt_rounds", 4)
        # the demo's sources and, as the demo's config, its console channel offered (Thông báo's tests save to it)
        sections.setdefault("notify", {}).setdefault("console", {"enabled": True})
        self.cfg = make_config(tmp_path, sources=DEMO_SOURCES, **sections)
        if seeded:
            template_copy("demo", self.cfg.storage.db_path, _build_demo, max_age=DEMO_MAX_AGE)
        self.db = Database(migrated_copy(self.cfg.storage.db_path))
        runtime.install(self.cfg, self.db)
        st.cache_data.clear()
        st.cache_resource.clear()
        from orchestration.accounts import service

        self.auth = service(self.cfg, self.db)

    def seed(self, **kw: Any) -> dict[str, int]:
        from devtools import synth
        out = synth.seed(self.db, **kw)
        st.cache_data.clear()
        return out

    def match_watchlists(self) -> None:
        """Every stored item matched against the watchlists now (detection.watch.match_new), as collection does."""
        from detection.watch import match_new
        from store.db import utcnow

        with self.db.read() as cur:
            ids = [r[0] for r in cur.execute("SELECT id FROM items").fetchall()]
        match_new(self.db, ids, utcnow())

    def add_users(self) -> None:
        for name, role in (("xem", "viewer"), ("chuyenvien", "analyst"), ("quantri", "admin")):
            self.auth.create_user(name, PASSWORD, role, display_name=f"Cán bộ {name}")

    def page(self, module: str, role: str = "admin", username: str | None = None) -> AppTest:
        """AppTest of one page's render(), as a signed-in user of `role` (the gate is tested separately)."""
        script = f"from dashboard.views import {module} as _p\n_p.render()\n"
        at = AppTest.from_string(script, default_timeout=TIMEOUT)
        name = username or {"viewer": "xem", "analyst": "chuyenvien", "admin": "quantri"}[role]
        at.session_state["user"] = {"username": name, "display_name": f"Cán bộ {name}", "role": role}
        return at

    def app(self) -> AppTest:
        # from the source (AppTest once mis-resolved reruns when a pages/ folder sat next to the script)
        return AppTest.from_string(APP.read_text(encoding="utf-8"), default_timeout=TIMEOUT)

    def close(self) -> None:
        runtime.reset()
        st.cache_data.clear()
        st.cache_resource.clear()


def discard(e: Env) -> None:
    """A test's Env put away with its database, which no one reads again: DuckDB is told not to checkpoint the
    file on closing it (the checkpoint writes the file and waits for the disk: 20–40 ms of each page test's wall
    clock against ~8 ms, most of it idle; round 26). A template (`_build_demo`) is closed as usual."""
    try:
        with e.db.read() as cur:
            cur.execute("PRAGMA disable_checkpoint_on_shutdown")
    except Exception:  # the test closed it itself
        pass
    e.close()


@pytest.fixture
def env(tmp_path):
    e = Env(tmp_path)
    yield e
    discard(e)


def _build_demo(path: Path) -> None:
    """The seeded database `demo_env` copies: what `Env.seed()` and `Env.add_users()` write."""
    e = Env(path.parent)
    try:
        e.seed()
        e.add_users()
    finally:
        e.close()
        e.db.close()
    Path(e.cfg.storage.db_path).rename(path)


@pytest.fixture
def demo_env(tmp_path):
    e = Env(tmp_path, seeded=True)
    yield e
    discard(e)


@pytest.fixture
def nlp_loaded(tmp_path, monkeypatch):
    """For a page test that tags (Nhập dữ liệu's «Nhập», Khảo sát's «Nhập khảo sát» with free-text answers): the
    NLP models are loaded here, before any AppTest runs, not inside one. Loading them takes about 4 s on an idle
    machine and 20–30 s on this 2-core one at load 9, which inside a page run hit AppTest's 30 s timeout
    (TIMEOUT) in whichever such test ran first on a worker. `nlp.service` keeps the pipeline per NLP settings
    (the test configs' are the defaults), so this loads once per worker, and the tests/nlp session pipeline is
    the same one. A page that still loads its own (other NLP settings than the Env's) fails by name here, not
    by a timeout."""
    from nlp import service
    from nlp.pipeline import Pipeline

    service.get_pipeline(make_config(tmp_path / "nlp"))

    def no_load_inside_the_page(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("the page loaded the NLP models inside the AppTest run: nlp_loaded loads them first")

    monkeypatch.setattr(Pipeline, "from_config", no_load_inside_the_page)


@pytest.fixture
def tagging_env(demo_env, nlp_loaded):
    """`demo_env` with the NLP models loaded before the page runs (`nlp_loaded`)."""
    return demo_env


def texts(at: AppTest) -> str:
    """Every piece of visible text of a run, joined (markdown, captions, titles, alerts, metrics…)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "text", "code"):
        for el in getattr(at, kind):
            parts.append(str(el.value))
    for m in at.metric:
        parts.append(f"{m.label} {m.value}")
    for ex in at.expander:
        parts.append(str(ex.label))
    return "\n".join(parts)


def no_exception(at: AppTest) -> None:
    assert not at.exception, "\n".join(str(e.value) + "\n" + "\n".join(e.stack_trace) for e in at.exception)


def alert_history(e: Env, aid: str, role: str) -> Any:
    """Cảnh báo as `role`, every state listed, alert `aid` picked: its history table (a DataFrame)."""
    at = e.page("alerts", role)
    at.session_state["alert_filter"] = "Tất cả"
    at.run()
    at.selectbox(key="alert_pick").set_value(aid).run()
    no_exception(at)
    return next(d.value for d in at.dataframe if "Người thực hiện" in d.value.columns)
