"""Fixes: the strategies that address an issue, ranked, with their quotes; and the issues a strategy serves.

The same lookups as ``findings fixes`` and ``findings issues``
(:mod:`graph.knowledge.lookup`); quotes from ``cypher/quotes-for-link.cypher``.
"""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.connection import current_source
from graph.knowledge.lookup import QUOTE_COLUMNS

where = current_source()
st.title("Fixes")

issues = data.table(where, "issues_with_strategy_counts")
strategies = data.table(where, "strategies_with_issue_counts")
by_issue, by_strategy = st.tabs(["Strategies for an issue", "Issues a strategy serves"])


def choose(frame, count: str, unit: str, label: str) -> tuple[str, dict[str, str]]:
    """A select box over the rows of ``frame`` showing each one's count; the chosen id and the names by id."""
    names = dict(zip(frame["id"], frame["name"]))
    counts = dict(zip(frame["id"], frame[count]))
    choices = data.labelled([(k, f"{names[k]} ({counts[k]} {unit})") for k in frame["id"]])
    return choices[st.selectbox(label, list(choices), key=label.lower())], names


with by_issue:
    if issues.empty:
        st.info("No issue in the graph yet.")
    else:
        issue, names = choose(issues, "strategies", "strategies", "Issue")
        ranked = data.fixes(where, issue)
        if ranked.empty:
            st.info(f"No strategy addresses {names[issue]!r} in these interviews.")
        else:
            st.dataframe(ranked.drop(columns=["issue", *QUOTE_COLUMNS]), hide_index=True, width="stretch")
            for mitigation, provenance, interviews in ranked[["mitigation", "provenance", "interviews"]].itertuples(
                    index=False):
                with st.expander(f"{mitigation}: {interviews} interview(s), {provenance}"):
                    quotes = data.run_library(where, "quotes-for-link", {"issue": issue, "mitigation": mitigation})
                    # The paragraph as transcribed, wrapped in full (the query's normalised quote is for matching).
                    shown = quotes.drop(columns=["quote"]).rename(columns={"excerpt": "quote"})
                    st.table(data.quote_table(shown), hide_index=True)

with by_strategy:
    if strategies.empty:
        st.info("No strategy in the graph yet.")
    else:
        strategy, _ = choose(strategies, "issues", "issues", "Strategy")
        st.dataframe(data.issues_of(where, strategy), hide_index=True, width="stretch")
