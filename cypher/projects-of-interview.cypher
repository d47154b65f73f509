// The projects an interviewee described in one interview, with their domain and the issues raised about them.
// $interview: interview name, e.g. "Interview 35"
MATCH (iv:Interview {name: $interview})<-[:GAVE]-(p:Interviewee)-[:WORKED_ON]->(pr:Project)
OPTIONAL MATCH (pr)-[:FACED]->(i:Issue)
RETURN pr.name AS project, pr.domain AS domain, p.roles AS roles, collect(DISTINCT i.name) AS issues
ORDER BY project
