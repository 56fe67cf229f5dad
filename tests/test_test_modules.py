"""The suite's own layout: helpers live in conftest.py, factories and *_helpers modules."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(TESTS)): sorted(
            name for name in _imported(path) if name.rsplit(".", 1)[-1].startswith("test_")
        )
        for path in TESTS.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
