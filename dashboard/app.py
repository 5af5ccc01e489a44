"""Dashboard entry point: routing only. The login gate runs first; pages live in dashboard/views/,
data access in dashboard/data.py, and the page list for the user's role comes from dashboard/nav.py."""

from pathlib import Path

import streamlit as st

from dashboard import gate, nav
from dashboard.labels import ROLE_LABELS
from orchestration import runtime
from store.db import StorageError

# A local image, not ":material/…": Streamlit fetches a material favicon from fonts.gstatic.com, and
# nothing may leave the machine (tests/browser/test_local_only.py).
st.set_page_config(page_title="Lắng Nghe", page_icon=str(Path(__file__).with_name("static") / "favicon.png"),
                   layout="wide")

try:
    user = gate.require_login()
    if runtime.storage_problem():  # the scheduler cannot store (disk full…): say it on every page
        st.error(runtime.storage_problem(), icon=":material/error:")
    pages = {
        s.name: st.Page(s.render, title=s.title, icon=s.icon, url_path=s.name, default=(i == 0))
        for i, s in enumerate(nav.pages_for(user.role))
    }
    st.session_state["_pages"] = pages  # for links between pages (dashboard.ui.page_link)
    url = st.context.url
    denied = nav.denied_page(url, user.role)
    if denied is not None and st.session_state.get("_denied_url") != url:
        st.session_state["_denied_url"] = url  # said once, not on every rerun of the page shown instead
        st.warning(f"Trang «{denied.title}» cần vai trò {ROLE_LABELS.get(denied.min_role, denied.min_role)}; "
                   f"tài khoản của bạn có vai trò {ROLE_LABELS.get(user.role, user.role)}. Đang mở trang đầu.",
                   icon=":material/lock:")
    st.navigation(list(pages.values()), expanded=True).run()  # every page listed (Streamlit folds after 10)
except StorageError as exc:  # corrupt, read-only or full database: plain Vietnamese, no traceback
    st.error(str(exc), icon=":material/error:")
