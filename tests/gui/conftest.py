"""GUI fixtures: the real main window on a temp-file database, work run synchronously."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from crm.gui.app import application, build_window, set_language
from crm.gui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def qapp_named() -> QApplication:
    # Names the application so QSettings() has a home, before any widget exists;
    # English with its formats (en_US), as the app starts when English is chosen.
    app = application([])
    set_language(app, "en")
    return app


@pytest.fixture
def qsettings(tmp_path) -> QSettings:
    """Settings in a temp file: tests never read or write the user's own."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return settings


class ErrorLog(list):
    """Errors the gateway would show in a dialog, as (message, details)."""

    def messages(self) -> list[str]:
        return [m for m, _d in self]


@pytest.fixture
def errors() -> ErrorLog:
    return ErrorLog()


@pytest.fixture
def window(qtbot, store, qsettings, errors) -> Iterator[MainWindow]:
    """The main window on the test's database, gateway synchronous, errors collected."""
    win = build_window(store, qsettings, synchronous=True)
    win.ctx.gateway.error_shown = lambda message, details: errors.append((message, details))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def demo_store(store):
    """A small demo database (the pages and dialogs with something to show)."""
    from crm import demo
    from crm.core import campaigns

    demo.generate(store, contacts=300, seed=7)
    # A voucher campaign: its row on the Campaigns tab and its period's batch dialog.
    campaigns.create("Best clients", top_n=5, value="30", valid_days=60)
    return store
