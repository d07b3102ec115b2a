"""Archiving contacts as a step of the main window's undo stack."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from crm.gui.context import AppContext


class ArchiveCommand(QUndoCommand):
    """Archive contacts; undo brings them back."""

    def __init__(self, ctx: AppContext, ids: list[int], text: str) -> None:
        super().__init__(text)
        self.ctx, self.ids = ctx, ids

    def redo(self) -> None:
        from crm.core import contacts

        for cid in self.ids:
            contacts.set_archived(cid, True)
        self.ctx.changed("contacts")

    def undo(self) -> None:
        from crm.core import contacts

        for cid in self.ids:
            contacts.set_archived(cid, False)
        self.ctx.changed("contacts")
