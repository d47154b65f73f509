"""Analytics: network measures, coder agreement and saturation over the stored graph.

Everything here reads the store with Cypher (never the source files), builds
a networkx projection of it (:mod:`.cooccurrence`,
:mod:`.mitigation_projection`, :mod:`.interviewee_projection`,
:mod:`.knowledge_projection`, all reading the copies :mod:`.selection`
chooses) and computes on it (:mod:`.centrality`, :mod:`.communities`).
:mod:`.writeback` stores the measures on Issue and Mitigation nodes and the
CO_OCCURS_WITH edges after every ingest; :mod:`.agreement` and
:mod:`.saturation` answer the methodological questions of a study.

The package imports nothing itself, so that a command naming a view
(:mod:`.names`) does not pay for networkx before it needs it.
"""

