// The coded copies of one interview: coder, whether it is the consensus copy, and its size.
// $interview: interview name, e.g. "Interview 35"
MATCH (i:Interview {name: $interview})-[:HAS_TRANSCRIPT]->(t:Transcript)
OPTIONAL MATCH (t)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)
RETURN t.coder AS coder, t.consensus AS consensus, t.format AS format, t.paragraphs AS paragraphs,
       count(DISTINCT c) AS codes, count(c) AS coded_pairs
ORDER BY consensus DESC, coder
