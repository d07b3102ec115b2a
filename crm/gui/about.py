"""Who the app is: its icon, and Help → About with the versions a bug report needs."""

from __future__ import annotations

import sqlite3

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm import APP_NAME, __version__
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text
from crm.gui.icon import app_icon

LICENSE = "GPL-3.0-or-later"


def versions(ctx: AppContext) -> list[tuple[str, str]]:
    """(label, value) pairs: the database, then every version a bug report needs."""
    import platform  # here, not at start-up (this module is imported for the app icon)

    return [
        ("Database", ctx.store.target.describe()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
    ]


def about_text(ctx: AppContext) -> str:
    """The About facts as plain text, one per line, as Copy puts them on the clipboard."""
    lines = [f"{APP_NAME} {__version__}"]
    lines += [
        f"{label}: {value}" if label == "Database" else f"{label} {value}"
        for label, value in versions(ctx)
    ]
    return "\n".join(lines)


class AboutDialog(QDialog):
    """Name, version and icon; where the data lives; the versions of Qt, Python and SQLite."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About %1").replace("%1", APP_NAME))

        top = QHBoxLayout()
        top.addWidget(self._build_logo())
        top.addSpacing(12)
        top.addLayout(self._build_text(ctx), 1)
        layout = QVBoxLayout(self)
        # Never narrower than its content: a long database path stays readable in full.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(top)
        layout.addWidget(self._build_buttons())
        self.setMinimumWidth(500)

    def _build_logo(self) -> QLabel:
        logo = QLabel()
        logo.setObjectName("aboutIcon")
        icon = app_icon()
        if not icon.isNull():
            logo.setPixmap(icon.pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        return logo

    def _build_text(self, ctx: AppContext) -> QVBoxLayout:
        """Name and version, what it is, the versions, the licence."""
        title = QLabel(f"{APP_NAME} {__version__}")
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        tagline = QLabel(self.tr("A CRM for people whose business grows by word of mouth."))
        tagline.setWordWrap(True)
        license_label = QLabel(
            self.tr("Free software under the %1 licence.").replace("%1", LICENSE)
        )
        license_label.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        words = {"Database": self.tr("Database:")}
        self.value_labels: dict[str, QLabel] = {}
        for label, value in versions(ctx):
            field = QLabel(cell_text(value))  # a path reads left to right in Arabic too
            field.setObjectName(f"about_{label.lower()}")
            # Plain text: a file name is data, never markup.
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.value_labels[label] = field
            form.addRow(words.get(label, f"{label}:"), field)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(tagline)
        text.addSpacing(8)
        text.addLayout(form)
        text.addSpacing(8)
        text.addWidget(license_label)
        return text

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy Details"))
        self.copy_button.setObjectName("aboutCopy")
        self.copy_button.setToolTip(self.tr("Copy the versions, to paste into a bug report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        return buttons

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(about_text(self.ctx))
