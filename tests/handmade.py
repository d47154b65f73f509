"""Small studies written by hand, for analytics tests whose answers can be worked out on paper.

A study is given as ``{(interview, coder): [codes of paragraph 0, codes of paragraph 1, ...]}``;
each paragraph's codes is a space-separated string ("" for an uncoded paragraph).
"""

from __future__ import annotations

import hashlib

from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import GraphUpdate, update_graph
from graph.store import GraphStore
from ingest.records import Coding, Paragraph, TranscriptRecord


def record(interview: str, coder: str | None, paragraphs: list[str], *, consensus: bool = False) -> TranscriptRecord:
    body = tuple(
        Paragraph(
            position,
            "Interviewee" if position % 2 else "Interviewer 1",
            f"Paragraph {position} of {interview}.",
            tuple(Coding(code) for code in codes.split()),
        )
        for position, codes in enumerate(paragraphs)
    )
    digest = hashlib.sha256(repr((interview, coder, consensus, paragraphs)).encode()).hexdigest()
    return TranscriptRecord(interview, coder, consensus, f"{interview} - {coder}.md", digest, "handmade", body)


def load(store: GraphStore, study: dict[tuple[str, str], list[str]], *, consensus: set[str] = frozenset()) -> GraphUpdate:
    """Ingest a hand-made study as `findings ingest` would; coders named in ``consensus`` are consensus copies."""
    records = [record(interview, coder, codes, consensus=coder in consensus) for (interview, coder), codes in study.items()]
    return update_graph(store, records, load_codebook(), load_catalog())
