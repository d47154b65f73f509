"""Write the store as a REFI-QDA project (``.qdpx``): what the graph holds, back in the researchers' QDA tool.

REFI-QDA (QDA-XML 1.0, ``urn:QDA-XML:project:1.0``) is the exchange format
NVivo, ATLAS.ti, MAXQDA and QualCoder import. The archive holds
``project.qde`` and one plain text file per source in ``Sources/``, named by
the source's guid and referred to as ``internal://GUID.txt`` (the layout
those tools write themselves). What goes in:

- **Sources**: one ``TextSource`` per coded copy (transcript) of an
  interview, named ``Interview 12 - PO.txt`` (the study's own titles), its
  text one paragraph per line, ``Speaker: text``, in the order of the
  store's Excerpt positions. Line breaks inside a paragraph become spaces,
  so paragraph N of the store is line N of the file.
- **Users**: one per coder. A consensus copy is coded by a user of its own,
  ``NAME (consensus)``, and stored suggestions by ``findings suggest
  (suggested)``, so the QDA tool shows them apart from human coding (and
  can compare coders, as NVivo's coding comparison does per user).
- **Codebook**: every code, nested as the code hierarchy says (``parent``),
  its kind, issue and description in the code's ``Description``, coloured
  by kind.
- **Codings**: every ``CODED_AS`` as a ``PlainTextSelection`` on its
  paragraph, spanning the coded quote when the quote is found in the
  paragraph and the whole paragraph otherwise; offsets count Unicode
  characters of the text file written into the archive, as the standard
  and :mod:`ingest.refi_qda` count them.
- **Strategies**: each issue -> strategy link (``ADDRESSES``) as a project
  ``Note`` holding the strategy, its provenance, counts and the quotes it
  rests on (the ``SUGGESTS`` excerpts, with interview and paragraph), a
  ``NoteRef`` on the codes that indicate the issue, and a ``Link`` from the
  issue's first code to the note.

Importing the archive back (``findings ingest study.qdpx``) gives the same
transcripts, paragraphs and codings per transcript: the importer reads
``NAME (consensus)`` users as consensus copies, takes an uncoded source's
coder from its title, and reads no suggestion as coding.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from graph import reads
from graph.store import GraphStore
from ingest.refi_qda import CONSENSUS_MARK, SUGGESTED_USER

__all__ = ["NS", "KIND_COLOURS", "guid", "export_qdpx"]

NS = "urn:QDA-XML:project:1.0"
_GUIDS = uuid.UUID("6f1c7e2a-5b8d-4c3e-9a47-2d0f1b6e8c55")  # namespace of this exporter's guids
KIND_COLOURS = {
    "issue": "#D9534F", "fix": "#5CB85C", "mitigation": "#3C8D3C", "category": "#777777", "context": "#5BC0DE",
    "question": "#F0AD4E", "meta": "#AAAAAA", "other": "#9B59B6",
}


def guid(kind: str, key: str) -> str:
    """A guid derived from what the element is, so exporting the same store twice gives the same project."""
    return str(uuid.uuid5(_GUIDS, f"{kind}:{key}"))


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# Characters XML 1.0 cannot carry, even escaped (control characters a file's code name may hold).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: Any) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: _xml(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = _xml(text)
    return element


def _line(text: str | None) -> str:
    """A paragraph as one line: its whitespace runs (line breaks included) become single spaces."""
    return " ".join((text or "").split()) or "(no text)"


def _user_name(coder: str | None, consensus: bool) -> str:
    return f"{coder or 'raw'}{CONSENSUS_MARK if consensus else ''}"


def _source_name(interview: str, coder: str | None, consensus: bool) -> str:
    return f"{interview} - {_user_name(coder, consensus)}.txt" if coder else f"{interview}.txt"


class _Text:
    """A source's text as it is built, and where each paragraph's words start."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: dict[int, tuple[int, str]] = {}  # position -> (offset of the words, the words)

    def add(self, position: int, speaker: str | None, text: str | None) -> None:
        prefix = f"{speaker}: " if speaker else ""
        words = _line(text)
        self.spans[position] = (self.length + len(prefix), words)
        line = f"{prefix}{words}\n"
        self.parts.append(line)
        self.length += len(line)

    def selection(self, position: int, quote: str | None) -> tuple[int, int]:
        start, words = self.spans[position]
        found = words.find(_line(quote)) if quote and quote.strip() else -1
        if found >= 0:
            return start + found, start + found + len(_line(quote))
        return start, start + len(words)

    def value(self) -> str:
        return "".join(self.parts)


def _codebook(root: ET.Element, codes: list[tuple[str, str, str | None, str | None, str | None, str | None]],
              notes_of: dict[str, list[str]]) -> dict[str, str]:
    """The nested codebook; the guid of each code by id."""
    by_id = {c[0]: c for c in codes}
    children: dict[str | None, list[str]] = defaultdict(list)
    for cid, _, _, parent, _, _ in codes:
        # A parent that is no code, or the code itself, leaves the code at the top.
        children[parent if parent in by_id and parent != cid else None].append(cid)
    guids = {cid: guid("code", cid) for cid in by_id}
    book = _sub(_sub(root, "CodeBook"), "Codes")
    placed: set[str] = set()
    stack: list[tuple[ET.Element, str]] = [(book, cid) for cid in sorted(children[None], reverse=True)]
    while stack:
        parent_element, cid = stack.pop()
        if cid in placed:
            continue  # a cycle in the hierarchy: each code is placed once
        placed.add(cid)
        _, name, kind, _, issue, description = by_id[cid]
        element = _sub(parent_element, "Code", guid=guids[cid], name=name, isCodable="true",
                       color=KIND_COLOURS.get(kind or "", None))
        about = [f"kind: {kind or 'other'}"] + ([f"issue: {issue}"] if issue else [])
        _sub(element, "Description", "; ".join(about) + (f". {description}" if description else ""))
        for note in notes_of.get(cid, ()):
            _sub(element, "NoteRef", targetGUID=note)
        stack.extend((element, child) for child in sorted(children.get(cid, ()), reverse=True))
    # Codes only reachable through a cycle have no top: put them at the top level.
    for cid in sorted(set(by_id) - placed):
        _, name, kind, _, _, _ = by_id[cid]
        _sub(book, "Code", guid=guids[cid], name=name, isCodable="true", color=KIND_COLOURS.get(kind or "", None))
    return guids


def _strategy_notes(store: GraphStore) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """One note per issue -> strategy link, with its quotes; and the notes per code indicating the issue."""
    links = reads.strategy_links_with_evidence(store)
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mid, issue, interview, position, quote in reads.suggestion_quotes(store):
        line = f'"{_line(quote)}" ({interview}, paragraph {position})'
        if line not in evidence[mid, issue]:
            evidence[mid, issue].append(line)
    codes_of: dict[str, list[str]] = defaultdict(list)
    for iid, _, cid in sorted(reads.issues_by_code(store), key=lambda row: row[2]):
        codes_of[iid].append(cid)
    notes, notes_of = [], defaultdict(list)
    for mid, mname, iid, iname, provenance, excerpts, interviews, confidence, quote in links:
        note = guid("note", f"{mid}->{iid}")
        quotes = evidence.get((mid, iid)) or ([f'"{_line(quote)}"'] if quote else [])
        text = (f"Strategy: {mname}\nAddresses: {iname} ({iid})\nProvenance: {provenance or 'unknown'}"
                + (f", confidence {confidence:.2f}" if confidence is not None else "")
                + f"\nEvidence: {excerpts or 0} excerpt(s) in {interviews or 0} interview(s)\n"
                + "".join(f"- {q}\n" for q in quotes))
        notes.append({"guid": note, "name": f"{mname} -> {iname}", "text": text, "codes": codes_of.get(iid, [])})
        for cid in codes_of.get(iid, ()):
            notes_of[cid].append(note)
    return notes, notes_of


def export_qdpx(store: GraphStore, out: Path, *, suggestions: bool = True) -> str:
    """Write ``out`` (a .qdpx archive); a one-line summary of what it holds."""
    ET.register_namespace("", NS)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = ET.Element(_q("Project"), {"name": out.stem, "origin": "findings-graph", "creationDateTime": now})
    copies = reads.copies_for_export(store)
    users = {}
    for _, _, coder, consensus, _, _ in copies:
        users.setdefault(_user_name(coder, bool(consensus)), guid("user", _user_name(coder, bool(consensus))))
    stored = reads.suggested_codings(store) if suggestions else []
    if stored:
        users[SUGGESTED_USER] = guid("user", SUGGESTED_USER)
    users_element = _sub(root, "Users")
    for name, user_guid in users.items():
        _sub(users_element, "User", guid=user_guid, name=name)
    notes, notes_of = _strategy_notes(store)
    code_rows = reads.codebook(store)
    code_guids = _codebook(root, code_rows, notes_of)
    paragraphs: dict[str, list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for tid, position, speaker, text in sorted(reads.all_excerpts(store), key=lambda row: (row[0], row[1])):
        paragraphs[tid].append((position, speaker, text))
    codings: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for tid, position, cid, quote in reads.codings_with_quotes(store):
        codings[tid].append((position, cid, quote))
    suggested: dict[str, list[tuple[int, str, float | None, str | None]]] = defaultdict(list)
    for tid, position, cid, score, reason in stored:
        suggested[tid].append((position, cid, score, reason))
    sources = _sub(root, "Sources")
    files: dict[str, str] = {}
    selections = 0
    for tid, interview, coder, consensus, _, path in copies:
        source_guid = guid("source", tid)
        user = users[_user_name(coder, bool(consensus))]
        text = _Text()
        for position, speaker, words in paragraphs.get(tid, ()):
            text.add(position, speaker, words)
        files[f"Sources/{source_guid}.txt"] = text.value()
        source = _sub(sources, "TextSource", guid=source_guid, name=_source_name(interview, coder, bool(consensus)),
                      plainTextPath=f"internal://{source_guid}.txt", creatingUser=user, creationDateTime=now)
        _sub(source, "Description",
             f"{'Consensus copy' if consensus else 'Copy'} of {interview} coded by {_user_name(coder, bool(consensus))}"
             + (f", from {Path(path).name}" if path else ""))
        for position, cid, quote in codings.get(tid, ()):
            if position not in text.spans or cid not in code_guids:
                continue
            start, end = text.selection(position, quote)
            selection = _sub(source, "PlainTextSelection", guid=guid("selection", f"{tid}/{position}/{cid}"),
                             name=_line(quote)[:60] if quote else None, startPosition=start, endPosition=end,
                             creatingUser=user, creationDateTime=now)
            coding = _sub(selection, "Coding", guid=guid("coding", f"{tid}/{position}/{cid}"), creatingUser=user,
                          creationDateTime=now)
            _sub(coding, "CodeRef", targetGUID=code_guids[cid])
            selections += 1
        for position, cid, score, reason in suggested.get(tid, ()):
            if position not in text.spans or cid not in code_guids:
                continue
            start, end = text.selection(position, None)
            key = f"{tid}/{position}/{cid}/suggested"
            selection = _sub(source, "PlainTextSelection", guid=guid("selection", key),
                             name=f"suggested ({score:.2f})" if score is not None else "suggested",
                             startPosition=start, endPosition=end, creatingUser=users[SUGGESTED_USER],
                             creationDateTime=now)
            if reason:
                _sub(selection, "Description", reason)
            coding = _sub(selection, "Coding", guid=guid("coding", key), creatingUser=users[SUGGESTED_USER],
                          creationDateTime=now)
            _sub(coding, "CodeRef", targetGUID=code_guids[cid])
    if notes:
        notes_element = _sub(root, "Notes")
        for note in notes:
            element = _sub(notes_element, "Note", guid=note["guid"], name=note["name"], creationDateTime=now)
            _sub(element, "PlainTextContent", note["text"])
        links = _sub(root, "Links")
        for note in notes:
            if note["codes"]:
                _sub(links, "Link", guid=guid("link", note["guid"]), name="addressed by", direction="OneWay",
                     originGUID=code_guids[note["codes"][0]], targetGUID=note["guid"])
        if not len(links):
            root.remove(links)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8"))
    return (f"{len(copies)} sources, {len(code_guids)} codes, {len(users)} users, {selections} codings"
            f"{f', {len(stored)} suggestions' if stored else ''}, {len(notes)} strategy notes")
