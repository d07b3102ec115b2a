"""Labels and envelopes for a group of people: choose the sheet or size, then preview.

Opened from the Events page (the attendees), the Vouchers page (the pending letters,
a voucher batch) and the Contacts page (the selected contacts). The dialog says who
will be printed and who is left out and why; the preview (as letters have it) shows
the labels with their outlines, and Save as PDF or Print writes them for real. The
work runs on the gateway, with progress and cancel for long batches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import postal
from crm.documents import postal_formats
from crm.gui import printing
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text
from crm.gui.widgets import PreservingDialog, form, named
from crm.i18n import ngettext

# The keys of crm.documents.postal_formats (plain data, no reportlab), in the GUI's words.
SHEETS = tuple((key, layout.per_sheet) for key, layout in postal_formats.SHEETS.items())
SIZES = tuple(postal_formats.ENVELOPES)

# -- work run on the gateway's worker ------------------------------------------------


def preview_postal(
    source: Mapping[str, Any],
    kind: str,
    key: str,
    start: int,
    allow_without_consent: bool,
    progress: Callable[[int, int], None],
) -> str:
    """Labels (with their outlines) or envelopes in a temp PDF, for the preview."""
    from crm.documents import postal_pdf

    data = postal.recipients(**source, allow_without_consent=allow_without_consent)
    path = printing.temp_pdf(kind)
    try:
        if kind == "labels":
            layout = postal_formats.sheet(key)
            postal_formats.check_start(layout, start)
            postal_pdf.render_labels(
                data["recipients"],
                path,
                layout=layout,
                start=start,
                sender=data["sender"],
                outlines=True,
                progress=progress,
            )
        else:
            size = postal_formats.envelope(key)
            postal_pdf.render_envelopes(
                data["recipients"], path, size=size, sender=data["sender"], progress=progress
            )
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path


def save_postal(
    path: str,
    source: Mapping[str, Any],
    kind: str,
    key: str,
    start: int,
    allow_without_consent: bool,
    progress: Callable[[int, int], None],
) -> dict[str, Any]:
    from crm.documents import postal_pdf

    data = postal.recipients(**source, allow_without_consent=allow_without_consent)
    if kind == "labels":
        return postal_pdf.print_labels(data, path, sheet_key=key, start=start, progress=progress)
    return postal_pdf.print_envelopes(data, path, size_key=key, progress=progress)


# -- the dialog --------------------------------------------------------------------------


class PostalDialog(PreservingDialog):
    """Labels or envelopes for ``source`` (the keyword arguments of postal.recipients)."""

    def __init__(
        self,
        ctx: AppContext,
        source: Mapping[str, Any],
        what: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.geometry_settings = ctx.settings
        self.ctx, self.source, self.what = ctx, dict(source), what
        self.setWindowTitle(self.tr("Labels and Envelopes"))
        self.resize(520, 420)
        layout = QVBoxLayout(self)
        heading = named(QLabel(what), "postalSource")
        heading.setTextFormat(Qt.TextFormat.PlainText)  # names events and batches
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self._build_choices(layout)
        self.summary = named(QLabel(), "postalSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.summary, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = named(QPushButton(self.tr("Preview…")), "postalPreview")
        self.preview_button.setDefault(True)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        layout.addWidget(buttons)
        self.recipients: dict[str, Any] | None = None
        self.preview_button.setEnabled(False)  # until we know there is someone to print
        self._kind_changed()
        self.load()

    def _build_choices(self, layout: QVBoxLayout) -> None:
        kinds = QHBoxLayout()
        self.labels_radio = named(QRadioButton(self.tr("Address labels")), "postalLabels")
        self.envelopes_radio = named(QRadioButton(self.tr("Envelopes")), "postalEnvelopes")
        group = QButtonGroup(self)
        for radio in (self.labels_radio, self.envelopes_radio):
            group.addButton(radio)
            kinds.addWidget(radio)
        kinds.addStretch(1)
        self.labels_radio.setChecked(True)
        layout.addLayout(kinds)
        self.sheet = named(QComboBox(), "postalSheet")
        for key, text in zip(
            (k for k, _n in SHEETS),
            (
                self.tr("A4, 3 × 7 labels (70 × 42.3 mm)"),
                self.tr("A4, 3 × 8 labels (70 × 37 mm)"),
                self.tr("US Letter, 3 × 10 labels (2⅝ × 1 in, like Avery 5160)"),
            ),
            strict=True,
        ):
            self.sheet.addItem(text, key)
        self.start = named(QSpinBox(), "postalStart")
        self.start.setToolTip(
            self.tr(
                "On a partly used sheet: the first free label, counted left to right, row by row"
            )
        )
        self.envelope_size = named(QComboBox(), "postalSize")
        for key, text in zip(
            SIZES,
            (
                self.tr("DL (220 × 110 mm)"),
                self.tr("C5 (229 × 162 mm)"),
                self.tr("C6 (162 × 114 mm)"),
            ),
            strict=True,
        ):
            self.envelope_size.addItem(text, key)
        self.without_consent = named(
            QCheckBox(self.tr("Include people who have not agreed to marketing")),
            "postalWithoutConsent",
        )
        self.choices = form(
            (self.tr("Sheet:"), self.sheet),
            (self.tr("Start at label:"), self.start),
            (self.tr("Envelope:"), self.envelope_size),
        )
        layout.addLayout(self.choices)
        layout.addWidget(self.without_consent)
        self.labels_radio.toggled.connect(lambda _on: self._kind_changed())
        self.sheet.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.without_consent.toggled.connect(lambda _on: self.load())

    def _kind_changed(self) -> None:
        labels = self.labels_radio.isChecked()
        for widget in (self.sheet, self.start):
            self.choices.setRowVisible(widget, labels)
        self.choices.setRowVisible(self.envelope_size, not labels)
        per_sheet = dict(SHEETS)[self.sheet.currentData()]
        self.start.setRange(1, per_sheet)
        self.start.setSuffix(self.tr(" of %1").replace("%1", str(per_sheet)))

    # -- who is printed ------------------------------------------------------------------

    def load(self) -> None:
        """Find who will be printed (on the gateway) and say so."""
        source, allow = self.source, self.without_consent.isChecked()
        self.ctx.gateway.run(
            lambda _p: postal.recipients(**source, allow_without_consent=allow),
            on_done=self._show_summary,
            label=self.tr("Finding the addresses…"),
        )

    def _show_summary(self, data: dict[str, Any]) -> None:
        self.recipients = data
        n = len(data["recipients"])
        lines = [
            self.tr("Nobody to print.")
            if n == 0
            else ngettext("{n} address to print.", "{n} addresses to print.", n).format(n=n)
        ]
        skipped = data["skipped"]
        if skipped:
            lines.append(
                self.tr("Left out (%1):").replace("%1", str(len(skipped)))
                if len(skipped) > 1
                else self.tr("Left out:")
            )
            for skip in skipped[:12]:
                who = skip["name"] or f"#{skip['contact_id']}"
                lines.append(f"  • {cell_text(who)}: {postal.reason_text(skip['reason'])}")
            if len(skipped) > 12:
                lines.append(self.tr("  … and %1 more").replace("%1", str(len(skipped) - 12)))
        self.summary.setText("\n".join(lines))
        self.preview_button.setEnabled(n > 0)

    # -- preview -------------------------------------------------------------------------

    def choice(self) -> tuple[str, str, int]:
        """(kind, sheet or size, start) as chosen."""
        if self.labels_radio.isChecked():
            return "labels", str(self.sheet.currentData()), int(self.start.value())
        return "envelopes", str(self.envelope_size.currentData()), 1

    def preview(self) -> None:
        kind, key, start = self.choice()
        source, allow = self.source, self.without_consent.isChecked()
        title = self.tr("Address Labels") if kind == "labels" else self.tr("Envelopes")
        printing.open_preview(
            self.ctx,
            self,
            f"{title} — {self.what}",
            lambda p: preview_postal(source, kind, key, start, allow, printing.cancellable(p)),
            lambda path, p: save_postal(
                path, source, kind, key, start, allow, printing.cancellable(p)
            ),
            suggested_name=f"{kind}-{key}.pdf",
            actual_size=True,
            label=self.tr("Drawing the labels…")
            if kind == "labels"
            else self.tr("Drawing the envelopes…"),
        )


def open_postal(
    ctx: AppContext, parent: QWidget, source: Mapping[str, Any], what: str
) -> PostalDialog:
    """Open the dialog (non-modal; ``parent.postal_dialog`` holds it, for tests)."""
    dialog = PostalDialog(ctx, source, what, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.postal_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog
