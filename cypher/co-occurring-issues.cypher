// Pairs of issues coded on the same excerpt, with how many excerpts and interviews share them.
// (no parameters)
MATCH (iv:Interview)-[:HAS_TRANSCRIPT]->(:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(a:Issue)
MATCH (e)-[:CODED_AS]->(:Code)-[:INDICATES]->(b:Issue)
WHERE a.id < b.id
RETURN a.name AS issue, b.name AS other, count(DISTINCT e) AS excerpts, count(DISTINCT iv) AS interviews
ORDER BY excerpts DESC, interviews DESC, issue, other
