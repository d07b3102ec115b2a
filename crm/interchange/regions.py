"""Country names in any language → ISO codes, for the addresses an import reads.

Cards name the country in their owner's language ("Canada", "Deutschland",
"Ελλάδα", "България"). Babel has every territory's name in every locale: the
languages our users' files come in are read first; a name none of them knows
is looked up in all of Babel's locales (about a second, once per process).
"""

from __future__ import annotations

import functools

from crm.core import vocabulary
from crm.core.text import fold

# The app's letter languages, then the languages address books around them use.
_FIRST = (*vocabulary.LANGUAGES, "de", "fr", "es", "pt", "nl", "tr", "ro", "ru", "sr", "pl")


def _add(table: dict[str, str], languages: tuple[str, ...] | list[str]) -> None:
    import phonenumbers
    from babel import Locale

    for lang in languages:
        for code, name in Locale.parse(lang).territories.items():
            # Only codes a contact may hold (crm.core.contacts checks the same).
            if code in phonenumbers.SUPPORTED_REGIONS:
                table.setdefault(fold(" ".join(name.split())), code)


@functools.cache
def _common() -> dict[str, str]:
    table: dict[str, str] = {}
    _add(table, _FIRST)
    return table


@functools.cache
def _every() -> dict[str, str]:
    from babel import localedata

    table = dict(_common())
    _add(table, sorted(i for i in localedata.locale_identifiers() if "_" not in i))
    return table


def country_code(name: str) -> str | None:
    """The ISO code of a country's name in any language (folded), or None."""
    key = fold(" ".join(name.split()))
    if not key:
        return None
    return _common().get(key) or _every().get(key)


def country_names() -> dict[str, str]:
    """Folded country names in the common languages → ISO codes (a copy to extend)."""
    return dict(_common())
