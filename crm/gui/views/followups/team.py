"""The follow-ups page's team parts: the "Mine" filter and editing a follow-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox

from crm.core import followups
from crm.gui.formatting import number
from crm.gui.views.followups.dialogs import NewFollowupDialog

if TYPE_CHECKING:
    from crm.gui.views.followups.page import FollowupsView

MINE_KEY = "followups/mine"


def remembered_mine(view: FollowupsView) -> bool:
    """Whether "Mine" was on when the page was last used."""
    value = view.ctx.settings.value(MINE_KEY, False)
    return value is True or str(value).lower() == "true"


def mine_toggle(view: FollowupsView) -> QCheckBox:
    """ "Mine (N)": only the follow-ups assigned to me, or added by me for nobody else."""
    box = QCheckBox()
    box.setObjectName("mineFilter")
    box.setChecked(view.mine_only)
    box.setToolTip(
        view.tr("Only mine: assigned to me (%1), or added by me and assigned to nobody").replace(
            "%1", view.user
        )
    )

    def toggled(on: bool) -> None:
        view.mine_only = on
        view.ctx.settings.setValue(MINE_KEY, on)
        view.refresh()

    box.toggled.connect(toggled)
    return box


def show_mine_count(view: FollowupsView, today, horizon: int) -> None:
    count = followups.mine_count(today, horizon)
    view.mine_box.setText(view.tr("&Mine (%1)").replace("%1", number(count)))


def edit_followup(view: FollowupsView, followup_id: int | None = None) -> NewFollowupDialog | None:
    """Open the selected (or given) follow-up in the editor."""
    ids = view.selected_ids()
    target = followup_id if followup_id is not None else (ids[0] if ids else None)
    if target is None:
        return None
    if view.new_dialog is not None:
        view.new_dialog.deleteLater()
    dialog = NewFollowupDialog(view, view, followup_id=target)
    dialog.edited.connect(view._created)
    view.new_dialog = dialog
    dialog.open()
    return dialog
