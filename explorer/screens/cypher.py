"""Cypher: run a query of the ``cypher/`` library, or any read query, on the read-only store.

The editor starts from the chosen library query; its ``$parameters`` get a
form prefilled with the examples the query documents. Values are passed as
parameters (JSON where they parse as JSON, text otherwise), never pasted
into the text. Results come as a table with a CSV download.
"""

from __future__ import annotations

import json

import streamlit as st

from explorer import data
from explorer.connection import current_source
from graph.cypher_guard import is_write_refusal, refused_clauses
from graph.queries import library, parse_query_file
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


if submitted:
    st.session_state["last_run"] = (text, {p: _value(v) for p, v in values.items()})

if "last_run" in st.session_state:
    cypher, params = st.session_state["last_run"]
    refused = refused_clauses(cypher)
    if refused:
        st.error(f"Refused: the explorer is read-only, and this query uses {', '.join(refused)}, which it does not run. "
                 "To change the graph, use `findings query --write` on the command line.")
    else:
        try:
            result = data.run(where, cypher, params)
        except StoreError as exc:
            if is_write_refusal(str(exc)):
                st.error(f"Refused: the explorer is read-only ({exc}).")
            else:
                st.error(f"The query failed: {exc}")
        else:
            st.caption(f"{len(result)} rows")
            st.dataframe(result, hide_index=True, width="stretch")
            st.download_button("Download CSV", result.to_csv(index=False).encode("utf-8"),
                               file_name=f"{name}.csv", mime="text/csv")
