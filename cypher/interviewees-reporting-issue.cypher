// Who reported an issue: each interviewee's roles, interview and the quotes coded with it.
// $issue: the issue's id, readable name or representative code, e.g. "missing values"
MATCH (p:Interviewee)-[:GAVE]->(iv:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)
      -[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue)
WHERE i.id = $issue OR i.name = $issue OR i.code = $issue
RETURN p.id AS interviewee, p.roles AS roles, iv.name AS interview, count(DISTINCT e) AS excerpts,
       collect(DISTINCT e.text) AS quotes
ORDER BY excerpts DESC, interview
