"""Rewards: the ledger with per-giver totals, the reward policy, and what the program returns.

A panel (not a page of its own): the Vouchers & Letters page shows it as a tab. The
panel holds three tabs, each a child widget of its own: the ledger
(:mod:`crm.gui.views.vouchers.reward_ledger`), the policy
(:mod:`crm.gui.views.vouchers.reward_policy`) and the return on rewards
(:mod:`crm.gui.views.vouchers.reward_roi`); the tables' columns are in
:mod:`crm.gui.views.vouchers.reward_tables`. The rules live in :mod:`crm.core.rewards`,
:mod:`crm.core.reward_policy` and :mod:`crm.core.reward_roi`; this only shows and words them.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.vouchers.reward_ledger import RewardLedgerTab
from crm.gui.views.vouchers.reward_policy import RewardPolicyTab
from crm.gui.views.vouchers.reward_roi import RewardRoiTab
from crm.gui.widgets import INVALID_STYLE

WATCHED = ("rewards", "referrals", "vouchers", "contacts", "settings", "all")
TABS = ("ledger", "policy", "roi")


class RewardsPanel(QWidget):
    """The reward ledger, per-giver totals, the policy editor and the ROI table, as tabs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(INVALID_STYLE)
        self._stale = dict.fromkeys(TABS, True)
        self.ledger = RewardLedgerTab(ctx)
        self.policy = RewardPolicyTab(ctx)
        self.roi = RewardRoiTab(ctx)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.ledger, self.tr("Ledger"))
        self.tabs.addTab(self.policy, self.tr("Policy"))
        self.tabs.addTab(self.roi, self.tr("Return on Rewards"))
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        layout.addWidget(self.tabs)
        ctx.data_changed.connect(self._on_data_changed)

    def refresh(self) -> None:
        """Reload from the database: the tab shown now, the others when they are shown."""
        for key in self._stale:
            self._stale[key] = True
        self._load_current()

    def _load_current(self) -> None:
        tab = TABS[max(self.tabs.currentIndex(), 0)]
        if not self._stale[tab]:
            return
        self._stale[tab] = False
        {"ledger": self.ledger.load, "policy": self.policy.load, "roi": self.roi.load}[tab]()

    def _on_data_changed(self, what: str) -> None:
        if what not in WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            for key in self._stale:
                self._stale[key] = True

    def showEvent(self, event: QShowEvent) -> None:
        self._load_current()
        super().showEvent(event)
