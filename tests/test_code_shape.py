"""The code stays in readable pieces: modules of at most 500 lines, functions of at most 80."""

from __future__ import annotations

import ast
from pathlib import Path

import crm

PACKAGE = Path(crm.__file__).parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def modules() -> list[tuple[str, str]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_no_module_is_over_500_lines():
    long = [
        f"{name}: {len(text.splitlines())} lines"
        for name, text in modules()
        if len(text.splitlines()) > MAX_MODULE_LINES
    ]
    assert long == []


def test_no_function_is_over_80_lines():
    long = []
    for name, text in modules():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name}: {size} lines")
    assert long == []


def test_the_walk_reads_the_whole_package():
    names = [name for name, _ in modules()]
    assert len(names) > 150 and "core/models.py" in names and "gui/app.py" in names
