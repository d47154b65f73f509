"""Every library module says what it offers (``__all__``), and says it truly: each listed name exists, and each
public function or class it defines is listed."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Streamlit page scripts run top to bottom and offer nothing to import.
SCRIPTS = {"explorer/app.py"}
MODULES = sorted(
    str(p.relative_to(ROOT))
    for package in ("graph", "ingest", "explorer")
    for p in (ROOT / package).rglob("*.py")
    if p.name != "__init__.py" and "screens" not in p.parts and str(p.relative_to(ROOT)) not in SCRIPTS
)


@pytest.mark.parametrize("path", MODULES)
def test_module_declares_its_public_names(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")}
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert hasattr(module, "__all__"), f"{path} declares no __all__"
    assert [name for name in module.__all__ if not hasattr(module, name)] == []
    assert sorted(defined - set(module.__all__)) == [], f"{path}: public but not in __all__"
