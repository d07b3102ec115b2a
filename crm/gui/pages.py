"""The main window's pages: their names and order, and where each page's class lives.

``Pages`` holds the pages by name and builds each the first time it is asked
for (MainWindow._build_page imports the class and puts the page in its place).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.gui.views.base import View

# Pages in the navigation list, in order; chain and briefing are reached from them.
NAV_PAGES = (
    "contacts",
    "organizations",
    "referrals",
    "events",
    "followups",
    "vouchers",
    "dashboard",
)
# The "Data" group below them: looking after the contacts rather than working with them.
DATA_PAGES = ("duplicates", "backups")
ALL_PAGES = (*NAV_PAGES, *DATA_PAGES, "chain", "briefing")

# Where each page's class lives: pages are imported and built the first time
# they are shown, so start-up pays only for the contacts table.
PAGE_CLASSES = {
    "contacts": ("crm.gui.views.contacts.page", "ContactsView"),
    "organizations": ("crm.gui.views.organizations.page", "OrganizationsView"),
    "referrals": ("crm.gui.views.referrals.page", "ReferralsView"),
    "events": ("crm.gui.views.events.page", "EventsView"),
    "followups": ("crm.gui.views.followups.page", "FollowupsView"),
    "vouchers": ("crm.gui.views.vouchers.page", "VouchersView"),
    "dashboard": ("crm.gui.views.dashboard.page", "DashboardView"),
    "chain": ("crm.gui.views.chain.page", "ChainView"),
    "briefing": ("crm.gui.views.events.briefing", "BriefingView"),
    "duplicates": ("crm.gui.views.data.duplicates", "DuplicatesView"),
    "backups": ("crm.gui.views.data.backups", "BackupsView"),
}


class Pages(dict[str, "View"]):
    """The window's pages by name, each built on first access."""

    def __init__(self, build: Callable[[str], View]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, name: str) -> View:
        if name not in PAGE_CLASSES:
            raise KeyError(name)
        page = self._build(name)
        self[name] = page
        return page
