// The most central issues: by PageRank once analytics has run, then by how many interviews, projects and strategies connect to them.
// $limit: how many issues to return, e.g. 10
MATCH (i:Issue)
OPTIONAL MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i)
WITH i, count(DISTINCT t.interview) AS interviews
OPTIONAL MATCH (p:Project)-[:FACED]->(i)
WITH i, interviews, count(DISTINCT p) AS projects
OPTIONAL MATCH (m:Mitigation)-[:ADDRESSES]->(i)
WITH i, interviews, projects, count(DISTINCT m) AS mitigations
RETURN i.name AS issue, i.pagerank AS pagerank, i.betweenness AS betweenness, interviews, projects, mitigations
ORDER BY coalesce(i.pagerank, -1.0) DESC, interviews + projects + mitigations DESC, interviews DESC, issue
LIMIT $limit
