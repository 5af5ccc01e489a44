"""Dashboard entry point: routing only. Pages live in dashboard/pages/, data access in dashboard/data.py."""

import streamlit as st

from dashboard import nav

st.set_page_config(page_title="Lắng Nghe", page_icon=":material/hearing:", layout="wide")

role = st.session_state.get("role", "admin")
specs = nav.pages_for(role)
pages = [
    st.Page(s.render, title=s.title, icon=s.icon, url_path=s.name, default=(i == 0))
    for i, s in enumerate(specs)
]
st.navigation(pages).run()
