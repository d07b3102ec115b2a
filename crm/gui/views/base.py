"""What every page of the main window has in common."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from crm.gui.context import AppContext


class View(QWidget):
    """A page: refreshes itself when the data it shows changes, lazily when hidden."""

    # Which AppContext.data_changed kinds make this page reload.
    depends_on: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.data_changed.connect(self._on_data_changed)
        ctx.batch_done.connect(self._after_batch)

    def title(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the page shows from the database."""

    def focus_search(self) -> None:
        """Put the cursor in the page's search field (Edit → Find)."""

    def _on_data_changed(self, what: str) -> None:
        if what == "all" or what in self.depends_on:
            if self.isVisible() and not self.ctx.batching:
                self.refresh()
                self._stale = False
            else:
                self._stale = True

    def _after_batch(self) -> None:
        if self._stale and self.isVisible():
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)
