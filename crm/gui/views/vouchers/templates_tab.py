"""The Templates tab of Vouchers & Letters: the wording of each document kind per language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm import i18n
from crm.core import templates
from crm.core.errors import ValidationError
from crm.core.vocabulary import LANGUAGES
from crm.gui.context import AppContext
from crm.gui.formatting import language_name


class TemplatesTab(QWidget):
    """Letter, voucher, birthday and e-mail wording per language, checked before it is saved."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Template:")))
        self.template_kind = QComboBox()
        self.template_kind.addItem(self.tr("Thank-you letter"), "thank_you_letter")
        self.template_kind.addItem(self.tr("Gift voucher"), "voucher")
        self.template_kind.addItem(self.tr("Birthday greeting"), "birthday")
        self.template_kind.addItem(self.tr("Voucher e-mail"), "voucher_email")
        top.addWidget(self.template_kind)
        top.addWidget(QLabel(self.tr("Language:")))
        self.template_language = QComboBox()
        self.template_language.setObjectName("templateLanguage")
        for code in LANGUAGES:
            self.template_language.addItem(language_name(code), code)
        # The wording in the interface's language first: what this user most likely edits.
        here = self.template_language.findData(i18n.normalize(i18n.language()))
        self.template_language.setCurrentIndex(max(here, 0))
        top.addWidget(self.template_language)
        top.addStretch(1)
        lay.addLayout(top)
        self.template_subject = QLineEdit()
        self.template_subject.setPlaceholderText(self.tr("Subject (the voucher's heading)"))
        lay.addWidget(self.template_subject)
        self.template_body = QPlainTextEdit()
        lay.addWidget(self.template_body, 1)
        self.template_fields = QLabel()
        self.template_fields.setWordWrap(True)
        self.template_fields.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.template_fields)
        self.template_error = QLabel()
        self.template_error.setObjectName("templateError")
        self.template_error.setStyleSheet("color: #b00020;")
        self.template_error.setWordWrap(True)
        self.template_error.setTextFormat(Qt.TextFormat.PlainText)
        self.template_error.hide()
        lay.addWidget(self.template_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.template_reset = QPushButton(self.tr("Restore Default"))
        self.template_reset.clicked.connect(self.reset_template)
        self.template_save = QPushButton(self.tr("Save Template"))
        self.template_save.clicked.connect(self.save_template)
        buttons.addWidget(self.template_reset)
        buttons.addWidget(self.template_save)
        lay.addLayout(buttons)
        self.template_kind.currentIndexChanged.connect(lambda _i: self.load_template())
        self.template_language.currentIndexChanged.connect(lambda _i: self.load_template())
        self.load_template()

    def load_template(self) -> None:
        kind = self.template_kind.currentData()
        language = self.template_language.currentData()
        text = templates.get_template(kind, language)
        self.template_subject.setText(text.subject)
        self.template_body.setPlainText(text.body)
        rtl = language == "ar"
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        self.template_subject.setLayoutDirection(direction)
        self.template_body.setLayoutDirection(direction)
        fields = ", ".join("{" + f + "}" for f in templates.valid_fields(kind))
        self.template_fields.setText(self.tr("Merge fields: %1").replace("%1", fields))
        self.template_error.hide()

    def save_template(self) -> None:
        try:
            templates.save_template(
                self.template_kind.currentData(),
                self.template_language.currentData(),
                self.template_subject.text(),
                self.template_body.toPlainText(),
            )
        except ValidationError as exc:
            self.template_error.setText(exc.message)
            self.template_error.show()
            return
        self.template_error.hide()
        self.ctx.changed("settings")

    def reset_template(self) -> None:
        templates.reset_template(
            self.template_kind.currentData(), self.template_language.currentData()
        )
        self.load_template()
        self.ctx.changed("settings")
