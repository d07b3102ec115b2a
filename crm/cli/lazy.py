"""Subcommands made when they are used: ``crm --help`` lists them without building them.

Building every subcommand's parser (some 500 arguments) took most of the time ``crm``
needs to start. The top level now knows each subcommand only by its name, the module
(``crm.cli.<module>``) whose ``register`` makes it, and its one-line help; the module is
imported and registers its parsers the first time one of its names is looked up:
``crm contacts list`` builds the contacts parsers only, ``crm --help`` builds none.
Walking every parser (``choices.items()``) builds them all.
"""

from __future__ import annotations

import argparse
import importlib

# typing.TYPE_CHECKING without importing typing (``crm --help`` does not load it).
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import ItemsView, ValuesView
    from typing import Any

# In the order ``crm --help`` lists them: (name, module, help). The help must be the one
# the module registers (tests/test_cli_help.py checks it).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("demo", "demo", "fill the database with multilingual demo data"),
    ("contacts", "contacts", "add, list, show and change contacts"),
    ("refer", "referrals", "record a referral; prints it as JSON"),
    ("referrals", "referrals", "move referrals along the pipeline"),
    ("chain", "referrals", "who referred a contact, and who came through them"),
    (
        "organizations",
        "organizations",
        "organizations with their people and the referrals that came through them",
    ),
    ("events", "events", "networking events and attendance"),
    ("followups", "followups", "the follow-up list; 'followups done ID'"),
    ("vouchers", "vouchers", "issue, list and print gift vouchers"),
    ("campaigns", "campaigns", "recurring voucher campaigns: reminder, batch, cost and return"),
    ("letter", "documents", "print the thank-you letter for a referral to a PDF"),
    ("letters", "documents", "print all pending thank-you letters to one PDF"),
    ("briefing", "documents", "print the briefing for an event to a PDF"),
    ("labels", "post", "print address labels on a sheet of labels"),
    ("envelopes", "post", "print addressed envelopes, one per page"),
    ("mail", "mail", "send thank-you letters, birthday greetings and vouchers by e-mail"),
    ("birthdays", "mail", "the coming birthdays; with -o, their cards"),
    ("quality", "program", "per-giver conversion, and givers and referrals to look at"),
    ("stats", "program", "what the referral program brought and cost in a period"),
    ("rewards", "rewards", "the reward ledger, the policy and its ROI"),
    ("backup", "database", "copy the database safely to FILE"),
    ("restore", "database", "replace the database with a backup"),
    (
        "copy",
        "database",
        "copy a whole database into a new, empty one (SQLite file or PostgreSQL, either way)",
    ),
    ("check", "database", "check the database's integrity"),
    ("import", "importing", "import contacts from vCard or CSV"),
    ("export", "exporting", "export contacts, follow-ups or referrals"),
    (
        "duplicates",
        "duplicates",
        "list likely duplicate contacts; 'duplicates dismiss A B' when they are not",
    ),
    (
        "merge",
        "duplicates",
        "merge OTHER_ID into KEEP_ID (asks first; --yes when not on a terminal), or undo a merge",
    ),
    ("privacy", "privacy", "a person's data: export it, or erase it"),
    ("templates", "templates", "letter and voucher wording per language, with merge fields"),
    ("settings", "settings", "the sender profile and preferences"),
    ("screenshot", "screenshot", "render a view of the app offscreen to a PNG"),
)


class _Parsers(dict[str, "argparse.ArgumentParser | None"]):
    """Name -> parser; a name's module registers its parsers when the name is first read."""

    def __init__(self, owner: LazySubcommands) -> None:
        super().__init__()
        self._owner = owner

    def __getitem__(self, name: str) -> Any:
        if dict.get(self, name) is None and name in self._owner.modules:
            self._owner.load(self._owner.modules[name])
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def values(self) -> ValuesView[Any]:  # type: ignore[override]
        self._owner.load_all()
        return dict.values(self)

    def items(self) -> ItemsView[str, Any]:  # type: ignore[override]
        self._owner.load_all()
        return dict.items(self)


class LazySubcommands(argparse._SubParsersAction):
    """``add_subparsers(action=LazySubcommands)``: subcommands listed now, built on use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_parser_map = _Parsers(self)
        self.choices = self._name_parser_map
        self.modules: dict[str, str] = {}
        self.loaded: set[str] = set()
        #: The help each module registered for its names (checked against the table).
        self.registered_help: dict[str, str | None] = {}

    def add_lazy(self, name: str, module: str, help: str) -> None:
        """List ``name`` (with its help) now; ``crm.cli.<module>`` makes its parser on use."""
        self.modules[name] = module
        dict.__setitem__(self._name_parser_map, name, None)
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help))

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name in self.modules:
            # Listed already, from the table: not a second line in ``crm --help``, and its
            # placeholder makes way (argparse refuses a name twice).
            self.registered_help[name] = kwargs.pop("help", None)
            dict.pop(self._name_parser_map, name, None)
        return super().add_parser(name, **kwargs)

    def load(self, module: str) -> None:
        if module in self.loaded:
            return
        self.loaded.add(module)
        importlib.import_module(f"crm.cli.{module}").register(self)
        # Back in the table's order (argparse lists the choices in an unknown name's error).
        parsers = dict(dict.items(self._name_parser_map))
        dict.clear(self._name_parser_map)
        for name in self.modules:
            dict.__setitem__(self._name_parser_map, name, parsers.pop(name, None))
        dict.update(self._name_parser_map, parsers)

    def load_all(self) -> None:
        for module in dict.fromkeys(self.modules.values()):
            self.load(module)
