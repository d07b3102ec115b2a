"""Screenshots a test saves to be looked at by hand: in ``$CRM_SHOTS`` when it is set.

Without it nothing is written (a test run leaves no files behind in /tmp).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def shot(widget: Any, name: str) -> Path | None:
    """Save ``widget`` as ``name`` (a .png) in ``$CRM_SHOTS``; the path, or None when unset."""
    folder = os.environ.get("CRM_SHOTS")
    if not folder:
        return None
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path
