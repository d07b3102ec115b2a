"""The desktop app (PySide6): the only package that imports Qt.

PySide6 hooks every import made after it loads, to learn whether the new module
uses PySide: it reads the module's whole source (``inspect.getsource``), and
Python's ``linecache`` then keeps every line of it for the life of the process.
For the app's modules and the standard library they bring, that was ~5 MB of
source text and ~12 ms before the first paint. The answer only matters to
PySide's opt-in ``__feature__`` switches (``snake_case``, ``true_property``),
which the app never uses (a module that does asks for them by importing
``__feature__``, whatever this hook says), so it is answered without reading.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads shiboken's import hook, tamed below


def _uses_pyside(module: ModuleType) -> bool:
    """As PySide's check would answer for a module that may touch Qt types: features
    off (the default) while its code runs."""
    return True


def _no_source_reads() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010 - not in its stubs


_no_source_reads()
