// Which strategies address an issue, most interviews first, with provenance and one quote each.
// $issue: the issue's id, readable name or representative code, e.g. "robustness" or "QM-robustness"
MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue)
WHERE i.id = $issue OR i.name = $issue OR i.code = $issue
RETURN m.name AS mitigation, m.kind AS kind, a.provenance AS provenance, a.interviews AS interviews,
       a.excerpts AS excerpts, a.confidence AS confidence, a.quote AS quote
ORDER BY interviews DESC, excerpts DESC, confidence DESC, mitigation
