"""Changing a recorded referral's details: program, temperature, event and notes.

The giver, the referred and the status have services of their own
(:mod:`crm.core.referrals`); these are the details a user corrects afterwards.
"""

from __future__ import annotations

from typing import Any

from crm.core import interactions, models, versions
from crm.core.errors import NotFoundError, ValidationError
from crm.core.referrals import get_referral
from crm.core.rule_lines import line, term

EDITABLE = ("program", "temperature", "event_id", "notes")

# ``event_id`` takes this to take a referral off its event.
NO_EVENT = 0


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            code="referral_edits.unknown_referral_field", unknown=", ".join(sorted(unknown))
        )
    out: dict[str, Any] = {}
    if "program" in changes:
        program = changes["program"]
        if program not in models.PROGRAMS:
            raise ValidationError(
                code="referral_edits.unknown_program",
                field="program",
                programs=", ".join(models.PROGRAMS),
                program=program,
            )
        out["program"] = program
    if "temperature" in changes:
        t = changes["temperature"]
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 5:
            raise ValidationError(code="referral_edits.temperature_1_5", field="temperature", t=t)
        out["temperature"] = t
    if "event_id" in changes:
        event_id = changes["event_id"]
        if event_id in (None, NO_EVENT):
            out["event"] = None
        else:
            if models.Event.get_or_none(models.Event.id == event_id) is None:
                raise NotFoundError(code="referral_edits.event_not_found", event_id=event_id)
            out["event"] = event_id
    if "notes" in changes:
        out["notes"] = str(changes["notes"] or "")
    return out


def update_referral(
    referral_id: int, *, expected_version: int | None = None, **changes: Any
) -> models.Referral:
    """Change the given details of a referral; logs what changed on the referred contact.

    With ``expected_version`` (the version the editor read), a referral someone
    saved since is refused with :class:`~crm.core.errors.ConflictError`.
    """
    with models.database_proxy.atomic():
        versions.lock(models.Referral, referral_id, expected_version, "referral")
        ref = get_referral(referral_id)
        values = _clean(changes)
        current = {k: getattr(ref, "event_id" if k == "event" else k) for k in values}
        changed = sorted(k for k, v in values.items() if current[k] != v)
        for key in changed:
            setattr(ref, key, values[key])
        if changed:
            ref.save()
            said = line(
                "history.referral_changed",
                name=ref.giver.display_name,
                fields=[term("referral_field", name) for name in changed],
            )
            interactions.log(ref.referred_id, "updated", said, referral_id=ref.id)
    return get_referral(referral_id)
