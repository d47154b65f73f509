// Fix-coded excerpts that suggest no strategy for the issue they are coded for: the passages to read when extending the catalog.
// (no parameters)
MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:FIX_FOR]->(i:Issue)
WHERE NOT EXISTS { MATCH (e)-[s:SUGGESTS]->(:Mitigation) WHERE s.issue = i.id }
RETURN DISTINCT i.id AS issue, t.interview AS interview, t.coder AS coder, e.position AS position, e.text AS excerpt
ORDER BY issue, interview, coder, position
