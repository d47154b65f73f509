"""The read-only guard: a parser that lets through only read queries, tried with what LadybugDB would run.

Refused: every clause that writes, touches files, changes the session or
runs a second statement, whatever the spacing, case, comments or adjacent
digits (the issue's ``x = 1LOAD FROM '/etc/passwd' ...``), and every CALL but
the catalogue functions. Accepted: every query of the library, every query
the explorer's answers run, and queries that only look hostile (keywords
in strings, comments, names and property keys), which then run on a real
LadybugDB store and give the rows their plain spelling gives.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.cypher_guard import CATALOGUE, RefusedQuery, check_read_query, tokenize
from graph.ladybug_store import LadybugStore
from graph.queries import library, parse_query_file
from graph.store import open_store
from tests.conftest import EXAMPLES, load_paths

PASSWD = "(file_format='csv', delim=':', header=false)"


def refusal(cypher: str) -> RefusedQuery:
    with pytest.raises(RefusedQuery) as refused:
        check_read_query(cypher)
    return refused.value


@pytest.fixture(scope="module")
def study_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("guard") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    return path


# Refused, with the reason and where


@pytest.mark.parametrize(
    ("cypher", "where", "reason"),
    [
        # From the issue: a digit glued to a keyword ends the number, and LOAD starts a clause.
        (f"MATCH (i:Issue) WHERE i.weight = 1LOAD FROM '/etc/passwd' {PASSWD} RETURN *", (1, 35),
         "LOAD is not a read clause"),
        ("CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", (1, 6), "CALL runs only catalogue functions"),
        ("CALL READ_PARQUET('/etc/passwd') RETURN *", (1, 6), "not READ_PARQUET"),
        ("call read_csv_parallel('/etc/passwd') return *", (1, 6), "not read_csv_parallel"),
        ("CALL threads = 1", (1, 6), "not threads"),
        ("CALL project_graph('g', ['Issue'], []) RETURN *", (1, 6), "not project_graph"),
        ("CALL { MATCH (n) RETURN n } RETURN 1", (1, 6), "CALL { ... } subqueries"),
        ("MATCH (n) CALL (n) { RETURN 1 AS x } RETURN x", (1, 16), "CALL { ... } subqueries"),
        (f"LOAD FROM '/etc/passwd' {PASSWD} RETURN *", (1, 1), "LOAD is not a read clause"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", (1, 1), "LOAD is not a read clause"),
        ("LOAD EXTENSION httpfs", (1, 1), "LOAD is not a read clause"),
        ("COPY Issue FROM '/tmp/issues.csv'", (1, 1), "COPY is not a read clause"),
        ("COPY (MATCH (n) RETURN n) TO '/tmp/out.csv'", (1, 1), "COPY is not a read clause"),
        ("EXPORT DATABASE '/tmp/out'", (1, 1), "EXPORT is not a read clause"),
        ("IMPORT DATABASE '/tmp/out'", (1, 1), "IMPORT is not a read clause"),
        ("ATTACH '/tmp/x.db' AS other (dbtype duckdb)", (1, 1), "ATTACH is not a read clause"),
        ("INSTALL httpfs", (1, 1), "INSTALL is not a read clause"),
        ("FORCE INSTALL httpfs", (1, 1), "FORCE is not a read clause"),
        ("checkpoint", (1, 1), "CHECKPOINT is not a read clause"),
        ("CREATE (n:Issue {id: 'x'})", (1, 1), "CREATE is not a read clause"),
        ("MATCH (a:Issue) WITH a MERGE (a)-[:X]->(b:Issue)", (1, 24), "MERGE is not a read clause"),
        ("MATCH (n:Issue) SET n.name = 'x'", (1, 17), "SET is not a read clause"),
        ("MATCH (n) DELETE n", (1, 11), "DELETE is not a read clause"),
        ("MATCH (n) DETACH DELETE n", (1, 11), "DETACH is not a read clause"),
        ("MATCH (n:Issue) REMOVE n.name", (1, 17), "REMOVE is not a read clause"),
        ("DROP TABLE Issue", (1, 1), "DROP is not a read clause"),
        ("ALTER TABLE Issue ADD x INT64", (1, 1), "ALTER is not a read clause"),
        ("BEGIN TRANSACTION", (1, 1), "BEGIN is not a read clause"),
        ("COMMIT", (1, 1), "COMMIT is not a read clause"),
        ("ROLLBACK", (1, 1), "ROLLBACK is not a read clause"),
        ("USE other", (1, 1), "USE is not a read clause"),
        ("CREATE MACRO twice(x) AS x * 2", (1, 1), "CREATE is not a read clause"),
        ("MATCH (n) FOREACH (x IN [1] | CREATE (:Issue))", (1, 11), "FOREACH is not a read clause"),
        ("EXPLAIN MATCH (n) RETURN n", (1, 1), "EXPLAIN is not a read clause"),
        ("PROFILE MATCH (n) RETURN n", (1, 1), "PROFILE is not a read clause"),
        # LadybugDB runs every statement of a query: a harmless first one must not carry a second.
        ("MATCH (n) RETURN n; CHECKPOINT", (1, 21), "a second statement after ';'"),
        ("RETURN 1;\nRETURN 2", (2, 1), "a second statement after ';'"),
        ("RETURN 1;;", (1, 10), "a second statement after ';'"),
        # Whatever the spacing, case, comments and line breaks.
        ("MATCH (n)\n\n  dEtAcH\tdelete n", (3, 3), "DETACH is not a read clause"),
        ("MATCH (n)/* read */SET/**/n.x = 1", (1, 20), "SET is not a read clause"),
        ("MATCH (n) // just reading\nSET n.x = 1", (2, 1), "SET is not a read clause"),
        ("MATCH\u00a0(n)\u3000SET\u2003n.x = 1", (1, 11), "SET is not a read clause"),
        ("MATCH (n) RETURN n UNION CREATE (m) RETURN m", (1, 26), "CREATE is not a read clause"),
        ("MATCH (n) WITH n LIMIT 1CREATE (m)", (1, 25), "CREATE is not a read clause"),
        ("UNWIND [1] AS x CREATE (:X)", (1, 17), "CREATE is not a read clause"),
        ("MATCH (n) RETURN n.x ORDER BY n.x DESC LIMIT 2.5e1LOAD FROM 'x' RETURN *", (1, 51), "LOAD is not a read clause"),
        ("MATCH (n) WHERE EXISTS { MATCH (n)-->(m) SET m.x = 1 } RETURN n", (1, 42), "SET is not a read clause"),
        ("LO/**/AD FROM '/etc/passwd' RETURN *", (1, 1), "LO is not a read clause"),
        ("RETURN 1 RETURN 2", (1, 10), "RETURN after RETURN"),
        # Not Cypher of the subset: refused too, and said where.
        ("MATCH (n RETURN n", (1, 10), "expected ')', found 'RETURN'"),
        ("MATCH (n) RETURN n.*", (1, 20), "expected a name, found '*'"),
        ("RETURN 0x1F", (1, 9), "expected the end of the query, found 'x1F'"),
        ("", (1, 1), "an empty query"),
        ("// only a comment", (1, 18), "an empty query"),
    ],
)
def test_refused_with_one_reason_and_where(cypher, where, reason):
    refused = refusal(cypher)
    assert (refused.line, refused.column) == where, str(refused)
    assert reason in refused.reason
    assert str(refused).startswith(f"refused at line {where[0]}, column {where[1]}: ")


@pytest.mark.parametrize(
    ("cypher", "reason"),
    [
        # LadybugDB ends this comment at the second "*/" (a '*' eats the character after it), Neo4j at the
        # first: between them, one of the two would run the LOAD.
        (f"MATCH (n) RETURN n /* a **/ UNION LOAD FROM '/etc/passwd' {PASSWD} RETURN * /* b */",
         "a comment ending in '**/'"),
        ("MATCH (n) RETURN n /***/ LIMIT 1", "a comment ending in '**/'"),
        # LadybugDB keeps these line breaks inside a // comment; other readers may end the comment there.
        ("MATCH (n) RETURN n // x\u2028UNION LOAD FROM 'x' RETURN *", "line break '\\u2028'"),
        ("MATCH (n) RETURN n // x\rUNION LOAD FROM 'x' RETURN *", "line break '\\r'"),
        ("MATCH (n) RETURN n // x\x0bUNION LOAD FROM 'x' RETURN *", "line break '\\x0b'"),
        ("MATCH (n) RETURN n // x\x85UNION LOAD FROM 'x' RETURN *", "line break '\\x85'"),
        ("MATCH (n) RETURN n /* never closed", "a /* comment that never ends"),
        ("MATCH (n) RETURN 'never closed", "a string that never ends"),
        ("MATCH (n) RETURN `never closed", "a `name` that never ends"),
        (r"RETURN '\q'", r"an unknown escape '\\q'"),
        (r"RETURN '\u12'", r"an unknown escape '\\u'"),
        ("RETURN 'a\x00b'", "a NUL character"),
        # LadybugDB's whitespace, not Python's: refused rather than read as part of a word.
        ("MATCH (n) RETURN n\u180eLIMIT 1", "unexpected character U+180E"),
        ("RETURN $ x", "'$' without a parameter name"),
        ("RETURN 1 != 2", "unexpected character '!'"),
    ],
)
def test_text_the_engines_read_differently_is_refused(cypher, reason):
    assert reason in str(refusal(cypher))


# Accepted: the library, the explorer's own queries, and what only looks hostile


@pytest.mark.parametrize("name", sorted(library()))
def test_every_library_query_is_accepted(name):
    check_read_query(library()[name].text)


def test_every_query_the_explorer_and_the_read_commands_run_is_accepted(study_db, monkeypatch):
    """The explorer's answers come from the analytics, the lookups and the library: record every query
    they send to a read-only store and check that the guard would have let each one through."""
    from graph import reads
    from graph.analytics.agreement import agreement
    from graph.analytics.names import VIEWS
    from graph.analytics.saturation import saturation
    from graph.analytics.selection import Copies, paragraph_issues, select
    from graph.analytics.views import build_view
    from graph.knowledge.lookup import fixes_for, issues_for
    from graph.queries import graph_counts
    from tests.named_reads import read_calls

    sent: list[str] = []
    run = LadybugStore.run

    def recorded(self, cypher, params=None):
        sent.append(cypher)
        return run(self, cypher, params)

    monkeypatch.setattr(LadybugStore, "run", recorded)
    with open_store(study_db, read_only=True) as store:  # opening runs CALL show_tables() and table_info()
        graph_counts(store)
        agreement(store, "Interview 1")
        saturation(store)
        paragraph_issues(store, select(store))
        select(store, Copies("coder", "Ana"))
        select(store, Copies("union"))
        for view in VIEWS:
            build_view(store, view)
        fixes_for(store, "robustness")
        issues_for(store, "data augmentation")
        for label in reads.QUOTED_LABELS:
            reads.node_quotes(store, label, "qm-robustness")
        for name, args in read_calls(store):
            getattr(reads, name)(store, *args)
        for entry in library().values():
            store.run(entry.text, entry.examples)
    distinct = list(dict.fromkeys(sent))
    assert len(distinct) > 50
    refused = {}
    for cypher in distinct:
        try:
            check_read_query(cypher)
        except RefusedQuery as exc:
            refused[cypher] = str(exc)
    assert refused == {}


# Each pair: a query that only looks hostile, and its plain spelling; both are accepted and give the same rows.
HARMLESS = [
    ("MATCH (n:Issue) WHERE n.name <> 'create set' // delete\nRETURN n.name AS set, {remove: $load} AS `drop`",
     "MATCH (n:Issue) RETURN n.name AS set, {remove: $load} AS drop"),
    ("MATCH (n:Issue) /* MERGE (x) */ RETURN count(*) AS load", "MATCH (n:Issue) RETURN count(*) AS load"),
    ("MATCH (i:Issue {name: 'robustness'}) RETURN 'LOAD FROM \\'/etc/passwd\\' RETURN *; CHECKPOINT' AS s",
     "MATCH (i:Issue {name: 'robustness'}) RETURN \"LOAD FROM '/etc/passwd' RETURN *; CHECKPOINT\" AS s"),
    ("MATCH (i:Issue) WHERE i.name <> \"a \\\" CREATE (x) \\\\\" RETURN i.name",
     "MATCH (i:Issue) RETURN i.name"),
    ("MATCH (`create`:Issue) RETURN `create`.name AS `LOAD FROM`, `create`.`id` AS `a``b` ORDER BY `LOAD FROM`",
     "MATCH (c:Issue) RETURN c.name AS l, c.id AS ab ORDER BY l"),
    ("MATCH (delete:Issue) WITH delete.name AS load WHERE load CONTAINS 'ness' RETURN load",
     "MATCH (i:Issue) WHERE i.name CONTAINS 'ness' RETURN i.name"),
    ("MATCH\u00a0(i:Issue)\u3000WHERE\ti.name\u2003STARTS WITH 'r'\u2028RETURN\x0bi.name",
     "MATCH (i:Issue) WHERE i.name STARTS WITH 'r' RETURN i.name"),
    ("MATCH (i:Issue) RETURN i.name ORDER BY i.name LIMIT 1;", "MATCH (i:Issue) RETURN i.name ORDER BY i.name LIMIT 1"),
    ("MATCH (i:Issue) RETURN i.name /****/ ORDER BY i.name /* LIMIT 1 */", "MATCH (i:Issue) RETURN i.name ORDER BY i.name"),
    # LadybugDB counts list positions from 1.
    ("RETURN [[[1, (2)]], [[((3))]]][2][1][1] AS x, {a: {b: [(((4)))]}}.a.b[1] AS y", "RETURN 3 AS x, 4 AS y"),
    ("RETURN 1 AS x LIMIT 1UNION ALL RETURN 2 AS x", "RETURN 1 AS x UNION ALL RETURN 2 AS x"),
    (("MATCH (i:Issue) WHERE i.name IN ['robustness', 'efficiency'] AND NOT i.name IS NULL "
      "RETURN CASE WHEN i.name =~ 'rob.*' THEN 'r' ELSE 'e' END AS letter, -i.degree AS minus ORDER BY letter"),
     ("MATCH (i:Issue) WHERE i.name = 'robustness' OR i.name = 'efficiency' "
      "RETURN CASE i.name WHEN 'robustness' THEN 'r' ELSE 'e' END AS letter, 0 - i.degree AS minus ORDER BY letter")),
    (("MATCH p = (e:Excerpt)-[:CODED_AS*1..2]->(c:Code) WHERE EXISTS { MATCH (c)-[:INDICATES]->(:Issue) } "
      "RETURN count(DISTINCT c) AS codes, COUNT { MATCH (e2:Excerpt)-[:CODED_AS]->(c2:Code) } > 0 AS coded"),
     "MATCH (e:Excerpt)-[:CODED_AS]->(c:Code)-[:INDICATES]->(:Issue) RETURN count(DISTINCT c) AS codes, true AS coded"),
    (("MATCH (i:Issue) WHERE NOT (i)<-[:INDICATES]-(:Code {id: 'no such code'}) AND all(x IN [1, 2] WHERE x > 0) "
      "RETURN i.name ORDER BY i.name SKIP 0 LIMIT $limit"),
     ("MATCH (i:Issue) OPTIONAL MATCH (c:Code {id: 'no such code'})-[:INDICATES]->(i) WITH i, count(c) AS n WHERE n = 0 "
      "RETURN i.name ORDER BY i.name SKIP 0 LIMIT $limit")),
    (("CALL show_tables() WHERE name = 'Issue' RETURN name UNION ALL CALL table_info('Issue') "
      "WITH name WHERE name = 'id' RETURN name"), "RETURN 'Issue' AS name UNION ALL RETURN 'id' AS name"),
    ("UNWIND [3, 1, 2, 3] AS x WITH DISTINCT x ORDER BY x DESC LIMIT 2 RETURN collect(x)[1..2] AS top, $load",
     "RETURN [3, 2] AS top, $load"),
]


@pytest.mark.parametrize(("cypher", "plain"), HARMLESS)
def test_queries_that_only_look_hostile_are_accepted_and_run(study_db, cypher, plain):
    check_read_query(cypher)
    check_read_query(plain)
    params = {"load": 1, "limit": 3}
    with open_store(study_db, read_only=True) as store:
        answer = store.run(cypher, params).rows
        assert answer, "a pair that returns nothing would show nothing"
        # As sets of rows: LadybugDB may return the two halves of a UNION in either order.
        assert sorted(map(repr, answer)) == sorted(map(repr, store.run(plain, params).rows))


def test_neo4j_spellings_of_the_subset_are_accepted():
    for cypher in [
        "CALL db.labels()",
        "CALL db.labels() YIELD label WHERE label STARTS WITH 'I' RETURN label",
        "CALL db.relationshipTypes() YIELD relationshipType AS type RETURN type",
        "RETURN [x IN range(1, 5) WHERE x % 2 = 1 | x ^ 2] AS odd, reduce(s = 0, x IN [1, 2] | s + x) AS sum",
        "MATCH (n:Issue|Code) RETURN n LIMIT 1",
        "MATCH (n) WHERE n.x <> 1 AND n.y >= 2 OR n.z <= 3 XOR n.w < 4 RETURN n.x ENDS WITH 'a' AS e, n.v[..2]",
    ]:
        check_read_query(cypher)


def test_every_ladybugdb_catalogue_function_exists_and_runs_on_a_read_only_store(study_db):
    arguments = {"table_info": "'Issue'", "show_connection": "'CODED_AS'", "current_setting": "'threads'"}
    with open_store(study_db, read_only=True) as store:
        engine = {name.lower() for (name,) in store.run(
            "CALL show_functions() WHERE type CONTAINS 'TABLE FUNCTION' RETURN name").rows}
        for name in sorted(n for n in CATALOGUE if not n.startswith("db.")):
            assert name in engine, f"{name} is not a table function of this LadybugDB"
            cypher = f"CALL {name}({arguments.get(name, '')}) RETURN *"
            check_read_query(cypher)
            store.run(cypher)
        assert {"read_csv_serial", "read_parquet", "read_npy", "clear_warnings"} <= engine - CATALOGUE


def test_the_lexer_ends_numbers_strings_names_and_comments_where_ladybugdb_does():
    def kinds(cypher):
        return [(t.kind, t.text) for t in tokenize(cypher)][:-1]

    assert kinds("1LOAD") == [("number", "1"), ("word", "LOAD")]
    assert kinds("01 1e5LIMIT 1.5.5 .5e-3 2e 1..3") == [
        ("number", "0"), ("number", "1"), ("number", "1e5"), ("word", "LIMIT"), ("number", "1.5"),
        ("number", ".5"), ("number", ".5e-3"), ("number", "2"), ("word", "e"), ("number", "1"),
        ("symbol", ".."), ("number", "3")]
    assert kinds("(a)<-[*..2]-->(b)")[3:9] == [("symbol", "<"), ("symbol", "-"), ("symbol", "["),
                                                ("symbol", "*"), ("symbol", ".."), ("number", "2")]
    assert kinds("'it\\'s' \"a\\\\\" \"b\"") == [("string", "'it\\'s'"), ("string", '"a\\\\"'), ("string", '"b"')]
    assert [(t.kind, t.value) for t in tokenize("`a``b` $`c d` $0 $x1")][:-1] == [
        ("name", "a`b"), ("parameter", "c d"), ("parameter", "0"), ("parameter", "x1")]
    assert kinds("a /* b ***/ c // d */\r\ne") == [("word", "a"), ("word", "c"), ("word", "e")]
    assert kinds("é_1 n.load") == [("word", "é_1"), ("word", "n"), ("symbol", "."), ("word", "load")]
    with pytest.raises(RefusedQuery, match="unexpected character '€'"):
        tokenize("a€")  # a word to LadybugDB (currency signs continue names), to Neo4j not


def test_parameters_are_the_ones_the_cypher_uses():
    query = parse_query_file("q", "// $doc: documented, e.g. 3\nMATCH (n) WHERE n.x = $used AND n.s = '$not' "
                                  "// $nor\nRETURN n /* $neither */ LIMIT $`doc`")
    assert list(query.parameters) == ["doc", "used"]
    assert query.used == ["used", "doc"]
    assert parse_query_file("q", "MATCH (n) WHERE n.x = $a AND 'unterminated").used == []
    for name, entry in library().items():
        assert set(entry.used) == set(entry.parameters), name


# Properties

# Complete clauses that must never run; a bare word alone could be a variable name, so none is bare.
REFUSED_CLAUSES = [
    f"LOAD FROM '/etc/passwd' {PASSWD} RETURN *", "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *",
    "CALL read_parquet('/etc/passwd') RETURN *", "CREATE (x:X)", "MERGE (x:X {id: 1})", "SET i.name = 'x'",
    "DETACH DELETE i", "DELETE i", "REMOVE i.name", "; CHECKPOINT", "; COMMIT", "COPY Issue FROM 'x.csv'",
    "EXPORT DATABASE '/tmp/x'", "IMPORT DATABASE '/tmp/x'", "INSTALL httpfs", "LOAD EXTENSION httpfs",
    "ATTACH '/tmp/x' AS y (dbtype duckdb)", "DROP TABLE Issue", "ALTER TABLE Issue ADD x INT64",
    "BEGIN TRANSACTION", "; MATCH (n) RETURN n", "CALL { MATCH (n) RETURN n }", "USE other",
    "FOREACH (x IN [1] | CREATE (:X))", "CALL threads = 1", "LOAD CSV FROM 'file:///etc/passwd' AS l",
]
SEPARATORS = [" ", "\n", "\t", "\r\n", "\u00a0", "\u3000", "/**/", "/* MATCH (n) RETURN n */", "// RETURN 1\n"]


def _boundaries(text: str) -> list[int]:
    """Offsets between tokens (never inside a string, a name or a comment)."""
    tokens = tokenize(text)
    return sorted({t.offset for t in tokens} | {t.offset + len(t.text) for t in tokens})


def _recase(text: str, pattern: list[bool]) -> str:
    return "".join(c.upper() if pattern[i % len(pattern)] else c.lower() for i, c in enumerate(text))


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(sorted(library())),
    where=st.floats(0, 1, exclude_max=True),
    clause=st.sampled_from(REFUSED_CLAUSES),
    before=st.sampled_from(SEPARATORS + [""]),
    after=st.sampled_from(SEPARATORS),
    case=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_a_refused_clause_anywhere_between_tokens_is_refused(name, where, clause, before, after, case):
    text = library()[name].text
    offsets = _boundaries(text)
    at = offsets[int(where * len(offsets))]
    ending_here = {t.offset + len(t.text): t.kind for t in tokenize(text)}
    if not before and ending_here.get(at) in ("word", "parameter"):
        before = " "  # glued to a word it would become part of that word; glued to a number it stays a clause
    hostile = text[:at] + before + _recase(clause, case) + after + text[at:]
    with pytest.raises(RefusedQuery):
        check_read_query(hostile)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(library())),
    where=st.floats(0, 1, exclude_max=True),
    clause=st.sampled_from(REFUSED_CLAUSES),
    wrap=st.sampled_from(["block comment", "line comment", "string", "backquoted name"]),
)
def test_the_same_clause_inside_a_string_a_name_or_a_comment_is_accepted(name, where, clause, wrap):
    text = library()[name].text
    if wrap in ("string", "backquoted name"):
        # One more RETURN column: the clause as its value, or as its name.
        column = ("'" + clause.replace("\\", "\\\\").replace("'", "\\'") + "' AS hostile" if wrap == "string"
                  else "1 AS `" + clause.replace("`", "``") + "`")
        slot = text.rindex("RETURN ") + len("RETURN ")
        hostile = text[:slot] + column + ", " + text[slot:]
    else:
        offsets = _boundaries(text) if wrap == "block comment" else [m.start() for m in re.finditer("\n", text)]
        at = offsets[int(where * len(offsets))]
        hostile = text[:at] + (f"/* {clause} */" if wrap == "block comment" else f" // {clause}") + text[at:]
    check_read_query(hostile)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80))
def test_any_text_in_a_string_is_a_string(content):
    literal = "'" + content.replace("\\", "\\\\").replace("'", "\\'") + "'"
    cypher = f"MATCH (i:Issue) WHERE i.name = {literal} RETURN i.name"
    if "\x00" in content:
        assert "NUL" in str(refusal(cypher))
    else:
        check_read_query(cypher)
        assert [t.kind for t in tokenize(cypher)].count("string") == 1


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("MATCHRETURNLOADmatchreturn()[]{}<>-=*/.,:;'\"`\\$1 \n\r\u2028|")),
               max_size=60))
def test_any_text_is_accepted_or_refused_and_an_accepted_one_is_one_read_statement(text):
    try:
        check_read_query(text)
    except RefusedQuery as refused:
        assert refused.line >= 1 and refused.column >= 1
        return
    tokens = tokenize(text)[:-1]
    assert tokens[0].keyword in {"MATCH", "OPTIONAL", "UNWIND", "WITH", "CALL", "RETURN"}
    assert all(t.text != ";" for t in tokens[:-1] if t.kind == "symbol")
