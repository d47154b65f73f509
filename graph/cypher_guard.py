"""Which Cypher a read-only query (the CLI without --write, the explorer's editor) may run, decided by parsing it.

The explorer's connection is read-only, and both backends refuse writes on
it (LadybugDB: "Cannot execute write operations in a read-only database";
Neo4j: a read transaction). But read-only mode still lets through
statements that are not writes to the graph yet must never run from a
browser (measured on ladybug 0.22):

- ``CHECKPOINT`` fails half-way and leaves the database unopenable
  read-only until someone opens it read-write;
- ``EXPORT DATABASE`` writes files; ``INSTALL`` downloads an extension from
  the internet; ``LOAD FROM`` reads any local file, and so does Neo4j's
  ``LOAD CSV`` in a read transaction (files or URLs);
- ``CALL`` runs table functions: ``READ_CSV_SERIAL('/etc/passwd')`` and
  ``READ_PARQUET`` end the process with a segmentation fault, others read
  files, ``CALL threads = 1`` changes the session;
- a second statement after ``;`` runs too, before anyone sees the first
  one's result.

A list of bad words cannot hold: ``x = 1LOAD FROM '/etc/passwd' ... RETURN *``
is a number followed by a LOAD clause to the engine, and LadybugDB reads
``/* a **/ LOAD ... /* b */`` as one comment where Neo4j reads a LOAD
between two. So :func:`check_read_query` tokenizes the query as the
engines do and recognises an allow-list: the read-only Cypher both
LadybugDB (Kuzu's dialect) and Neo4j accept (MATCH, OPTIONAL MATCH, WHERE,
WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION, full expressions,
EXISTS / COUNT subqueries, and CALL of the catalogue functions in
:data:`CATALOGUE`). Anything it does not recognise is refused with one
reason and the line and column where it stopped: :class:`RefusedQuery`.
Words inside strings, comments, backquoted names, property names
(``n.set``), labels (``:Set``), parameters, map keys and aliases
(``AS set``) are not clauses, so they stay allowed.

The lexer follows LadybugDB's grammar (``Cypher.g4``) where it decides where
a string, comment or name ends, and refuses what the two engines would read
differently (that comment, or a ``//`` comment holding a line break other
than a newline, which LadybugDB continues and Neo4j may end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from graph.errors import FindingsError

__all__ = ["CATALOGUE", "READ_CLAUSES", "RefusedQuery", "Token", "tokenize", "check_read_query"]

# Table functions and procedures that only describe the database: no file, no network, no change.
CATALOGUE = frozenset([
    # LadybugDB 0.22 (CALL show_functions() lists them all; the rest read files or storage internals)
    "catalog_version", "current_setting", "db_version", "show_attached_databases", "show_connection",
    "show_functions", "show_graphs", "show_indexes", "show_loaded_extensions", "show_macros",
    "show_official_extensions", "show_projected_graphs", "show_sequences", "show_tables", "show_warnings",
    "storage_version", "table_info",
    # Neo4j 5
    "db.labels", "db.propertykeys", "db.relationshiptypes",
])

READ_CLAUSES = "MATCH, OPTIONAL MATCH, UNWIND, WITH, CALL or RETURN"

# Words the grammar gives a meaning, so that they are never read as a variable.
_RESERVED = frozenset([
    "ALL", "AND", "AS", "ASC", "ASCENDING", "BY", "CALL", "CASE", "CONTAINS", "DESC", "DESCENDING", "DISTINCT",
    "ELSE", "END", "ENDS", "IN", "IS", "LIMIT", "MATCH", "NOT", "OPTIONAL", "OR", "ORDER", "RETURN", "SKIP",
    "STARTS", "THEN", "UNION", "UNWIND", "WHEN", "WHERE", "WITH", "XOR", "YIELD",
])
_COMPARISONS = frozenset(["=", "<>", "<", ">", "<=", ">="])
_SYMBOLS = ("<>", "<=", ">=", "=~", "..", *"()[]{},.:;|=<>+-*/%^")
# Longest match, as the engine's lexer: exponent real, then decimal real, then integer (no leading zero).
_NUMBER = re.compile(r"(?:[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)[eE]-?[0-9]+|[0-9]*\.[0-9]+|0|[1-9][0-9]*")
_INTEGER = re.compile(r"0|[1-9][0-9]*")
_ESCAPE = re.compile(r"\\(?:[\\'\"bBfFnNrRtT]|[xX][0-9a-fA-F]{2}|[uU][0-9a-fA-F]{8}|[uU][0-9a-fA-F]{4})")
_BACKQUOTED = re.compile(r"(?:`[^`]*`)+")
# Line breaks besides "\n" (and "\r\n"): LadybugDB keeps them inside a // comment, other readers end it there.
_OTHER_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class RefusedQuery(FindingsError):
    """A query the read-only guard does not run: why, and where it stopped (line and column, from 1)."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(f"refused at line {line}, column {column}: {reason}")
        self.reason = reason
        self.line = line
        self.column = column


def _refusal(text: str, offset: int, reason: str) -> RefusedQuery:
    line = text.count("\n", 0, offset) + 1
    return RefusedQuery(reason, line, offset - text.rfind("\n", 0, offset))


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is word, name (backquoted), string, number, parameter, symbol or end."""

    kind: str
    text: str  # as written
    value: str  # a name without its quotes, a parameter without its $
    offset: int

    @property
    def keyword(self) -> str | None:
        """The word upper-cased when it could be a keyword (keywords are ASCII, any case)."""
        return self.text.upper() if self.kind == "word" and self.text.isascii() else None


def _is_word_start(char: str) -> bool:
    return char.isidentifier()


def _is_word_part(char: str) -> bool:
    return ("a" + char).isidentifier()


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def refuse(self, offset: int, reason: str) -> NoReturn:
        raise _refusal(self.text, offset, reason)

    def run(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isspace():
                self.pos += 1
            elif text.startswith("//", self.pos):
                self.line_comment()
            elif text.startswith("/*", self.pos):
                self.block_comment()
            elif char in "'\"":
                self.add("string", self.string_end(self.pos))
            elif char == "`":
                end = self.backquoted_end(self.pos)
                self.add("name", end, text[self.pos + 1 : end - 1].replace("``", "`"))
            elif char == "$":
                self.parameter()
            elif number := _NUMBER.match(text, self.pos):
                self.add("number", number.end())
            elif _is_word_start(char):
                end = self.pos + 1
                while end < len(text) and _is_word_part(text[end]):
                    end += 1
                self.add("word", end)
            else:
                self.symbol()
        self.tokens.append(Token("end", "", "", len(text)))
        return self.tokens

    def add(self, kind: str, end: int, value: str | None = None) -> None:
        written = self.text[self.pos : end]
        self.tokens.append(Token(kind, written, written if value is None else value, self.pos))
        self.pos = end

    def line_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end
        body = self.text[self.pos : end].removesuffix("\r")
        for offset, char in enumerate(body):
            if char in _OTHER_LINE_BREAKS:
                self.refuse(self.pos + offset, f"a // comment holding the line break {char!r}, "
                                               "which LadybugDB and Neo4j end in different places")
        self.pos = end

    def block_comment(self) -> None:
        # LadybugDB's rule: a '*' and the character after it are consumed together unless that is '/',
        # so "**/" does not close the comment there; Neo4j closes it at the first "*/".
        first = self.text.find("*/", self.pos + 2)
        if first < 0:
            self.refuse(self.pos, "a /* comment that never ends")
        index = self.pos + 2
        while index < first:
            index += 2 if self.text[index] == "*" else 1
        if index != first:  # a '*' just before the first "*/" took its '*'; LadybugDB reads on
            self.refuse(first, "a comment ending in '**/', which LadybugDB and Neo4j end in different places")
        self.pos = first + 2

    def string_end(self, start: int) -> int:
        quote, index = self.text[start], start + 1
        while index < len(self.text):
            char = self.text[index]
            if char == quote:
                return index + 1
            if char == "\\":
                escape = _ESCAPE.match(self.text, index)
                if not escape:
                    self.refuse(index, f"an unknown escape {self.text[index:index + 2]!r} in a string")
                index = escape.end()
            else:
                index += 1
        self.refuse(start, "a string that never ends")

    def backquoted_end(self, start: int) -> int:
        name = _BACKQUOTED.match(self.text, start)
        if not name:
            self.refuse(start, "a `name` that never ends")
        return name.end()

    def parameter(self) -> None:
        start, after = self.pos, self.pos + 1
        text = self.text
        if after < len(text) and text[after] == "`":
            end = self.backquoted_end(after)
            value = text[after + 1 : end - 1].replace("``", "`")
        elif number := _INTEGER.match(text, after):
            end, value = number.end(), number.group()
        elif after < len(text) and _is_word_start(text[after]):
            end = after + 1
            while end < len(text) and _is_word_part(text[end]):
                end += 1
            value = text[after:end]
        else:
            self.refuse(start, "'$' without a parameter name right after it")
        self.add("parameter", end, value)

    def symbol(self) -> None:
        for symbol in _SYMBOLS:
            if self.text.startswith(symbol, self.pos):
                self.add("symbol", self.pos + len(symbol))
                return
        char = self.text[self.pos]
        self.refuse(self.pos, f"unexpected character {char!r}" if char.isprintable() else
                    f"unexpected character U+{ord(char):04X}")


def tokenize(text: str) -> list[Token]:
    """The tokens of a query, ending with an ``end`` token; :class:`RefusedQuery` for text no engine lexes alike."""
    if "\x00" in text:
        raise _refusal(text, text.index("\x00"), "a NUL character")
    return _Lexer(text).run()


def check_read_query(text: str) -> None:
    """Return when ``text`` is one read-only query of the recognised subset; raise :class:`RefusedQuery` if not."""
    _Parser(text).statement()


def _shown(token: Token) -> str:
    if token.kind == "end":
        return "the end of the query"
    return repr(token.text if len(token.text) <= 30 else token.text[:27] + "...")


class _Parser:
    """A recursive-descent recogniser: each method consumes one construct or raises :class:`RefusedQuery`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    # Tokens

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def ahead(self, steps: int) -> Token:
        return self.tokens[min(self.index + steps, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.token
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def at(self, *keywords: str) -> bool:
        return self.token.keyword in keywords

    def at_symbol(self, *symbols: str, token: Token | None = None) -> bool:
        token = token or self.token
        return token.kind == "symbol" and token.text in symbols

    def at_name(self, token: Token | None = None) -> bool:
        token = token or self.token
        return token.kind in ("word", "name")

    def accept(self, keyword: str) -> bool:
        if self.at(keyword):
            self.advance()
            return True
        return False

    def accept_symbol(self, symbol: str) -> bool:
        if self.at_symbol(symbol):
            self.advance()
            return True
        return False

    def expect(self, keyword: str) -> None:
        if not self.accept(keyword):
            self.fail(keyword)

    def expect_symbol(self, symbol: str) -> None:
        if not self.accept_symbol(symbol):
            self.fail(repr(symbol))

    def refuse(self, token: Token, reason: str) -> NoReturn:
        raise _refusal(self.text, token.offset, reason)

    def fail(self, expected: str) -> NoReturn:
        self.refuse(self.token, f"expected {expected}, found {_shown(self.token)}")

    def name(self) -> str:
        if not self.at_name():
            self.fail("a name")
        return self.advance().value

    # Statement and clauses

    def statement(self) -> None:
        if self.token.kind == "end":
            self.refuse(self.token, "an empty query")
        self.query()
        if self.accept_symbol(";"):
            if self.token.kind != "end":
                self.refuse(self.token, "a second statement after ';'")
        elif self.token.kind != "end":
            if self.at("MATCH", "OPTIONAL", "UNWIND", "WITH", "CALL", "RETURN"):
                self.refuse(self.token, f"{self.token.keyword} after RETURN (a query ends with its RETURN)")
            if self.token.kind == "word" and self.token.text.isalpha():
                self.not_a_clause()
            self.fail("the end of the query")

    def query(self) -> None:
        self.single_query()
        while self.accept("UNION"):
            self.accept("ALL")
            self.single_query()

    def single_query(self) -> None:
        first = self.token
        clauses = 0
        while not self.at("RETURN"):
            standalone_call = clauses == 1 and first.keyword == "CALL"
            if standalone_call and (self.token.kind == "end" or self.at_symbol(";")):
                return  # Neo4j's CALL db.labels() needs no RETURN
            self.reading_clause()
            clauses += 1
        self.projection(where=False)

    def reading_clause(self) -> None:
        if self.accept("OPTIONAL"):
            self.expect("MATCH")
            self.match()
        elif self.accept("MATCH"):
            self.match()
        elif self.accept("UNWIND"):
            self.expression()
            self.expect("AS")
            self.name()
        elif self.at("WITH"):
            self.projection(where=True)
        elif self.at("CALL"):
            self.call()
        else:
            self.not_a_clause()

    def not_a_clause(self) -> NoReturn:
        if self.token.kind == "word" and self.token.text.isalpha():
            self.refuse(self.token, f"{self.token.text.upper()} is not a read clause")
        self.fail(f"a read clause ({READ_CLAUSES})")

    def match(self) -> None:
        self.pattern()
        while self.accept_symbol(","):
            self.pattern()
        if self.accept("WHERE"):
            self.expression()

    def projection(self, *, where: bool) -> None:
        """WITH or RETURN: [DISTINCT] items [ORDER BY ...] [SKIP n] [LIMIT n], and WITH's [WHERE ...]."""
        self.advance()
        self.accept("DISTINCT")
        if not self.accept_symbol("*"):
            self.projection_item()
        while self.accept_symbol(","):
            self.projection_item()
        if self.accept("ORDER"):
            self.expect("BY")
            self.sort_item()
            while self.accept_symbol(","):
                self.sort_item()
        if self.accept("SKIP"):
            self.expression()
        if self.accept("LIMIT"):
            self.expression()
        if where and self.accept("WHERE"):
            self.expression()

    def projection_item(self) -> None:
        self.expression()
        if self.accept("AS"):
            self.name()

    def sort_item(self) -> None:
        self.expression()
        for direction in ("ASC", "ASCENDING", "DESC", "DESCENDING"):
            if self.accept(direction):
                return

    def call(self) -> None:
        self.advance()
        if self.at_symbol("{", "("):
            self.refuse(self.token, "CALL { ... } subqueries are not read clauses here")
        start = self.token
        procedure = self.name()
        while self.accept_symbol("."):
            procedure += "." + self.name()
        if procedure.lower() not in CATALOGUE:
            self.refuse(start, f"CALL runs only catalogue functions such as show_tables() or db.labels(), not {procedure}")
        self.expect_symbol("(")
        self.expressions(")")
        if self.accept("YIELD"):
            self.yield_item()
            while self.accept_symbol(","):
                self.yield_item()
        if self.accept("WHERE"):
            self.expression()

    def yield_item(self) -> None:
        self.name()
        if self.accept("AS"):
            self.name()

    def expressions(self, closing: str) -> None:
        """Comma-separated expressions (maybe none) up to and including ``closing``."""
        if not self.at_symbol(closing):
            self.expression()
            while self.accept_symbol(","):
                self.expression()
        self.expect_symbol(closing)

    # Patterns

    def pattern(self) -> None:
        if self.at_name() and self.at_symbol("=", token=self.ahead(1)):
            self.advance()  # a path variable: p = (a)-->(b)
            self.advance()
        if self.at_symbol("(") and self.at_symbol("(", token=self.ahead(1)):
            self.advance()
            self.pattern()
            self.expect_symbol(")")
            return
        self.node()
        while self.at_relationship():
            self.relationship()
            self.node()

    def at_relationship(self) -> bool:
        return self.at_symbol("-") or (self.at_symbol("<") and self.at_symbol("-", token=self.ahead(1)))

    def node(self) -> None:
        self.expect_symbol("(")
        if self.at_name():
            self.advance()
        if self.accept_symbol(":"):
            self.name()
            while self.at_symbol("|", ":"):
                if self.advance().text == "|":
                    self.accept_symbol(":")
                self.name()
        self.properties()
        self.expect_symbol(")")

    def relationship(self) -> None:
        self.accept_symbol("<")
        self.expect_symbol("-")
        if self.accept_symbol("["):
            if self.at_name():
                self.advance()
            if self.accept_symbol(":"):
                self.name()
                while self.accept_symbol("|"):
                    self.accept_symbol(":")
                    self.name()
            if self.accept_symbol("*"):
                self.variable_length()
            self.properties()
            self.expect_symbol("]")
        self.expect_symbol("-")
        self.accept_symbol(">")

    def variable_length(self) -> None:
        """The hops after '*': ``*``, ``*2``, ``*1..3``, ``*..3``, ``*1..``."""
        self.integer()
        if self.accept_symbol(".."):
            self.integer()

    def integer(self) -> None:
        if self.token.kind == "number" and _INTEGER.fullmatch(self.token.text):
            self.advance()

    def properties(self) -> None:
        if self.at_symbol("{"):
            self.map_literal()
        elif self.token.kind == "parameter":
            self.advance()

    # Expressions, loosest binding first

    def expression(self) -> None:
        self.xor_expression()
        while self.accept("OR"):
            self.xor_expression()

    def xor_expression(self) -> None:
        self.and_expression()
        while self.accept("XOR"):
            self.and_expression()

    def and_expression(self) -> None:
        self.not_expression()
        while self.accept("AND"):
            self.not_expression()

    def not_expression(self) -> None:
        while self.accept("NOT"):
            pass
        self.comparison()

    def comparison(self) -> None:
        self.predicate()
        while self.at_symbol(*_COMPARISONS):
            self.advance()
            self.predicate()

    def predicate(self) -> None:
        """IS [NOT] NULL, IN, STARTS WITH, ENDS WITH, CONTAINS, =~."""
        self.additive()
        while True:
            if self.accept("IS"):
                self.accept("NOT")
                self.expect("NULL")
                continue
            if self.at("STARTS", "ENDS"):
                self.advance()
                self.expect("WITH")
            elif not (self.accept("IN") or self.accept("CONTAINS") or self.accept_symbol("=~")):
                return
            self.additive()

    def additive(self) -> None:
        self.multiplicative()
        while self.at_symbol("+", "-"):
            self.advance()
            self.multiplicative()

    def multiplicative(self) -> None:
        self.power()
        while self.at_symbol("*", "/", "%"):
            self.advance()
            self.power()

    def power(self) -> None:
        self.unary()
        while self.accept_symbol("^"):
            self.unary()

    def unary(self) -> None:
        while self.accept_symbol("-"):
            pass
        self.atom()
        while True:
            if self.accept_symbol("."):
                self.name()
            elif self.accept_symbol("["):
                self.subscript()
            else:
                return

    def subscript(self) -> None:
        """After '[': ``[i]``, ``[a..b]``, ``[..b]``, ``[a..]``."""
        if not self.at_symbol(".."):
            self.expression()
        if self.accept_symbol("..") and not self.at_symbol("]"):
            self.expression()
        self.expect_symbol("]")

    def atom(self) -> None:
        token = self.token
        keyword = token.keyword
        if token.kind in ("number", "string", "parameter", "name") or keyword in ("TRUE", "FALSE", "NULL"):
            self.advance()
        elif self.at_symbol("["):
            self.list_literal()
        elif self.at_symbol("{"):
            self.map_literal()
        elif self.at_symbol("("):
            self.parenthesised_or_path()
        elif keyword == "CASE":
            self.case()
        elif keyword in ("EXISTS", "COUNT") and self.at_symbol("{", token=self.ahead(1)):
            self.subquery()
        elif token.kind == "word" and self.at_symbol("(", token=self.ahead(1)):
            self.function_call()
        elif token.kind == "word" and keyword not in _RESERVED:
            self.advance()  # a variable
        else:
            self.fail("an expression")

    def function_call(self) -> None:
        """``f(...)``, ``count(*)``, ``f(DISTINCT x)``, and the forms over ``x IN list``: all(), any(), none(),
        single(), reduce()."""
        function = self.advance().keyword
        self.expect_symbol("(")
        if function in ("ALL", "ANY", "NONE", "SINGLE") and self.at_name() and self.ahead(1).keyword == "IN":
            self.in_list()
            self.expect("WHERE")
            self.expression()
            self.expect_symbol(")")
        elif function == "REDUCE" and self.at_name() and self.at_symbol("=", token=self.ahead(1)):
            self.advance()
            self.advance()
            self.expression()
            self.expect_symbol(",")
            self.in_list()
            self.expect_symbol("|")
            self.expression()
            self.expect_symbol(")")
        elif function == "COUNT" and self.accept_symbol("*"):
            self.expect_symbol(")")
        else:
            self.accept("DISTINCT")
            self.expressions(")")

    def in_list(self) -> None:
        self.name()
        self.expect("IN")
        self.expression()

    def list_literal(self) -> None:
        """``[a, b]``, or the comprehension ``[x IN list WHERE p | e]``."""
        self.advance()
        if self.at_name() and self.ahead(1).keyword == "IN":
            self.in_list()
            if self.accept("WHERE"):
                self.expression()
            if self.accept_symbol("|"):
                self.expression()
            self.expect_symbol("]")
        else:
            self.expressions("]")

    def map_literal(self) -> None:
        self.advance()
        if not self.at_symbol("}"):
            self.map_entry()
            while self.accept_symbol(","):
                self.map_entry()
        self.expect_symbol("}")

    def map_entry(self) -> None:
        if self.token.kind == "string":
            self.advance()
        else:
            self.name()
        self.expect_symbol(":")
        self.expression()

    def parenthesised_or_path(self) -> None:
        """``(expression)``, or a path pattern used as a predicate: ``(a)-[:X]->(b)``."""
        start = self.index
        try:
            self.node()
            if self.at_relationship():
                while self.at_relationship():
                    self.relationship()
                    self.node()
                return
        except RefusedQuery:
            pass
        self.index = start
        self.advance()
        self.expression()
        self.expect_symbol(")")

    def case(self) -> None:
        self.advance()
        if not self.at("WHEN"):
            self.expression()
        if not self.at("WHEN"):
            self.fail("WHEN")
        while self.accept("WHEN"):
            self.expression()
            self.expect("THEN")
            self.expression()
        if self.accept("ELSE"):
            self.expression()
        self.expect("END")

    def subquery(self) -> None:
        """``EXISTS { ... }`` or ``COUNT { ... }``: read clauses (optionally ending in RETURN), or a pattern and WHERE."""
        self.advance()
        self.advance()
        if self.at("MATCH", "OPTIONAL", "UNWIND", "WITH", "CALL"):
            while not self.at_symbol("}"):
                if self.at("RETURN"):
                    self.projection(where=False)
                    break
                self.reading_clause()
        else:
            self.match()
        self.expect_symbol("}")
