// Which issues were raised in projects of each domain, and in how many projects.
// (no parameters)
MATCH (p:Project)-[:FACED]->(i:Issue)
RETURN p.domain AS domain, i.name AS issue, count(DISTINCT p) AS projects
ORDER BY domain, projects DESC, issue
