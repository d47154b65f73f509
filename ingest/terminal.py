"""Text from files, made safe to show on a terminal.

File names and the coder and code names inside files come from other
people's machines: an escape sequence in one can retitle, recolour or clear
the terminal, a newline can forge a second message line, a bidirectional
override can make a name read as another. Wherever such text reaches the
terminal (error and warning lines, tables) those characters are written
escaped, the way Python writes them (``\\x1b``, ``\\n``, ``\\u202e``); the
data itself, in the graph and in CSV and JSON output, keeps the real values.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 and C1 controls and DEL, line and paragraph separators, bidirectional
# marks, embeddings, overrides and isolates, and lone surrogates (which no
# terminal can print).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# What a table cell may keep: it has room for several lines.
_CELL_LAYOUT = frozenset("\n\t")


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with every character that could drive a terminal escaped.

    ``lines`` keeps newlines and tabs, for table cells (a quote spans lines);
    a message line escapes them, so that it stays one line.
    """
    return _UNSAFE.sub(lambda match: _escaped(match.group(), lines), text)


def _escaped(char: str, lines: bool) -> str:
    return char if lines and char in _CELL_LAYOUT else repr(char)[1:-1]
