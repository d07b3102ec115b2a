"""The contact detail pane: fields, who referred them, referrals, follow-ups, history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import phones, vocabulary
from crm.core.errors import NotFoundError, ValidationError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, money
from crm.gui.views.contacts.model import (
    LANGUAGE_NAMES,
    channel_label,
    stage_label,
)

# The pane is built at start-up but shows a contact only after the first paint:
# the core services it calls (peewee) are imported where they are used.

# How many referrers the breadcrumb names before it shortens the middle.
BREADCRUMB_MAX = 5
ERROR_STYLE = "color: #b00020;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("contacts", text)


def referral_status_label(code: str) -> str:
    return labels.referral_status(code)


def interaction_label(code: str) -> str:
    return labels.interaction(code)


def followup_kind_label(code: str) -> str:
    return labels.followup_kind(code)


# A breadcrumb name reads as a link: it takes you to that contact.
LINK_STYLE = (
    "QPushButton { color: palette(link); text-decoration: underline; border: none; "
    "padding: 1px 3px; text-align: left; }"
)


def _plain(text: str = "") -> QLabel:
    """A label for text from the database: never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        # A label aligns by its text's own direction: a Latin name would sit on
        # the left of a right-to-left pane. Absolute: Arabic text must not flip it.
        label.setAlignment(
            Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _button_text(text: str) -> str:
    # "&" in a button's text marks a shortcut; a name's "&" must show as itself.
    return text.replace("&", "&&")


class _FittedTree(QTreeWidget):
    """A short list that is as tall as its rows (up to ``max_rows``), inside a scrolling pane."""

    def __init__(self, headers: list[str], max_rows: int = 8, stretch_column: int = -1) -> None:
        super().__init__()
        self.max_rows = max_rows
        self.setHeaderLabels(headers)
        self.stretch_column = stretch_column if stretch_column >= 0 else len(headers) - 1
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fit(self) -> None:
        rows = max(1, min(self.topLevelItemCount(), self.max_rows))
        row_height = self.sizeHintForRow(0) if self.topLevelItemCount() else 22
        height = (
            self.header().sizeHint().height() + rows * max(row_height, 18) + 2 * self.frameWidth()
        )
        self.setFixedHeight(height + 2)


class FlowLayout(QLayout):
    """Lays widgets out in rows that wrap, like words (mirrored right-to-left)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        parent = self.parentWidget()
        rtl = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + self._spacing
                line_height = 0
            if apply:
                left = rect.right() + 1 - (x - rect.x()) - hint.width() if rtl else x
                item.setGeometry(QRect(QPoint(left, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class ContactDetail(QWidget):
    """Everything about one contact, with the actions a user takes from there."""

    edit_requested = Signal(int)
    archive_requested = Signal(int, bool)  # contact id, archive (True) or bring back

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact_id: int | None = None
        self.archived = False
        self.setMinimumWidth(280)

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.placeholder = QLabel(self.tr("Select a contact to see their details."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        self.stack.addWidget(self.placeholder)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        self.stack.addWidget(scroll)
        self.scroll_area = scroll
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 12)

        self.name_label = _plain()
        self.name_label.setObjectName("detailName")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        layout.addWidget(self.name_label)
        self.subtitle_label = _plain()
        layout.addWidget(self.subtitle_label)
        self.archived_label = QLabel(self.tr("Archived: this contact is hidden from lists."))
        self.archived_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.archived_label)

        buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.edit_requested))
        self.chain_button = QPushButton(self.tr("Show &Chain"))
        self.chain_button.clicked.connect(self._show_chain)
        self.archive_button = QPushButton(self.tr("&Archive"))
        self.archive_button.clicked.connect(self._archive_clicked)
        for button in (self.edit_button, self.chain_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        crumbs = QHBoxLayout()
        crumbs.setSpacing(4)
        self.referred_by_label = QLabel(self.tr("Referred by:"))
        crumbs.addWidget(self.referred_by_label, 0, Qt.AlignmentFlag.AlignTop)
        crumb_box = QWidget()
        self.breadcrumb = FlowLayout(crumb_box)
        crumbs.addWidget(crumb_box, 1)
        layout.addLayout(crumbs)
        self.breadcrumb_buttons: list[QPushButton] = []

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for key, title in (
            ("emails", self.tr("Email")),
            ("phones", self.tr("Phone")),
            ("address", self.tr("Address")),
            ("language", self.tr("Language")),
            ("birthday", self.tr("Birthday")),
            ("channel", self.tr("First heard via")),
            ("stage", self.tr("Stage")),
            ("tags", self.tr("Tags")),
            ("consent", self.tr("Marketing")),
            ("stay_in_touch", self.tr("Stay in touch")),
            ("asking", self.tr("Referral ask")),
            ("notes", self.tr("Notes")),
        ):
            label = _plain()
            label.setObjectName(f"field_{key}")
            self.fields[key] = label
            self.form.addRow(title, label)
        layout.addLayout(self.form)

        self.received_title = self._section(layout, self.tr("Referrals received"))
        self.received = _FittedTree(
            [self.tr("Date"), self.tr("From"), self.tr("Status"), self.tr("Value")],
            max_rows=4,
            stretch_column=1,
        )
        self.received.itemActivated.connect(self._open_referral_person)
        layout.addWidget(self.received)
        self.given_title = self._section(layout, self.tr("Referrals given"))
        self.given = _FittedTree(
            [self.tr("Date"), self.tr("To"), self.tr("Status"), self.tr("Value")],
            max_rows=6,
            stretch_column=1,
        )
        self.given.itemActivated.connect(self._open_referral_person)
        layout.addWidget(self.given)

        self.followups_title = self._section(layout, self.tr("Open follow-ups"))
        self.followups = _FittedTree([self.tr("Due"), self.tr("Kind"), self.tr("About")], 5)
        layout.addWidget(self.followups)

        self.history_title = self._section(layout, self.tr("History"))
        note_row = QHBoxLayout()
        self.note_kind = QComboBox()
        for code in vocabulary.USER_KINDS:
            self.note_kind.addItem(interaction_label(code), code)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("What happened? (a note, a call, a meeting…)"))
        self.note_edit.returnPressed.connect(self.add_note)
        self.note_button = QPushButton(self.tr("Add &Note"))
        self.note_button.clicked.connect(self.add_note)
        note_row.addWidget(self.note_kind)
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        layout.addLayout(note_row)
        self.note_error = _plain()
        self.note_error.setStyleSheet(ERROR_STYLE)
        self.note_error.hide()
        layout.addWidget(self.note_error)
        self.history = _FittedTree([self.tr("When"), self.tr("What"), self.tr("Details")], 10)
        layout.addWidget(self.history)
        layout.addStretch(1)

    @staticmethod
    def _section(layout: QVBoxLayout, title: str) -> QLabel:
        label = QLabel(title)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setContentsMargins(0, 10, 0, 2)
        layout.addWidget(label)
        return label

    # -- showing a contact ----------------------------------------------------------

    def show_contact(self, contact_id: int | None) -> None:
        """Show one contact (None: nothing selected)."""
        self.contact_id = contact_id
        self.reload()

    def reload(self) -> None:
        if self.contact_id is None:
            self.stack.setCurrentWidget(self.placeholder)
            return
        from crm.core import contacts, followups

        try:
            info = contacts.details(self.contact_id)
        except NotFoundError:
            self.contact_id = None
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.stack.setCurrentWidget(self.scroll_area)
        self._show_fields(info)
        self._show_ask(self.contact_id)
        self._show_breadcrumb(self.contact_id)
        self._show_referrals(contacts.referral_lines(self.contact_id, limit=200))
        self._show_followups(followups.open_followups(contact_id=self.contact_id, limit=100))
        self._show_history(self.contact_id)

    def _show_fields(self, info: dict[str, Any]) -> None:
        self.name_label.setText(info["name"] or self.tr("(no name)"))
        self.subtitle_label.setText(
            " · ".join(p for p in (info["title"], info["organization"] or "") if p)
        )
        self.subtitle_label.setVisible(bool(self.subtitle_label.text()))
        self.archived = bool(info["archived"])
        self.archived_label.setVisible(self.archived)
        self.archive_button.setText(self.tr("Un&archive") if self.archived else self.tr("&Archive"))
        address = "\n".join(
            p
            for p in (
                info["street"],
                " ".join(x for x in (info["postcode"], info["city"]) if x),
                info["region"],
                info["country"],
            )
            if p
        )
        consent = self.tr("No")
        if info["marketing_consent"]:
            consent = self.tr("Agreed")
            if info["consent_date"]:
                consent = self.tr("Agreed on %1").replace("%1", info["consent_date"])
        days = info["stay_in_touch_days"]
        values = {
            "emails": "\n".join(info["emails"]),
            "phones": "\n".join(phones.display(p) for p in info["phones"]),
            "address": address,
            "language": LANGUAGE_NAMES.get(info["language"], info["language"]),
            "birthday": info["birthday"] or "",
            "channel": channel_label(info["channel"]),
            "stage": stage_label(info["stage"]),
            "tags": ", ".join(info["tags"]),
            "consent": consent,
            "stay_in_touch": (
                (
                    self.tr("Every day")
                    if days == 1
                    else self.tr("Every %1 days").replace("%1", str(days))
                )
                if days
                else ""
            ),
            "notes": info["notes"],
        }
        for key, text in values.items():
            label = self.fields[key]
            label.setText(text)
            self.form.setRowVisible(label, bool(text))

    def _show_ask(self, contact_id: int) -> None:
        """Whether it is fine to ask for a referral: "OK to ask" or "Asked 12 days ago"."""
        from crm.core import asking

        status = asking.ask_status(contact_id)
        days = status.days_since
        if days is None:
            text = self.tr("OK to ask (never asked)")
        else:
            if days <= 0:
                ago = self.tr("Asked today")
            elif days == 1:
                ago = self.tr("Asked yesterday")
            else:
                ago = self.tr("Asked %1 days ago").replace("%1", str(days))
            if status.ok:
                text = self.tr("OK to ask (%1)").replace("%1", ago.lower())
            else:
                assert status.ok_from is not None
                text = self.tr("%1; OK to ask again from %2").replace("%1", ago)
                text = text.replace("%2", cell_text(status.ok_from.isoformat()))
        label = self.fields["asking"]
        label.setText(text)
        label.setToolTip(
            self.tr("Ask the same person at most once every %1 days (see Settings)").replace(
                "%1", str(status.cooldown_days)
            )
        )
        self.form.setRowVisible(label, True)

    def _show_breadcrumb(self, contact_id: int) -> None:
        from crm.core import chain

        while self.breadcrumb.count():
            item = self.breadcrumb.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden and detached now: deleteLater alone leaves it painted until idle.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.breadcrumb_buttons = []
        # Nearest first from the core; the breadcrumb reads from the root down.
        ups = list(reversed(chain.ancestors(contact_id)))
        if not ups:
            self.referred_by_label.setText(self.tr("Referred by: nobody recorded"))
            return
        self.referred_by_label.setText(self.tr("Referred by:"))
        shown: list[chain.Ancestor | None] = list(ups)
        if len(ups) > BREADCRUMB_MAX:
            shown = [ups[0], None, *ups[-(BREADCRUMB_MAX - 2) :]]
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for pos, ancestor in enumerate(shown):
            if pos:
                self.breadcrumb.addWidget(QLabel("‹" if rtl else "›"))
            if ancestor is None:
                gap = QLabel("…")
                gap.setToolTip(self.tr("%n more", "", len(ups) - BREADCRUMB_MAX + 1))
                self.breadcrumb.addWidget(gap)
                continue
            button = QPushButton(_button_text(ancestor.name))
            button.setObjectName("breadcrumb")
            button.setFlat(True)
            button.setStyleSheet(LINK_STYLE)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("Show %1").replace("%1", ancestor.name))
            button.setProperty("contact_id", ancestor.id)
            button.clicked.connect(
                lambda _c=False, cid=ancestor.id: self.ctx.navigate.emit("contact", cid)
            )
            self.breadcrumb.addWidget(button)
            self.breadcrumb_buttons.append(button)

    def _show_referrals(self, lines: dict[str, list[dict[str, Any]]]) -> None:
        for tree, title, items, heading in (
            (self.received, self.received_title, lines["received"], self.tr("Referrals received")),
            (self.given, self.given_title, lines["given"], self.tr("Referrals given")),
        ):
            tree.clear()
            for line in items:
                item = QTreeWidgetItem(
                    [
                        cell_text(line["referred_on"].isoformat() if line["referred_on"] else ""),
                        cell_text(line["other"]),
                        referral_status_label(line["status"]),
                        cell_text(money(line["value"], line["currency"])),
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, line["other_id"])
                item.setData(1, Qt.ItemDataRole.UserRole, line["id"])
                item.setTextAlignment(
                    3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                if line["is_primary"] and tree is self.received:
                    item.setToolTip(1, self.tr("Primary referrer"))
                tree.addTopLevelItem(item)
            tree.setVisible(bool(items))
            title.setText(f"{heading} ({len(items)})" if items else f"{heading}: {self.tr('none')}")
            self._size_columns(tree)
            tree.fit()

    def _show_followups(self, items: list[dict[str, Any]]) -> None:
        self.followups.clear()
        for entry in items:
            item = QTreeWidgetItem(
                [
                    cell_text(entry["due"]),
                    followup_kind_label(entry["kind"]),
                    cell_text(entry["title"]),
                ]
            )
            if entry["overdue"]:
                item.setForeground(0, QBrush(QColor("#b00020")))
                item.setToolTip(0, self.tr("Overdue"))
            self.followups.addTopLevelItem(item)
        self.followups.setVisible(bool(items))
        heading = self.tr("Open follow-ups")
        self.followups_title.setText(
            f"{heading} ({len(items)})" if items else f"{heading}: {self.tr('none')}"
        )
        self._size_columns(self.followups)
        self.followups.fit()

    def _show_history(self, contact_id: int) -> None:
        from crm.core import interactions

        self.history.clear()
        lines = interactions.history(contact_id, limit=200)
        for line in lines:
            when = line.happened_at
            stamp = when.strftime("%Y-%m-%d %H:%M") if hasattr(when, "strftime") else str(when)
            item = QTreeWidgetItem(
                [cell_text(stamp), interaction_label(line.kind), cell_text(line.summary)]
            )
            item.setToolTip(2, line.summary)
            self.history.addTopLevelItem(item)
        self.history_title.setText(f"{self.tr('History')} ({len(lines)})")
        self._size_columns(self.history)
        self.history.fit()

    @staticmethod
    def _size_columns(tree: _FittedTree) -> None:
        # Every column fits its content except the one with names or text, which
        # takes what is left (and elides), so values and dates are never cut.
        for column in range(tree.columnCount()):
            if column != tree.stretch_column:
                tree.resizeColumnToContents(column)

    # -- actions ------------------------------------------------------------------------

    def _emit_for_current(self, signal) -> None:
        if self.contact_id is not None:
            signal.emit(self.contact_id)

    def _show_chain(self) -> None:
        if self.contact_id is not None:
            self.ctx.navigate.emit("chain", self.contact_id)

    def _archive_clicked(self) -> None:
        if self.contact_id is not None:
            self.archive_requested.emit(self.contact_id, not self.archived)

    def _open_referral_person(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        other = item.data(0, Qt.ItemDataRole.UserRole)
        if other is not None:
            self.ctx.navigate.emit("contact", int(other))

    def add_note(self) -> None:
        """Add what the user typed to the contact's history."""
        if self.contact_id is None:
            return
        from crm.core import interactions

        try:
            interactions.add_note(
                self.contact_id, self.note_kind.currentData(), self.note_edit.text()
            )
        except ValidationError as exc:
            self.note_error.setText(exc.message)
            self.note_error.show()
            self.note_edit.setFocus()
            return
        self.note_error.hide()
        self.note_edit.clear()
        self._show_history(self.contact_id)
        self.ctx.changed("contacts")
