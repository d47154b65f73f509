"""Configuration, read once where a program starts and passed down from there.

Which graph to open (an embedded LadybugDB file or a Neo4j server), the
server's credentials and the limits on what a source file may be come from
command-line options and the environment. Only the edges read them: the
command line (:mod:`graph.cli`) and the explorer's process
(:mod:`explorer.connection`), both through these functions, so both resolve
a store the same way. Library code takes the resolved values as arguments.

Secrets come from the environment only (``FINDINGS_NEO4J_PASSWORD``), never
from options that would show in a process list, nor from files in the repo.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import FindingsError

if TYPE_CHECKING:  # the read limits matter to ingest only; every other command starts without ingest's modules
    from ingest.source import ReadLimits

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "ENV_NEO4J_URI",
    "ENV_NEO4J_USER",
    "ENV_NEO4J_PASSWORD",
    "ENV_MAX_FILE_MB",
    "ConfigError",
    "StoreTarget",
    "store_target",
    "read_limits",
]

DEFAULT_DB = "findings-db"
ENV_DB = "FINDINGS_DB"
ENV_NEO4J_URI = "FINDINGS_NEO4J_URI"
ENV_NEO4J_USER = "FINDINGS_NEO4J_USER"
ENV_NEO4J_PASSWORD = "FINDINGS_NEO4J_PASSWORD"
ENV_MAX_FILE_MB = "FINDINGS_MAX_FILE_MB"


class ConfigError(FindingsError):
    """A setting that cannot be used, named with what is wrong with it."""


@dataclass(frozen=True)
class StoreTarget:
    """The graph to open: an embedded database file (``db``) or a Neo4j server (``neo4j_uri``)."""

    db: Path | None = None
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)

    @property
    def embedded(self) -> bool:
        return self.neo4j_uri is None

    @property
    def label(self) -> str:
        return f"Neo4j {self.neo4j_uri}" if self.neo4j_uri else f"LadybugDB {self.db}"


def store_target(
    db: str | Path | None = None, neo4j: str | None = None, environ: Mapping[str, str] | None = None
) -> StoreTarget:
    """The store named by the options, else by the environment, else ``./findings-db``.

    A Neo4j URI (option or ``FINDINGS_NEO4J_URI``) wins over a database path,
    as the README documents; its credentials are read from the environment.
    """
    env = os.environ if environ is None else environ
    uri = neo4j or env.get(ENV_NEO4J_URI) or None
    if uri:
        return StoreTarget(neo4j_uri=uri, neo4j_user=env.get(ENV_NEO4J_USER, "neo4j"),
                           neo4j_password=env.get(ENV_NEO4J_PASSWORD))
    return StoreTarget(db=Path(db or env.get(ENV_DB) or DEFAULT_DB))


def read_limits(environ: Mapping[str, str] | None = None) -> ReadLimits:
    """The limits on source files: ``FINDINGS_MAX_FILE_MB`` megabytes per file (default 200)."""
    from ingest.source import DEFAULT_MAX_FILE_MB, ReadLimits

    env = os.environ if environ is None else environ
    value = env.get(ENV_MAX_FILE_MB)
    if value is None:
        return ReadLimits(DEFAULT_MAX_FILE_MB)
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise ConfigError(f"{ENV_MAX_FILE_MB}={value!r}: not a positive number of megabytes")
    return ReadLimits(megabytes)
