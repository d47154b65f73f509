// Which issues a strategy addresses, most interviews first.
// $mitigation: the strategy's id or name, e.g. "data-augmentation" or "data augmentation"
MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue)
WHERE m.id = $mitigation OR m.name = $mitigation
RETURN i.name AS issue, i.category AS category, a.provenance AS provenance, a.interviews AS interviews,
       a.excerpts AS excerpts, a.confidence AS confidence, a.quote AS quote
ORDER BY interviews DESC, excerpts DESC, confidence DESC, issue
