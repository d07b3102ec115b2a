"""Start the desktop app.

Until the full desktop views land, the window shows the open database and
what it holds, so that ``crm`` with no subcommand already opens something real.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from crm import APP_NAME, __version__
from crm.core import contacts, db, followups, models
from crm.core.errors import CrmError


class MainWindow(QMainWindow):
    def __init__(self, store: db.Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(f"{APP_NAME} — {store.target.describe()}")
        self.resize(900, 600)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(f"<h1>{APP_NAME}</h1>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.summary)
        self.setCentralWidget(central)
        self.refresh()

    def refresh(self) -> None:
        today, overdue = followups.due_counts()
        lines = [
            self.tr("Database: %s") % self.store.target.describe(),
            self.tr("%d contacts, %d referrals, %d events")
            % (contacts.count(), models.Referral.select().count(), models.Event.select().count()),
            self.tr("Follow-ups due today: %d, overdue: %d") % (today, overdue),
        ]
        self.summary.setText("\n".join(lines))
        self.statusBar().showMessage(self.tr("%s %s") % (APP_NAME, __version__))


def run(db_target: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    try:
        store = db.open_database(db_target)
    except CrmError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 2
    window = MainWindow(store)
    window.show()
    try:
        return int(app.exec())
    finally:
        store.close()
