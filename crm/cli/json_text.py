"""JSON as ``json.dumps(data, ensure_ascii=False, indent=2, default=str)`` writes it, faster.

With ``indent`` the standard library encodes in Python, value by value: a long list
of records (a chain of 300,000 people) costs more than reading it from the database.
Here a list of flat records is encoded by the C encoder in one call, its separators
carrying the indentation; a raw line break only ever comes from a separator (the
encoder escapes those inside strings), so the few left to adjust are found safely.
Anything else goes to ``json.dumps`` itself. The text is the same, character for
character (tests/test_cli_json_text.py compares them).
"""

from __future__ import annotations

import json
from typing import Any

_FLAT = frozenset({str, int, float, bool, type(None)})
_STEP = "  "


def dumps(data: Any) -> str:
    """The same text as ``json.dumps(data, ensure_ascii=False, indent=2, default=str)``."""
    return _text(data, 0)


def _plain(value: Any, level: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n" + _STEP * level) if level else text


def _text(value: Any, level: int) -> str:
    if type(value) is dict and value and all(type(k) is str for k in value):
        pad = _STEP * (level + 1)
        items = [
            f"{json.dumps(k, ensure_ascii=False)}: {_text(v, level + 1)}" for k, v in value.items()
        ]
        # One join: the text may be megabytes, each + would copy it again.
        return "".join(("{\n", pad, (",\n" + pad).join(items), "\n", _STEP * level, "}"))
    if type(value) is list and len(value) > 1 and all(map(_flat_record, value)):
        return _records(value, level)
    return _plain(value, level)


def _flat_record(item: Any) -> bool:
    return type(item) is dict and bool(item) and _FLAT.issuperset(map(type, item.values()))


def _records(items: list[dict[str, Any]], level: int) -> str:
    """A list of non-empty dicts of plain values, one C-encoder call."""
    outer, mid, inner = _STEP * level, _STEP * (level + 1), _STEP * (level + 2)
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "), default=str)
    # '[{a,\n<inner>b},\n<inner>{c}]' -> each record on its own lines, one level in.
    body = encoder.encode(items)[2:-2]
    body = body.replace("},\n" + inner + "{", "\n" + mid + "},\n" + mid + "{\n" + inner)
    return "".join(("[\n", mid, "{\n", inner, body, "\n", mid, "}\n", outer, "]"))
