"""The import rule of docs/architecture.md, checked by parsing every module's imports."""

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "ionnet"
BASE = {"units", "errors", "seeding", "fileio"}
ALLOWED = {
    "units": set(),
    "errors": set(),
    "seeding": {"errors"},
    "fileio": {"errors"},
    "hardware": {"hardware"},
    "states": {"states"},
    "link": {"link", "hardware"},
    "protocols": {"protocols", "link", "states", "hardware"},
    "qec": {"qec", "link", "hardware"},
    "compiler": {"compiler", "hardware"},
    "runtime": {"runtime", "compiler", "protocols", "link", "states", "hardware"},
    "analysis": {"analysis", "runtime", "compiler", "protocols", "qec", "link", "states", "hardware"},
    "qiskit": {"qiskit", "runtime", "compiler", "protocols", "link", "states", "hardware"},
    "cli": {"cli", "analysis", "runtime", "compiler", "protocols", "qec", "link", "states", "hardware"}
    | {"qiskit"},
}


def _layer(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC).parts
    return rel[0].removesuffix(".py")


def _imported_layers(path: pathlib.Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ionnet."):
            layers.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            layers.update(a.name.split(".")[1] for a in node.names if a.name.startswith("ionnet."))
    return layers


MODULES = [p for p in SRC.rglob("*.py") if _layer(p) in ALLOWED]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_respects_import_rule(path):
    layer = _layer(path)
    allowed = ALLOWED[layer] | (BASE if layer not in BASE else ALLOWED[layer])
    forbidden = _imported_layers(path) - allowed
    assert not forbidden, f"{path.relative_to(SRC)} ({layer}) imports {sorted(forbidden)}"
