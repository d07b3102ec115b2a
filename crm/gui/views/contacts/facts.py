"""The contact detail pane's fields: how to reach them, who they are to us, when to ask."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from crm.core import phones
from crm.gui.formatting import (
    asked_days_ago,
    birthday_text,
    day_text,
    language_name,
    territory_name,
)
from crm.gui.views.contacts.model import channel_label, stage_label
from crm.gui.views.contacts.pane_widgets import plain_label
from crm.i18n import ngettext

if TYPE_CHECKING:
    from crm.core.asking import AskStatus


def _address(info: dict[str, Any]) -> str:
    city = " ".join(x for x in (info["postcode"], info["city"]) if x)
    # The country is stored as its code: named in the interface language ("Ιταλία").
    country = territory_name(info["country"] or "") or info["country"]
    parts = (info["street"], city, info["region"], country)
    return "\n".join(p for p in parts if p)


class ContactFacts(QWidget):
    """A form of the contact's fields; a row without a value is hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
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
            label = plain_label()
            label.setObjectName(f"field_{key}")
            self.fields[key] = label
            self.form.addRow(title, label)

    def show_contact(self, info: dict[str, Any]) -> None:
        """Fill the fields from the core's details of one contact."""
        values = {
            "emails": "\n".join(info["emails"]),
            "phones": "\n".join(phones.display(p) for p in info["phones"]),
            "address": _address(info),
            "language": language_name(info["language"]) if info["language"] else "",
            "birthday": birthday_text(info["birthday"]),
            "channel": channel_label(info["channel"]),
            "stage": stage_label(info["stage"]),
            "tags": ", ".join(info["tags"]),
            "consent": self._consent(info),
            "stay_in_touch": self._cadence(info["stay_in_touch_days"]),
            "notes": info["notes"],
        }
        for key, text in values.items():
            self._set(key, text)

    def _consent(self, info: dict[str, Any]) -> str:
        if not info["marketing_consent"]:
            return self.tr("No")
        if info["consent_date"]:
            return self.tr("Agreed on %1").replace("%1", day_text(info["consent_date"]))
        return self.tr("Agreed")

    def _cadence(self, days: int | None) -> str:
        if not days:
            return ""
        if days == 1:
            return self.tr("Every day")
        return ngettext("Every {n} day", "Every {n} days", days).format(n=days)

    def show_ask(self, status: AskStatus) -> None:
        """Whether it is fine to ask for a referral: "OK to ask" or "Asked 12 days ago"."""
        days = status.days_since
        if days is None:
            text = self.tr("OK to ask (never asked)")
        else:
            if days <= 0:
                ago = self.tr("Asked today")
            elif days == 1:
                ago = self.tr("Asked yesterday")
            else:
                ago = asked_days_ago(days)
            if status.ok:
                text = self.tr("OK to ask (%1)").replace("%1", ago.lower())
            else:
                assert status.ok_from is not None
                text = self.tr("%1; OK to ask again from %2").replace("%1", ago)
                text = text.replace("%2", day_text(status.ok_from))
        self._set("asking", text)
        self.fields["asking"].setToolTip(
            self.tr("Ask the same person at most once every %1 days (see Settings)").replace(
                "%1", str(status.cooldown_days)
            )
        )

    def _set(self, key: str, text: str) -> None:
        label = self.fields[key]
        label.setText(text)
        self.form.setRowVisible(label, bool(text))
