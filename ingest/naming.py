"""Normalise the names sources give to interviews, coders and speakers.

Exports of the same study spell these inconsistently ("Interview 17- PO",
"Interview 20 - Mouna.txt", "interviewr", "Interviewer2 2"); one spelling per
interview and per speaker role is what lets several coders' copies meet under
one ``Interview`` node.
"""

from __future__ import annotations

import re

__all__ = ["MAX_INTERVIEW_NUMBER", "parse_title", "interview_number", "speaker_role", "slug"]

# A date prefix that Delve prints put before the title ("2023-06-04-Interview 35 - PO").
_DATE_PREFIX = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[-_ ]*")
# Extensions that leak into titles when a transcript was uploaded as a file.
_FILE_SUFFIX = re.compile(r"\.(txt|docx?|md|pdf|rtf|odt)\s*$", re.IGNORECASE)
_TITLE = re.compile(r"^\s*interview\s*[-_#]?\s*(\d+)\s*(.*)$", re.IGNORECASE)
_SPEAKER = re.compile(r"^\s*(inter?v[a-z]*)\s*(\d+)?(?:\s+\d+)?\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
# Both stores keep an interview's number as INT64.
MAX_INTERVIEW_NUMBER = 2**63 - 1


def parse_title(title: str) -> tuple[str, str | None]:
    """Split a transcript title into (interview name, coder).

    >>> parse_title("Interview 35 - PO")
    ('Interview 35', 'PO')
    >>> parse_title("2023-06-04-Interview 17- PO")
    ('Interview 17', 'PO')
    >>> parse_title("Interview 20 - Mouna.txt")
    ('Interview 20', 'Mouna')

    A title that is not of the "Interview N" form is kept whole as the
    interview name, with no coder.
    """
    text = _DATE_PREFIX.sub("", title.strip())
    text = _FILE_SUFFIX.sub("", text).strip()
    match = _TITLE.match(text)
    if not match:
        return text, None
    number, rest = match.groups()
    coder = _FILE_SUFFIX.sub("", rest.strip(" -_–—:")).strip(" -_–—:")
    # Leading zeros dropped as text: int() refuses strings of over 4,300 digits.
    return f"Interview {number.lstrip('0') or '0'}", coder or None


def interview_number(name: str) -> int | None:
    """The number in "Interview 35", used to order interviews (saturation, the explorer).

    A number past INT64 is no interview number but a typo or a hostile
    title: the interview keeps its name and has no number, like "Focus
    group", rather than failing later in the database.
    """
    match = _NUMBER.search(name)
    if match is None:
        return None
    digits = match.group().lstrip("0") or "0"
    if len(digits) > len(str(MAX_INTERVIEW_NUMBER)) or int(digits) > MAX_INTERVIEW_NUMBER:
        return None
    return int(digits)


def speaker_role(label: str) -> str | None:
    """Return the canonical form of an interviewer/interviewee label, or None.

    Speech-to-text and hand typing give "Interviewer1", "interviewr",
    "Interviewer2 2", "interviewee"; they become "Interviewer 1",
    "Interviewer", "Interviewer 2", "Interviewee".
    """
    match = _SPEAKER.match(label)
    if not match:
        return None
    word, number = match.group(1).lower(), match.group(2)
    if not word.startswith("interv"):
        return None
    if word.endswith("ee") or word in {"interviewe", "intervieweee"}:
        role = "Interviewee"
    elif word.endswith("r") or word.endswith("er"):
        role = "Interviewer"
    else:
        return None
    return f"{role} {int(number)}" if number else role


def slug(text: str) -> str:
    """A lower-case, hyphenated key for ids ("Interview 35" -> "interview-35")."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "unnamed"
