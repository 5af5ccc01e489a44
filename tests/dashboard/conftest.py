"""Dashboard test fixtures: a temp database installed as the process-wide handle, optional synthetic
demo data, signed-in users, and AppTest runners for single pages and for the routed app.

Each Env's database starts as a copy of the worker's migrated template, and `demo_env`'s as a copy of a
seeded one (synthetic data and the three users, rebuilt when 5 minutes old): tests/conftest.py
`template_copy`. A test still owns its file."""

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


@pytest.fixture
def env(tmp_path):
    e = Env(tmp_path)
    yield e
    e.close()


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
    e.close()


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
