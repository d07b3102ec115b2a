"""Typed settings with defaults, stored as key/value rows.

Adding a setting needs no schema change: declare it here with its default.
"""

from __future__ import annotations

import json
from typing import Any

from crm.core import models
from crm.core.errors import ValidationError

# key -> (default, minimum, maximum) for numbers; (default, None, None) otherwise.
DEFAULTS: dict[str, tuple[Any, int | None, int | None]] = {
    "referral_cooldown_days": (90, 0, 3650),
    "followup_new_referral_days": (2, 0, 365),
    "followup_met_days": (3, 0, 365),
    "birthday_window_days": (14, 0, 366),
    "backup_keep": (10, 1, 1000),
}


def _check(key: str) -> tuple[Any, int | None, int | None]:
    if key not in DEFAULTS:
        raise ValidationError(f"Unknown setting '{key}'; known: {', '.join(sorted(DEFAULTS))}")
    return DEFAULTS[key]


def get(key: str) -> Any:
    """The stored value of ``key``, or its default."""
    default, _lo, _hi = _check(key)
    row = models.Setting.get_or_none(models.Setting.key == key)
    return default if row is None else json.loads(row.value)


def set_value(key: str, value: Any) -> None:
    """Store ``value`` for ``key`` after checking its type and range."""
    default, lo, hi = _check(key)
    if isinstance(default, int):
        try:
            # int() would quietly cut 3.5 down to 3 and read True as 1.
            if isinstance(value, bool) or (not isinstance(value, str) and int(value) != value):
                raise ValueError(value)
            value = int(value)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                f"Setting '{key}' must be a whole number, not '{value}'", key
            ) from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValidationError(
                f"Setting '{key}' must be between {lo} and {hi}, not {value}", key
            )
    models.Setting.replace(key=key, value=json.dumps(value)).execute()


def all_settings() -> dict[str, Any]:
    stored = {r.key: json.loads(r.value) for r in models.Setting.select()}
    return {k: stored.get(k, d[0]) for k, d in DEFAULTS.items()}


def profile() -> models.Profile:
    """The sender profile (created on first use)."""
    prof, _ = models.Profile.get_or_create(id=1)
    return prof
