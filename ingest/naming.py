"""Normalise the names sources give to interviews, coders and speakers.

Exports of the same study spell these inconsistently ("Interview 17- PO",
"Interview 20 - Mouna.txt", "interviewr", "Interviewer2 2"); one spelling per
interview and per speaker role is what lets several coders' copies meet under
one ``Interview`` node.
"""

from __future__ import annotations

import re

# A date prefix that Delve prints put before the title ("2023-06-04-Interview 35 - PO").
_DATE_PREFIX = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[-_ ]*")
# Extensions that leak into titles when a transcript was uploaded as a file.
_FILE_SUFFIX = re.compile(r"\.(txt|docx?|md|pdf|rtf|odt)\s*$", re.IGNORECASE)
_TITLE = re.compile(r"^\s*interview\s*[-_#]?\s*(\d+)\s*(.*)$", re.IGNORECASE)
_SPEAKER = re.compile(r"^\s*(inter?v[a-z]*)\s*(\d+)?(?:\s+\d+)?\s*$", re.IGNORECASE)


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
    return f"Interview {int(number)}", coder or None


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
