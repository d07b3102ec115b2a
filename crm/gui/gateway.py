"""The one gateway for long work: run it on a worker thread, get the result back here.

Work is a plain function ``fn(progress) -> result`` that takes and returns
plain values (ids, paths, dicts), never live peewee objects. It reports with
``progress.update(done, total, text)`` and stops when ``progress.cancelled``
turns true (raising :class:`crm.core.errors.CancelledError` rolls its
transaction back). A progress dialog appears only when the work takes longer
than ``PROGRESS_DELAY_MS``. Results and errors are delivered on the main
thread; errors are shown in one consistent dialog. Tests run it synchronously.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from crm.core import db
from crm.core.errors import CancelledError, CrmError
from crm.gui import heap
from crm.gui.widgets import message_box

PROGRESS_DELAY_MS = 500


class Progress:
    """Handed to the work function: report progress, notice a cancel."""

    def __init__(self, emit: Callable[[int, int, str], None] | None = None) -> None:
        self._emit = emit
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def update(self, done: int, total: int, text: str = "") -> bool:
        """Report progress; returns True when the user asked to cancel."""
        if self._emit is not None:
            self._emit(done, total, text)
        return self.cancelled

    def check(self) -> None:
        """Raise CancelledError when the user asked to cancel."""
        if self.cancelled:
            raise CancelledError("Cancelled")


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(
        self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals
    ) -> None:
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, signals

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # delivered, never lost in the pool
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)
        finally:
            # Each worker thread has its own peewee connection: close it.
            db.close_thread_connection()


class Gateway(QObject):
    """Runs work off the UI thread with a delayed progress dialog and cancel."""

    def __init__(self, parent: QWidget | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._running: list[tuple[_Signals, QProgressDialog | None]] = []
        # Errors go through here so tests can see them without a modal dialog.
        self.error_shown: Callable[[str, str], None] | None = None

    def run(
        self,
        fn: Callable[[Progress], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        cancellable: bool = True,
    ) -> Progress:
        """Start ``fn`` and return its Progress (call ``cancel()`` on it to stop it)."""
        if self.synchronous:
            return self._run_inline(fn, on_done, on_error)
        signals = _Signals()
        progress = Progress(signals.progress.emit)
        dialog = self._dialog(label, cancellable, progress)
        entry = (signals, dialog)
        self._running.append(entry)

        def finish() -> None:
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            if entry in self._running:
                self._running.remove(entry)

        @Slot(object)
        def done(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        @Slot(object, str)
        def failed(exc: BaseException, trace: str) -> None:
            finish()
            self._deliver_error(exc, trace, on_error)

        if dialog is not None:
            signals.progress.connect(
                lambda d, t, text: self._show_progress(dialog, d, t, text),
                Qt.ConnectionType.QueuedConnection,
            )
        signals.finished.connect(done, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        heap.return_large_blocks()  # once, before a worker allocates (after the first paint)
        self.pool.start(_Job(fn, progress, signals))
        return progress

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running work (for shutdown and tests)."""
        return bool(self.pool.waitForDone(msecs))

    # -- internals ----------------------------------------------------------

    def _run_inline(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> Progress:
        progress = Progress()
        try:
            result = fn(progress)
        except Exception as exc:
            self._deliver_error(exc, traceback.format_exc(), on_error)
        else:
            if on_done is not None:
                on_done(result)
        return progress

    def _dialog(self, label: str, cancellable: bool, progress: Progress) -> QProgressDialog | None:
        if not label:
            return None
        dialog = QProgressDialog(
            label, self.tr("Cancel") if cancellable else "", 0, 0, self.parent_widget
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(progress.cancel)
        # QProgressDialog only starts its delay timer once a value is set.
        QTimer.singleShot(0, lambda: dialog.setValue(0))
        return dialog

    @staticmethod
    def _show_progress(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if text:
            dialog.setLabelText(text)

    def _deliver_error(
        self, exc: BaseException, trace: str, on_error: Callable[[BaseException], None] | None
    ) -> None:
        if isinstance(exc, CancelledError):
            if on_error is not None:
                on_error(exc)
            return
        if on_error is not None:
            on_error(exc)
            return
        self.show_exception(exc, trace)

    def show_exception(self, exc: BaseException, trace: str = "") -> None:
        """Show what failed: a user's error as its message, anything else with its trace.

        A cancel shows nothing. For work run with an ``on_error`` of its own
        that does not handle every error itself.
        """
        if isinstance(exc, CancelledError):
            return
        if isinstance(exc, CrmError):
            self.show_error(exc.message)
        else:
            trace = trace or "".join(traceback.format_exception(exc))
            self.show_error(self.tr("Something went wrong: %s") % exc, trace)

    def show_error(self, message: str, details: str = "") -> None:
        """The one place errors are shown to the user."""
        if self.error_shown is not None:
            self.error_shown(message, details)
            return
        show_error(self.parent_widget, message, details)


def show_error(parent: QWidget | None, message: str, details: str = "") -> None:
    icon = QMessageBox.Icon.Warning if not details else QMessageBox.Icon.Critical
    # Messages quote what users typed (names): plain text, never HTML.
    box = message_box(
        parent, QCoreApplication.translate("QMessageBox", "Passaparola"), message, icon
    )
    if details:
        box.setDetailedText(details)
    box.exec()
