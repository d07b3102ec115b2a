"""The app's words: one gettext catalog shared by the core, the CLI, the GUI and the documents.

Every user-facing string is written in English in the code and passed through
:func:`_` (or :func:`ngettext` for counts, :func:`N_` to mark a string that is
translated later, where it is shown). ``set_language`` chooses the catalog.
"""

from __future__ import annotations

import gettext as _gettext

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """The message in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, by the current language's plural rule."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the current language, told apart from its namesakes by ``context``."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here."""
    return message


def language() -> str:
    """The current language code (``en``, ``el``, ``bg``, ``it``, ``ar``)."""
    return _language


def set_language(code: str) -> None:
    """Use ``code``'s catalog from now on (English until the catalogs land)."""
    global _language
    _language = code or "en"
