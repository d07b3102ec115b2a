"""The page lists' icons: Qt's standard ones, set just after the window's first paint.

Reaching Qt's style from Python creates its Python type and every enum of it
(~700 names: 6-10 ms of CPU at start-up, more than any other class the window
uses), which the first paint does not need: the icons come on the next frame.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

# Each page's icon, by its name in QStyle.StandardPixmap.
NAV_ICONS = {
    "contacts": "SP_DirHomeIcon",
    "organizations": "SP_DirIcon",
    "referrals": "SP_ArrowRight",
    "events": "SP_FileDialogDetailedView",
    "followups": "SP_BrowserReload",
    "vouchers": "SP_DialogApplyButton",
    "dashboard": "SP_FileDialogInfoView",
    "duplicates": "SP_FileDialogContentsView",
    "backups": "SP_DriveHDIcon",
}


def set_icons(*lists: QListWidget) -> None:
    """Give each item of ``lists`` (its page's name as UserRole data) that page's icon."""
    from PySide6.QtWidgets import QStyle

    for nav in lists:
        style = nav.style()
        for row in range(nav.count()):
            item = nav.item(row)
            pixmap = getattr(QStyle.StandardPixmap, NAV_ICONS[item.data(Qt.ItemDataRole.UserRole)])
            item.setIcon(style.standardIcon(pixmap))
