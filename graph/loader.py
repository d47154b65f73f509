"""Write transcript records into a store, idempotently and atomically.

New nodes and relationships go in through the backend's bulk insert; nodes
that exist already are updated with parameterised ``UNWIND ... MERGE``.
A transcript whose source digest is unchanged is skipped, so re-running an
ingest changes nothing; a changed transcript has its excerpts and codings
replaced. Everything one call writes, including the derived code
classification and issues, happens in one transaction: a failure or a
killed process leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph import reads
from graph.codebook import Codebook
from graph.derive import derive_codes
from graph.identity import excerpt_id, interview_id, interviewee_id, transcript_id
from graph.schema import (
    delete_children_statement,
    merge_node_statement,
    merge_relationship_statement,
    set_node_properties_statement,
)
from graph.store import Transaction
from ingest.naming import interview_number
from ingest.records import ProjectCodebook, TranscriptRecord

__all__ = ["LoadReport", "write_records"]


@dataclass
class LoadReport:
    """What one load did, for the ingest summary."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    uncoded: list[str] = field(default_factory=list)
    paragraphs: int = 0
    coded_pairs: int = 0
    warnings: list[str] = field(default_factory=list)
    # Fix codes whose issue no issue code spells: which issue each joined, or that it stands alone.
    fix_decisions: list[str] = field(default_factory=list)
    codes_defined: int = 0  # codes of codebook-only projects


def _existing(tx: Transaction, label: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist. Interviews, transcripts and codes number in the
    thousands at most, so all keys are read and intersected here: LadybugDB
    evaluates ``id IN $list`` as a scan of the list per row."""
    wanted = set(ids)
    if not wanted:
        return set()
    return wanted & set(reads.node_keys(tx, label))


def _unique_by_transcript(records: list[TranscriptRecord], report: LoadReport) -> dict[str, TranscriptRecord]:
    chosen: dict[str, TranscriptRecord] = {}
    for record in records:
        tid = transcript_id(record)
        if tid in chosen:
            report.warnings.append(
                f"{record.source}: same interview and coder as {chosen[tid].source} ({tid}); keeping {record.source}"
            )
        chosen[tid] = record
    return chosen


def write_records(
    tx: Transaction, records: list[TranscriptRecord], codebook: Codebook, codebooks: Iterable[ProjectCodebook] = ()
) -> LoadReport:
    """Write ``records`` inside an open transaction, so callers can add derived layers to it.

    ``codebooks`` are projects read for their codebook only: their codes are
    written (hierarchy, descriptions, colours) as a transcript's own codebook would be.
    """
    report = LoadReport()
    by_id = _unique_by_transcript(records, report)
    known = {
        row[0]: (row[1], row[2], row[3])
        for row in reads.transcript_digests(tx)
        if row[0] in by_id
    }
    todo: dict[str, TranscriptRecord] = {}
    for tid, record in by_id.items():
        if known.get(tid) == (record.sha256, record.consensus, record.coder):
            report.unchanged.append(tid)
            continue
        (report.replaced if tid in known else report.added).append(tid)
        todo[tid] = record
        if not record.coded:
            report.uncoded.append(record.source)
    new_interviews = {interview_id(r.interview): r.interview for r in todo.values()}
    new_interviews = {k: v for k, v in new_interviews.items() if k not in _existing(tx, "Interview", new_interviews)}
    codes_used = {c.code for r in todo.values() for p in r.paragraphs for c in p.codings}
    defining = [*todo.values(), *codebooks]
    codes_used |= {d.name for r in defining for d in r.code_definitions}
    codes_used |= {d.parent for r in defining for d in r.code_definitions if d.parent}
    new_codes = codes_used - _existing(tx, "Code", codes_used)

    if report.replaced:
        tx.run(delete_children_statement("HAS_EXCERPT"), {"ids": report.replaced})
    _write_interviews(tx, new_interviews)
    _write_transcripts(tx, todo, set(report.replaced))
    tx.insert_nodes("Code", [{"id": c, "name": c} for c in sorted(new_codes)])
    _write_code_definitions(tx, defining)
    report.codes_defined = len({d.name for r in codebooks for d in r.code_definitions})
    _write_excerpts(tx, todo, report)
    report.fix_decisions = derive_codes(tx, codebook)
    return report


def _write_interviews(tx: Transaction, interviews: dict[str, str]) -> None:
    tx.insert_nodes("Interview", [{"id": k, "name": v, "number": interview_number(v)} for k, v in interviews.items()])
    tx.insert_nodes(
        "Interviewee", [{"id": interviewee_id(v), "name": f"Interviewee of {v}", "roles": []} for v in interviews.values()]
    )
    tx.insert_relationships("GAVE", [{"source": interviewee_id(v), "target": k} for k, v in interviews.items()])


def _transcript_row(tid: str, record: TranscriptRecord) -> dict:
    return {
        "id": tid,
        "interview": record.interview,
        "coder": record.coder,
        "consensus": record.consensus,
        "source": record.source,
        "format": record.format,
        "sha256": record.sha256,
        "coded": record.coded,
        "paragraphs": len(record.paragraphs),
        "knowledge_basis": None,  # knowledge not derived yet: the next rebuild reads this copy
    }


def _write_transcripts(tx: Transaction, todo: dict[str, TranscriptRecord], replaced: set[str]) -> None:
    fresh = [_transcript_row(tid, r) for tid, r in todo.items() if tid not in replaced]
    tx.insert_nodes("Transcript", fresh)
    tx.insert_relationships(
        "HAS_TRANSCRIPT", [{"source": interview_id(todo[row["id"]].interview), "target": row["id"]} for row in fresh]
    )
    updated = [_transcript_row(tid, r) for tid, r in todo.items() if tid in replaced]
    if updated:
        tx.run(merge_node_statement("Transcript"), {"rows": updated})


def _write_code_definitions(tx: Transaction, records: Iterable[TranscriptRecord | ProjectCodebook]) -> None:
    definitions = {d.name: d for r in records for d in r.code_definitions}
    if not definitions:
        return
    tx.run(
        set_node_properties_statement("Code", ["parent", "description", "colour"]),
        {"rows": [{"id": d.name, "parent": d.parent, "description": d.description, "colour": d.colour}
                  for d in definitions.values()]},
    )
    links = [{"source": d.name, "target": d.parent} for d in definitions.values() if d.parent]
    if links:
        tx.run(merge_relationship_statement("SUBCODE_OF"), {"rows": links})


def _write_excerpts(tx: Transaction, todo: dict[str, TranscriptRecord], report: LoadReport) -> None:
    excerpts: list[dict] = []
    has_excerpt: list[dict] = []
    coded_as: list[dict] = []
    for tid, record in todo.items():
        for paragraph in record.paragraphs:
            eid = excerpt_id(tid, record.sha256, paragraph.position)
            excerpts.append(
                {"id": eid, "text": paragraph.text, "speaker": paragraph.speaker, "position": paragraph.position,
                 "transcript": tid}
            )
            has_excerpt.append({"source": tid, "target": eid})
            seen: set[str] = set()
            for coding in paragraph.codings:
                # A paragraph counts once per code, however many spans carry it.
                if coding.code not in seen:
                    seen.add(coding.code)
                    coded_as.append({"source": eid, "target": coding.code, "quote": coding.quote})
    report.paragraphs += len(excerpts)
    report.coded_pairs += len(coded_as)
    tx.insert_nodes("Excerpt", excerpts)
    tx.insert_relationships("HAS_EXCERPT", has_excerpt)
    tx.insert_relationships("CODED_AS", coded_as)
