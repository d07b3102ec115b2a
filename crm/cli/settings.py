"""``crm settings list|get|set``: the sender profile and the app's preferences.

Keys: ``profile.<field>`` for the sender (name, company, address, currency, page size,
phone region, language...) and the preference names the settings module declares.
"""

from __future__ import annotations

import argparse
from typing import Any

from crm.cli.common import EXIT_OK, Subparsers, add_command, add_group, open_store, print_json
from crm.core.errors import ValidationError

PROFILE = "profile."


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "settings",
        "the sender profile and preferences",
        "settings_command",
        example="crm settings set profile.currency EUR",
    )
    add_command(
        actions,
        "list",
        cmd_settings_list,
        "every setting with its value",
        example="crm settings list --json",
    )
    p = add_command(
        actions,
        "get",
        cmd_settings_get,
        "one setting's value",
        example="crm settings get referral_cooldown_days",
    )
    p.add_argument("key", metavar="KEY")
    p = add_command(
        actions,
        "set",
        cmd_settings_set,
        "change a setting (checked first)",
        example=(
            'crm settings set profile.name "Maria Rossi"',
            "crm settings set referral_cooldown_days 60",
        ),
    )
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")


def _all() -> dict[str, Any]:
    from crm.core import settings

    profile = settings.profile()
    out: dict[str, Any] = {PROFILE + f: getattr(profile, f) for f in settings.PROFILE_FIELDS}
    out.update(settings.all_settings())
    return out


def _known(key: str) -> None:
    from crm.core import settings

    keys = [PROFILE + f for f in settings.PROFILE_FIELDS] + list(settings.DEFAULTS)
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
    for key, value in values.items():
        print(f"{key:<30} {value}")
    return EXIT_OK


def _print(args: argparse.Namespace, key: str) -> int:
    value = _all()[key]
    if args.json:
        print_json({"id": key, "key": key, "value": value})
    else:
        print(value)
    return EXIT_OK


def cmd_settings_get(args: argparse.Namespace) -> int:
    _known(args.key)
    open_store(args)
    return _print(args, args.key)


def cmd_settings_set(args: argparse.Namespace) -> int:
    from crm.core import settings

    _known(args.key)
    open_store(args)
    if args.key.startswith(PROFILE):
        settings.update_profile(**{args.key.removeprefix(PROFILE): args.value})
    else:
        settings.set_value(args.key, args.value)
    return _print(args, args.key)
