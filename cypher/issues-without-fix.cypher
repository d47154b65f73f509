// Issues nobody reported a fix for: no strategy, coded, named or inferred, addresses them.
// (no parameters)
MATCH (i:Issue)
OPTIONAL MATCH (m:Mitigation)-[:ADDRESSES]->(i)
WITH i, count(m) AS fixes
WHERE fixes = 0
OPTIONAL MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i)
RETURN i.name AS issue, i.category AS category, count(DISTINCT t.interview) AS interviews, count(DISTINCT e) AS excerpts
ORDER BY interviews DESC, excerpts DESC, issue
