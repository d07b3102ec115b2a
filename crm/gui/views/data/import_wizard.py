"""The import wizard: file → columns → preview → report.

The wizard reads a file with crm.interchange.importer.load (vCard or CSV,
encoding and column mapping detected, both changeable), shows what importing
it would do with importer.plan, and imports with importer.run: every step on
the gateway, the import with progress and cancel (a cancel rolls the whole
import back). The interchange modules are imported only when used. The
columns step is a child widget from import_columns, the preview's table model
is in import_preview.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CancelledError, CrmError
from crm.gui.context import AppContext
from crm.gui.formatting import list_separator, number
from crm.gui.gateway import Progress
from crm.gui.views.data.import_columns import ColumnsStep, plain_label
from crm.gui.views.data.import_encoding import ENCODINGS, EncodingChoice
from crm.gui.views.data.import_preview import COL_ACTION, COL_LINE, COL_NAME, PreviewModel
from crm.gui.widgets import PreservingDialog, plain_tip

PAGE_FILE, PAGE_COLUMNS, PAGE_PREVIEW, PAGE_REPORT = range(4)
AUTO = "auto"


class ImportWizard(PreservingDialog):
    """Import contacts from a vCard or CSV file, with a preview before anything is written."""

    settings_key = "ImportWizard"
    # The import finished: its ImportReport.
    imported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.geometry_settings = ctx.settings
        self.setWindowTitle(self.tr("Import Contacts"))
        self.setModal(True)
        self.resize(900, 620)
        self.source: Any = None  # importer.Source of the file as last read
        self.plan: Any = None
        self.report: Any = None

        outer = QVBoxLayout(self)
        self.step_label = QLabel()
        self.step_label.setObjectName("importStep")
        font = self.step_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.step_label.setFont(font)
        outer.addWidget(self.step_label)
        self.columns = ColumnsStep(ctx)
        self.columns.ready.connect(self._columns_read)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self.columns)
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._report_page())
        outer.addWidget(self.pages, 1)
        outer.addLayout(self._build_buttons())
        self.go_to(PAGE_FILE)

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("< &Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("&Next >"))
        self.next_button.clicked.connect(self.next)
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setObjectName("runImport")
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        return buttons

    # -- the pages ------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = plain_label(
            self.tr(
                "Choose a file of contacts: a vCard (.vcf) from a phone, Apple Contacts or "
                "Google, or a CSV from Google Contacts, Outlook, LinkedIn, Excel or Passaparola. "
                "Nothing is written until you press Import on the preview."
            )
        )
        layout.addWidget(intro)
        layout.addLayout(self._file_form())
        self.file_info = plain_label()
        self.file_info.setObjectName("importFileInfo")
        layout.addWidget(self.file_info)
        self.file_error = plain_label(error=True)
        self.file_error.setObjectName("importFileError")
        layout.addWidget(self.file_error)
        self.encoding_choice = EncodingChoice(self.set_encoding)  # both readings of a close call
        layout.addWidget(self.encoding_choice)
        layout.addStretch(1)
        return page

    def _file_form(self) -> QFormLayout:
        """The file, its format and its encoding (both detected unless chosen)."""
        form = QFormLayout()
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(self.tr("A .vcf or .csv file"))
        self.path_edit.returnPressed.connect(lambda: self.choose_file(self.path_edit.text()))
        self.browse_button = QPushButton(self.tr("&Choose…"))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(self.tr("&File:"), file_row)
        label = form.labelForField(file_row)
        if isinstance(label, QLabel):
            label.setBuddy(self.path_edit)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("importFormat")
        self.format_combo.addItem(self.tr("Detect from the content"), AUTO)
        self.format_combo.addItem(self.tr("vCard"), "vcard")
        self.format_combo.addItem(self.tr("CSV"), "csv")
        self.format_combo.activated.connect(lambda _i: self.reload())
        form.addRow(self.tr("F&ormat:"), self.format_combo)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("importEncoding")
        self.encoding_combo.setEditable(True)
        self.encoding_combo.addItem(self.tr("Detect"), AUTO)
        for name in ENCODINGS:
            self.encoding_combo.addItem(name, name)
        self.encoding_combo.setToolTip(
            self.tr(
                "How the file's characters are written. Detected by default; choose another "
                "when names look wrong (a Greek Outlook file is cp1253, a Bulgarian cp1251)."
            )
        )
        self.encoding_combo.activated.connect(lambda _i: self.reload())
        line = self.encoding_combo.lineEdit()
        assert line is not None
        line.returnPressed.connect(self.reload)
        form.addRow(self.tr("&Encoding:"), self.encoding_combo)
        return form

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.summary = plain_label()
        self.summary.setObjectName("importSummary")
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(self.tr("Show:")))
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("previewFilter")
        self.show_filter.addItem(self.tr("Every record"), None)
        self.preview_model = PreviewModel(self)
        for action in ("new", "update", "skip", "reject"):
            self.show_filter.addItem(self.preview_model.action_label(action), action)
        self.show_filter.currentIndexChanged.connect(
            lambda _i: self.preview_model.show_only(self.show_filter.currentData())
        )
        top.addWidget(self.show_filter)
        layout.addLayout(top)
        self.preview = QTableView()
        self.preview.setObjectName("importPreview")
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().hide()
        self.preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview.verticalHeader().setDefaultSectionSize(self.preview.fontMetrics().height() + 8)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.preview.horizontalHeader()
        header.setStretchLastSection(True)
        self.preview.setColumnWidth(COL_LINE, 60)
        self.preview.setColumnWidth(COL_NAME, 220)
        self.preview.setColumnWidth(COL_ACTION, 130)
        layout.addWidget(self.preview, 1)
        self.preview_status = plain_label()
        self.preview_status.setObjectName("previewStatus")
        layout.addWidget(self.preview_status)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.report_text = plain_label()
        self.report_text.setObjectName("importReport")
        layout.addWidget(self.report_text)
        self.rejected_list = QTreeWidget()
        self.rejected_list.setObjectName("rejectedRows")
        self.rejected_list.setHeaderLabels([self.tr("Line"), self.tr("Why it was not imported")])
        self.rejected_list.setRootIsDecorated(False)
        self.rejected_list.setAlternatingRowColors(True)
        self.rejected_list.setColumnWidth(0, 60)
        layout.addWidget(self.rejected_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.show_contacts_button = QPushButton(self.tr("Show &Contacts"))
        self.show_contacts_button.setAutoDefault(False)
        self.show_contacts_button.clicked.connect(self.show_contacts)
        row.addWidget(self.show_contacts_button)
        layout.addLayout(row)
        return page

    # -- words ------------------------------------------------------------------------------

    def step_titles(self) -> list[str]:
        return [
            self.tr("1. Choose the file"),
            self.tr("2. Match the columns"),
            self.tr("3. Check before importing"),
            self.tr("4. Done"),
        ]

    # -- navigation -----------------------------------------------------------------------

    def is_csv(self) -> bool:
        return self.source is not None and self.source.format == "csv"

    def go_to(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.step_label.setText(self.step_titles()[page])
        self.back_button.setVisible(page in (PAGE_COLUMNS, PAGE_PREVIEW))
        self.next_button.setVisible(page in (PAGE_FILE, PAGE_COLUMNS))
        self.next_button.setEnabled(page != PAGE_FILE or self.source is not None)
        self.import_button.setVisible(page == PAGE_PREVIEW)
        can_import = self.plan is not None and any(
            r.action in ("new", "update") for r in self.plan.rows
        )
        self.import_button.setEnabled(page == PAGE_PREVIEW and can_import)
        self.close_button.setText(self.tr("Close") if page == PAGE_REPORT else self.tr("Cancel"))
        # Enter on the file page only reads the file typed (the path field's own Enter).
        self.import_button.setDefault(page == PAGE_PREVIEW)
        self.next_button.setDefault(page == PAGE_COLUMNS)

    def back(self) -> None:
        page = self.pages.currentIndex()
        if page == PAGE_PREVIEW:
            self.go_to(PAGE_COLUMNS if self.is_csv() else PAGE_FILE)
        elif page == PAGE_COLUMNS:
            self.go_to(PAGE_FILE)

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == PAGE_FILE and self.source is not None:
            if self.is_csv():
                self.go_to(PAGE_COLUMNS)
            else:
                self.make_plan()
        elif page == PAGE_COLUMNS:
            self.columns.read_with_columns()

    # -- step 1: the file -----------------------------------------------------------------

    def browse(self) -> None:
        start = self.path_edit.text() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import Contacts"),
            start,
            self.tr(
                "Contacts (*.vcf *.vcard *.csv *.txt *.tsv);;vCard (*.vcf *.vcard);;"
                "CSV (*.csv *.txt *.tsv);;All files (*)"
            ),
        )
        if path:
            self.choose_file(path)

    def choose_file(self, path: str) -> None:
        """Read ``path`` with the format and encoding chosen (detected by default)."""
        self.path_edit.setText(path)
        self.reload()

    def encoding(self) -> str | None:
        text = self.encoding_combo.currentText().strip()
        index = self.encoding_combo.findText(text)
        data = self.encoding_combo.itemData(index) if index >= 0 else text
        return None if not data or data == AUTO else str(data)

    def set_encoding(self, name: str | None) -> None:
        """Choose an encoding (None: detect) and read the file again."""
        index = self.encoding_combo.findData(name or AUTO)
        if index >= 0:
            self.encoding_combo.setCurrentIndex(index)
        else:
            self.encoding_combo.setEditText(str(name))
        self.reload()

    def set_format(self, fmt: str) -> None:
        self.format_combo.setCurrentIndex(max(self.format_combo.findData(fmt), 0))
        self.reload()

    def reload(self) -> None:
        """Read the file again (a new file, format or encoding): the mapping is detected anew."""
        path = self.path_edit.text().strip()
        self.source = self.plan = None
        self.file_info.clear()
        self.file_error.clear()
        self.encoding_choice.clear()
        self.go_to(PAGE_FILE)
        if not path:
            return
        fmt = str(self.format_combo.currentData())
        encoding = self.encoding()

        def work(progress: Progress) -> Any:
            from crm.interchange import importer
            from crm.interchange.readings import close_readings

            return importer.load(path, fmt, encoding, progress=progress.update), close_readings(
                path, fmt
            )

        self.ctx.gateway.run(
            work,
            on_done=self._loaded,
            on_error=self._load_failed,
            label=self.tr("Reading the file…"),
        )

    def _loaded(self, result: tuple[Any, Any]) -> None:
        """The file as read, and both readings when its encoding was a close call."""
        source, readings = result
        self.source = source
        self.file_error.clear()
        n = len(source.records)
        found = self.tr("1 contact found") if n == 1 else self.tr("%1 contacts found")
        found = found.replace("%1", f"{n:,}")
        if source.format == "vcard":
            what = self.tr("A vCard file, read as %1.").replace("%1", source.encoding)
        else:
            from crm.interchange import csvfile

            layout = source.layout
            delimiter = {",": self.tr("commas"), ";": self.tr("semicolons"), "\t": self.tr("tabs")}
            what = (
                self.tr("A CSV file from %1, read as %2, columns separated by %3.")
                .replace("%1", csvfile.SHAPES.get(layout.shape, layout.shape))
                .replace("%2", layout.encoding)
                .replace("%3", delimiter.get(layout.delimiter, repr(layout.delimiter)))
            )
            self.columns.show_source(source)
        used = source.encoding if source.layout is None else source.layout.encoding
        self.encoding_choice.show_readings(readings, used)
        self.file_info.setText(f"{what} {found}.")
        self.go_to(PAGE_FILE)

    def _load_failed(self, exc: BaseException) -> None:
        self.source = None
        if isinstance(exc, CancelledError):
            self.file_error.setText(self.tr("Reading the file was cancelled."))
        elif isinstance(exc, CrmError):
            self.file_error.setText(exc.message)
        else:
            self.file_error.setText(
                self.tr("The file could not be read: %1").replace("%1", str(exc))
            )
        self.go_to(PAGE_FILE)

    # -- step 2, the columns (CSV), is ColumnsStep in import_columns --------------------

    def _columns_read(self, source: Any) -> None:
        self.source = source
        self.make_plan()

    # -- step 3: the preview ----------------------------------------------------------------

    def make_plan(self) -> None:
        """Work out what importing would do (writes nothing), then show it."""
        records = self.source.records

        def work(progress: Progress) -> Any:
            from crm.interchange import importer

            return importer.plan(records, progress=progress.update)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, CancelledError):
                return
            message = exc.message if isinstance(exc, CrmError) else str(exc)
            if self.is_csv():
                self.columns.show_error(message)
            else:
                self.file_error.setText(message)

        self.ctx.gateway.run(
            work, on_done=self._planned, on_error=failed, label=self.tr("Checking the records…")
        )

    def _planned(self, plan: Any) -> None:
        self.plan = plan
        self.preview_model.load(plan.rows, plan.warnings)
        total = len(plan.rows)
        parts = [
            (self.tr("%1 new"), plan.count("new")),
            (self.tr("%1 to add to"), plan.count("update")),
            (self.tr("%1 already here"), plan.count("skip")),
            (self.tr("%1 rejected"), plan.count("reject")),
        ]
        if plan.warnings:
            parts.append((self.tr("%1 values kept as typed"), len(plan.warnings)))
        counts = list_separator().join(text.replace("%1", number(n)) for text, n in parts)
        records = self.tr("1 record") if total == 1 else self.tr("%1 records")
        self.summary.setText(f"{records.replace('%1', number(total))}: {counts}")
        if not any(r.action in ("new", "update") for r in plan.rows):
            self.preview_status.setText(self.tr("There is nothing new to import from this file."))
        else:
            self.preview_status.setText(
                self.tr(
                    "Rejected records are left out; the others are imported together. "
                    "A value that is not valid (amber) is kept in the contact's notes as typed."
                )
            )
        self.go_to(PAGE_PREVIEW)

    # -- step 4: import ------------------------------------------------------------------------

    def run_import(self) -> None:
        """Import on the gateway with progress and cancel; all or nothing."""
        if self.source is None or self.plan is None:
            return
        records = self.source.records
        name = self.source.path.name

        def work(progress: Progress) -> Any:
            from crm.interchange import importer

            return importer.run(records, progress=progress.update, source=name)

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            if isinstance(exc, CancelledError):
                self.preview_status.setText(self.tr("Import cancelled: nothing was changed."))
            else:
                self.ctx.gateway.show_error(exc.message if isinstance(exc, CrmError) else str(exc))

        self.import_button.setEnabled(False)
        self.ctx.gateway.run(
            work, on_done=self._imported, on_error=failed, label=self.tr("Importing contacts…")
        )

    def _imported(self, report: Any) -> None:
        self.report = report
        self.plan = None
        lines = [
            (self.tr("New contacts imported: %1"), report.imported),
            (self.tr("Contacts already here that got something new: %1"), report.updated),
            (self.tr("Already here, skipped: %1"), report.skipped),
            (self.tr("Rejected: %1"), len(report.rejected)),
        ]
        self.report_text.setText("\n".join(t.replace("%1", f"{n:,}") for t, n in lines))
        self.rejected_list.clear()
        for line, reason in report.rejected:
            item = QTreeWidgetItem([str(line), reason])
            item.setToolTip(1, plain_tip(reason))
            self.rejected_list.addTopLevelItem(item)
        self.rejected_list.setVisible(bool(report.rejected))
        self.go_to(PAGE_REPORT)
        self.ctx.changed("contacts")
        self.imported.emit(report)

    def show_contacts(self) -> None:
        ids = (self.report.new_ids or self.report.updated_ids) if self.report else []
        if ids:
            self.ctx.navigate.emit("contact", ids[0])
        else:
            self.ctx.navigate.emit("contacts", 0)
        self.accept()
