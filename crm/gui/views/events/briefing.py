"""The briefing for an event: one compact card per attendee, read before you go.

The page is a QTextBrowser over HTML built here, with every value from the
database escaped (names are data, never markup). Names link to the contact.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crm.core import briefing
from crm.core.text import fold
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import (
    asked_days_ago,
    by_text,
    colleague,
    day_text,
    for_text,
    isolate,
    money,
    number,
)
from crm.gui.views.base import View
from crm.gui.views.events.dialog import (
    align_heading,
    kind_label,
    role_label,
    when_text,
)
from crm.gui.widgets import EmptyState, SearchBox

OK_COLORS = ("#1b5e20", "#dcf5dc")  # text, background: fine to ask
WAIT_COLORS = ("#7a4a00", "#ffedc7")  # asked recently: amber
MUTED = "#6b6b6b"
NBSP = "\u00a0"
OVERDUE = "#b3261e"


def _t(text: str) -> str:
    return QCoreApplication.translate("Briefing", text)


def ask_text(ok: bool, days_since: int | None) -> str:
    """ "OK to ask", or how long ago the contact was asked."""
    if ok:
        return _t("OK to ask")
    if days_since is None or days_since <= 0:
        return _t("Asked today")
    if days_since == 1:
        return _t("Asked yesterday")
    return asked_days_ago(days_since)


def ask_colors(ok: bool) -> tuple[str, str]:
    return OK_COLORS if ok else WAIT_COLORS


def status_label(code: str) -> str:
    # Inside a sentence ("1 won"), so in lower case.
    return labels.referral_status(code).lower()


def interaction_label(code: str) -> str:
    return labels.interaction(code)


def money_text(values: dict[str, float]) -> str:
    """``2,000 EUR + 300 GBP``: won value per currency, never added across currencies."""
    return " + ".join(whole_money(value, currency) for currency, value in values.items())


def whole_money(value: float, currency: str) -> str:
    """``1,200 EUR`` in the user's locale, rounded to whole units, a bidi isolate that
    a line never breaks inside (the amount and its currency stay together)."""
    return isolate(money(round(float(value)), currency).replace(" ", NBSP))


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


USER_KINDS = ("note", "call", "meeting", "email")


class CardWriter:
    """Writes attendee cards as HTML for one reading direction.

    Every value from the database is escaped and isolated (Unicode bidi
    isolates), so a name in another script cannot reorder the text around it.
    """

    def __init__(self, rtl: bool = False) -> None:
        self.rtl = rtl
        # The chain reads "A, referred by B": the arrow points from B to A.
        self.arrow = "&nbsp;&rarr; " if rtl else "&nbsp;&larr; "

    @staticmethod
    def data(text: Any) -> str:
        return isolate(_e(text))

    def link(self, contact_id: int, name: str, bold: bool = False) -> str:
        text = f"<b>{self.data(name)}</b>" if bold else self.data(name)
        return f'<a href="contact:{int(contact_id)}">{text}</a>'

    @staticmethod
    def badge(text: str, colors: tuple[str, str]) -> str:
        fg, bg = colors
        return f'<span style="color:{fg}; background-color:{bg};">&nbsp;{_e(text)}&nbsp;</span>'

    @staticmethod
    def muted(markup: str) -> str:
        return f'<span style="color:{MUTED};">{markup}</span>'

    @staticmethod
    def here() -> str:
        here = _e(_t("(here)"))
        return f'<span style="color:{OK_COLORS[0]};">{here}</span>'

    def person_link(self, contact_id: int, name: str, here: bool) -> str:
        return self.link(contact_id, name) + (" " + self.here() if here else "")

    def referrals(self, title: str, part: dict[str, Any], direction: str) -> str:
        """ "Gave 4 · 2 won (1,500 EUR) · 1 open", then the latest few."""
        if not part["count"]:
            none = _e(_t("none"))
            return f"<b>{_e(title)}</b> {self.muted(none)}"
        bits = [number(part["count"])]
        if part["won_count"]:
            bits.append(
                _e(_t("%1 won (%2)"))
                .replace("%1", number(part["won_count"]))
                .replace("%2", money_text(part["won_value"]))
            )
        if part["open"]:
            bits.append(_e(_t("%1 open")).replace("%1", number(part["open"])))
        if part["lost_count"]:
            bits.append(_e(_t("%1 lost")).replace("%1", number(part["lost_count"])))
        latest = []
        for ref in part["latest"]:
            # Word, amount and colleague each in its own isolate: in Arabic the amount
            # stays after "won" and the name before the bracket.
            status = _e(status_label(ref["status"]))
            if ref["value"] is not None:
                status += " " + whole_money(ref["value"], ref["currency"])
            who = self.person_link(ref["contact_id"], ref["name"], ref["here"])
            if colleague(ref.get("created_by")):
                status += ", " + self.data(by_text(ref["created_by"]))
            latest.append(f"{who} ({status})")
        word = _t("to") if direction == "given" else _t("from")
        line = f"<b>{_e(title)}</b> {' · '.join(bits)}"
        if latest:
            line += "<br>&nbsp;&nbsp;" + self.muted(_e(word)) + " " + ", ".join(latest)
        return line

    def card(self, person: dict[str, Any]) -> str:
        """One attendee: who they are, how they came, what they brought, what is due."""
        return (
            '<table width="100%" cellspacing="0" cellpadding="3">'
            '<tr><td width="30%" valign="top">'
            + "<br>".join(self._who(person))
            + '</td><td width="40%" valign="top">'
            + "<br>".join(self._history(person))
            + '</td><td width="30%" valign="top">'
            + "<br>".join([self._followups(person), self._last_seen(person)])
            + "</td></tr></table><hr>"
        )

    def _who(self, person: dict[str, Any]) -> list[str]:
        """Name, organization, role at the event, whether to ask for a referral."""
        ask = person["ask"]
        who = [self.link(person["contact_id"], person["name"], bold=True)]
        if person["archived"]:
            who[0] += " " + self.muted(_e(_t("(archived)")))
        org = [p for p in (person["organization"], person["title"]) if p]
        if org:
            who.append(self.muted(" · ".join(self.data(p) for p in org)))
        role = _e(role_label(person["role"]))
        if person["met_in_person"]:
            role += " · " + _e(_t("met in person"))
        who.append(role)
        status = self.badge(ask_text(ask["ok"], ask["days_since"]), ask_colors(ask["ok"]))
        if not ask["ok"] and ask["ok_from"]:
            status += " " + self.muted(
                _e(_t("fine from %1")).replace("%1", day_text(ask["ok_from"]))
            )
        who.append(status)
        return who

    def _history(self, person: dict[str, Any]) -> list[str]:
        """Who referred them, and the referrals they gave and received."""
        chain = [
            self.person_link(r["contact_id"], r["name"], r["here"]) for r in person["referred_by"]
        ]
        if chain:
            came = self.arrow.join(chain) + (self.arrow + "…" if person["referred_by_more"] else "")
        else:
            came = self.muted(_e(_t("nobody (first heard of directly)")))
        return [
            "<b>" + _e(_t("Referred by")) + f"</b> {came}",
            self.referrals(_t("Gave"), person["given"], "given"),
            self.referrals(_t("Received"), person["received"], "received"),
        ]

    def _followups(self, person: dict[str, Any]) -> str:
        heading = "<b>" + _e(_t("Follow-ups")) + "</b> "
        if person["open_followups"]:
            items = []
            for f in person["followups"]:
                due = day_text(f["due"])
                if f["overdue"]:
                    late = _e(_t("overdue"))
                    due = f'<span style="color:{OVERDUE};">{due} {late}</span>'
                if f.get("assigned_to"):
                    due += ", " + self.data(for_text(f["assigned_to"]))
                items.append(f"{self.data(f['title'])} ({due})")
            more = person["open_followups"] - len(person["followups"])
            if more > 0:
                items.append(self.muted(_e(_t("and %1 more").replace("%1", str(more)))))
            return heading + "; ".join(items)
        return heading + self.muted(_e(_t("none open")))

    def _last_seen(self, person: dict[str, Any]) -> str:
        last = person["last_interaction"]
        seen = "<b>" + _e(_t("Last")) + "</b> "
        if last is None:
            seen += self.muted(_e(_t("nothing yet")))
        else:
            seen += day_text(last["date"]) + " "
            # Automatic lines ("Referred by …") say what they are; notes and calls do not.
            if last["kind"] in USER_KINDS or not last["summary"]:
                seen += _e(interaction_label(last["kind"]))
                if last["summary"]:
                    seen += ": "
            seen += self.data(last["summary"])
            if colleague(last.get("created_by")):
                seen += " " + self.muted(self.data(by_text(last["created_by"])))
        return seen


def plain_label(object_name: str, scale: float | None = None) -> QLabel:
    """A wrapping label of plain text; ``scale`` makes it a bold heading that much larger."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if scale is not None:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(True)
        label.setFont(font)
    return label


class BriefingView(View):
    """Who is coming to an event and what to know about each of them."""

    depends_on = ("events", "contacts", "referrals", "followups")

    FILTERS = ("all", "ok_to_ask", "met", "followups", "referred")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.event_id: int | None = None
        self.data: dict[str, Any] | None = None
        self._request = 0

        self.browser = QTextBrowser()
        self.browser.setObjectName("briefingText")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self.open_link)
        self.last_preview = None

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._build_head())
        inner.addLayout(self._build_tools())
        inner.addWidget(self.browser, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty())
        self.stack.addWidget(content)
        self.content = content
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    def _build_head(self) -> QHBoxLayout:
        """The event's title, when and where, the counts; Print and Back beside them."""
        self.heading = plain_label("briefingTitle", scale=1.4)
        self.subtitle = plain_label("briefingSubtitle")
        self.counts = plain_label("briefingCounts")
        self.back_button = QPushButton(self.tr("Back to Event"))
        self.back_button.setObjectName("backToEvent")
        self.back_button.clicked.connect(self._back)
        self.print_button = QPushButton(self.tr("Print Briefing…"))
        self.print_button.setObjectName("printBriefing")
        self.print_button.clicked.connect(self.print_briefing)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        titles.addWidget(self.counts)
        head.addLayout(titles, 1)
        head.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        return head

    def _build_tools(self) -> QHBoxLayout:
        """Which attendees to show, and finding one by name."""
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("briefingFilter")
        for code, text in (
            ("all", self.tr("Everyone")),
            ("ok_to_ask", self.tr("OK to ask for a referral")),
            ("met", self.tr("Met in person")),
            ("followups", self.tr("With open follow-ups")),
            ("referred", self.tr("Came through a referral")),
        ):
            self.filter_combo.addItem(text, code)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.redraw())
        self.find_box = SearchBox(self.tr("Find an attendee…"))
        self.find_box.setObjectName("briefingFind")
        self.find_box.search.connect(lambda _t: self.redraw())
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("Show:")))
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.find_box, 1)
        return tools

    def _build_empty(self) -> EmptyState:
        self.empty = EmptyState(
            self.tr("No event chosen"),
            self.tr(
                "Pick an event on the Events page and choose Open Briefing: for everyone "
                "coming you will see who referred them, what they brought, what is open "
                "and whether it is fine to ask them for a referral."
            ),
        )
        self.empty.add_action(self.tr("Open Events")).clicked.connect(
            lambda: self.ctx.navigate.emit("events", 0)
        )
        return self.empty

    def title(self) -> str:
        return self.tr("Event Briefing")

    def focus_search(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def show_event(self, event_id: int) -> None:
        """Show the briefing of one event."""
        self.event_id = event_id
        self.refresh()
        self._stale = False

    def refresh(self) -> None:
        if self.event_id is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self._request += 1
        request, event_id = self._request, self.event_id

        def done(data: dict[str, Any]) -> None:
            if request == self._request:  # a later request supersedes this one
                self.data = data
                self.redraw()

        def failed(exc: BaseException) -> None:
            if request == self._request:
                self.data = None
                self.stack.setCurrentWidget(self.empty)
                self.ctx.gateway.show_error(str(exc))

        self.ctx.gateway.run(
            lambda _progress: briefing.event_briefing(event_id), on_done=done, on_error=failed
        )

    def visible_attendees(self) -> list[dict[str, Any]]:
        if self.data is None:
            return []
        mode = self.filter_combo.currentData()
        words = fold(self.find_box.text()).split()
        out = []
        for person in self.data["attendees"]:
            if mode == "ok_to_ask" and not person["ask"]["ok"]:
                continue
            if mode == "met" and not person["met_in_person"]:
                continue
            if mode == "followups" and not person["open_followups"]:
                continue
            if mode == "referred" and not person["referred_by"]:
                continue
            if words:
                hay = fold(f"{person['name']} {person['organization']} {person['title']}")
                if not all(w in hay for w in words):
                    continue
            out.append(person)
        return out

    def redraw(self) -> None:
        if self.data is None:
            return
        self.stack.setCurrentWidget(self.content)
        event, counts = self.data["event"], self.data["counts"]
        self.heading.setText(event["title"])
        starts = dt.datetime.fromisoformat(event["starts_at"])
        place = isolate(event["venue"] or event["city"])
        if event["venue"] and event["city"]:
            # The language's own comma between them (Arabic "،"), each isolated.
            place = self.tr("%1, %2").replace("%1", isolate(event["venue"]))
            place = place.replace("%2", isolate(event["city"]))
        self.subtitle.setText(
            " · ".join(p for p in (when_text(starts), kind_label(event["kind"]), place) if p)
        )
        for label in (self.heading, self.subtitle, self.counts):
            align_heading(label)
        parts = [
            self.tr("%1 attendees").replace("%1", str(counts["attendees"])),
            self.tr("%1 met in person").replace("%1", str(counts["met"])),
            self.tr("%1 OK to ask").replace("%1", str(counts["ok_to_ask"])),
            self.tr("%1 with open follow-ups").replace("%1", str(counts["with_followups"])),
            self.tr("%1 referrals given").replace("%1", str(counts["referrals_given"])),
        ]
        if counts["won_value"]:
            parts.append(self.tr("won %1").replace("%1", money_text(counts["won_value"])))
        self.counts.setText(" · ".join(parts))

        people = self.visible_attendees()
        if not self.data["attendees"]:
            nobody = self.tr("Nobody is on the list yet: add attendees on the Events page.")
            body = f"<p>{_e(nobody)}</p>"
        elif not people:
            body = "<p>" + _e(self.tr("Nobody matches.")) + "</p>"
        else:
            rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            writer = CardWriter(rtl)
            body = "".join(writer.card(p) for p in people)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        option = QTextOption()
        option.setTextDirection(self.layoutDirection())
        self.browser.document().setDefaultTextOption(option)
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(f'<html><body dir="{"rtl" if rtl else "ltr"}">{body}</body></html>')
        self.browser.verticalScrollBar().setValue(scroll)

    def open_link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.ctx.navigate.emit("contact", int(url.path()))

    def print_briefing(self) -> None:
        """Preview the printed briefing, then save or print it."""
        from crm.gui import printing

        event_id = self.event_id
        if event_id is None:
            return
        printing.open_preview(
            self.ctx,
            self,
            self.tr("Event Briefing"),
            lambda _p: printing.preview_briefing(event_id),
            lambda path, _p: printing.save_briefing(path, event_id),
            suggested_name=f"briefing-{event_id}.pdf",
        )

    def _back(self) -> None:
        if self.event_id is not None:
            self.ctx.navigate.emit("event", self.event_id)
