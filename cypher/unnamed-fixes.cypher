// Fix-coded excerpts that suggest no strategy for their issue (no action stated): the passages to read when extending the catalog.
// Read from the copies the knowledge layer reads: an interview's coded consensus copy when it has one, else every coded copy.
// (no parameters)
MATCH (v:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:FIX_FOR]->(i:Issue)
WHERE ((t.consensus AND t.coded) OR NOT EXISTS { MATCH (v)-[:HAS_TRANSCRIPT]->(c:Transcript) WHERE c.consensus AND c.coded })
  AND NOT EXISTS { MATCH (e)-[s:SUGGESTS]->(:Mitigation) WHERE s.issue = i.id }
WITH DISTINCT i.id AS issue, t.interview AS interview, t.coder AS coder, e.position AS position, e.text AS excerpt
RETURN issue, interview, coder, position, excerpt
ORDER BY issue, interview, coder, position
