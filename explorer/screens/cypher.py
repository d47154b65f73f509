"""Cypher: run a query of the ``cypher/`` library, or any read query, on the read-only store.

The editor starts from the chosen library query; its ``$parameters`` get a
form prefilled with the examples the query documents. Values are passed as
parameters (JSON where they parse as JSON, text otherwise), never pasted
into the text. Results come as a table with a CSV download.

What the user types is untrusted: :mod:`graph.cypher_guard` refuses
anything but a read query before it reaches the database, and the query
runs in a child process (:func:`explorer.data.typed_query`), so one that
crashes the engine shows as an error here instead of ending the server.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import streamlit as st

from explorer import data
from explorer.connection import current_source
from graph.cypher_guard import RefusedQuery, check_read_query
from graph.queries import ParameterError, check_parameters, library, parse_query_file
from graph.store import StoreError

where = current_source()
st.title("Cypher")

queries = library()
choices = data.labelled([(n, f"{n}: {q.description}") for n, q in queries.items()])
name = choices[st.selectbox("Library query", list(choices), key="query_name")]
chosen = queries[name]
# The editor follows the library choice until the user edits it.
if st.session_state.get("editor_source") != name:
    st.session_state["editor_source"] = name
    st.session_state["editor"] = chosen.text
text = st.text_area("Query", key="editor", height=220)
parameters = parse_query_file(name, text).parameters

with st.form("run_query"):
    values: dict[str, str] = {}
    for param, doc in parameters.items():
        example = chosen.examples.get(param, "")
        values[param] = st.text_input(f"${param}", value=str(example), help=doc or None, key=f"param_{name}_{param}")
    submitted = st.form_submit_button("Run", type="primary")


def _value(raw: str) -> object:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _plain(message: str) -> str:
    """``message`` as literal Markdown: a '$' or '*' from the query must not turn into maths or emphasis."""
    return re.sub(r"([\\`*_~$\[\]<>])", r"\\\1", message)


def _answer(cypher: str, params: dict[str, Any]) -> pd.DataFrame:
    """The table for the last run, or its exception.

    Successes are cached by :func:`explorer.data.typed_query` (until the
    store changes); a failure is remembered for this run, so the rerun every
    click causes does not repeat a crash or a two-minute wait until Run is
    pressed again.
    """
    check_read_query(cypher)
    check_parameters(parse_query_file(name, cypher), params)
    run = (where, cypher, params)
    failed = st.session_state.get("failed_run")
    if failed and failed[0] == run:
        raise failed[1]
    try:
        with st.spinner("Running the query..."):
            return data.typed_query(where, cypher, params)
    except (StoreError, data.QueryFailed) as exc:
        st.session_state["failed_run"] = (run, exc)
        raise


if submitted:
    st.session_state["last_run"] = (text, {p: _value(v) for p, v in values.items()})
    st.session_state.pop("failed_run", None)

if "last_run" in st.session_state:
    try:
        result = _answer(*st.session_state["last_run"])
    except RefusedQuery as exc:
        st.error(f"Read-only: this query was {_plain(str(exc))}. The explorer runs only read queries; "
                 "to change the graph, use `findings query --write` on the command line.")
    except (ParameterError, StoreError, data.QueryFailed) as exc:
        st.error(f"The query failed: {_plain(str(exc))}")
    else:
        st.caption(f"{len(result)} rows")
        st.dataframe(result, hide_index=True, width="stretch")
        st.download_button("Download CSV", result.to_csv(index=False).encode("utf-8"),
                           file_name=f"{name}.csv", mime="text/csv")
