"""Archiving contacts as a step of the main window's undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from crm.gui.context import AppContext

if TYPE_CHECKING:
    from crm.core.undo_journal import Step


class ArchiveCommand(QUndoCommand):
    """Archive contacts; undo brings them back, and takes back the history lines too."""

    def __init__(self, ctx: AppContext, ids: list[int], text: str) -> None:
        super().__init__(text)
        self.ctx, self.ids = ctx, ids
        self.step: Step | None = None

    def redo(self) -> None:
        # Imported here: the main window imports this module before the first paint.
        from crm.core import contacts
        from crm.core.undo_journal import record, watch_ids

        def archive() -> None:
            for cid in self.ids:
                contacts.set_archived(cid, True)

        if self.step is None:
            _none, self.step = record(archive, [watch_ids("contact", "id", self.ids)])
        else:
            self.step.redo()
        self.ctx.changed("contacts")

    def undo(self) -> None:
        if self.step is not None:
            self.step.undo()
        self.ctx.changed("contacts")
