// How often each code was applied: paragraphs carrying it, per code, across all transcripts.
// (no parameters)
MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)
RETURN c.name AS code, c.kind AS kind, count(e) AS paragraphs, count(DISTINCT t) AS transcripts
ORDER BY paragraphs DESC, code
