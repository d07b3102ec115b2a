"""Changing a follow-up: what to do, when, its notes, and the colleague it is for.

Done, snooze and reschedule have their own services (:mod:`crm.core.followups`);
this is what an editor dialog or ``crm followups edit`` saves, checked against the
version the editor read (:mod:`crm.core.versions`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.core import interactions, models, versions
from crm.core import text as usertext
from crm.core.errors import ValidationError
from crm.core.followups import assignee_name, get_followup
from crm.core.rule_lines import Line, line, shown_title, title_of
from crm.i18n import N_

EDITABLE = ("kind", "due", "title", "notes", "assigned_to")


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            code="followup_edits.unknown_follow_up_field", names=", ".join(sorted(unknown))
        )
    out: dict[str, Any] = {}
    if "kind" in changes:
        kind = changes["kind"]
        if kind not in models.FOLLOWUP_KINDS:
            raise ValidationError(
                code="followup_edits.kind_must_be_one_of",
                field="kind",
                kinds=", ".join(models.FOLLOWUP_KINDS),
                kind=kind,
            )
        out["kind"] = kind
    if "due" in changes:
        due = changes["due"]
        if not isinstance(due, dt.date):
            raise ValidationError(code="followup_edits.give_day_due", field="due")
        out["due"] = due
    if "title" in changes:
        title = usertext.field_line(changes["title"] or "", 200, N_("A follow-up title"), "title")
        if not title:
            raise ValidationError(code="followup_edits.write_what_do_title", field="title")
        out["title"] = title
    if "notes" in changes:
        out["notes"] = usertext.field_notes(changes["notes"] or "")
    if "assigned_to" in changes:
        out["assigned_to"] = assignee_name(changes["assigned_to"])
    return out


def _summary(item: models.FollowUp, changed: list[str]) -> Line:
    """The history line: the title (worded by the reader) and what changed."""
    title = title_of(item)
    if changed == ["assigned_to"]:
        who = item.assigned_to
        if who:
            return line("history.followup_assigned", title=title, who=who)
        return line("history.followup_unassigned", title=title)
    fields = [line(f"field.{name}") for name in changed]
    return line("history.followup_changed", title=title, fields=fields)


def update_followup(
    followup_id: int, *, expected_version: int | None = None, **changes: Any
) -> models.FollowUp:
    """Change the given fields (``kind``, ``due``, ``title``, ``notes``, ``assigned_to``).

    With ``expected_version`` (the version the editor read), a follow-up someone
    saved since is refused with :class:`~crm.core.errors.ConflictError`. A new
    due day clears a snooze. Logs what changed in the contact's history.
    """
    values = _clean(changes)
    with models.database_proxy.atomic():
        versions.lock(models.FollowUp, followup_id, expected_version, "follow-up")
        item = get_followup(followup_id)
        # The rule's title as shown (cleaned as a typed one is: no bidi isolates), left as it was.
        if "title" in values and values["title"] == usertext.clean(shown_title(item)):
            values["title"] = item.title
        changed = sorted(k for k, v in values.items() if getattr(item, k) != v)
        if not changed:
            return item
        for key in changed:
            setattr(item, key, values[key])
        if "title" in changed:
            item.message = None  # the user's words replace the rule's
        if "due" in changed:
            item.snoozed_until = None
        item.save()
        interactions.log(
            item.contact_id,
            "followup_moved" if changed == ["due"] else "updated",
            _summary(item, changed),
            referral_id=item.referral_id,
            event_id=item.event_id,
        )
    return item
