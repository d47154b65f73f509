"""The Streamlit explorer: browse, filter and query the findings graph in a browser (read-only).

:mod:`.app` is the Streamlit script, :mod:`.data` the read-only store and
cached answers, :mod:`.network` the pyvis drawing, :mod:`.launch` how
``findings explore`` starts it.
"""
