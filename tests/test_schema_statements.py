"""The write statements generated from graph.schema: they name only what the schema has, and do what they say
on a real store."""

from __future__ import annotations

import pytest

from graph import reads
from graph.schema import (
    RELATIONSHIPS,
    delete_children_statement,
    delete_nodes_statement,
    delete_relationships_statement,
    set_node_properties_statement,
)
from tests.conftest import EXAMPLES, load_paths


def test_setting_a_property_the_schema_lacks_is_refused():
    with pytest.raises(ValueError, match="Issue has no properties colour"):
        set_node_properties_statement("Issue", ["name", "colour"])


def test_generated_writes_do_what_they_say(store):
    load_paths(store, [EXAMPLES / "synthetic-study"])
    [transcript, *_] = sorted(reads.node_keys(store, "Transcript"))
    [issue, *_] = sorted(reads.node_keys(store, "Issue"))
    excerpts_before = len(reads.node_keys(store, "Excerpt"))
    held = len(reads.excerpts_of_transcript(store, transcript).rows)
    with store.transaction() as tx:
        tx.run(set_node_properties_statement("Issue", ["name"]), {"rows": [{"id": issue, "name": "renamed"}]})
        tx.run(delete_children_statement("HAS_EXCERPT"), {"ids": [transcript]})
        tx.run(delete_relationships_statement("CO_OCCURS_WITH"))
    assert dict(reads.issue_names(store))[issue] == "renamed"
    assert len(reads.node_keys(store, "Excerpt")) == excerpts_before - held
    assert reads.relationship_ends(store, RELATIONSHIPS["CO_OCCURS_WITH"]) == []
    with store.transaction() as tx:
        tx.run(delete_nodes_statement("Issue"), {"ids": [issue]})
    assert issue not in reads.node_keys(store, "Issue")
