"""The Cypher query library: one ``.cypher`` file per question.

Each file starts with ``//`` comment lines: the first says what the query
answers, and ``// $name: meaning`` lines document its parameters. Every file
runs unchanged on LadybugDB and on Neo4j.
"""
