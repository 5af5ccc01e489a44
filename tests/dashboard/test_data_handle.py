"""The dashboard reads the database `orchestration.runtime` holds, never a copy of the handle of its own.

`dashboard.data.db()` was an `st.cache_resource` over `runtime.get_db()`: a second cache of the same handle,
which kept a database runtime had since closed and replaced. `serve` installs its handle once, before Streamlit
starts, so a running dashboard never met it; tests and benches that install one database after another did
(bench/office_walk.py cleared Streamlit's resource cache by hand, a test that forgot handed the next one a closed
connection).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from orchestration import runtime
from tests.conftest import database, make_config


def test_the_dashboard_reads_the_database_runtime_now_holds(tmp_path):
    st.cache_resource.clear()
    first = database(tmp_path / "a.duckdb")
    runtime.install(make_config(tmp_path), first)
    try:
        assert data.db() is first
        runtime.reset()  # closes `first`
        second = database(tmp_path / "b.duckdb")
        runtime.install(make_config(tmp_path), second)
        assert data.db() is second
        with data.db().read() as cur:
            assert cur.execute("SELECT 1").fetchone() == (1,)
    finally:
        runtime.reset()
