"""The layers: core, documents and interchange never load Qt (nor the CLI's headless path)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )


def test_core_demo_documents_interchange_do_not_import_qt():
    result = run_python(
        """
        import importlib, pkgutil, sys
        import crm.core, crm.demo, crm.documents, crm.interchange
        for package in (crm.core, crm.demo, crm.documents, crm.interchange):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
        loaded = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
        print(len([m for m in sys.modules if m.startswith("crm.")]))
        assert not loaded, loaded
        """
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 12  # the walk really imported the core modules


def test_core_does_not_import_reportlab():
    result = run_python(
        """
        import importlib, pkgutil, sys
        import crm.core
        for info in pkgutil.walk_packages(crm.core.__path__, "crm.core."):
            importlib.import_module(info.name)
        assert "reportlab" not in sys.modules
        """
    )
    assert result.returncode == 0, result.stderr


def test_a_headless_subcommand_does_not_load_qt(tmp_path):
    result = run_python(
        f"""
        import sys
        from crm.cli import main
        from crm.core import db
        db.open_database({str(tmp_path / "x.sqlite3")!r}).close()  # a reader never creates one
        code = main(["--db", {str(tmp_path / "x.sqlite3")!r}, "contacts", "list"])
        assert code == 0, code
        assert not [m for m in sys.modules if m.startswith("PySide6")]
        """
    )
    assert result.returncode == 0, result.stderr


_QUERY_CALLS = {"select", "execute_sql", "get_or_none", "get_by_id"}
# A statement, not a sentence that starts with the same word ("Select a contact first").
_SQL = re.compile(
    r"^\s*(select\b.*\bfrom\s+\w+|insert\s+(or\s+\w+\s+)?into\s|update\s+\w+\s+set\s"
    r"|delete\s+from\s|with\s+(recursive\s+)?\w+(\s*\([^)]*\))?\s+as\s*\()",
    re.IGNORECASE | re.DOTALL,
)


def _is_model(node: ast.expr) -> bool:
    """``models.Contact`` or ``Contact``: a CamelCase name, as peewee models are named."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name[:1].isupper() and not name.isupper()


def _queries(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) of each database query written in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, receiver = node.func.attr, node.func.value
            # Qt's item selection models have a select() of their own.
            if name == "select" and "selection" in ast.unparse(receiver).lower():
                continue
            if name in _QUERY_CALLS or (name == "get" and _is_model(receiver)):
                found.append((node.lineno, f"{ast.unparse(node.func)}("))
        elif isinstance(node, ast.Constant) and _SQL.match(str(node.value)):
            found.append((node.lineno, f"SQL {node.value.strip()[:40]!r}"))
    return found


def test_the_gui_reaches_data_only_through_core():
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in sorted((root / "crm" / "gui").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=name)
        offenders += [f"{name}:{line}: {what}" for line, what in _queries(tree)]
    assert not offenders, "The GUI queries the database itself:\n" + "\n".join(offenders)


def test_core_never_imports_interchange():
    """No module under crm/core imports crm.interchange, not even inside a function."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    core = root / "crm" / "core"
    found = []
    for path in sorted(core.rglob("*.py")):
        package = list(path.relative_to(root).parent.parts)  # ["crm", "core", ...]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # Relative imports resolved; "from crm import interchange" names it in an alias.
                parts = package[: len(package) - node.level + 1] if node.level else []
                base = ".".join([*parts, *filter(None, [node.module])])
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            if any(n == "crm.interchange" or n.startswith("crm.interchange.") for n in names):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert len(list(core.rglob("*.py"))) >= 12  # the walk really read the core
    assert not found, found
