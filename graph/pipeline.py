"""Bring a store up to date with new records: the one write path of every ingest.

Every ingest (``findings ingest``, the tests, the benchmarks) goes through :func:`update_graph`:
the transcripts' nodes, the code classification and issues, and the
knowledge layer (mitigations, projects, interviewee profiles) and the
network measures with CO_OCCURS_WITH (:mod:`graph.analytics.writeback`) are
written in a single transaction. A failure or a killed process at any point leaves the
store exactly as it was, and readers never see transcripts whose knowledge
has not been derived yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import faults
from graph.analytics.writeback import AnalyticsReport, refresh_analytics
from graph.codebook import Codebook
from graph.knowledge import Catalog, KnowledgeReport, rebuild_knowledge
from graph.loader import LoadReport, write_records
from graph.store import GraphStore
from ingest.records import ProjectCodebook, TranscriptRecord

__all__ = ["GraphUpdate", "update_graph"]


@dataclass
class GraphUpdate:
    load: LoadReport
    knowledge: KnowledgeReport
    analytics: AnalyticsReport

    @property
    def warnings(self) -> list[str]:
        """What the user should know about this update, from every layer."""
        return [*self.load.warnings, *self.analytics.warnings]


def update_graph(
    store: GraphStore, records: list[TranscriptRecord], codebook: Codebook, catalog: Catalog,
    codebooks: list[ProjectCodebook] = (),
) -> GraphUpdate:
    """Load ``records`` (and the codes of codebook-only ``codebooks``) and rebuild every derived layer, in one transaction."""
    with store.transaction() as tx:
        load = write_records(tx, records, codebook, codebooks)
        faults.reach("loaded")
        knowledge = rebuild_knowledge(tx, catalog)
        analytics = refresh_analytics(tx)
    return GraphUpdate(load, knowledge, analytics)
