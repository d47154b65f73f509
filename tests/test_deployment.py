"""The Neo4j deployment files: compose validates, nothing listens beyond localhost, no secret in the repo."""

import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO


def compose_command() -> list[str]:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` nor `docker-compose` is installed (make test installs docker-compose)")


def test_compose_config_validates():
    result = subprocess.run(
        [*compose_command(), "--env-file", ".env.example", "config", "-q"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_a_password(tmp_path):
    shutil.copy(REPO / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text("", encoding="utf-8")
    result = subprocess.run([*compose_command(), "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and "FINDINGS_NEO4J_PASSWORD" in result.stderr


def test_services_bind_to_localhost_with_healthcheck_and_volume():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text("utf-8"))
    ports = [p for service in compose["services"].values() for p in service.get("ports", [])]
    assert ports and all(p.startswith("127.0.0.1:") for p in ports)
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert "neo4j-data" in compose["volumes"] and "neo4j-data:/data" in neo4j["volumes"]
    explorer = compose["services"]["explorer"]
    assert explorer["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert explorer["environment"]["FINDINGS_NEO4J_URI"] == "bolt://neo4j:7687"


def test_real_env_file_is_ignored_and_example_has_no_real_secret():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=REPO)
    assert ignored.returncode == 0
    example = (REPO / ".env.example").read_text("utf-8")
    assert "FINDINGS_NEO4J_PASSWORD=change-me" in example
