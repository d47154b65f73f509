// The quotes behind one issue-mitigation link: every excerpt that suggests the strategy for the issue.
// $issue: the issue's id, readable name or representative code, e.g. "robustness"
// $mitigation: the strategy's id or name, e.g. "data augmentation"
MATCH (i:Issue)
WHERE i.id = $issue OR i.name = $issue OR i.code = $issue
MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(m:Mitigation)
WHERE s.issue = i.id AND (m.id = $mitigation OR m.name = $mitigation)
RETURN t.interview AS interview, t.coder AS coder, e.position AS position, s.provenance AS provenance,
       s.confidence AS confidence, s.quote AS quote, e.text AS excerpt
ORDER BY interview, coder, position
