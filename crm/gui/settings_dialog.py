"""Preferences: the sender profile, money and paper, rule numbers, backups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import backups, models, settings, this_computer
from crm.core.errors import ValidationError
from crm.gui import settings_mail
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, number, territory_name
from crm.gui.settings_fields import (
    CodeField,
    FolderField,
    ImageField,
    language_combo,
)
from crm.gui.widgets import PreservingDialog

ERROR_COLOUR = "#c62828"
TAB_SENDER, TAB_MONEY, TAB_RULES, TAB_BACKUPS = range(4)

# Setting keys shown as day counts on the Rules tab.
RULE_KEYS = (
    "referral_cooldown_days",
    "followup_new_referral_days",
    "followup_met_days",
    "birthday_window_days",
)


class SettingsDialog(PreservingDialog):
    """Edit everything in crm.core.settings; Save writes it all, or nothing."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.geometry_settings = ctx.settings
        self.setWindowTitle(self.tr("Preferences"))
        self.resize(640, 600)
        # key -> input widget, inline error label, the form holding it, its tab
        self.inputs: dict[str, Any] = {}
        self.errors: dict[str, QLabel] = {}
        self._forms: dict[str, QFormLayout] = {}
        self._tab_of: dict[str, int] = {}

        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(self._sender_tab(), self.tr("Sender"))
        self.tabs.addTab(self._money_tab(), self.tr("Money && Paper"))
        self.tabs.addTab(self._rules_tab(), self.tr("Rules"))
        self.tabs.addTab(self._backups_tab(), self.tr("Backups"))
        self.tabs.addTab(settings_mail.build(self), self.tr("Mail"))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.load()

    # -- building -------------------------------------------------------------------------

    def _form(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return page, form

    def _add(self, form: QFormLayout, tab: int, key: str, label: str, widget: QWidget) -> None:
        """A field, and beneath it a hidden line for the core's message about it."""
        field = getattr(widget, "edit", widget)  # the line edit inside a compound field
        field.setObjectName(key)
        form.addRow(label, widget)
        buddy = form.labelForField(widget)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(field)
        error = QLabel()
        error.setObjectName(f"{key}Error")
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        form.addRow("", error)
        form.setRowVisible(error, False)
        self.inputs[key] = widget if isinstance(widget, ImageField) else field
        self.errors[key] = error
        self._forms[key], self._tab_of[key] = form, tab
        # Typing again clears the complaint about the old value.
        signal = getattr(field, "textChanged", None) or getattr(field, "valueChanged", None)
        if signal is not None:
            signal.connect(lambda *_a, k=key: self.clear_error(k))

    def _note(self, form: QFormLayout, text: str) -> QLabel:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(note)
        return note

    def _line(self, max_length: int = 200, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setMaxLength(max_length)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    def _sender_tab(self) -> QWidget:
        page, form = self._form()
        self._note(form, self.tr("Who the thank-you letters and vouchers come from."))
        self._add(form, TAB_SENDER, "name", self.tr("&Name:"), self._line())
        self._add(form, TAB_SENDER, "company", self.tr("C&ompany:"), self._line())
        self._add(form, TAB_SENDER, "street", self.tr("&Street:"), self._line())
        self._add(form, TAB_SENDER, "postcode", self.tr("&Postcode:"), self._line(20))
        self._add(form, TAB_SENDER, "city", self.tr("C&ity:"), self._line(120))
        country = CodeField(2, self.tr("e.g. IT"))
        country.edit.textChanged.connect(lambda t: country.meaning.setText(territory_name(t)))
        self._add(form, TAB_SENDER, "country", self.tr("Co&untry:"), country)
        self._add(form, TAB_SENDER, "email", self.tr("&Email:"), self._line(254))
        self._add(form, TAB_SENDER, "phone", self.tr("P&hone:"), self._line(64))
        self._add(form, TAB_SENDER, "logo_path", self.tr("&Logo:"), ImageField(self.tr("Logo")))
        self._add(
            form,
            TAB_SENDER,
            "signature_path",
            self.tr("Si&gnature:"),
            ImageField(self.tr("Signature")),
        )
        return page

    def _money_tab(self) -> QWidget:
        page, form = self._form()
        self.ui_language = language_combo(self.tr("The system's language"))
        form.addRow(self.tr("Interface &language:"), self.ui_language)
        self._note(form, self.tr("Menus and messages; it applies the next time the app starts."))
        briefing = language_combo(self.tr("The interface language"))
        self._add(form, TAB_MONEY, "briefing_language", self.tr("&Briefing language:"), briefing)
        self._note(form, self.tr("The language of printed event briefings."))
        currency = CodeField(3, "EUR")
        completer = QCompleter(sorted(settings.CURRENCIES), currency.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        currency.edit.setCompleter(completer)
        self._add(form, TAB_MONEY, "currency", self.tr("&Currency:"), currency)
        self._note(form, self.tr("The ISO code of the money referrals and vouchers are worth."))
        size = QComboBox()
        size.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        names = {"A4": self.tr("A4 (210 × 297 mm)"), "Letter": self.tr("Letter (8.5 × 11 in)")}
        for code in models.PAGE_SIZES:
            size.addItem(names.get(code, code), code)
        self._add(form, TAB_MONEY, "page_size", self.tr("&Page size:"), size)
        region = CodeField(2, self.tr("e.g. GR"))
        region.edit.textChanged.connect(lambda t: region.meaning.setText(territory_name(t)))
        self._add(form, TAB_MONEY, "default_region", self.tr("Phone &region:"), region)
        self._note(
            form,
            self.tr(
                "Phone numbers typed without a country code (+30 …) are read as numbers "
                "of this country."
            ),
        )
        return page

    def _spin(self, key: str, suffix: str) -> QSpinBox:
        _default, lo, hi = settings.DEFAULTS[key]
        spin = QSpinBox()
        spin.setRange(lo if lo is not None else 0, hi if hi is not None else 100_000)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0000" + suffix) + 40)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return spin

    def _rules_tab(self) -> QWidget:
        page, form = self._form()
        days = " " + self.tr("days")
        self._add(
            form,
            TAB_RULES,
            "referral_cooldown_days",
            self.tr("Ask for a referral again after:"),
            self._spin("referral_cooldown_days", days),
        )
        self._note(form, self.tr("The briefing says when it is fine to ask someone again."))
        self._add(
            form,
            TAB_RULES,
            "followup_new_referral_days",
            self.tr("Contact a new referral within:"),
            self._spin("followup_new_referral_days", days),
        )
        self._add(
            form,
            TAB_RULES,
            "followup_met_days",
            self.tr("Follow up after meeting someone:"),
            self._spin("followup_met_days", days),
        )
        self._add(
            form,
            TAB_RULES,
            "birthday_window_days",
            self.tr("Remind me of birthdays:"),
            self._spin("birthday_window_days", " " + self.tr("days ahead")),
        )
        self._note(
            form,
            self.tr(
                "New numbers apply to follow-ups created from now on; those already "
                "planned keep their day."
            ),
        )
        return page

    def _backups_tab(self) -> QWidget:
        page, form = self._form()
        self.default_backup_dir = self._default_backup_dir()
        folder = FolderField(
            self.default_backup_dir,
            self.tr("Beside the database: %1").replace("%1", cell_text(self.default_backup_dir)),
        )
        folder.choose_button.clicked.connect(self.choose_backup_dir)
        self._add(form, TAB_BACKUPS, "backup_dir", self.tr("Backup &folder:"), folder)
        keep = self._spin("backup_keep", " " + self.tr("backups"))
        self._add(form, TAB_BACKUPS, "backup_keep", self.tr("&Keep the newest:"), keep)
        self._note(
            form,
            self.tr(
                "Passaparola copies the database before every upgrade and restore, and when "
                "you back up here; older copies beyond this number are deleted."
            ),
        )
        self.backup_button = QPushButton(self.tr("&Back Up Now"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_result = QLabel()
        self.backup_result.setObjectName("backupResult")
        self.backup_result.setTextFormat(Qt.TextFormat.PlainText)
        self.backup_result.setWordWrap(True)
        self.backup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.backup_button, self.backup_result)
        self.backups_label = QLabel()
        self.backups_label.setTextFormat(Qt.TextFormat.PlainText)
        self.backups_label.setWordWrap(True)
        form.addRow(self.backups_label)
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("backupList")
        self.backup_list.setMinimumHeight(self.fontMetrics().height() * 6)
        form.addRow(self.backup_list)
        if not self.ctx.store.is_sqlite:
            for widget in (folder.edit, folder.choose_button, keep, self.backup_button):
                widget.setEnabled(False)
            self.backup_result.setText(
                self.tr("Backups here work on a SQLite file; back up a server with its own tools.")
            )
        return page

    def _default_backup_dir(self) -> str:
        path = self.ctx.store.path
        return str(path.parent / "backups") if path is not None else ""

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Show what the database holds now."""
        index = self.ui_language.findData(this_computer.ui_language())
        self.ui_language.setCurrentIndex(max(index, 0))
        prof = settings.profile()
        for key in settings.PROFILE_FIELDS:
            widget = self.inputs.get(key)
            if widget is None:
                continue
            value = str(getattr(prof, key) or "")
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                widget.setText(value)
        for key in (*RULE_KEYS, "backup_keep"):
            self.inputs[key].setValue(int(settings.get(key)))
        self.inputs["backup_dir"].setText(str(settings.get("backup_dir")))
        briefing = self.inputs["briefing_language"]
        briefing.setCurrentIndex(max(briefing.findData(settings.get("briefing_language")), 0))
        settings_mail.load(self)
        for key in self.errors:
            self.clear_error(key)
        self.refresh_backups()

    def refresh_backups(self) -> None:
        self.backup_list.clear()
        if not self.ctx.store.is_sqlite:
            return
        folder = backups.backups_dir(self.ctx.store)
        found = backups.list_backups(self.ctx.store)
        if not found:
            text = self.tr("No automatic backups yet in %1")
        elif len(found) == 1:
            text = self.tr("1 automatic backup in %1")
        else:
            text = self.tr("%2 automatic backups in %1").replace("%2", number(len(found)))
        self.backups_label.setText(text.replace("%1", cell_text(str(folder))))
        locale = QLocale()
        for path in found:
            try:
                stat = path.stat()
            except OSError:
                continue
            when = dt.datetime.fromtimestamp(stat.st_mtime)
            size = locale.formattedDataSize(stat.st_size)
            item = QListWidgetItem(f"{when:%Y-%m-%d %H:%M}   {size}   {path.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.backup_list.addItem(item)

    # -- values -----------------------------------------------------------------------------

    def profile_values(self) -> dict[str, str]:
        out = {}
        for key in settings.PROFILE_FIELDS:
            widget = self.inputs.get(key)
            if widget is None:
                continue
            out[key] = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
        return out

    def setting_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: self.inputs[k].value() for k in (*RULE_KEYS, "backup_keep")}
        out["backup_dir"] = self.inputs["backup_dir"].text()
        out["briefing_language"] = self.inputs["briefing_language"].currentData()
        out.update(settings_mail.values(self))
        return out

    def check(self) -> dict[str, str]:
        """The core's complaint about each field that has one (all of them, not the first)."""
        problems: dict[str, str] = {}
        profile = self.profile_values()
        for key, value in profile.items():
            fields = {key: value}
            if key == "phone":  # read in the region chosen beside it
                fields["default_region"] = profile.get("default_region", "")
            try:
                settings.clean_profile(**fields)
            except ValidationError as exc:
                problems.setdefault(exc.field or key, exc.message)
        for key, value in self.setting_values().items():
            try:
                settings.clean_value(key, value)
            except ValidationError as exc:
                problems.setdefault(exc.field or key, exc.message)
        return problems

    def show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key)
        if label is None:  # a field this dialog does not show: say it where it is seen
            self.ctx.gateway.show_error(message)
            return
        label.setText(message)
        self._forms[key].setRowVisible(label, True)

    def clear_error(self, key: str) -> None:
        label = self.errors[key]
        label.clear()
        self._forms[key].setRowVisible(label, False)

    def error_text(self, key: str) -> str:
        """The message shown under a field ("" when none)."""
        return self.errors[key].text()

    def save(self) -> bool:
        """Write everything through the core; on a refusal show it and change nothing."""
        for key in self.errors:
            self.clear_error(key)
        problems = self.check()
        if not problems:
            try:
                settings.save_preferences(self.profile_values(), self.setting_values())
            except ValidationError as exc:
                problems = {exc.field or "": exc.message}
        if not problems:
            return settings_mail.save_password(self)
        for key, message in problems.items():
            self.show_error(key, message)
        first = min(problems, key=lambda k: (self._tab_of.get(k, 99), k))
        if first in self._tab_of:
            self.tabs.setCurrentIndex(self._tab_of[first])
            getattr(self.inputs[first], "edit", self.inputs[first]).setFocus()
        return False

    def accept(self) -> None:
        if self.save():
            # This computer's choice, not the (perhaps shared) database's: read at start.
            this_computer.set_value("ui_language", self.ui_language.currentData() or "")
            super().accept()

    # -- backups ----------------------------------------------------------------------------

    def choose_backup_dir(self) -> None:
        current = self.inputs["backup_dir"].text() or self.default_backup_dir
        path = QFileDialog.getExistingDirectory(self, self.tr("Backup Folder"), current)
        if path:
            self.inputs["backup_dir"].setText(path)

    def back_up_now(self) -> None:
        """An automatic backup now, into the saved folder, rotated like the others."""
        store = self.ctx.store
        self.backup_result.setText(self.tr("Backing up…"))

        def done(path: str) -> None:
            self.backup_result.setText(self.tr("Backed up to %1").replace("%1", cell_text(path)))
            self.refresh_backups()

        def failed(exc: BaseException) -> None:
            self.backup_result.clear()
            self.ctx.gateway.show_error(str(exc))

        self.ctx.gateway.run(
            lambda progress: str(backups.automatic_backup(store, reason="manual")),
            on_done=done,
            on_error=failed,
            label=self.tr("Backing up…"),
            cancellable=False,
        )
