"""The Referrals page's menus: moving a referral along the pipeline, and the context menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from crm.core import models
from crm.gui import labels
from crm.gui.views.referrals.dialog import ReferralDialog
from crm.gui.views.referrals.model import _GIVER, _REFERRED, _STATUS

if TYPE_CHECKING:
    from crm.gui.views.referrals.page import ReferralsView


def tr(text: str) -> str:
    return QCoreApplication.translate("ReferralsView", text)


def fill_move_menu(view: ReferralsView, menu: QMenu) -> None:
    """The statuses the selected referral can move to (won asks for the value)."""
    menu.clear()
    row = view.selected_row()
    if row is None or not row[_STATUS]:
        menu.addAction(tr("Select a referral first")).setEnabled(False)
        return
    current = row[_STATUS]
    closed = current in models.CLOSED_STATUSES
    for code in models.REFERRAL_STATUSES:
        text = labels.referral_status(code) + ("…" if code == "won" else "")
        action = menu.addAction(text)
        action.setObjectName(f"move_{code}")
        action.setCheckable(True)
        action.setChecked(code == current)
        action.setEnabled(code != current)
        action.triggered.connect(lambda _c=False, s=code: view.move_to(s))
    if closed:
        menu.addSeparator()
        reopen = menu.addMenu(tr("Reopen as"))
        for code in (*models.OPEN_STATUSES, "won" if current == "lost" else "lost"):
            action = reopen.addAction(labels.referral_status(code) + ("…" if code == "won" else ""))
            action.setObjectName(f"reopen_{code}")
            action.triggered.connect(lambda _c=False, s=code: view.move_to(s, reopen=True))


def edit_referral(view: ReferralsView, referral_id: int | None = None) -> ReferralDialog | None:
    """Change the selected (or given) referral's program, temperature, event and notes."""
    ref_id = referral_id if referral_id is not None else view.selected_id()
    if ref_id is None:
        return None
    dialog = ReferralDialog(view, referral_id=ref_id)
    dialog.saved.connect(view._saved)
    view.dialog = dialog
    dialog.open()
    return dialog


def build_context_menu(view: ReferralsView) -> QMenu:
    """Open either person, show the chain, move along the pipeline, record another."""
    menu = QMenu(view)
    row = view.selected_row()
    if row is not None and row[_STATUS]:
        menu.addAction(tr("Open %1").replace("%1", row[_REFERRED]), lambda: view.open_contact())
        menu.addAction(
            tr("Open %1").replace("%1", row[_GIVER]),
            lambda: view.open_contact(giver=True),
        )
        menu.addAction(tr("Show Chain"), view.show_chain)
        menu.addAction(tr("Edit Referral…"), lambda: edit_referral(view))
        menu.addSeparator()
        fill_move_menu(view, menu.addMenu(tr("Move to")))
        menu.addSeparator()
    menu.addAction(tr("Record Referral…"), view.record_referral)
    return menu
