"""This computer's own preferences: a small file in the user's config folder, never the database.

The database may be a team's, shared by everyone; the language a person reads the
interface in is theirs, on their computer. ``preferences.json`` in platformdirs'
per-user config folder (``CRM_CONFIG_DIR`` names another one: tests set it) holds
them. The desktop app's Preferences and ``crm settings get|set ui_language`` read and
write the same file. The command line's own messages still follow LC_ALL,
LC_MESSAGES and LANG.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from crm import APP_ID
from crm.core.errors import ValidationError
from crm.core.vocabulary import LANGUAGES

CONFIG_DIR_ENV = "CRM_CONFIG_DIR"
FILE_NAME = "preferences.json"
#: The settings kept on this computer, with their defaults ("" : the system's language).
DEFAULTS: dict[str, str] = {"ui_language": ""}


def config_dir() -> Path:
    """Where this computer's preferences live (``CRM_CONFIG_DIR`` if set)."""
    chosen = os.environ.get(CONFIG_DIR_ENV)
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def path() -> Path:
    return config_dir() / FILE_NAME


def _read() -> dict[str, Any]:
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, target)


def is_set(key: str) -> bool:
    """Whether ``key`` was ever chosen on this computer."""
    return key in _read()


def get(key: str) -> str:
    value = _read().get(key, DEFAULTS[key])
    return value if isinstance(value, str) and _valid(key, value) else DEFAULTS[key]


def all_values() -> dict[str, str]:
    return {key: get(key) for key in DEFAULTS}


def _valid(key: str, value: str) -> bool:
    return value == "" or value in LANGUAGES


def clean(key: str, value: str) -> str:
    """``value`` checked for ``key``: a language of the interface, or "" for the system's."""
    text = value.strip()
    if not _valid(key, text):
        raise ValidationError(
            code="this_computer.unknown_ui_language",
            field=key,
            languages=", ".join(LANGUAGES),
            language=value,
        )
    return text


def set_value(key: str, value: str) -> str:
    """Keep ``value`` for ``key`` on this computer (checked first: a bad one changes nothing)."""
    text = clean(key, value)
    data = _read()
    data[key] = text
    _write(data)
    return text


def ui_language() -> str:
    """The interface language chosen on this computer ("" : the system's)."""
    return get("ui_language")


def adopt_ui_language(old: object) -> None:
    """Take the language the app once kept in its Qt settings, once: only while this
    computer's file has no choice of its own, and only a valid one."""
    if is_set("ui_language") or not isinstance(old, str):
        return
    if _valid("ui_language", old):
        set_value("ui_language", old)
