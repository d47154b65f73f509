// How many interviews raised each issue, and on how many paragraphs (each once, however many copies carry it), counting the copies $copies chooses.
// $copies: which coded copies count: "consensus" (the coded consensus copy when an interview has one, else every coder's copy), "union" (every coded copy) or "coder:NAME" (one coder's copies), e.g. "consensus"
MATCH (iv:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)
WITH iv, sum(CASE WHEN t.consensus AND t.coded THEN 1 ELSE 0 END) AS agreed
MATCH (iv)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue)
WHERE ($copies = 'consensus' AND (agreed = 0 OR t.consensus))
   OR $copies = 'union'
   OR lower($copies) = 'coder:' + lower(t.coder)
WITH i, iv, count(DISTINCT e.position) AS paragraphs
RETURN i.name AS issue, i.category AS category, count(iv) AS interviews, sum(paragraphs) AS excerpts
ORDER BY interviews DESC, excerpts DESC, issue
