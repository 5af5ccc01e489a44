"""Dashboard entry point: routing only. The login gate runs first; pages live in dashboard/views/,
data access in dashboard/data.py, and the page list for the user's role comes from dashboard/nav.py."""

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import gate, nav, ui
from dashboard.labels import ROLE_LABELS
from orchestration import runtime
from store.db import StorageError

# A local image, not ":material/…": Streamlit fetches a material favicon from fonts.gstatic.com, and
# nothing may leave the machine (tests/browser/test_local_only.py).
st.set_page_config(page_title="Lắng Nghe", page_icon=str(Path(__file__).with_name("static") / "favicon.png"),
                   layout="wide")


def _land(home: StreamlitPage, notice: str | None) -> None:
    """An address no page answers: on to the first page (the address bar shows the root), saying why there."""
    if notice:
        st.session_state["_landing_notice"] = notice
    st.switch_page(home)


def _say_where_landed(on_first_page: bool) -> None:
    """The landing word, on every run of the first page until staff open another. It was popped on its first
    draw: any later run of the first page (a reconnect under load, a click) drew the page without it, and a
    browser test once waited 90 s for a word already gone (round 21)."""
    if not on_first_page:
        st.session_state.pop("_landing_notice", None)  # another page opened: the word was for the landing
    elif notice := st.session_state.get("_landing_notice"):
        st.warning(notice, icon=":material/info:")


try:
    user = gate.require_login()
    ui.hold_kept()  # before any page's run: a widget's value typed just before a page change (ui.hold_kept)
    if runtime.storage_problem():  # the scheduler cannot store (disk full…): say it on every page
        st.error(runtime.storage_problem(), icon=":material/error:")
    pages = {  # the first page is served at the root; its own path is nav.HOME_PATH, so /overview stays free
        s.name: st.Page(s.render, title=s.title, icon=s.icon, url_path=nav.HOME_PATH if i == 0 else s.name,
                        default=(i == 0))
        for i, s in enumerate(nav.pages_for(user.role))
    }
    st.session_state["_pages"] = pages  # for links between pages (dashboard.ui.page_link)
    listed = list(pages.values())
    # An address no page answers (an old bookmark, /overview, a page the role may not open): a hidden page at
    # that path lands on the first page with a Vietnamese word, instead of Streamlit's English «Page not found».
    asked = nav.unknown_name(st.context.url, [p.url_path for p in listed])
    if asked:
        home, said = listed[0], nav.landing_notice(asked, user.role, ROLE_LABELS)
        listed.append(st.Page(lambda: _land(home, said), title=home.title, url_path=asked, visibility="hidden"))
    chosen = st.navigation(listed, expanded=True)  # every page listed (Streamlit folds after 10)
    _say_where_landed(chosen is listed[0])
    ui.address_of(chosen.url_path)  # a late query of the page left is not kept on this one
    chosen.run()
    gate.cookie_sent()  # not reached when a rerun cut the run short: the next run writes the cookie again
except StorageError as exc:  # corrupt, read-only or full database: plain Vietnamese, no traceback
    st.error(str(exc), icon=":material/error:")
