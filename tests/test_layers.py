"""The layers: core, documents and interchange never load Qt (nor the CLI's headless path)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )


def test_core_documents_interchange_do_not_import_qt():
    result = run_python(
        """
        import importlib, pkgutil, sys
        import crm.core, crm.documents, crm.interchange
        for package in (crm.core, crm.documents, crm.interchange):
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
        code = main(["--db", {str(tmp_path / "x.sqlite3")!r}, "contacts", "list"])
        assert code == 0, code
        assert not [m for m in sys.modules if m.startswith("PySide6")]
        """
    )
    assert result.returncode == 0, result.stderr
