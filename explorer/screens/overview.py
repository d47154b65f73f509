"""Overview: how big the graph is, which issues most interviews raised, saturation, who coded what.

Prevalence and saturation count interviews, so they follow the copies rule
chosen at the top of the page (:mod:`graph.analytics.selection`) and say
which one they used.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer import data
from explorer.connection import current_source
from graph.analytics.saturation import COLUMNS as SATURATION_COLUMNS
from graph.analytics.selection import Copies

# Room for one readable label per bar: Vega-Lite hides labels that would overlap, and its
# automatic chart height left half the bars unnamed.
BAR_PX = 26


def prevalence_chart(top: pd.DataFrame) -> alt.Chart:
    """Horizontal bars, most interviews first, every bar named (long names cut at the label limit)."""
    return alt.Chart(top).mark_bar().encode(
        x=alt.X("interviews:Q", title="interviews", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("issue:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=320)),
        tooltip=["issue:N", "category:N", "interviews:Q", alt.Tooltip("excerpts:Q", format="d")],
    ).properties(
        height=BAR_PX * len(top),
        # SVG, so that the labels drawn are elements a browser (and a test) can read.
        usermeta={"embedOptions": {"renderer": "svg"}},
    )


where = current_source()
st.title("Overview")

counts = data.counts(where)
nodes = counts[counts["section"] == "node"].set_index("name")["count"]
shown = ["Interview", "Transcript", "Excerpt", "Code", "Issue", "Mitigation", "Project"]
for column, label in zip(st.columns(len(shown)), shown):
    column.metric(f"{label}s", int(nodes.get(label, 0)))
with st.expander("All counts: nodes, relationships, code applications"):
    st.dataframe(counts, hide_index=True, width="stretch")

rules = data.copies_choices(where)
rule_choice = st.selectbox("Copies counted", list(rules), key="copies",
                           help="Which coded copies prevalence and saturation count: the consensus copy, else the union "
                                "of coders (default); every coded copy, a paragraph once; or one coder's.")
copies = rules[rule_choice]

st.subheader("Issues raised in the most interviews")
prevalence = data.run_library(where, "issue-prevalence", {"copies": copies})
st.caption(f"Copies counted: {Copies.parse(copies).description}. {data.library_description('issue-prevalence')}")
if prevalence.empty:
    st.info("No issue is coded yet.")
else:
    top = prevalence.head(20)
    st.altair_chart(prevalence_chart(top), width="stretch")

st.subheader("Saturation")
curve = data.saturation_of(where, copies)
if not curve.interviews:
    st.info("No coded interview yet.")
else:
    frame = pd.DataFrame(curve.rows(), columns=SATURATION_COLUMNS).set_index("interviews")
    left, right = st.columns(2)
    for column, measure, result in ((left, "issues", curve.issues), (right, "codes", curve.codes)):
        with column:
            point = f"saturated after {result.point} interviews" if result.point else "not saturated"
            st.markdown(f"**Distinct {measure}**: {point} in interview order (k={curve.k}); "
                        f"{result.random_share:.0%} of {curve.orders} random orders saturate.")
            st.line_chart(
                frame[[measure, f"random_{measure}", f"random_{measure}_low", f"random_{measure}_high"]].rename(
                    columns={measure: "interview order", f"random_{measure}": "random orders (mean)",
                             f"random_{measure}_low": "random, low", f"random_{measure}_high": "random, high"}),
                x_label="interviews added", y_label=f"cumulative distinct {measure}", height=260,
            )
    st.caption(f"Copies counted: {curve.selection}.")
    for name, why in curve.left_out.items():
        st.caption(f"Left out {name}: {why}.")

st.subheader("Coder coverage")
st.caption("Paragraph-code pairs per interview and coded copy; an uncoded print says so.")
st.dataframe(data.coverage(where), width="stretch")
