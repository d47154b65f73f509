// The codes coders disagree on in one interview: used by some coders only, or on a different number of paragraphs.
// $interview: interview name, e.g. "Interview 35"
MATCH (iv:Interview {name: $interview})-[:HAS_TRANSCRIPT]->(t:Transcript)
WHERE NOT t.consensus AND t.coded
WITH iv, count(t) AS coders
MATCH (iv)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)
WHERE NOT t.consensus
WITH c, t.coder AS coder, count(e) AS paragraphs, coders
WITH c, coders, collect(coder) AS used_by, collect(paragraphs) AS counts, min(paragraphs) AS fewest, max(paragraphs) AS most
WHERE size(used_by) < coders OR fewest <> most
// used_by and counts are collected from the same rows, so they pair up in order.
RETURN c.name AS code, c.kind AS kind, used_by, counts, coders - size(used_by) AS coders_without
ORDER BY coders_without DESC, code
