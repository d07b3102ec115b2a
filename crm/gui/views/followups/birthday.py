"""A birthday follow-up's greeting: its card printed, or its wishes sent by e-mail."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from crm.gui import printing
from crm.gui.context import AppContext


def birthday_contacts(rows: list[dict[str, Any]]) -> list[int]:
    """The contacts of the selected follow-ups when every one of them is a birthday."""
    if not rows or any(r["kind"] != "birthday" for r in rows):
        return []
    return list(dict.fromkeys(int(r["contact_id"]) for r in rows))


def _cards(contact_ids: list[int], allow: bool) -> dict[str, Any]:
    from crm.core import birthdays, privacy

    if not allow:
        privacy.require_consent(contact_ids, "print")
    people = [birthdays.person(cid) for cid in contact_ids]
    return birthdays.cards(people, allow_without_consent=True)


def _preview(contact_ids: list[int], layout: str, allow: bool) -> str:
    from crm.documents import birthday_card

    path = printing.temp_pdf("birthday")
    birthday_card.render(_cards(contact_ids, allow), path, layout=layout)
    return path


def _save(path: str, contact_ids: list[int], layout: str, allow: bool) -> dict[str, Any]:
    from crm.documents import birthday_card

    return birthday_card.print_cards(_cards(contact_ids, allow), path, layout=layout)


def print_card(ctx: AppContext, parent: QWidget, contact_ids: list[int], layout: str) -> None:
    """Preview the birthday cards of these contacts; Save or Print logs them as printed."""
    if not contact_ids:
        return
    ids = list(contact_ids)
    printing.open_preview(
        ctx,
        parent,
        ctx.tr("Birthday Card"),
        lambda _p: _preview(ids, layout, False),
        lambda path, _p: _save(path, ids, layout, False),
        suggested_name="birthday-card.pdf",
        changed="contacts",
        without_consent=(
            lambda _p: _preview(ids, layout, True),
            lambda path, _p: _save(path, ids, layout, True),
        ),
    )


def _greetings(contact_ids: list[int], allow: bool) -> list[dict[str, Any]]:
    from crm.core import mail_items

    out: list[dict[str, Any]] = []
    for cid in contact_ids:
        out.extend(mail_items.birthday_items(contact_id=cid, allow_without_consent=allow))
    return out


def mail_greeting(ctx: AppContext, parent: QWidget, contact_ids: list[int]) -> None:
    """Send these contacts' birthday wishes by e-mail, the card attached."""
    from crm.gui.mail_dialog import open_mail_dialog

    if not contact_ids:
        return
    ids = list(contact_ids)
    open_mail_dialog(
        ctx,
        parent,
        ctx.tr("Send Birthday Greetings by E-mail"),
        lambda allow: _greetings(ids, allow),
        changed="contacts",
    )
