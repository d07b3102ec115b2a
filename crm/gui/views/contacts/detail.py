"""The contact detail pane: header, fields, referrals, follow-ups and history of one contact."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from crm.core.errors import NotFoundError
from crm.gui.context import AppContext
from crm.gui.views.contacts.activity import FollowupList, ReferralLists
from crm.gui.views.contacts.facts import ContactFacts
from crm.gui.views.contacts.header import ContactHeader
from crm.gui.views.contacts.history import HistorySection

# The narrowest the pane gets; wider when its content needs it (fit_content).
MIN_WIDTH = 280

# Built after the contacts table has painted; the core services it calls (peewee)
# are imported where they are used all the same.


class ContactDetail(QWidget):
    """Everything about one contact, with the actions a user takes from there.

    Each part is a child widget that shows what it is given and reports clicks
    through signals; this pane loads the contact and acts on them.
    """

    edit_requested = Signal(int)
    archive_requested = Signal(int, bool)  # contact id, archive (True) or bring back

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact_id: int | None = None
        self.archived = False
        self.setMinimumWidth(MIN_WIDTH)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.placeholder = QLabel(self.tr("Select a contact to see their details."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        self.stack.addWidget(self.placeholder)
        self.scroll_area = self._build_sections()
        self.stack.addWidget(self.scroll_area)
        # What other pages' tests read: the name shown and the fields by key.
        self.name_label = self.header.name_label
        self.fields = self.facts.fields

    def _build_sections(self) -> QScrollArea:
        self.header = ContactHeader()
        self.header.edit_clicked.connect(self._edit_clicked)
        self.header.chain_clicked.connect(self._show_chain)
        self.header.archive_clicked.connect(self._archive_clicked)
        self.header.breadcrumb.contact_clicked.connect(self._navigate_to)
        self.facts = ContactFacts()
        self.referrals = ReferralLists()
        self.referrals.person_activated.connect(self._navigate_to)
        self.followups = FollowupList()
        self.history = HistorySection()
        self.history.note_added.connect(lambda: self.ctx.changed("contacts"))
        body = self.body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 12)
        for section in (self.header, self.facts, self.referrals, self.followups, self.history):
            layout.addWidget(section)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        return scroll

    # -- showing a contact ----------------------------------------------------------

    def show_contact(self, contact_id: int | None) -> None:
        """Show one contact (None: nothing selected)."""
        self.contact_id = contact_id
        self.reload()

    def reload(self) -> None:
        if self.contact_id is None:
            self.stack.setCurrentWidget(self.placeholder)
            return
        from crm.core import asking, chain, contacts, followups

        contact_id = self.contact_id
        try:
            info = contacts.details(contact_id)
        except NotFoundError:
            self.contact_id = None
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.stack.setCurrentWidget(self.scroll_area)
        self.archived = bool(info["archived"])
        self.header.show_contact(info)
        self.facts.show_contact(info)
        self.facts.show_ask(asking.ask_status(contact_id))
        # Nearest first from the core; the breadcrumb reads from the root down.
        ups = [(a.id, a.name) for a in reversed(chain.ancestors(contact_id))]
        self.header.breadcrumb.show_ancestors(ups)
        self.referrals.show_lines(contacts.referral_lines(contact_id, limit=200))
        self.followups.show_followups(followups.open_followups(contact_id=contact_id, limit=100))
        self.history.show_contact(contact_id)
        self.fit_content()

    def fit_content(self) -> None:
        """Be at least as wide as what is shown needs: the scroll area only scrolls down,
        so anything wider than the pane would be cut off at its edge (the amounts of the
        referrals given, on the left in Arabic). The splitter gives the table less."""
        # The lists' new minimums reach the body's layout through posted layout requests.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        needed = (
            self.body.minimumSizeHint().width()
            + self.scroll_area.verticalScrollBar().sizeHint().width()
            + 2 * self.scroll_area.frameWidth()
        )
        self.setMinimumWidth(max(MIN_WIDTH, needed))

    # -- actions ------------------------------------------------------------------------

    def _edit_clicked(self) -> None:
        if self.contact_id is not None:
            self.edit_requested.emit(self.contact_id)

    def _show_chain(self) -> None:
        if self.contact_id is not None:
            self.ctx.navigate.emit("chain", self.contact_id)

    def _archive_clicked(self) -> None:
        if self.contact_id is not None:
            self.archive_requested.emit(self.contact_id, not self.archived)

    def _navigate_to(self, contact_id: int) -> None:
        self.ctx.navigate.emit("contact", contact_id)
