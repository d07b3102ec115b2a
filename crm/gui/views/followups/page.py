"""Follow-ups page: today, overdue, upcoming; done, snooze, reschedule, open the contact.

The section tables and their model live in ``table``; the dialogs in ``dialogs``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crm.core import clock, followups, users, vocabulary
from crm.core.undo_journal import followup_watch
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import day_text, number
from crm.gui.undo import followup_step_text, perform_each
from crm.gui.views.base import View
from crm.gui.views.followups import team
from crm.gui.views.followups.birthday import birthday_contacts, mail_greeting, print_card
from crm.gui.views.followups.dialogs import (
    OVERDUE_COLOUR,
    AutoDirectionDelegate,
    DateDialog,
    NewFollowupDialog,
)
from crm.gui.views.followups.table import (
    COL_CONTACT,
    COL_DUE,
    COL_KIND,
    COL_WHEN,
    DEFAULT_HORIZON,
    HORIZONS,
    FollowupTable,
    FollowupTableModel,
    restore_selection,
    selection_state,
)
from crm.gui.widgets import EmptyState, select_row
from crm.i18n import ngettext


class FollowupsView(View):
    depends_on = ("followups", "contacts", "referrals", "events", "settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.date_dialog: DateDialog | None = None
        self.new_dialog: NewFollowupDialog | None = None
        saved = str(ctx.settings.value("followups/horizon", DEFAULT_HORIZON))
        self.horizon = int(saved) if saved.isdigit() and int(saved) in HORIZONS else DEFAULT_HORIZON
        self.user, self.mine_only = users.current(), team.remembered_mine(self)

        self._build_actions()
        toolbar = self._build_toolbar()
        self._build_sections(ctx)
        self.tabs.setCornerWidget(self.filters, Qt.Corner.TopRightCorner)
        self._retitle({s: 0 for s in followups.SECTIONS})

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(toolbar)
        layout.addWidget(self.contact_toolbar)
        layout.addWidget(self.tabs)
        self._update_actions()

    # -- building ---------------------------------------------------------------------

    def _build_toolbar(self) -> QToolBar:
        """The actions on the selected follow-ups, and how far ahead "Upcoming" looks."""
        toolbar = QToolBar()
        toolbar.setObjectName("followupsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.done_action,
            self.snooze_day_action,
            self.snooze_week_action,
            self.snooze_until_action,
            self.reschedule_action,
        ):
            toolbar.addAction(action)
        # New, Edit and the contact's actions on a second row: in Greek or Italian one
        # row is wider than a 1024-pixel screen and Qt would hide the last behind "»".
        self.contact_toolbar = QToolBar()
        self.contact_toolbar.setObjectName("followupsContactToolbar")
        self.contact_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.contact_toolbar.addAction(self.new_action)
        self.contact_toolbar.addAction(self.edit_action)
        self.contact_toolbar.addSeparator()
        for action in (self.open_action, self.card_action, self.greet_action):
            self.contact_toolbar.addAction(action)
        # The filters sit beside the tabs, so the actions keep the toolbar's width.
        self.filters = QWidget()
        filters = QHBoxLayout(self.filters)
        filters.setContentsMargins(0, 0, 4, 2)
        self.mine_box = team.mine_toggle(self)
        filters.addWidget(self.mine_box)
        filters.addWidget(QLabel("  " + self.tr("Upcoming:") + " "))
        self.horizon_box = QComboBox()
        self.horizon_box.setObjectName("horizon")
        for days in HORIZONS:
            self.horizon_box.addItem(self.tr("next %1 days").replace("%1", str(days)), days)
        self.horizon_box.setCurrentIndex(HORIZONS.index(self.horizon))
        self.horizon_box.currentIndexChanged.connect(self._horizon_changed)
        filters.addWidget(self.horizon_box)
        return toolbar

    def _build_sections(self, ctx: AppContext) -> QTabWidget:
        """A tab per section: its table, or a word when it is empty."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("followupSections")
        self.tabs.setDocumentMode(True)
        self.models: dict[str, FollowupTableModel] = {}
        self.tables: dict[str, FollowupTable] = {}
        self.stacks: dict[str, QStackedWidget] = {}
        self.empties: dict[str, EmptyState] = {}
        for section in followups.SECTIONS:
            model = FollowupTableModel(section, self)
            table = self._make_table(model, section)
            header_state = ctx.settings.value(f"followups/header/{section}")
            if isinstance(header_state, QByteArray):
                table.horizontalHeader().restoreState(header_state)
            elif section == "today":
                table.setColumnHidden(COL_WHEN, True)  # "Today" on every row says nothing
            empty = EmptyState(*self._empty_texts(section))
            empty.add_action(self.tr("New Follow-up…")).clicked.connect(self.new_followup)
            stack = QStackedWidget()
            stack.addWidget(table)
            stack.addWidget(empty)
            self.models[section], self.tables[section] = model, table
            self.stacks[section], self.empties[section] = stack, empty
            self.tabs.addTab(stack, "")
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        return self.tabs

    def _build_actions(self) -> None:
        def action(text: str, slot, keys=(), name: str = "", also: str = "") -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            if keys:
                # Only while the page has focus: Ctrl+D elsewhere is not ours.
                act.setShortcuts([QKeySequence(k) for k in keys])
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shown = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                shown = f"{shown}, {also}" if also else shown
                act.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shown})")
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.new_action = action(
            self.tr("&New Follow-up…"), self.new_followup, ("Ctrl+Shift+N",), "newFollowup"
        )
        # Space is handled by the tables themselves, so it still opens the upcoming box.
        self.done_action = action(
            self.tr("Mark &Done"),
            self.mark_done,
            ("Ctrl+Return",),
            "markDone",
            also=QKeySequence("Space").toString(QKeySequence.SequenceFormat.NativeText),
        )
        self.snooze_day_action = action(
            self.tr("Snooze 1 &Day"), lambda: self.snooze_for(1), ("Ctrl+D",), "snoozeDay"
        )
        self.snooze_week_action = action(
            self.tr("Snooze 1 &Week"), lambda: self.snooze_for(7), ("Ctrl+Shift+D",), "snoozeWeek"
        )
        self.snooze_until_action = action(
            self.tr("Snooze &Until…"), self.snooze_until, ("Ctrl+Alt+D",), "snoozeUntil"
        )
        self.reschedule_action = action(
            self.tr("&Reschedule…"), self.reschedule, ("Ctrl+R",), "reschedule"
        )
        self.edit_action = action(
            self.tr("&Edit…"), lambda: team.edit_followup(self), ("Ctrl+E",), "editFollowup"
        )
        self.open_action = action(self.tr("&Open Contact"), self.open_contact, (), "openContact")
        self.card_action = action(self.tr("Birthday &Card…"), self.print_card, (), "birthdayCard")
        layouts = QMenu(self)
        layouts.addAction(self.tr("A6 Postcard…"), self.print_card)
        layouts.addAction(self.tr("A5 Folded Card…"), lambda: self.print_card("folded"))
        self.card_action.setMenu(layouts)
        self.greet_action = action(
            self.tr("E-mail &Greeting…"), self.mail_greeting, (), "birthdayMail"
        )
        self.open_action.setToolTip(self.tr("Open the contact (Enter or double-click)"))

    def _make_table(self, model: FollowupTableModel, section: str) -> FollowupTable:
        table = FollowupTable()
        table.setObjectName(f"{section}Table")
        table.setModel(model)
        table.setItemDelegate(AutoDirectionDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        width = self.fontMetrics().horizontalAdvance
        # Wide enough for the longest date and kind in the interface's language.
        longest_day = day_text(dt.date(2026, 9, 30), weekday=True)
        header.resizeSection(COL_DUE, width(longest_day) + 24)
        twelve_days_late = self.when_text(dt.date(2026, 11, 24), dt.date(2026, 12, 6), False)
        header.resizeSection(COL_WHEN, width(twelve_days_late) + 40)
        kinds = [labels.followup_kind(code) for code in vocabulary.FOLLOWUP_KINDS]
        header.resizeSection(COL_KIND, max(width(k) for k in kinds) + 24)
        header.resizeSection(COL_CONTACT, width("M" * 16) + 24)
        for col in range(header.count()):
            header.resizeSection(col, max(header.sectionSize(col), header.sectionSizeHint(col)))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(lambda pos, t=table: self._context_menu(t, pos))
        table.doubleClicked.connect(lambda _i: self.open_contact())
        table.open_requested.connect(self.open_contact)
        table.done_requested.connect(self.mark_done)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        model.modelReset.connect(self._update_actions)
        return table

    def _empty_texts(self, section: str) -> tuple[str, str]:
        if section == "today":
            return self.tr("Nothing due today"), self.tr(
                "Calls, emails and thank-yous due today show here."
            )
        if section == "overdue":
            return self.tr("Nothing overdue"), self.tr("You are up to date with every follow-up.")
        return self.tr("Nothing coming up"), self.tr(
            "No follow-ups are due in the next %1 days."
        ).replace("%1", str(self.horizon))

    def _context_menu(self, table: FollowupTable, pos) -> None:
        if not table.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addAction(self.edit_action)

        menu.addAction(self.card_action)
        menu.addAction(self.greet_action)
        menu.addSeparator()
        for act in (
            self.done_action,
            self.snooze_day_action,
            self.snooze_week_action,
            self.snooze_until_action,
            self.reschedule_action,
        ):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.new_action)
        menu.popup(table.viewport().mapToGlobal(pos))

    # -- words --------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Follow-ups")

    def column_titles(self) -> list[str]:
        return [
            self.tr("Due"),
            self.tr("When"),
            self.tr("Kind"),
            self.tr("Contact"),
            self.tr("Title"),
        ]

    def when_text(self, due: dt.date, today: dt.date, snoozed: bool) -> str:
        days = (due - today).days
        if days == 0:
            text = self.tr("Today")
        elif days == 1:
            text = self.tr("Tomorrow")
        elif days == -1:
            text = self.tr("Yesterday")
        elif days < 0:
            text = ngettext("{n} day overdue", "{n} days overdue", -days).format(n=-days)
        else:
            text = ngettext("in {n} day", "in {n} days", days).format(n=days)
        return self.tr("%1 · snoozed").replace("%1", text) if snoozed else text

    def _retitle(self, counts: dict[str, int]) -> None:
        names = {
            "today": self.tr("Today (%1)"),
            "overdue": self.tr("Overdue (%1)"),
            "upcoming": self.tr("Upcoming (%1)"),
        }
        for i, section in enumerate(followups.SECTIONS):
            self.tabs.setTabText(i, names[section].replace("%1", number(counts[section])))
        self.tabs.tabBar().setTabTextColor(
            followups.SECTIONS.index("overdue"),
            OVERDUE_COLOUR if counts["overdue"] else self.palette().windowText().color(),
        )

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the sections; only reads (the daily step makes the rules' reminders)."""
        keep = selection_state(self.tables, self.models)
        today = clock.today()
        counts = followups.section_counts(today, self.horizon, mine_only=self.mine_only)
        team.show_mine_count(self, today, self.horizon)
        for section, model in self.models.items():
            model.load(today, self.horizon, counts[section])
            self.stacks[section].setCurrentIndex(0 if counts[section] else 1)
        title, text = self._empty_texts("upcoming")
        self.empties["upcoming"].heading.setText(title)
        self.empties["upcoming"].body.setText(text)
        self._retitle(counts)
        restore_selection(self.tables, self.models, keep)
        self._update_actions()

    def _horizon_changed(self, index: int) -> None:
        self.horizon = HORIZONS[index]
        self.ctx.settings.setValue("followups/horizon", self.horizon)
        self.refresh()

    # -- selection ----------------------------------------------------------------------

    def current_section(self) -> str:
        return followups.SECTIONS[max(self.tabs.currentIndex(), 0)]

    def show_section(self, section: str) -> None:
        self.tabs.setCurrentIndex(followups.SECTIONS.index(section))

    def current_table(self) -> FollowupTable:
        return self.tables[self.current_section()]

    def selected_rows(self) -> list[dict[str, Any]]:
        section = self.current_section()
        if self.stacks[section].currentIndex() != 0:
            return []
        model, table = self.models[section], self.tables[section]
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        return [model.row(r) for r in rows if r < model.rowCount()]

    def selected_ids(self) -> list[int]:
        return [r["id"] for r in self.selected_rows()]

    def select_followup(self, followup_id: int) -> bool:
        """Show the section holding a follow-up and select it (False when not listed)."""
        for section, model in self.models.items():
            while model.row_of(followup_id) < 0 and model.canFetchMore():
                model.fetchMore()
            row = model.row_of(followup_id)
            if row >= 0:
                self.show_section(section)
                select_row(self.tables[section], row)
                return True
        return False

    def focus_search(self) -> None:
        self.current_table().setFocus()

    def _update_actions(self) -> None:
        has = bool(self.selected_ids())
        for act in (
            self.done_action,
            self.snooze_day_action,
            self.snooze_week_action,
            self.snooze_until_action,
            self.reschedule_action,
            self.open_action,
            self.edit_action,
        ):
            act.setEnabled(has)
        birthday = bool(birthday_contacts(self.selected_rows()))
        self.card_action.setEnabled(birthday)
        self.greet_action.setEnabled(birthday)

    # -- actions ------------------------------------------------------------------------------

    def _apply(self, ids: list[int], change, what: str) -> None:
        """``change(id)`` for each follow-up, one undo step; refusals in the core's words."""
        if not ids:
            return
        text, watch = followup_step_text(what, len(ids)), followup_watch(ids)
        changed, refusal = perform_each(self.ctx, self, text, ids, change, watch, ["followups"])
        if refusal:
            self.ctx.gateway.show_error(refusal)
        if changed:
            self.ctx.changed("followups")
        else:
            self.refresh()  # the list was out of date: show what is really there

    def mark_done(self) -> None:
        self._apply(self.selected_ids(), followups.mark_done, "done")

    def snooze_for(self, days: int) -> None:
        self._apply(self.selected_ids(), lambda fid: followups.snooze_for(fid, days), "snooze")

    def snooze_until(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        tomorrow = clock.today() + dt.timedelta(days=1)
        first = dt.date.fromisoformat(self.selected_rows()[0]["due"])
        self._ask_date(
            self.tr("Snooze Until"),
            self.tr("Hide the follow-up until this day:"),
            max(first + dt.timedelta(days=1), tomorrow),
            tomorrow,
            lambda day: self._apply(ids, lambda fid: followups.snooze(fid, day), "snooze"),
        )

    def reschedule(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        first = dt.date.fromisoformat(self.selected_rows()[0]["due"])
        self._ask_date(
            self.tr("Reschedule"),
            self.tr("Move the follow-up to this day:"),
            max(first, clock.today()),
            None,
            lambda day: self._apply(ids, lambda fid: followups.reschedule(fid, day), "reschedule"),
        )

    def _ask_date(self, title: str, text: str, initial: dt.date, minimum, then) -> None:
        if self.date_dialog is not None:
            self.date_dialog.deleteLater()
        dialog = DateDialog(title, text, initial, minimum, self)
        dialog.geometry_settings = self.ctx.settings
        dialog.setObjectName("dateDialog")
        dialog.accepted.connect(lambda: then(dialog.date()))
        self.date_dialog = dialog
        dialog.open()

    def print_card(self, layout: object = "postcard") -> None:
        # From a QAction, the first argument is its "checked" flag: the postcard then.
        layout = layout if layout in ("postcard", "folded") else "postcard"
        print_card(self.ctx, self, birthday_contacts(self.selected_rows()), str(layout))

    def mail_greeting(self) -> None:
        mail_greeting(self.ctx, self, birthday_contacts(self.selected_rows()))

    def open_contact(self) -> None:
        """Open the contact; a campaign's reminder opens the batch it reminds of."""
        rows = self.selected_rows()
        if not rows:
            return
        if rows[0].get("rule") == "campaign":
            from crm.core import campaign_runs

            campaign = campaign_runs.reminder_campaign(int(rows[0]["id"]))
            if campaign is not None:
                self.ctx.navigate.emit("campaign", campaign)
                return
        self.ctx.navigate.emit("contact", int(rows[0]["contact_id"]))

    def new_followup(self) -> None:
        if self.new_dialog is not None:
            self.new_dialog.deleteLater()
        dialog = NewFollowupDialog(self, self)
        dialog.created.connect(self._created)
        self.new_dialog = dialog
        dialog.open()

    def _created(self, followup_id: int) -> None:
        self.ctx.changed("followups")
        if not self.isVisible():
            return
        if self._stale:
            self.refresh()
        self.select_followup(followup_id)

    # -- layout -------------------------------------------------------------------------------

    def save_layout(self) -> None:
        for section, table in self.tables.items():
            state = table.horizontalHeader().saveState()
            self.ctx.settings.setValue(f"followups/header/{section}", state)
        self.ctx.settings.setValue("followups/horizon", self.horizon)
