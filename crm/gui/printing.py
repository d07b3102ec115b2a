"""Preview, save and print the PDFs that crm.documents makes.

A preview is rendered to a temporary file and changes nothing. Saving or
printing is the real thing: it runs the document's own "print" function,
which marks letters and vouchers printed in the same transaction that puts
the file in place. Printing draws the PDF's pages with QPdfDocument onto the
system printer. crm.documents (and so reportlab) is imported only here, when
the user asks for a document.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CancelledError
from crm.gui.context import AppContext
from crm.gui.widgets import PreservingDialog

# -- work run on the gateway's worker (plain values in, plain values out) ------


def temp_pdf(prefix: str) -> str:
    fd, path = tempfile.mkstemp(prefix=f"passaparola-{prefix}-", suffix=".pdf")
    os.close(fd)
    return path


def preview_letters(referral_id: int | None = None, allow_without_consent: bool = False) -> str:
    """All pending thank-you letters (or one referral's letter) in a temp PDF."""
    from crm.core import letters as core_letters
    from crm.documents import letters

    allow = allow_without_consent
    if referral_id is None:
        data = core_letters.pending_data(allow_without_consent=allow)
    else:
        data = core_letters.letter_data(referral_id, allow_without_consent=allow)
    path = temp_pdf("letters")
    letters.render(data, path)
    return path


def save_letters(
    path: str,
    referral_id: int | None = None,
    progress: Callable[[int, int], Any] | None = None,
    allow_without_consent: bool = False,
) -> dict[str, Any]:
    from crm.documents import letters

    allow = allow_without_consent
    if referral_id is None:
        count = letters.pending_letters(path, progress, allow_without_consent=allow)
        return {"letters": count, "path": path}
    return letters.thank_you_letter(referral_id, path, allow_without_consent=allow)


def cancellable(progress: Any) -> Callable[[int, int], None]:
    """A reportlab progress callback that stops the work when the user cancels."""

    def report(done: int, total: int) -> None:
        if progress.update(done, total):
            raise CancelledError("Printing was cancelled; nothing was marked printed")

    return report


def preview_vouchers(
    batch: str,
    per_page: int,
    progress: Callable[[int, int], Any],
    allow_without_consent: bool = False,
) -> str:
    from crm.core import vouchers
    from crm.documents import voucher_words, vouchers_pdf

    items = vouchers.printable(batch, allow_without_consent=allow_without_consent)
    sender = voucher_words.Sender.from_profile()
    texts = voucher_words.stored_texts(sorted({i.get("language") or "en" for i in items}))
    path = temp_pdf("vouchers")
    try:
        vouchers_pdf.render(
            items, path, per_page=per_page, sender=sender, texts=texts, progress=progress
        )
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path


def save_vouchers(
    path: str,
    batch: str,
    per_page: int,
    progress: Callable[[int, int], Any],
    allow_without_consent: bool = False,
) -> dict[str, Any]:
    from crm.documents import vouchers_pdf

    return vouchers_pdf.print_batch(
        batch,
        path,
        per_page=per_page,
        progress=progress,
        allow_without_consent=allow_without_consent,
    )


def preview_briefing(event_id: int) -> str:
    from crm.documents import briefing_pdf

    path = temp_pdf("briefing")
    briefing_pdf.event_briefing_pdf(event_id, path)
    return path


def save_briefing(path: str, event_id: int) -> dict[str, Any]:
    from crm.documents import briefing_pdf

    return briefing_pdf.event_briefing_pdf(event_id, path)


# -- on the UI thread -----------------------------------------------------------


def print_pdf(path: str, printer: QPrinter, *, actual_size: bool = False) -> int:
    """Draw every page of a PDF onto ``printer``, scaled to fit; returns the pages.

    ``actual_size`` (labels, envelopes): on the whole sheet at 100 %, so that each
    address lands on its label; the printer should have the PDF's paper size.
    """
    document = QPdfDocument()
    document.load(path)
    pages = document.pageCount()
    if pages <= 0:
        return 0
    painter = QPainter()
    if actual_size:
        printer.setFullPage(True)
    if not painter.begin(printer):
        raise OSError("The printer could not be started")
    try:
        if actual_size:
            area = printer.paperRect(QPrinter.Unit.DevicePixel)
        else:
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
        for number in range(pages):
            if number:
                printer.newPage()
            points = document.pagePointSize(number)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(number, size)
            painter.drawImage(QRectF(QPointF(0, 0), size.toSizeF()), image)
    finally:
        painter.end()
    document.close()
    return pages


def print_widget(widget: QWidget, printer: QPrinter) -> None:
    """Print ``widget`` as it looks on screen, scaled to the paper."""
    painter = QPainter(printer)
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        scale = min(area.width() / max(widget.width(), 1), area.height() / max(widget.height(), 1))
        painter.scale(scale, scale)
        widget.render(painter, QPoint())
    finally:
        painter.end()


class PdfPreviewDialog(PreservingDialog):
    """Shows a rendered PDF, with Save as PDF and Print that do the real thing.

    ``commit(path, progress)`` writes the document for real (and marks what it marks);
    it runs on the gateway. ``changed`` names what the commit changes.
    """

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        preview_path: str,
        commit: Callable[[str, Any], Any],
        *,
        suggested_name: str = "document.pdf",
        changed: str = "",
        actual_size: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.actual_size = actual_size
        self.geometry_settings = ctx.settings
        self.ctx, self.commit, self.changed = ctx, commit, changed
        self.preview_path = preview_path
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self.resize(820, 900)
        layout = QVBoxLayout(self)
        self.document = QPdfDocument(self)
        self.document.load(preview_path)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        pages = self.document.pageCount()
        self.info = QLabel(
            self.tr("1 page") if pages == 1 else self.tr("%1 pages").replace("%1", str(pages))
        )
        layout.addWidget(self.info)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.print_button = QPushButton(self.tr("Print…"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.ask_save)
        self.print_button.clicked.connect(self.ask_print)
        layout.addWidget(buttons)
        self.finished.connect(self._cleanup)
        # Tests (and Save as) hand the last result here.
        self.last_result: Any = None

    def ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as PDF"),
            str(Path.home() / self.suggested_name),
            self.tr("PDF files (*.pdf)"),
        )
        if path:
            self.save_to(path)

    def save_to(self, path: str, on_done: Callable[[Any], None] | None = None) -> None:
        def done(result: Any) -> None:
            self.last_result = result
            if self.changed:
                self.ctx.changed(self.changed)
            self.info.setText(self.tr("Saved to %1").replace("%1", path))
            if on_done is not None:
                on_done(result)

        commit = self.commit
        self.ctx.gateway.run(
            lambda progress: commit(path, progress),
            on_done=done,
            label=self.tr("Writing the PDF…"),
        )

    def ask_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare_printer(printer)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def prepare_printer(self, printer: QPrinter) -> None:
        """For labels and envelopes: the PDF's paper, the whole sheet (the user may change it)."""
        if self.actual_size and self.document.pageCount() > 0:
            size = self.document.pagePointSize(0)
            printer.setPageSize(
                QPageSize(size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            )
            printer.setFullPage(True)

    def print_to(self, printer: QPrinter) -> None:
        """Write the document for real to a temp file, then send its pages to ``printer``."""
        path = temp_pdf("print")

        def printed(_result: Any) -> None:
            try:
                pages = print_pdf(path, printer, actual_size=self.actual_size)
            except OSError as exc:
                self.ctx.gateway.show_error(str(exc))
                return
            finally:
                Path(path).unlink(missing_ok=True)
            self.info.setText(
                self.tr("Sent 1 page to the printer")
                if pages == 1
                else self.tr("Sent %1 pages to the printer").replace("%1", str(pages))
            )

        self.save_to(path, on_done=printed)

    def _cleanup(self) -> None:
        self.document.close()
        Path(self.preview_path).unlink(missing_ok=True)


def open_preview(
    ctx: AppContext,
    parent: QWidget,
    title: str,
    render: Callable[[Any], str],
    commit: Callable[[str, Any], Any],
    *,
    suggested_name: str,
    changed: str = "",
    label: str = "",
    without_consent: tuple[Callable[[Any], str], Callable[[str, Any], Any]] | None = None,
    actual_size: bool = False,
) -> None:
    """Render the preview on the gateway, then show it (non-modal, so tests can drive it).

    ``without_consent`` is the (render, commit) pair that prints for people who
    gave no marketing consent: when the core refuses the document for that
    reason, the user may tick "Print this document without their consent" and
    the preview opens again with that pair, for this document only.
    """

    def show(path: str) -> None:
        dialog = PdfPreviewDialog(
            ctx,
            title,
            path,
            commit,
            suggested_name=suggested_name,
            changed=changed,
            actual_size=actual_size,
            parent=parent,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        parent.last_preview = dialog  # type: ignore[attr-defined]
        dialog.open()

    def failed(exc: BaseException) -> None:
        message = consent_refusal(exc) if without_consent is not None else None
        if message is None or without_consent is None:
            ctx.gateway.show_exception(exc)
            return
        again_render, again_commit = without_consent

        def override() -> None:
            open_preview(
                ctx,
                parent,
                title,
                again_render,
                again_commit,
                suggested_name=suggested_name,
                changed=changed,
                label=label,
                actual_size=actual_size,
            )

        ask_without_consent(
            parent, message, ctx.tr("Print this document without their consent"), override
        )

    ctx.gateway.run(
        render, on_done=show, on_error=failed, label=label or ctx.tr("Preparing the preview…")
    )


# -- marketing consent: refused unless the user overrides it for one document --------


def consent_refusal(exc: BaseException) -> str | None:
    """Who gave no consent, when ``exc`` refuses a document for that reason, else None."""
    from crm.core.privacy import ConsentError
    from crm.gui.formatting import cell_text, data_list, number
    from crm.i18n import _, ngettext

    if not isinstance(exc, ConsentError):
        return None
    # The core's message is English and ends with the command line's way out; the app
    # says who, in the interface language, and offers its own way out.
    names = data_list(f"{cell_text(name)} (#{cid})" for cid, name in exc.people[:10])
    more = len(exc.people) - 10
    if more > 0:
        names = ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=names, n=number(more)
        )
    return _("No marketing consent from: {names}.").format(names=names)


def ask_without_consent(
    parent: QWidget, message: str, what: str, on_override: Callable[[], None]
) -> QMessageBox:
    """Say who gave no consent; ``on_override`` runs when the user ticks ``what`` and goes on.

    Non-blocking (``parent.consent_box`` holds it, for tests).
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(box.tr("No Marketing Consent"))
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message names people
    box.setText(message)
    box.setInformativeText(
        box.tr(
            "Record their consent on the contact, or go ahead for this document only "
            "(for example when they asked for it)."
        )
    )
    check = QCheckBox(what)
    box.setCheckBox(check)
    go = box.addButton(box.tr("Continue"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    go.setEnabled(False)
    check.toggled.connect(go.setEnabled)

    def finished(_result: int) -> None:
        if box.clickedButton() is go and check.isChecked():
            on_override()

    box.finished.connect(finished)
    parent.consent_box = box  # type: ignore[attr-defined]
    box.open()
    return box
