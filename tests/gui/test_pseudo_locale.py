"""The pseudo-locale test: every word on screen comes from the catalog and fits its widget.

A pseudo-translation made in memory (tests/gui/pseudo.py: accented, ~40% longer,
in ⟦ ⟧ markers) answers both ``_()`` and every widget's ``tr()``. The main window
opens on a small demo database; the test visits every page and opens every dialog
reachable from the menus and pages, and reads what each shows (tests/gui/visible_text.py).
It fails on text that wears no marker and is not the user's data (an English word
the catalog never saw) and on one-line text wider than its widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget
from shots import shot

from crm.core import chain, events
from crm.gui import database_switch, translation
from crm.gui.app import build_window, set_language
from crm.gui.pages import ALL_PAGES
from crm.gui.views.followups.team import edit_followup
from crm.gui.views.referrals.menus import edit_referral
from crm.gui.widgets import select_row
from tests.gui.pseudo import PseudoTranslations
from tests.gui.visible_text import Problem, Scanner, data_words

SIZES = ((1280, 800), (1024, 640))


@pytest.fixture
def pseudo_app(qapp_named) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translation.install_catalog(app, PseudoTranslations())
    yield app
    set_language(app, "en")


class Visit:
    """Opens dialogs one by one and reads every window that appears, then closes it."""

    def __init__(self, window: QWidget, scanner: Scanner, width: int) -> None:
        self.window = window
        self.width = width
        self.scanner = scanner
        self.where = ""
        self.opened: list[str] = []

    def _new_windows(self) -> list[QWidget]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and w is not self.window and w.isWindow()
        ]

    def sweep(self) -> None:
        """Read and close every window shown besides the main one (also inside exec())."""
        for shown in self._new_windows():
            QApplication.processEvents()
            self.opened.append(f"{self.where}: {type(shown).__name__}")
            where = f"{self.where} / {type(shown).__name__}"
            self.scanner.scan(shown, where)
            needs = max(shown.width(), shown.minimumSizeHint().width())
            if needs > self.width:
                self.scanner.problems.append(Problem(where, "too wide", "dialog", str(needs)))
            if isinstance(shown, QDialog):
                shown.reject()
            shown.close()

    def open(self, where: str, opener: Callable[[], Any]) -> None:
        self.where = where
        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(self.sweep)
        timer.start()
        try:
            opener()
            QApplication.processEvents()
            self.sweep()
        finally:
            timer.stop()


def _dialogs(window) -> list[tuple[str, Callable[[], Any]]]:
    """Every dialog reachable from the menus and the pages, with how to open it."""
    contacts = window.page("contacts")
    referrals = window.page("referrals")
    events = window.page("events")
    followups = window.page("followups")
    vouchers = window.page("vouchers")

    def first_contact() -> None:
        window.show_page("contacts")
        select_row(contacts.table, 0)

    def open_contact() -> None:
        first_contact()
        contacts.open_dialog(contacts.selected_ids()[0])

    def labels() -> None:
        first_contact()
        contacts.open_postal()

    def on(name: str, action: Callable[[Any], Any]) -> Callable[[], Any]:
        return lambda: action(window.show_page(name))

    def campaign() -> None:
        window.show_page("vouchers")
        vouchers.tabs.setCurrentWidget(vouchers.campaigns_panel)
        vouchers.campaigns_panel.edit_campaign(None)

    def campaign_batch() -> None:
        # A campaign's period batch: who is in it, who was left out, the period in words.
        from crm.core import campaigns

        window.show_page("vouchers")
        vouchers.issue_campaign_batch(campaigns.list_campaigns()[0]["id"])

    def void_voucher() -> None:
        from crm.core import redemption
        from crm.core import vouchers as voucher_core

        window.show_page("vouchers")
        vouchers.tabs.setCurrentWidget(vouchers.redeem_panel)
        code = voucher_core.list_vouchers()[0]["code"]
        vouchers.redeem_panel.ask_void_reason(redemption.find(code))

    return [
        ("new contact", window.new_contact),
        ("contact editor", open_contact),
        ("labels", labels),
        ("referral", lambda: referrals.record_referral()),
        ("new event", lambda: events.new_event()),
        ("follow-up", lambda: followups.new_followup()),
        ("preferences", window.open_settings),
        ("import wizard", window.import_contacts),
        ("export person", lambda: (first_contact(), window.export_person())),
        ("erase person", lambda: (first_contact(), window.erase_person())),
        ("issue vouchers", vouchers.issue_vouchers),
        ("letters preview", vouchers.preview_all_letters),
        ("mail letters", vouchers.mail_letters),
        ("campaign", campaign),
        ("campaign batch", campaign_batch),
        ("void voucher", void_voucher),
        ("team database", lambda: database_switch.open_team_database(window)),
        ("mail vouchers", on("vouchers", lambda page: page.mail_vouchers())),
        ("edit event", on("events", lambda page: page.edit_event())),
        (
            "edit referral",
            on("referrals", lambda page: (page.table.selectRow(0), edit_referral(page))),
        ),
        ("edit follow-up", on("followups", lambda page: edit_followup(page))),
        ("merge organization", on("organizations", lambda page: page.merge_into())),
        ("chain referral", lambda: (_go_featured(window), window.page("chain").record_referral())),
        ("dashboard list", on("dashboard", lambda page: page.show_behind("all", None))),
        ("about", window.about),
    ]


def _go_featured(window) -> None:
    """The largest chain and the featured event's briefing: the pages with the most to show."""
    window.go("briefing", events.featured_event_id())
    window.go("chain", chain.largest_chain_root())


def _every_tab(window, qtbot, scanner: Scanner, where: str, done: set | None = None) -> None:
    """Show each tab of the page's tab widgets in turn (nested ones too) and read it."""
    done = set() if done is None else done
    for tabs in window.findChildren(QTabWidget):
        if tabs in done or not tabs.isVisible():
            continue
        done.add(tabs)
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            _settle(qtbot)
            scanner.scan(window, f"{where}, tab {tabs.tabText(index)}")
            _every_tab(window, qtbot, scanner, where, done)
        tabs.setCurrentIndex(current)


def _settle(qtbot) -> None:
    """Let counts that arrive on a timer be shown and laid out, as a person sees them."""
    qtbot.wait(20)
    for _round in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_word_comes_from_the_catalog_and_fits(
    pseudo_app, demo_store, db_path, qsettings, qtbot, size
):
    scanner = Scanner(data_words(db_path))
    window = build_window(demo_store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    for name in ALL_PAGES:
        window.show_page(name)
        _settle(qtbot)
        _every_tab(window, qtbot, scanner, f"{size[0]}x{size[1]} {name} page")
        needs = max(window.width(), window.minimumSizeHint().width())
        if needs > size[0]:
            where = f"{size[0]}x{size[1]} {name} page"
            scanner.problems.append(Problem(where, "too wide", "window", str(needs)))
        scanner.scan(window, f"{size[0]}x{size[1]} {name} page")
    # The contact pane of someone with referrals given and received, history, follow-ups.
    window.go("contact", chain.largest_chain_root())
    _settle(qtbot)
    scanner.scan(window, f"{size[0]}x{size[1]} contact pane of the largest chain's root")
    _go_featured(window)
    _settle(qtbot)
    scanner.scan(window, f"{size[0]}x{size[1]} chain page of the largest chain")
    window.go("briefing", events.featured_event_id())
    _settle(qtbot)
    scanner.scan(window, f"{size[0]}x{size[1]} briefing of the featured event")
    visit = Visit(window, scanner, size[0])
    for where, opener in _dialogs(window):
        visit.open(f"{size[0]}x{size[1]} {where}", opener)
    shot(window, f"pseudo-{size[0]}.png")
    shown = {entry.split(": ")[0].split(" ", 1)[1] for entry in visit.opened}
    assert shown == {where for where, _o in _dialogs(window)}, visit.opened
    problems = sorted({str(p) for p in scanner.problems})
    assert scanner.seen > 500, scanner.seen
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
