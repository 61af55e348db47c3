"""docs/security.md names the test that proves each control: every name must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[3]
# `tests/x.py::name` starts a run of references; a bare `::name` after it is in the same file.
_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::([\w]+))?(?:\[[^\]`]*\])?`")


def referenced_tests() -> list[tuple[str, str | None]]:
    text = (ROOT / "docs" / "security.md").read_text()
    found: list[tuple[str, str | None]] = []
    current: str | None = None
    for path, name in _REFERENCE.findall(text):
        current = path or current
        if current is not None and (path or name):
            found.append((current, name or None))
    return found


def functions_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_every_test_the_security_page_names_exists() -> None:
    references = referenced_tests()
    assert len(references) > 40
    missing = [
        f"{path}::{name}" if name else path
        for path, name in references
        if not (ROOT / path).is_file() or (name is not None and name not in functions_in(path))
    ]
    assert missing == []
