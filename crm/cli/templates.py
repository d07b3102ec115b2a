"""``crm templates list|show|set|reset``: the wording of letters and vouchers per language."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    add_group,
    open_store,
    print_json,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "templates",
        "letter and voucher wording per language, with merge fields",
        "templates_command",
        example="crm templates show thank_you_letter el",
    )
    add_command(
        actions,
        "list",
        cmd_templates_list,
        "every template, and whether you changed it",
        example="crm templates list --json",
    )
    for name, handler, help, example in (
        ("show", cmd_templates_show, "a template's subject, body and merge fields",
         "crm templates show voucher it --json"),
        ("set", cmd_templates_set, "replace a template with a file's text (subject line, "
         "blank line, body)", "crm templates set thank_you_letter en --file thanks.txt"),
        ("reset", cmd_templates_reset, "put the shipped wording back",
         "crm templates reset thank_you_letter en"),
    ):  # fmt: skip
        p = add_command(actions, name, handler, help, example=example)
        _kind_language(p)
        if name == "set":
            p.add_argument(
                "--file", required=True, metavar="FILE", help="UTF-8 text; - reads stdin"
            )


def _kind_language(p: Parser) -> None:
    p.add_argument("kind", choices=vocabulary.TEMPLATE_KINDS, metavar="KIND")
    p.add_argument("language", choices=vocabulary.LANGUAGES, metavar="LANGUAGE")


def _data(kind: str, language: str) -> dict[str, Any]:
    from crm.core import templates

    text = templates.get_template(kind, language)
    default = templates.default_template(kind, language)
    return {
        "id": f"{kind}.{language}",
        "kind": kind,
        "language": language,
        "subject": text.subject,
        "body": text.body,
        "changed": (text.subject, text.body) != (default.subject, default.body),
        "fields": list(templates.valid_fields(kind)),
    }


def cmd_templates_list(args: argparse.Namespace) -> int:
    open_store(args)
    items = [
        _data(kind, language)
        for kind in vocabulary.TEMPLATE_KINDS
        for language in vocabulary.LANGUAGES
    ]
    if args.json:
        print_json(items)
        return EXIT_OK
    for t in items:
        mark = "changed" if t["changed"] else "default"
        print(f"{t['kind']:<18} {t['language']:<4} {mark:<8} {t['subject']}")
    return EXIT_OK


def _print(data: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print_json(data)
        return EXIT_OK
    print(data["subject"])
    print()
    print(data["body"])
    print(f"\nMerge fields: {', '.join('{' + f + '}' for f in data['fields'])}", file=sys.stderr)
    return EXIT_OK


def cmd_templates_show(args: argparse.Namespace) -> int:
    open_store(args)
    return _print(_data(args.kind, args.language), args.json)


def _read(name: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise ValidationError(
            code="cli.templates.cannot_read", name=name, value=exc.strerror or exc
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(code="cli.templates.utf_8_text", name=name) from None


def cmd_templates_set(args: argparse.Namespace) -> int:
    from crm.core import templates

    subject, body = templates.parse_template_file(_read(args.file))
    open_store(args)
    templates.save_template(args.kind, args.language, subject, body)
    return _print(_data(args.kind, args.language), args.json)


def cmd_templates_reset(args: argparse.Namespace) -> int:
    from crm.core import templates

    open_store(args)
    templates.reset_template(args.kind, args.language)
    return _print(_data(args.kind, args.language), args.json)
