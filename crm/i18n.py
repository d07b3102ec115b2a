"""The app's words: one gettext catalog shared by the core, the CLI, the GUI and the documents.

Every user-facing string is written in English in the code and passed through
:func:`_` (or :func:`ngettext` for counts, :func:`N_` to mark a string that is
translated later, where it is shown). ``set_language`` chooses the catalog:
``crm/locale/<lang>/LC_MESSAGES/crm.mo`` as built by ``pip install .`` or the app
bundle, or, in a checkout without a fresh ``.mo``, the ``.po`` compiled in memory
(and kept in the user's cache folder, keyed by the ``.po``'s size and time).
"""

from __future__ import annotations

import gettext as _gettext
import os
import zlib
from collections.abc import Mapping
from pathlib import Path

from crm.i18n_catalogs import DOMAIN, LOCALE_DIR, compile_po
from crm.i18n_mo import MoCatalog

#: The languages of the interface; English is the source language.
LANGUAGES = ("en", "el", "bg", "it", "ar")

# None until a message is first translated after `set_language`: the catalog is read then,
# so a command that prints nothing translated (``crm --help``) never loads it.
_translation: _gettext.NullTranslations | None = _gettext.NullTranslations()
_language = "en"
_cache: dict[str, _gettext.NullTranslations] = {}


def _(message: str) -> str:
    """The message in the current language."""
    return (_translation or _current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, by the current language's plural rule."""
    return (_translation or _current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the current language, told apart from its namesakes by ``context``."""
    return (_translation or _current()).pgettext(context, message)


def _current() -> _gettext.NullTranslations:
    """The current language's catalog, read on first use."""
    global _translation
    if _translation is None:
        _translation = translations(_language)
    return _translation


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here."""
    return message


def language() -> str:
    """The current language code (``en``, ``el``, ``bg``, ``it``, ``ar``)."""
    return _language


def normalize(code: str | None) -> str:
    """``el_GR.UTF-8``, ``el-GR``, ``EL`` -> ``el``; anything not ours (``C``, ``fr``) -> ``en``."""
    if not code:
        return "en"
    base = code.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else "en"


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The language of ``LC_ALL``, else ``LC_MESSAGES``, else ``LANG`` (POSIX order); else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return normalize(value)
    return "en"


def _cached_mo(po: Path, stamp: os.stat_result) -> Path | None:
    """Where the in-memory compilation of ``po`` is kept between runs (a checkout only)."""
    try:
        from platformdirs import user_cache_path

        folder = user_cache_path("passaparola", appauthor=False) / "catalogs"
    except Exception:  # pragma: no cover - platformdirs is a dependency
        return None
    # One file per catalog source (two checkouts do not share), replaced when it changes.
    return folder / f"{_source_key(po)}-{stamp.st_mtime_ns}-{stamp.st_size}.mo"


def _source_key(po: Path) -> str:
    return f"{po.parent.parent.name}-{zlib.crc32(str(po.resolve()).encode()):08x}"


def _compiled(po: Path) -> bytes:
    """``po`` compiled, from the user's cache when this very file was compiled before.

    Compiling imports babel (about 0.3 s); the cached copy loads in a millisecond.
    """
    stamp = po.stat()
    cached = _cached_mo(po, stamp)
    if cached is not None:
        try:
            return cached.read_bytes()
        except OSError:
            pass
    data = compile_po(po)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for old in cached.parent.glob(f"{_source_key(po)}-*.mo"):
                old.unlink(missing_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(data)
            partial.replace(cached)
        except OSError:
            pass  # a read-only cache: compile again next time
    return data


def _load(code: str) -> _gettext.NullTranslations:
    """``code``'s catalog: the built ``.mo`` if it is at least as new as the ``.po``."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    try:
        po_time = po.stat().st_mtime if po.exists() else None
        if mo.exists() and (po_time is None or mo.stat().st_mtime >= po_time):
            return MoCatalog(mo.read_bytes())
        if po_time is not None:
            return MoCatalog(_compiled(po))
    except OSError:
        pass
    return _gettext.NullTranslations()


def translations(code: str) -> _gettext.NullTranslations:
    """The (cached) catalog of ``code``; English is the identity."""
    code = normalize(code)
    if code == "en":
        return _gettext.NullTranslations()
    if code not in _cache:
        _cache[code] = _load(code)
    return _cache[code]


def set_language(code: str | None) -> None:
    """Use ``code``'s catalog from now on (``el_GR.UTF-8`` is read as ``el``; unknown is en)."""
    global _language, _translation
    _language = normalize(code)
    _translation = _cache.get(_language) if _language != "en" else _gettext.NullTranslations()


def install_translations(catalog: _gettext.NullTranslations, code: str = "en") -> None:
    """Answer every ``_()`` from ``catalog`` (a test's pseudo-translation made in memory).

    ``code`` is the language whose formats and plural rule go with it; the next
    :func:`set_language` puts a real catalog back.
    """
    global _language, _translation
    _language = normalize(code)
    _translation = catalog


class Term(str):
    """An English word of the interface passed as a message parameter: translated when shown.

    ``ValidationError(code=..., what=Term(N_("Country")))`` reads "Χώρα" in Greek,
    where a plain ``str`` parameter (a name, a file) is data and never translated.
    """

    __slots__ = ()

    def translated(self) -> str:
        return _(self)


class Word(Term):
    """A stored code's word in a sentence ("won", "archived"), told apart from its
    namesakes by a context: ``pgettext(context, word)`` when shown. The core's words for
    its codes are in :mod:`crm.core.vocabulary`."""

    context: str

    def __new__(cls, context: str, text: str) -> Word:
        word = super().__new__(cls, text)
        word.context = context
        return word

    def translated(self) -> str:
        return pgettext(self.context, self)
