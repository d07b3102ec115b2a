"""The contact's history: every service that touches a contact leaves a line here."""

from __future__ import annotations

import datetime as dt

from crm.core import models, vocabulary
from crm.core import text as usertext
from crm.core.errors import ValidationError
from crm.core.rule_lines import Line

USER_KINDS = vocabulary.USER_KINDS


def log(
    contact_id: int,
    kind: str,
    summary: str | Line = "",
    *,
    referral_id: int | None = None,
    event_id: int | None = None,
    voucher_id: int | None = None,
    at: dt.datetime | None = None,
) -> models.Interaction:
    """Append a history line to a contact (called inside the caller's transaction).

    A :class:`~crm.core.rule_lines.Line` is stored as its code (worded in each reader's
    language when shown) and its English wording.
    """
    if kind not in models.INTERACTION_KINDS:
        raise ValidationError(code="interactions.unknown_interaction_kind", kind=kind)
    message = summary.stored() if isinstance(summary, Line) else None
    return models.Interaction.create(
        contact=contact_id,
        kind=kind,
        summary=summary.english() if isinstance(summary, Line) else summary,
        message=message,
        referral=referral_id,
        event=event_id,
        voucher=voucher_id,
        happened_at=at or models.now(),
    )


def add_note(
    contact_id: int, kind: str, summary: str, at: dt.datetime | None = None
) -> models.Interaction:
    """Record something the user did with a contact: a note, call, meeting or email."""
    from crm.core.contacts import get_contact

    if kind not in USER_KINDS:
        raise ValidationError(
            code="interactions.unknown_kind",
            field="kind",
            user_kinds=", ".join(USER_KINDS),
            kind=kind,
        )
    text = usertext.field_notes(summary, "A note", "summary")
    if not usertext.is_visible(text):
        raise ValidationError(code="interactions.write_what_happened_note", field="summary")
    with models.database_proxy.atomic():
        get_contact(contact_id)
        return log(contact_id, kind, text, at=at)


def history(contact_id: int, limit: int = 200) -> list[models.Interaction]:
    """The contact's history, newest first."""
    return list(
        models.Interaction.select()
        .where(models.Interaction.contact == contact_id)
        .order_by(models.Interaction.happened_at.desc(), models.Interaction.id.desc())
        .limit(limit)
    )
