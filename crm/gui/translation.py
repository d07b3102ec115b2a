"""The interface language of the desktop app: one catalog for Qt's ``tr()`` and ``_()``.

``install(app, code)`` sets :mod:`crm.i18n` (the core's messages and every ``_()``),
loads Qt's own translations of its standard dialogs and buttons (``qtbase_<lang>.qm``
from Qt's translations folder) and installs :class:`CatalogTranslator`, which answers
the widgets' ``tr()`` calls from the same gettext catalog, so pages need not change
how they mark their words. Arabic lays the window out right-to-left.
"""

from __future__ import annotations

import gettext

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from crm import i18n

RTL_LANGUAGES = ("ar", "he", "fa", "ur")


class CatalogTranslator(QTranslator):
    """Qt's ``tr(text)`` looked up in the gettext catalog (None: not translated there)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        ctx = disambiguation
        text = i18n.pgettext(ctx, source_text) if ctx else i18n._(source_text)
        # None (a null QString) lets Qt ask the next translator (qtbase); "" would be
        # taken as a translation and blank the text.
        return None if text == source_text else text

    def isEmpty(self) -> bool:
        return False


# The conventions (dates, numbers, collation) that go with each interface language: the
# ones crm.core.amounts reads typed amounts by (Arabic: 1,234.56 with Western digits, as
# in the Gulf; Greek, Bulgarian, Italian: 1.234,56).
UI_LOCALES = {"en": "en_US", "el": "el_GR", "bg": "bg_BG", "it": "it_IT", "ar": "ar_AE"}


def ui_locale(code: str) -> QLocale:
    """The locale whose formats the interface uses in ``code``: the system's own when it
    speaks that language (an en_GB user keeps their dates), else the language's usual one."""
    system = QLocale.system()
    if code == "en" and system.language() == QLocale.Language.English:
        return system
    return QLocale(UI_LOCALES.get(code, "en_US"))


def system_language() -> str:
    """The system locale's language if it is one of ours, else English."""
    return i18n.normalize(QLocale.system().name())


def _qt_translator(parent: QObject, code: str) -> QTranslator | None:
    """Qt's translations of its own dialogs and buttons for ``code``, where Qt ships them."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(parent)
    return translator if translator.load(f"qtbase_{code}", folder) else None


# Words a table asks for on every paint (column titles, stage and channel labels), as
# translated: each QCoreApplication.translate() of a non-English window calls back into
# CatalogTranslator. Valid for one language; emptied when the translators change.
_words: dict[tuple[str, str], str] = {}
_words_language = ["en"]


def word(context: str, text: str) -> str:
    """``QCoreApplication.translate(context, text)``, remembered for the current language."""
    if _words_language[0] != i18n.language():
        _words.clear()
        _words_language[0] = i18n.language()
    found = _words.get((context, text))
    if found is None:
        found = _words[context, text] = QCoreApplication.translate(context, text)
    return found


def _replace_translators(app: QApplication, translators: list[QTranslator | None]) -> None:
    _words.clear()
    for old in app.findChildren(QTranslator, "crmTranslator"):
        app.removeTranslator(old)
        old.deleteLater()
    for translator in translators:
        if translator is not None:
            translator.setParent(app)
            translator.setObjectName("crmTranslator")
            app.installTranslator(translator)


def install(app: QApplication, language: str | None) -> str:
    """Speak ``language`` (default: the system's) from now on; the code in use."""
    code = i18n.normalize(language) if language else system_language()
    i18n.set_language(code)
    translators = [_qt_translator(app, code), CatalogTranslator(app)] if code != "en" else []
    _replace_translators(app, translators)
    QLocale.setDefault(ui_locale(code))
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if code in RTL_LANGUAGES else Qt.LayoutDirection.LeftToRight
    )
    return code


def install_catalog(app: QApplication, catalog: gettext.NullTranslations) -> None:
    """Answer ``_()`` and every widget's ``tr()`` from ``catalog`` (the pseudo-locale test),
    with English formats and a left-to-right layout; :func:`install` undoes it."""
    i18n.install_translations(catalog, "en")
    _replace_translators(app, [CatalogTranslator(app)])
    QLocale.setDefault(ui_locale("en"))
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
