"""Text from files is escaped for the terminal: controls and bidi overrides, never ordinary letters."""

import pytest

from ingest.terminal import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
        ("two\nlines\tand\rback", "two\\nlines\\tand\\rback"),
        ("C1 \x9b and DEL \x7f", "C1 \\x9b and DEL \\x7f"),
        ("abc\u202edcba \u2066x\u2069 \u2028", "abc\\u202edcba \\u2066x\\u2069 \\u2028"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("Naïve 🙂 数据 می\u200cخواهم [/] \\x1b", "Naïve 🙂 数据 می\u200cخواهم [/] \\x1b"),
    ],
)
def test_message_lines_escape_what_could_drive_the_terminal(text, shown):
    assert printable(text) == shown


def test_table_cells_keep_their_lines():
    assert printable("one\n\ttwo\x1b[2J\r", lines=True) == "one\n\ttwo\\x1b[2J\\r"
