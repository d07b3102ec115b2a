"""The gateway on its real thread pool: work on a worker, results and errors on the main thread.

Every other GUI test runs the gateway synchronously (``build_window(..., synchronous=True)``
in ``conftest.py``); these run it as the app does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from crm.core import contacts
from crm.core.contacts import ContactData
from crm.core.errors import CancelledError, ValidationError
from crm.gui.gateway import PROGRESS_DELAY_MS, Gateway, Progress

WAIT_MS = 10_000  # generous: the machine may be busy; a pass never waits this long
# The longest a test's worker blocks: a failing test ends instead of hanging.
WORKER_LIMIT_S = 20.0


def main_thread() -> QThread:
    return QApplication.instance().thread()


@pytest.fixture
def shown() -> list[tuple[str, str, QThread]]:
    """Errors the gateway showed: message, details and the thread it showed them on."""
    return []


@pytest.fixture
def gateway(qtbot, store, shown) -> Iterator[Gateway]:
    """A gateway on a real QThreadPool, its dialogs parented to a window on screen."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(400, 300)
    host.show()
    qtbot.waitExposed(host)
    gate = Gateway(host)
    assert not gate.synchronous
    gate.error_shown = lambda message, details: shown.append(
        (message, details, QThread.currentThread())
    )
    yield gate
    assert gate.wait(WAIT_MS), "work was still running at the end of the test"
    QApplication.processEvents()


def progress_dialogs(gate: Gateway) -> list[QProgressDialog]:
    return gate.parent_widget.findChildren(QProgressDialog)


def test_result_is_delivered_on_the_main_thread(gateway, qtbot, shown):
    seen: dict[str, object] = {}

    def work(_progress: Progress) -> int:
        seen["worker"] = QThread.currentThread()
        # Real database work on the worker's own connection; a plain id goes back.
        return contacts.create_contact(ContactData(given_name="Ἑλένη", family_name="Worker")).id

    def done(contact_id: int) -> None:
        seen["done_on"] = QThread.currentThread()
        seen["id"] = contact_id

    gateway.run(work, on_done=done)
    qtbot.waitUntil(lambda: "id" in seen, timeout=WAIT_MS)
    assert seen["worker"] is not main_thread()
    assert seen["done_on"] is main_thread()
    assert contacts.get_contact(seen["id"]).display_name == "Ἑλένη Worker"
    assert shown == []


def test_an_error_reaches_its_handler_on_the_main_thread(gateway, qtbot, shown):
    caught: list[tuple[BaseException, QThread]] = []

    def work(_progress: Progress) -> None:
        raise ValidationError("Email 'x@' is not valid")

    gateway.run(work, on_error=lambda exc: caught.append((exc, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(caught), timeout=WAIT_MS)
    [(exc, thread)] = caught
    assert isinstance(exc, ValidationError) and exc.message == "Email 'x@' is not valid"
    assert thread is main_thread()
    assert shown == []  # handled, so not shown as well


def test_an_error_without_a_handler_is_shown_on_the_main_thread(gateway, qtbot, shown):
    def work(_progress: Progress) -> None:
        raise RuntimeError("disk on fire")

    gateway.run(work)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    [(message, details, thread)] = shown
    assert message == "Something went wrong: disk on fire"
    assert "RuntimeError: disk on fire" in details  # the worker's traceback
    assert thread is main_thread()


def test_long_work_shows_the_progress_dialog_after_the_delay_and_can_cancel(gateway, qtbot, shown):
    reported = threading.Event()
    outcome: list[tuple[str, object, QThread]] = []

    def work(progress: Progress) -> str:
        progress.update(1, 3, "Copying 1 of 3")
        reported.set()
        # Runs until cancelled (bounded, so a broken cancel fails instead of hanging).
        deadline = time.monotonic() + WORKER_LIMIT_S
        while time.monotonic() < deadline:
            progress.check()
            time.sleep(0.01)
        return "never cancelled"

    started = time.monotonic()
    gateway.run(
        work,
        label="Copying…",
        on_done=lambda result: outcome.append(("done", result, QThread.currentThread())),
        on_error=lambda exc: outcome.append(("error", exc, QThread.currentThread())),
    )
    [dialog] = progress_dialogs(gateway)
    assert not dialog.isVisible()  # not at once: only long work shows it
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert time.monotonic() - started >= PROGRESS_DELAY_MS / 1000 - 0.05
    assert reported.wait(WAIT_MS / 1000)
    # The worker's report arrives through the queue and is shown.
    qtbot.waitUntil(lambda: dialog.labelText() == "Copying 1 of 3", timeout=WAIT_MS)
    assert (dialog.maximum(), dialog.value()) == (3, 1)
    assert outcome == []

    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    [(kind, exc, thread)] = outcome
    assert kind == "error" and isinstance(exc, CancelledError)
    assert thread is main_thread()
    assert shown == []  # a cancel is not an error to show
    qtbot.waitUntil(lambda: not progress_dialogs(gateway), timeout=WAIT_MS)  # freed
