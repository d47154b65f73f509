"""The knowledge layer: which fixes address which issues, in which projects, by whom.

Derived from the ingested transcripts and rebuilt after every ingest
(:func:`derive_knowledge`): mitigation strategies the interviewees state in
fix-coded passages (:mod:`.actions`, grouped across interviews by
:mod:`.grouping`, named by the catalog :mod:`.catalog` where it knows them)
linked to the issues they address with provenance and quotes (:mod:`.linking`), the projects each interviewee
describes (:mod:`.projects`) and the interviewees' roles (:mod:`.interviewees`).
"""

from graph.knowledge.build import KnowledgeReport, derive_knowledge, rebuild_knowledge
from graph.knowledge.catalog import Catalog, CatalogError, load_catalog

__all__ = ["Catalog", "CatalogError", "KnowledgeReport", "derive_knowledge", "load_catalog", "rebuild_knowledge"]
