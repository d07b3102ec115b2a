"""The core's messages: ``code -> English template`` (a gettext msgid), worded when read.

Errors (:mod:`crm.core.errors`) carry a code and parameters; :func:`render` looks the
template up in the current language's catalog and fills it with ``str.format``. A
parameter that is itself a word of the interface is a :class:`crm.i18n.Term` and is
translated too; any other parameter is data and shown as it is, but for a number whose
field asks for grouping (``{n:,}``), written as the reader's language writes numbers
(:class:`crm.i18n_formats.Number`). Codes of the import and export formats and of the
documents are registered by their packages (:func:`register`), as the core never
imports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crm.core.messages_core import CORE
from crm.core.messages_io import IO
from crm.core.messages_team import TEAM
from crm.i18n import N_, Term, _
from crm.i18n_formats import numbers

MESSAGES: dict[str, str] = {
    "internal.unknown_code": N_("Something went wrong ({code})"),
    **CORE,
    **IO,
    **TEAM,
}


def register(more: Mapping[str, str]) -> None:
    """Add codes (each new, with its English template) to the registry."""
    for code, template in more.items():
        if MESSAGES.get(code, template) != template:
            raise ValueError(f"message code {code!r} is registered twice")
        MESSAGES[code] = template


def plain(text: str) -> str:
    """A message passed as text rather than a code: through the catalog if it is a msgid."""
    return _(text)


def _fill(template: str, params: Mapping[str, Any], translate: bool) -> str:
    if translate:
        values = {k: v.translated() if isinstance(v, Term) else v for k, v in params.items()}
        # A number whose field asks for grouping ({n:,}) reads 1.234 in Greek.
        values = numbers(values)
    else:
        values = dict(params)
    return template.format(**values)


def render(code: str, params: Mapping[str, Any], *, translate: bool = True) -> str:
    """The message of ``code`` filled with ``params`` (in the current language)."""
    template = MESSAGES.get(code)
    if template is None:
        return _fill(MESSAGES["internal.unknown_code"], {"code": code}, translate)
    if translate:
        try:
            return _fill(_(template), params, translate)
        except (KeyError, IndexError, ValueError):
            pass  # a translation with a broken placeholder: English rather than nothing
    return _fill(template, params, translate)
