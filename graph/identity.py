"""Stable ids for the nodes that records turn into.

Ids are derived from names, never from load order, so that re-ingesting a
file finds the nodes it made before and two coders' copies of one interview
meet under the same ``Interview``.
"""

from __future__ import annotations

from ingest.naming import slug
from ingest.records import TranscriptRecord

__all__ = ["interview_id", "interviewee_id", "transcript_id", "excerpt_id"]


def interview_id(name: str) -> str:
    return slug(name)


def interviewee_id(interview_name: str) -> str:
    # Studies interview each person once; the interviewee is known through the interview.
    return f"interviewee-{interview_id(interview_name)}"


def transcript_id(record: TranscriptRecord) -> str:
    return f"{interview_id(record.interview)}/{slug(record.coder) if record.coder else 'raw'}"


def excerpt_id(transcript: str, sha256: str, position: int) -> str:
    # The file digest is part of the id, so a changed transcript's new
    # excerpts never collide with the old ones being replaced.
    return f"{transcript}/{sha256[:12]}/{position}"
