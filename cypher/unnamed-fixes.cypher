// Coded fixes whose strategy the catalog does not name: the passages to read when extending the catalog.
// (no parameters)
MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(m:Mitigation {kind: 'unnamed'})
RETURN s.issue AS issue, t.interview AS interview, t.coder AS coder, e.position AS position, e.text AS excerpt
ORDER BY issue, interview, coder, position
