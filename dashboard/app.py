"""Dashboard entry point: routing only. The login gate runs first; pages live in dashboard/views/,
data access in dashboard/data.py, and the page list for the user's role comes from dashboard/nav.py."""

import streamlit as st

from dashboard import gate, nav
from orchestration import runtime
from store.db import StorageError

st.set_page_config(page_title="Lắng Nghe", page_icon=":material/hearing:", layout="wide")

try:
    user = gate.require_login()
    if runtime.storage_problem():  # the scheduler cannot store (disk full…): say it on every page
        st.error(runtime.storage_problem(), icon=":material/error:")
    pages = {
        s.name: st.Page(s.render, title=s.title, icon=s.icon, url_path=s.name, default=(i == 0))
        for i, s in enumerate(nav.pages_for(user.role))
    }
    st.session_state["_pages"] = pages  # for links between pages (dashboard.ui.page_link)
    st.navigation(list(pages.values())).run()
except StorageError as exc:  # corrupt, read-only or full database: plain Vietnamese, no traceback
    st.error(str(exc), icon=":material/error:")
