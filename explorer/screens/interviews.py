"""Interviews: one interview at a time, its interviewee, projects, issues, transcript and coders.

The transcript is shown once (all copies come from it, paragraph positions
align) with each paragraph's codes per copy; coded paragraphs are
highlighted. Agreement is the one ``findings agreement`` computes.

Suggested codes (``findings suggest``: learned from the other interviews'
coding, never this one's) stand beside the human codes, marked as
suggestions with their score and reason, for uncoded prints too. They are
a second coder to review: nothing on any page counts them.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from explorer import data
from explorer.connection import current_source
from graph.analytics.agreement import OVERALL

where = current_source()
st.title("Interviews")

interviews = data.interviews(where)
if interviews.empty:
    st.info("No interview in the graph yet.")
    st.stop()
names = dict(zip(interviews["id"], interviews["name"]))
choices = data.labelled(list(names.items()))
interview = choices[st.selectbox("Interview", list(choices), key="interview")]
name = names[interview]

person = data.table(where, "interviewee_of_interview", interview)
about, projects = st.columns(2)
with about:
    st.subheader("Interviewee")
    if person.empty:
        st.caption("No interviewee recorded.")
    else:
        roles = person["roles"].iloc[0]
        st.markdown(f"**Roles:** {', '.join(roles) if roles else 'not stated'}")
        st.markdown(person["summary"].iloc[0] or "_No summary._")
with projects:
    st.subheader("Projects")
    found = data.run_library(where, "projects-of-interview", {"interview": name})
    if found.empty:
        st.caption("No project recognised in this interview.")
    else:
        st.dataframe(found.drop(columns="roles"), hide_index=True, width="stretch")

copies = data.table(where, "copies_of_interview", interview)
copies["copy"] = [f"{c or 'raw'}{' (consensus)' if s else ''}{'' if k else ' - uncoded'}"
                  for c, s, k in zip(copies["coder"], copies["consensus"], copies["coded"])]
codings = data.table(where, "codings_of_interview", interview)
codes_at = {(t, p): sorted(g["code"]) for (t, p), g in codings.groupby(["transcript", "position"])}

st.subheader("Issues raised")
raised = data.issues_raised(where, interview)
if raised.empty:
    st.caption("No issue coded on the copies the analyses read (consensus, else union of coders).")
else:
    st.dataframe(raised, hide_index=True, width="stretch")

st.subheader("Coders and agreement")
result = data.agreement_of(where, interview)
overall = [row for row in result.rows if row.code == OVERALL]
if overall:
    st.dataframe(pd.DataFrame([{
        "level": r.level, "scope": r.scope, "coders": r.coders, "decisions": r.units,
        "agreement": round(r.agreement, 3), "kappa": None if r.kappa is None else round(r.kappa, 3),
        "alpha": None if r.alpha is None else round(r.alpha, 3),
    } for r in overall]), hide_index=True, width="stretch")
    st.caption("Each decision is one paragraph and one code (or issue): applied or not. Kappa per pair of copies, "
               "Krippendorff's alpha across all; as `findings agreement` computes them.")
    with st.expander("Agreement per code and issue"):
        st.dataframe(pd.DataFrame([r.__dict__ for r in result.rows if r.code != OVERALL]), hide_index=True,
                     width="stretch")
for why in result.skipped.values():
    st.caption(f"No agreement: {why}.")
excluded = {r.excluded for r in result.rows if r.excluded}
for text in excluded:
    st.caption(f"Excluded: {text}.")
st.subheader("Suggested codes")
show_suggestions = st.toggle("Suggest codes learned from the other interviews", value=True, key="suggestions")
suggested = data.suggestions_of(where, interview) if show_suggestions else None
suggested_at: dict[int, list[tuple[str, float, str]]] = {}
if suggested is not None and suggested["target"] is not None:
    for row in suggested["rows"].itertuples():
        suggested_at.setdefault(row.position, []).append((row.code, row.score, row.reason))
    if suggested["stored"]:
        st.caption(f"Stored suggestions (findings suggest --write) for the copy {suggested['copy']}.")
    else:
        st.caption(
            f"Learned from {suggested['trained_on']} other interviews' coding, never this one's: "
            f"{suggested['learned']} codes with at least {suggested['min_examples']} coded paragraphs in "
            f"{suggested['min_interviews']} or more interviews ({suggested['too_rare']} too rare to learn)."
        )
    if suggested["rows"].empty:
        st.caption("No code suggested for this interview.")
    else:
        st.dataframe(suggested["rows"][["position", "code", "score", "reason"]], hide_index=True, width="stretch",
                     key="suggested_codes")
    st.caption(f"Suggestions are marked as the coder {suggested['coder']!r} (provenance suggested): no count, "
               "measure or knowledge link on any page includes them.")

coded_copies = copies[copies["coded"]]
side = pd.DataFrame({
    row.copy: {p: ", ".join(codes) for (t, p), codes in codes_at.items() if t == row.id}
    for row in coded_copies.itertuples()
})
SUGGESTED_COLUMN = "suggested (not coding)"
if suggested_at:
    side = side.join(pd.Series({p: ", ".join(c for c, _, _ in found) for p, found in suggested_at.items()},
                               name=SUGGESTED_COLUMN), how="outer")
side = side.sort_index()
if not side.empty:
    side.index.name = "paragraph"
    st.caption("Codes per paragraph, each coded copy side by side"
               + (", and the suggestions beside them" if suggested_at else "") + " (paragraphs some copy coded"
               + (" or a suggestion names" if suggested_at else "") + ").")
    st.dataframe(side.fillna(""), width="stretch")

st.subheader("Transcript")
if copies.empty:
    st.stop()
choices = data.labelled(list(zip(copies["id"], copies["copy"])))
shown_copy = choices[st.selectbox("Highlight the codes of", list(choices), key=f"copy_{interview}",
                                  index=int(copies["coded"].astype(bool).values.argmax()))]
paragraphs = data.table(where, "excerpts_of_transcript", shown_copy)
coded_count = sum(1 for p in paragraphs["position"] if (shown_copy, p) in codes_at)
st.caption(f"{len(paragraphs)} paragraphs, {coded_count} coded in this copy (highlighted).")
blocks = []
for position, speaker, text in paragraphs.itertuples(index=False):
    codes = codes_at.get((shown_copy, position))
    chips = "".join(
        f'<span style="background:#fde6a8;border-radius:8px;padding:0 6px;margin-right:4px;font-size:0.8em">'
        f"{html.escape(c)}</span>" for c in codes or ()
    )
    # Suggestions look unlike codes: dashed outline, "suggested", the reason on hover.
    chips += "".join(
        f'<span class="suggested" title="{html.escape(reason, quote=True)}" style="border:1px dashed #5b7fb5;'
        f'border-radius:8px;padding:0 6px;margin-right:4px;font-size:0.8em;color:#2c4f7c">'
        f"suggested: {html.escape(code)} ({score:.2f})</span>" for code, score, reason in suggested_at.get(position, ())
    )
    style = "background:#fff6d6;border-left:4px solid #f2a541;" if codes else "border-left:4px solid transparent;"
    blocks.append(
        f'<div class="paragraph{" coded" if codes else ""}" style="{style}padding:4px 8px;margin:2px 0">'
        f'<small style="color:#888">{position}</small> <b>{html.escape(speaker or "")}</b> '
        f"{html.escape(text or '')}{'<br>' + chips if chips else ''}</div>"
    )
with st.container(height=600):
    st.html("".join(blocks))
