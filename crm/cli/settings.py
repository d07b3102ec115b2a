"""``crm settings list|get|set``: the sender profile and the app's preferences.

Keys: ``profile.<field>`` for the sender (name, company, address, currency, page size,
phone region, language...), the preference names the settings module declares (kept in
the database, shared by everyone who opens it) and ``ui_language``, this computer's
interface language for the desktop app (:mod:`crm.core.this_computer`). The command
line's own messages follow LC_ALL, LC_MESSAGES and LANG, whatever ``ui_language`` says.
"""

from __future__ import annotations

import argparse
from typing import Any

from crm.cli.common import EXIT_OK, Subparsers, add_command, add_group, open_store, print_json
from crm.core.errors import ValidationError
from crm.i18n import _

PROFILE = "profile."
THIS_COMPUTER_NOTE = (
    "ui_language is this computer's (the desktop app's interface language: en, el, bg, it, "
    'ar, or "" for the system\'s), kept in your user config folder, not in the database. '
    "crm's own messages follow LC_ALL, LC_MESSAGES and LANG."
)


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "settings",
        "the sender profile and preferences",
        "settings_command",
        example=("crm settings set profile.currency EUR", "crm settings set ui_language el"),
    )
    p = add_command(
        actions,
        "list",
        cmd_settings_list,
        "every setting with its value",
        example="crm settings list --json",
    )
    p.description = f"{p.description}\n\n{THIS_COMPUTER_NOTE}"
    p = add_command(
        actions,
        "get",
        cmd_settings_get,
        "one setting's value",
        example=("crm settings get referral_cooldown_days", "crm settings get ui_language"),
    )
    p.description = f"{p.description}\n\n{THIS_COMPUTER_NOTE}"
    p.add_argument("key", metavar="KEY")
    p = add_command(
        actions,
        "set",
        cmd_settings_set,
        "change a setting (checked first)",
        example=(
            'crm settings set profile.name "Maria Rossi"',
            "crm settings set referral_cooldown_days 60",
            "crm settings set ui_language el",
        ),
    )
    p.description = f"{p.description}\n\n{THIS_COMPUTER_NOTE}"
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")


def _all() -> dict[str, Any]:
    from crm.core import settings, this_computer

    profile = settings.profile()
    out: dict[str, Any] = {PROFILE + f: getattr(profile, f) for f in settings.PROFILE_FIELDS}
    out.update(settings.all_settings())
    out.update(this_computer.all_values())
    return out


def _local(key: str) -> bool:
    """Whether ``key`` is kept on this computer rather than in the database."""
    from crm.core import this_computer

    return key in this_computer.DEFAULTS


def _known(key: str) -> None:
    from crm.core import settings, this_computer

    keys = [PROFILE + f for f in settings.PROFILE_FIELDS] + list(settings.DEFAULTS)
    keys += list(this_computer.DEFAULTS)
    if key not in keys:
        raise ValidationError(
            code="cli.settings.unknown_setting_known", key=key, keys=", ".join(keys)
        )


def cmd_settings_list(args: argparse.Namespace) -> int:
    open_store(args)
    values = _all()
    if args.json:
        print_json(values)
        return EXIT_OK
    mark = _("(this computer)")
    for key, value in values.items():
        print(f"{key:<30} {value}  {mark}" if _local(key) else f"{key:<30} {value}")
    return EXIT_OK


def _print(args: argparse.Namespace, key: str) -> int:
    from crm.core import this_computer

    value = this_computer.get(key) if _local(key) else _all()[key]
    if args.json:
        print_json({"id": key, "key": key, "value": value})
    else:
        print(value)
    return EXIT_OK


def cmd_settings_get(args: argparse.Namespace) -> int:
    _known(args.key)
    if not _local(args.key):
        open_store(args)
    return _print(args, args.key)


def cmd_settings_set(args: argparse.Namespace) -> int:
    from crm.core import settings, this_computer

    _known(args.key)
    if _local(args.key):
        this_computer.set_value(args.key, args.value)
        return _print(args, args.key)
    open_store(args)
    if args.key.startswith(PROFILE):
        settings.update_profile(**{args.key.removeprefix(PROFILE): args.value})
    else:
        settings.set_value(args.key, args.value)
    return _print(args, args.key)
