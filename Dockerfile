# The findings-graph explorer, for docker-compose.yml (talks to the neo4j service).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ingest ingest
COPY graph graph
COPY explorer explorer
COPY cypher cypher
RUN pip install --no-cache-dir . && useradd --create-home findings
USER findings
EXPOSE 8501
# Inside the container the explorer must listen on all interfaces; the
# compose file publishes it on 127.0.0.1 only.
CMD ["findings", "explore", "--host", "0.0.0.0", "--port", "8501"]
