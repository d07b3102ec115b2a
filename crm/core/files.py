"""Files the app writes: checked before anything is read, replaced only whole."""

from __future__ import annotations

import os
from pathlib import Path

from crm.core.errors import ValidationError


def output_file(path: str | os.PathLike[str], field: str = "output") -> Path:
    """The file ``path`` names, refused when a finished file cannot replace it.

    Every writer in the app writes a temporary file beside the target and
    renames it into place, so the target must be a regular file or nothing yet:
    a folder, a device such as /dev/null, or a pipe is refused (renaming onto a
    device would replace the device itself), as is a folder that does not exist.
    """
    out = Path(path).expanduser()
    if out.is_dir():
        raise ValidationError(f"'{out}' is a folder, not a file name", field)
    if out.exists() and not out.is_file():
        raise ValidationError(
            f"'{out}' is not an ordinary file (a device or a pipe): choose a file name", field
        )
    if not out.parent.is_dir():
        raise ValidationError(f"The folder '{out.parent}' does not exist", field)
    return out
