"""Cut the static Bold instances (wght=700) out of the variable Noto fonts.

The app ships the result in ``crm/resources/fonts`` so that the first print does not wait
for it (cutting the Latin/Greek/Cyrillic font takes several seconds, mostly spent
instancing its kerning). After upgrading a fontpkg package, cut them again with
``python -m crm.documents.font_instances``. The same function cuts them into the user's
cache when a shipped file is missing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def _name_bold(font: Any, stem: str) -> None:
    """Give a cut Bold instance its own names: reportlab tells embedded fonts apart by them."""
    family = font["name"].getDebugName(1) or stem
    names = {1: family, 2: "Bold", 4: f"{family} Bold", 6: f"{stem}-Bold"}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (3, 16, 17, 25) or record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
    font["OS/2"].usWeightClass = 700


def cut_bold(source: Path, stem: str, target: Path) -> None:
    """Write the Bold instance of the variable font ``source`` to ``target``, atomically."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    with TTFont(str(source)) as variable:
        axes = {a.axisTag: a.defaultValue for a in variable["fvar"].axes}
        axes["wght"] = 700
        static = instancer.instantiateVariableFont(variable, axes, static=True)
        _name_bold(static, stem)
        # Keep the source's date: the same source then gives the same bytes.
        static.recalcTimestamp = False
        # Written beside the target and renamed: a concurrent process or a crash never leaves
        # a truncated font behind.
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".ttf.tmp")
        os.close(fd)
        try:
            static.save(tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def main() -> int:
    """Cut every Bold instance into the folder the app ships them from."""
    from crm.documents import fonts

    for key in fonts.SOURCES:
        target = fonts.shipped_bold(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        cut_bold(fonts.source_path(key), fonts.stem(key), target)
        print(f"{target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
