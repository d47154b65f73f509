"""The explorer's pages, one script each, run by ``st.navigation`` in :mod:`explorer.app`."""
