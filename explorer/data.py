"""The cached answers the explorer's pages show, read from the read-only store.

The store comes from :mod:`explorer.connection` (read-only, reopened when
an ingest has changed the files); every answer is cached
(``st.cache_data``) on that :class:`~explorer.connection.Source` and the
arguments, so a page rerun on every click does not recompute a projection
or a saturation curve, and a finished ingest shows up on the next
interaction.

Every answer comes from the functions the CLI uses (projections, measures,
agreement, saturation, fixes and issues lookups, the ``cypher/`` library)
or from the named reads of :mod:`graph.reads`; pages and this module hold
no Cypher of their own.

The one exception to the shared connection is a query typed on the Cypher
page (:func:`typed_query`): it runs in a child process that opens the store
read-only on its own, so a query that crashes the engine (LadybugDB ends
the process with a segmentation fault on some inputs) ends that child and
the page says so, while the server and every other session go on.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import defaultdict
from typing import Any

import pandas as pd
import streamlit as st

from explorer.connection import Source, connect
from graph import reads
from graph.analytics.agreement import AgreementResult, agreement
from graph.analytics.centrality import Measures, compute_measures
from graph.analytics.names import VIEW_REGISTRY
from graph.analytics.saturation import Saturation, saturation
from graph.analytics.selection import CONSENSUS, Copies, paragraph_issues, select
from graph.analytics.views import build_view
from graph.isolation import ChildCrashed, ChildTimedOut, run_isolated
from graph.knowledge.lookup import FIXES_COLUMNS, ISSUES_COLUMNS, fixes_for, issues_for
from graph.queries import graph_counts, library, run_read_only
from graph.schema import RELATIONSHIPS
from graph.store import GraphStore, QueryResult, Reader

__all__ = [
    "VIEW_LABELS",
    "TYPED_QUERY_SECONDS",
    "QueryFailed",
    "store",
    "table",
    "typed_query",
    "run_library",
    "library_description",
    "counts",
    "saturation_of",
    "agreement_of",
    "fixes",
    "issues_of",
    "coverage",
    "coders",
    "copies_choices",
    "view",
    "evidence",
    "issue_categories",
    "issues_raised",
    "interviews",
    "quotes",
    "quote_table",
    "selection_transcripts",
    "labelled",
    "suggestions_of",
]

# The views the Network page offers: the analytics' registered projections.
VIEW_LABELS = {view.name: view.label for view in VIEW_REGISTRY}

# Sessions run in threads and share one connection per store: one query at a time.
_LOCK = threading.Lock()

# A typed query gets this long before its child is stopped.
TYPED_QUERY_SECONDS = 120.0
# Typed queries' children fork from a server that has already imported the store (about 0.15 s a query, not 1 s).
multiprocessing.set_forkserver_preload(["graph.queries", "graph.ladybug_store"])


class QueryFailed(Exception):
    """A typed query whose child process crashed or ran out of time; the message is the page's one line."""


class _Locked:
    """The shared read-only store as a :class:`~graph.store.Reader`, each statement under the lock."""

    def __init__(self, shared: GraphStore) -> None:
        self._shared = shared

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        with _LOCK:
            return self._shared.run(cypher, params)


def store(where: Source) -> Reader:
    return _Locked(connect(where))


@st.cache_data(show_spinner=False)
def table(where: Source, read: str, *args: Any) -> pd.DataFrame:
    """The named read ``read`` of :mod:`graph.reads` (one that returns a table), with ``args``, as a frame."""
    return getattr(reads, read)(store(where), *args).frame()


@st.cache_data(show_spinner=False)
def typed_query(where: Source, cypher: str, params: dict[str, Any]) -> pd.DataFrame:
    """A query typed on the Cypher page, as a table, run in a child process that opens the store read-only.

    Raises :class:`~graph.store.StoreError` for a query the database rejects and :class:`QueryFailed` when
    the child dies or takes longer than :data:`TYPED_QUERY_SECONDS`; failures are not cached.
    """
    try:
        result = run_isolated(run_read_only, where.target, cypher, params,
                              start_method="forkserver", timeout=TYPED_QUERY_SECONDS)
    except ChildCrashed as exc:
        raise QueryFailed(f"the database engine crashed on this query ({exc.how}); the explorer is still running") from None
    except ChildTimedOut as exc:
        raise QueryFailed(f"the query was stopped: {exc}") from None
    return result.frame()


@st.cache_data(show_spinner=False)
def run_library(where: Source, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """A query of the ``cypher/`` library by name."""
    return store(where).run(library()[name].text, params).frame()


def library_description(name: str) -> str:
    return f"{library()[name].description} (cypher/{name}.cypher)"


@st.cache_data(show_spinner=False)
def counts(where: Source) -> pd.DataFrame:
    return pd.DataFrame(graph_counts(store(where)), columns=["section", "name", "count"])


@st.cache_data(show_spinner=False)
def saturation_of(where: Source, copies: str = str(CONSENSUS)) -> Saturation:
    return saturation(store(where), copies=Copies.parse(copies))


@st.cache_data(show_spinner=False)
def agreement_of(where: Source, interview: str) -> AgreementResult:
    return agreement(store(where), interview)


@st.cache_data(show_spinner=False)
def fixes(where: Source, issue_id: str) -> pd.DataFrame:
    return pd.DataFrame(fixes_for(store(where), issue_id), columns=FIXES_COLUMNS)


@st.cache_data(show_spinner=False)
def issues_of(where: Source, mitigation_id: str) -> pd.DataFrame:
    return pd.DataFrame(issues_for(store(where), mitigation_id), columns=ISSUES_COLUMNS)


@st.cache_data(show_spinner=False)
def coverage(where: Source) -> pd.DataFrame:
    """Interviews by coded copy: paragraph-code pairs, or "uncoded" for a print without codes."""
    frame = table(where, "copy_coverage")
    if frame.empty:
        return pd.DataFrame()
    frame["copy"] = frame["coder"].fillna("raw") + frame["consensus"].map({True: " (consensus)", False: ""})
    frame["value"] = [str(p) if coded else "uncoded" for p, coded in zip(frame["pairs"], frame["coded"])]
    pivot = frame.pivot_table(index=["number", "interview"], columns="copy", values="value", aggfunc="first")
    return pivot.droplevel("number").fillna("")


@st.cache_data(show_spinner=False)
def coders(where: Source) -> list[str]:
    """Every coder name (not the consensus copies'), for the copies rule's one-coder choices."""
    return sorted(set(reads.human_coders(store(where))), key=str.casefold)


def copies_choices(where: Source) -> dict[str, str]:
    """The copies rules a page that counts offers, label -> rule (``str(Copies)``): the default first, then the
    union, then each coder by name."""
    rules = [CONSENSUS, Copies("union"), *(Copies("coder", c) for c in coders(where))]
    return labelled([(str(r), r.coder or r.description) for r in rules])


@st.cache_data(show_spinner=False)
def view(where: Source, name: str, copies: str = str(CONSENSUS)) -> Measures:
    """A projection with its measures, read by the copies rule; ValueError when the view cannot honour it."""
    return compute_measures(build_view(store(where), name, copies=Copies.parse(copies)))


@st.cache_data(show_spinner=False)
def evidence(where: Source, copies: str = str(CONSENSUS)) -> dict[tuple[str, str], tuple[frozenset[str], int]]:
    """Per node ``(label, id)``: the interviews it comes from and how many paragraphs carry it.

    Issues and interviewees are counted on the copies the analytics read
    (:func:`graph.analytics.selection.select`); strategies on the excerpts
    that suggest them; projects on the excerpts about them.
    """
    source = store(where)
    interviews: dict[tuple[str, str], set[str]] = defaultdict(set)
    paragraphs: dict[tuple[str, str], int] = defaultdict(int)
    person_of = {interview: person for person, _, interview in reads.interviewees_of_interviews(source)}
    for (interview, _), found in paragraph_issues(source, select(source, Copies.parse(copies))).items():
        for issue in found:
            interviews["Issue", issue].add(interview)
            paragraphs["Issue", issue] += 1
        if interview in person_of:
            interviews["Interviewee", person_of[interview]].add(interview)
            paragraphs["Interviewee", person_of[interview]] += 1
    for relationship in ("SUGGESTS", "ABOUT"):
        label = RELATIONSHIPS[relationship].target
        for node, interview, n in reads.excerpt_links_by_interview(source, relationship):
            interviews[label, node].add(interview)
            paragraphs[label, node] += n
    return {node: (frozenset(found), paragraphs[node]) for node, found in interviews.items()}


@st.cache_data(show_spinner=False)
def issue_categories(where: Source) -> dict[str, str]:
    return {i: c or "(none)" for i, c in reads.issue_categories(store(where))}


@st.cache_data(show_spinner=False)
def issues_raised(where: Source, interview: str, copies: str = str(CONSENSUS)) -> pd.DataFrame:
    """The issues one interview raised on the copies the analytics read: ``issue, category, paragraphs``, most
    paragraphs first (the per-paragraph issues :func:`~graph.analytics.selection.paragraph_issues` counts)."""
    source = store(where)
    names = dict(reads.issue_names(source))
    categories = dict(reads.issue_categories(source))
    counted: dict[str, int] = defaultdict(int)
    for (found_in, _), found in paragraph_issues(source, select(source, Copies.parse(copies))).items():
        if found_in == interview:
            for issue in found:
                counted[issue] += 1
    rows = [(names.get(i) or i, categories.get(i), n) for i, n in counted.items()]
    frame = pd.DataFrame(rows, columns=["issue", "category", "paragraphs"])
    return frame.sort_values(["paragraphs", "issue"], ascending=[False, True]).reset_index(drop=True)


@st.cache_data(show_spinner=False)
def interviews(where: Source) -> pd.DataFrame:
    """Every interview: id, name, number, in number order."""
    return table(where, "interviews")


def quotes(where: Source, label: str, node_id: str, copies: str = str(CONSENSUS)) -> pd.DataFrame | None:
    """The paragraphs behind one node on the copies the analytics read; None for nodes without quotes."""
    if label not in reads.QUOTED_LABELS:
        return None
    frame = table(where, "node_quotes", label, node_id)
    chosen = set(selection_transcripts(where, copies))
    frame = frame[frame["transcript"].isin(chosen)] if label != "Mitigation" else frame
    return frame.drop(columns="transcript").sort_values(["interview", "coder", "position"]).reset_index(drop=True)


def quote_table(found: pd.DataFrame) -> pd.DataFrame:
    """Quotes for reading: where each comes from in one short column (interview, coder, position, code), then the quote."""
    def source(row: pd.Series) -> str:
        parts = [row["interview"], row["coder"] or "", f"position {row['position']}", row.get("code") or ""]
        if row.get("provenance"):
            parts.append(str(row["provenance"]))
        return ", ".join(str(p) for p in parts if p)

    return pd.DataFrame({"from": found.apply(source, axis=1) if len(found) else [], "quote": found["quote"]})


@st.cache_data(show_spinner=False)
def selection_transcripts(where: Source, copies: str = str(CONSENSUS)) -> list[str]:
    """The transcript copies the analytics read by the copies rule."""
    return select(store(where), Copies.parse(copies)).transcript_ids


def labelled(pairs: list[tuple[Any, str]]) -> dict[str, Any]:
    """Display label -> value, for a selectbox over readable labels; a repeated label gets its value appended.

    Selectboxes offer the labels themselves rather than values with a
    ``format_func``: Streamlit's AppTest can only set and read a selectbox
    whose options are what it shows.
    """
    seen: dict[str, int] = defaultdict(int)
    for _, label in pairs:
        seen[label] += 1
    return {(label if seen[label] == 1 else f"{label} [{value}]"): value for value, label in pairs}


@st.cache_data(show_spinner="Learning codes from the other interviews...")
def suggestions_of(where: Source, interview: str) -> dict[str, Any]:
    """Suggested codes for one interview (``findings suggest``): the stored ones if any, else learned now.

    Learned from every other interview's coding, never this one's; what was
    learned is said with them, so the page can say why there are none.
    """
    from graph import suggest as suggesting

    opened = store(where)
    chosen = suggesting.targets(opened, interview=interview)
    if not chosen:
        return {"rows": pd.DataFrame(columns=suggesting.COLUMNS), "stored": False, "target": None}
    target = chosen[0]
    stored = [s for t in suggesting.stored_transcripts(opened, interview) for s in suggesting.stored_suggestions(opened, t)]
    if stored:
        rows = [s.row() for s in stored]
        summary: dict[str, Any] = {"stored": True, "learned": None, "trained_on": None, "too_rare": None,
                                   "target": stored[0].transcript, "copy": stored[0].coder}
    else:
        result = suggesting.suggest(opened, chosen)
        model = result.models[target.interview]
        rows = [s.row() for s in result.suggestions]
        summary = {"stored": False, "learned": len(model.codes), "trained_on": len(model.trained_on),
                   "too_rare": len(model.too_rare)}
    return {"rows": pd.DataFrame(rows, columns=suggesting.COLUMNS), "target": target.transcript,
            "copy": target.coder, "min_examples": suggesting.MIN_EXAMPLES,
            "min_interviews": suggesting.MIN_INTERVIEWS, "coder": suggesting.SUGGESTED_CODER, **summary}
