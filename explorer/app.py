"""The explorer's entry point: ``streamlit run explorer/app.py`` (``findings explore`` does it).

One page per script under ``screens``, listed below; the sidebar names the store
being read (read-only, see :mod:`explorer.connection`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explorer.connection import connect, current_source

# Not "pages/": a folder of that name beside the main script switches Streamlit to its
# legacy multipage mode, which runs each page file without this script (no navigation,
# no page config).
PAGES = Path(__file__).resolve().parent / "screens"

st.set_page_config(page_title="findings-graph explorer", layout="wide")

navigation = st.navigation([
    st.Page(PAGES / "overview.py", title="Overview", default=True),
    st.Page(PAGES / "network.py", title="Network"),
    st.Page(PAGES / "fixes.py", title="Fixes"),
    st.Page(PAGES / "interviews.py", title="Interviews"),
    st.Page(PAGES / "tables.py", title="Tables"),
    st.Page(PAGES / "cypher.py", title="Cypher"),
])

where = current_source()
with st.sidebar:
    st.caption(f"Reading {where.label} (read-only).")
    if st.button("Reload data", help="Forget cached answers and read the graph again."):
        st.cache_data.clear()
connect(where)  # shows why and stops when the graph cannot be opened
navigation.run()
