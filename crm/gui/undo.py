"""Steps of the main window's undo stack: any action recorded by crm.core.undo_journal.

A page runs its action through :func:`perform` (or, when a dialog does the writing,
starts a :class:`~crm.core.undo_journal.Recorder` and hands it to :func:`push_recorded`);
the Edit menu then names the step ("Undo Mark Follow-up Done").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from crm.core.errors import CrmError, ValidationError
from crm.core.undo_journal import Recorder, Step, Watch, record
from crm.gui.context import AppContext

T = TypeVar("T")


class JournalCommand(QUndoCommand):
    """An action already done; undo and redo write back the rows it touched."""

    def __init__(self, ctx: AppContext, text: str, step: Step, changed: Sequence[str]) -> None:
        super().__init__(text)
        self.ctx, self.step, self.changed = ctx, step, tuple(changed)
        self._first = True  # push() calls redo(): the action has run already

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._write(self.step.redo)

    def undo(self) -> None:
        self._write(self.step.undo)

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as exc:  # a row it needs is gone: say so and drop the step
            self.ctx.gateway.show_error(exc.message if isinstance(exc, CrmError) else str(exc))
            self.setObsolete(True)
        for what in self.changed:
            self.ctx.changed(what)


def undo_stack_of(widget: QWidget) -> QUndoStack | None:
    """The main window's undo stack, when ``widget`` (or the dialog's parent) sits in one."""
    found: QWidget | None = widget
    while found is not None:
        stack = getattr(found.window(), "undo_stack", None)
        if isinstance(stack, QUndoStack):
            return stack
        found = found.window().parentWidget()
    return None


def push_step(
    ctx: AppContext, widget: QWidget, text: str, step: Step, changed: Sequence[str]
) -> None:
    """Put a recorded step on the window's stack (nothing when it changed nothing)."""
    stack = undo_stack_of(widget)
    if stack is not None and not step.empty:
        stack.push(JournalCommand(ctx, text, step, changed))


def push_command(widget: QWidget, command: QUndoCommand) -> None:
    """Put a command already done on the window's stack (none outside a main window)."""
    stack = undo_stack_of(widget)
    if stack is not None:
        stack.push(command)


def push_recorded(
    ctx: AppContext, widget: QWidget, text: str, recorder: Recorder, changed: Sequence[str]
) -> None:
    """The action a dialog did since ``recorder`` started, as a step."""
    push_step(ctx, widget, text, recorder.finish(), changed)


def perform(
    ctx: AppContext,
    widget: QWidget,
    text: str,
    action: Callable[[], T],
    watch: Sequence[Watch],
    changed: Sequence[str],
) -> T:
    """Run ``action`` (errors propagate, nothing is pushed) and push it as an undo step."""
    result, step = record(action, watch)
    push_step(ctx, widget, text, step, changed)
    return result


def perform_each(
    ctx: AppContext,
    widget: QWidget,
    text: str,
    ids: Sequence[int],
    change: Callable[[int], object],
    watch: Sequence[Watch],
    changed: Sequence[str],
) -> tuple[bool, str]:
    """``change(id)`` for each id until the core refuses one, as one step.

    Returns whether any changed, and the refusal ("" when none).
    """

    def run() -> tuple[bool, str]:
        for n, ident in enumerate(ids):
            try:
                change(ident)
            except ValidationError as exc:
                return n > 0, exc.message
        return True, ""

    return perform(ctx, widget, text, run, watch, changed)


def followup_step_text(what: str, n: int) -> str:
    """The name of a follow-up step (done, snooze, reschedule) as the Edit menu shows it."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("FollowupsView", text)

    one, many = {
        "done": (tr("Mark Follow-up Done"), tr("Mark %1 Follow-ups Done")),
        "snooze": (tr("Snooze Follow-up"), tr("Snooze %1 Follow-ups")),
        "reschedule": (tr("Reschedule Follow-up"), tr("Reschedule %1 Follow-ups")),
    }[what]
    return one if n == 1 else many.replace("%1", str(n))


def _tr(text: str) -> str:
    return QCoreApplication.translate("DuplicatesView", text)


class MergeCommand(QUndoCommand):
    """A merge already done; undo is crm.core.merging's undo, redo merges the two again."""

    def __init__(
        self, ctx: AppContext, merge_id: int, keep_id: int, other_id: int, names: dict[int, str]
    ) -> None:
        text = _tr("Merge %1 into %2")
        super().__init__(text.replace("%1", names[other_id]).replace("%2", names[keep_id]))
        self.ctx, self.merge_id, self.keep_id, self.other_id = ctx, merge_id, keep_id, other_id
        self._first = True

    @staticmethod
    def work(keep_id: int, other_id: int) -> Callable[[object], int]:
        """The merge, as the gateway runs it (plain ids in, the merge's id out)."""

        def merge(_progress: object) -> int:
            from crm.core import merging

            return merging.merge(keep_id, other_id)

        return merge

    def redo(self) -> None:
        from crm.core import merging

        if self._first:
            self._first = False
            return
        self._run(lambda: setattr(self, "merge_id", merging.merge(self.keep_id, self.other_id)))

    def undo(self) -> None:
        from crm.core import merging

        self._run(lambda: merging.undo(self.merge_id))

    def _run(self, write: Callable[[], object]) -> None:
        try:
            write()
        except CrmError as exc:  # undone from the Duplicates page already, or changed since
            self.ctx.gateway.show_error(exc.message)
            self.setObsolete(True)
        self.ctx.changed("contacts")
