"""What the knowledge layer derives does not depend on what its caches already hold.

The derivation keeps per-text work (stems, tokens, sentence readings) in
caches, since the coders' copies of an interview repeat its paragraphs. A
cache that leaked a reading from one text, catalog or study into another
would change results only when something else was derived first; here one
study is derived cold and again after another study warmed every cache.

Run as a script, it prints a JSON snapshot of every derived row of the
reference fixtures and a synthetic study (for comparing the output of two
versions of the code): ``python -m tests.test_knowledge_speed_invariance OUT.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.synthetic import generate_study
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from ingest.batch import parse_sources
from tests.conftest import FIXTURES, fixture_path
from tests.test_knowledge_incremental import DERIVED

ROWS = {**DERIVED, "Interviewee": "MATCH (w:Interviewee) RETURN w.id, w.roles, w.past_roles, w.summary"}


def snapshot(store) -> dict[str, list[str]]:
    return {name: sorted(map(repr, store.run(cypher).rows)) for name, cypher in ROWS.items()}


def clear_caches() -> None:
    """Empty every lru_cache of the knowledge modules, as in a fresh process."""
    import importlib
    import pkgutil

    import graph.knowledge as package

    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"graph.knowledge.{info.name}")
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def derive(path: Path, batches) -> dict[str, list[str]]:
    """Ingest the batches (records, consensus) into a fresh store at ``path``; the derived rows."""
    with open_store(path) as store:
        for records in batches:
            update_graph(store, records, load_codebook(), load_catalog())
        return snapshot(store)


def parsed(paths, consensus=False):
    result = parse_sources(list(paths), consensus=consensus, workers=1)
    assert not result.failed, result.failed
    return result.records


def fixture_batches(root: Path):
    return [parsed([root / "delve-pdf" / "codings"]), parsed([root / "delve-pdf" / "consensus"], consensus=True)]


def dev_batches(root: Path):
    return [parsed([root / "delve-pdf" / "dev", root / "delve-markdown"])]


def synthetic_batches():
    return [generate_study(12, seed=5, coders=2)]


def test_derivation_is_the_same_with_cold_and_warm_caches(tmp_path):
    root = fixture_path("delve-pdf").parent
    studies = {"fixtures": fixture_batches(root), "synthetic": synthetic_batches()}
    clear_caches()
    cold = {name: derive(tmp_path / f"cold-{name}", batches) for name, batches in studies.items()}
    assert cold["fixtures"]["SUGGESTS"] and cold["fixtures"]["Project"]  # something to compare
    assert cold["synthetic"]["SUGGESTS"]
    # In the opposite order: each study now meets caches the other one filled.
    warm = {name: derive(tmp_path / f"warm-{name}", batches) for name, batches in reversed(studies.items())}
    assert warm == cold


def main(argv: list[str]) -> int:
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, batches in [("fixtures", fixture_batches(FIXTURES)), ("dev", dev_batches(FIXTURES)),
                              ("synthetic", synthetic_batches())]:
            out[name] = derive(Path(tmp) / name, batches)
    Path(argv[0]).write_text(json.dumps(out, indent=1, sort_keys=True))
    print({name: {k: len(v) for k, v in rows.items()} for name, rows in out.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
