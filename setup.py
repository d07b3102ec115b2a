"""Build hook: compile the gettext catalogs (crm/locale/*/LC_MESSAGES/crm.po) to .mo.

Everything else about the package is in pyproject.toml. The .mo files are build
output (never in git); ``pip install .`` and wheels carry them beside the .po.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _catalogs():
    path = HERE / "crm" / "i18n_catalogs.py"
    spec = importlib.util.spec_from_file_location("i18n_catalogs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class build_py_with_catalogs(build_py):
    """build_py, then the compiled catalogs into the build tree."""

    def run(self):
        super().run()
        if not self.dry_run:
            dest = Path(self.build_lib) / "crm" / "locale"
            _catalogs().compile_catalogs(HERE / "crm" / "locale", dest)


setup(cmdclass={"build_py": build_py_with_catalogs})
