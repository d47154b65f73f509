// How many interviews raised each issue: the coded consensus copy when an interview has one, else any coder's copy.
// (no parameters)
MATCH (iv:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)
WITH iv, sum(CASE WHEN t.consensus AND t.coded THEN 1 ELSE 0 END) AS agreed
MATCH (iv)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue)
WHERE agreed = 0 OR t.consensus
RETURN i.name AS issue, i.category AS category, count(DISTINCT iv) AS interviews, count(DISTINCT e) AS excerpts
ORDER BY interviews DESC, excerpts DESC, issue
