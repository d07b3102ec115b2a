"""What every view is handed: the database, the gateway, settings and app-wide signals.

Passed explicitly to each view (no global reaching across layers).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from crm.core import db
from crm.gui.gateway import Gateway


class AppContext(QObject):
    """The open database and the signals that keep views in step."""

    # Something in the database changed: "contacts", "referrals", "events",
    # "followups", "settings" or "all". Views refresh what they show.
    data_changed = Signal(str)
    # Ask the main window to show something: ("contact", id), ("chain", id),
    # ("event", id), ("briefing", event id), ("view", index).
    navigate = Signal(str, int)
    # The end of several changes told at once (changed_many): the pages they
    # concern reload now, once each.
    batch_done = Signal()

    def __init__(self, store: db.Store, gateway: Gateway, settings: QSettings) -> None:
        super().__init__()
        self.store = store
        self.gateway = gateway
        self.settings = settings
        # Inside changed_many: pages note what is stale and reload at the end.
        self.batching = False

    def changed(self, what: str) -> None:
        self.data_changed.emit(what)

    def changed_many(self, kinds: list[str]) -> None:
        """Several kinds changed at once: each page concerned reloads once."""
        self.batching = True
        try:
            for what in kinds:
                self.data_changed.emit(what)
        finally:
            self.batching = False
        self.batch_done.emit()
