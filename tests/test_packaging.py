"""The package declares every folder it ships, so an install neither warns nor leaves files behind.

setuptools warns ("Package 'explorer.frontend' is absent from the `packages`
configuration") when a folder of package data is not itself declared, and
a future setuptools drops such files. Every folder of the four top-level
packages that holds Python modules or shipped data must be declared, and
every declared data pattern must match a file.
"""

from __future__ import annotations

import tomllib

from tests.conftest import REPO

SHIPPED = ("*.py", "*.yaml", "*.cypher", "*.html")
TOP = ("ingest", "graph", "explorer", "cypher")


def setuptools_config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_folder_with_modules_or_data_is_a_declared_package():
    declared = set(setuptools_config()["packages"])
    found = {
        ".".join(folder.relative_to(REPO).parts)
        for top in TOP
        for folder in [REPO / top, *(p for p in (REPO / top).rglob("*") if p.is_dir())]
        if folder.name != "__pycache__" and any(next(folder.glob(pattern), None) for pattern in SHIPPED)
    }
    assert found == declared


def test_every_data_pattern_ships_a_file():
    for package, patterns in setuptools_config()["package-data"].items():
        folder = REPO.joinpath(*package.split("."))
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"{package}: {pattern} matches nothing"
