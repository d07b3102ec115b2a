"""Recurring voucher campaigns: set once, then every period the top clients get a voucher.

A campaign says how often (``every``: quarter, month or year), how many of the
best clients (``top_n``, by the score of :func:`crm.core.vouchers.top_holders`),
what each voucher is worth (``value``) and for how many days it stays valid
(``valid_days``), and whether only clients who agreed to marketing are picked
(``consent_only``, the default). A paused campaign (``active`` False) makes no
reminders and issues nothing.

This module keeps the campaigns themselves and their periods; issuing a
period's batch and the reminders are :mod:`crm.core.campaign_runs`, what a
campaign returns is :mod:`crm.core.campaign_return`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from crm.core import models, vouchers
from crm.core.errors import NotFoundError, ValidationError
from crm.core.text import fold
from crm.i18n import N_, Term

db = models.database_proxy

EVERY = ("quarter", "month", "year")
MAX_TOP = 10_000
MAX_VALID_DAYS = vouchers.MAX_YEARS_AHEAD * 365
# The batch is "<name> <period>", with " #N" for a forced second run: it must fit a batch name.
NAME_LIMIT = 44


# -- periods ------------------------------------------------------------------------


def period_of(every: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The period ``day`` falls in: its key (``2026-Q4``, ``2026-12``, ``2026``) and bounds."""
    if every == "year":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if every == "month":
        start = day.replace(day=1)
    elif every == "quarter":
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        raise _every_refusal(every)
    months = 1 if every == "month" else 3
    month = start.month - 1 + months
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    if every == "month":
        key = f"{start.year}-{start.month:02d}"
    else:
        key = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return key, start, following - dt.timedelta(days=1)


def _every_refusal(every: Any) -> ValidationError:
    return ValidationError(code="campaigns.every_refused", field="every", every=every)


# -- checking what the user typed -------------------------------------------------------


def _name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError(code="campaigns.name_campaign_such_best", field="name")
    if len(text) > NAME_LIMIT:
        raise ValidationError(
            code="campaigns.campaign_name_longer_than", field="name", limit=NAME_LIMIT
        )
    # The same rules as a batch name: the name becomes part of the batch's.
    try:
        vouchers._batch(text)
    except ValidationError as exc:
        raise _name_refusal(exc, text) from None
    return text


def _name_refusal(exc: ValidationError, text: str) -> ValidationError:
    """A batch-name refusal about the campaign's name (it becomes part of the batch's)."""
    if exc.code == "vouchers.batch_name_contains_invisible":
        return ValidationError(
            code="campaigns.name_invisible", field="name", codepoint=exc.params["codepoint"]
        )
    if exc.code == "vouchers.batch_name_cannot_contain":
        return ValidationError(code="campaigns.name_slash", field="name", text=text)
    if exc.code == "vouchers.batch_name_cannot_start":
        return ValidationError(code="campaigns.name_dot", field="name", text=text)
    return exc.with_field("name")  # type: ignore[return-value]


def _whole(value: Any, field: str, what: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        value = str(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            code="campaigns.not_a_whole_number", field=field, what=what, value=value
        ) from None
    if not low <= number <= high:
        raise ValidationError(
            code="campaigns.number_out_of_range",
            field=field,
            what=what,
            low=low,
            high=high,
            number=number,
        )
    return number


def _every(every: Any) -> str:
    text = str(every or "").strip().casefold()
    if text not in EVERY:
        raise _every_refusal(every)
    return text


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields given, each checked and tidied (refused with the first mistake)."""
    out: dict[str, Any] = {}
    if "name" in fields:
        out["name"] = _name(fields["name"])
        out["name_folded"] = fold(out["name"])
    if "every" in fields:
        out["every"] = _every(fields["every"])
    if "top_n" in fields:
        out["top_n"] = _whole(
            fields["top_n"], "top", Term(N_("The number of top clients")), 1, MAX_TOP
        )
    if "value" in fields:
        out["value"] = vouchers._value(fields["value"])
    if "currency" in fields:
        out["currency"] = vouchers._currency(fields["currency"])
    if "valid_days" in fields:
        out["valid_days"] = _whole(
            fields["valid_days"], "valid_days", Term(N_("The days a voucher stays valid")), 1,
            MAX_VALID_DAYS,
        )  # fmt: skip
    for flag in ("consent_only", "active"):
        if flag in fields:
            out[flag] = bool(fields[flag])
    return out


def _unique(folded: str, name: str, campaign_id: int | None = None) -> None:
    c = models.Campaign
    query = c.select(c.id).where(c.name_folded == folded)
    if campaign_id is not None:
        query = query.where(c.id != campaign_id)
    if query.exists():
        raise ValidationError(
            code="campaigns.campaign_named_exists_already", field="name", name=name
        )


# -- the campaigns -------------------------------------------------------------------------


def to_dict(campaign: models.Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "every": campaign.every,
        "top_n": campaign.top_n,
        "value": float(campaign.value),
        "currency": campaign.currency,
        "valid_days": campaign.valid_days,
        "consent_only": bool(campaign.consent_only),
        "active": bool(campaign.active),
    }


def create(
    name: str,
    *,
    top_n: int | str,
    value: str | float | Decimal,
    valid_days: int | str,
    every: str = "quarter",
    currency: str | None = None,
    consent_only: bool = True,
    active: bool = True,
) -> dict[str, Any]:
    """A new campaign; refused (nothing written) for a name taken or a bad number."""
    fields = _checked(
        {
            "name": name,
            "every": every,
            "top_n": top_n,
            "value": value,
            "currency": currency,
            "valid_days": valid_days,
            "consent_only": consent_only,
            "active": active,
        }
    )
    with db.atomic():
        _unique(fields["name_folded"], fields["name"])
        campaign = models.Campaign.create(**fields)
    return to_dict(campaign)


def edit(name_or_id: str | int, **changes: Any) -> dict[str, Any]:
    """Change only what is given (name, every, top_n, value, currency, valid_days, flags)."""
    known = {"name", "every", "top_n", "value", "currency", "valid_days", "consent_only", "active"}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationError(code="campaigns.no_such_field", names=", ".join(unknown))
    fields = _checked({k: v for k, v in changes.items() if v is not None})
    with db.atomic():
        campaign = get(name_or_id)
        if "name_folded" in fields:
            _unique(fields["name_folded"], fields["name"], campaign.id)
        for key, value in fields.items():
            setattr(campaign, key, value)
        campaign.save()
    return to_dict(campaign)


def get(name_or_id: str | int) -> models.Campaign:
    """The campaign with this id or (case aside) this name."""
    c = models.Campaign
    if isinstance(name_or_id, int):
        found = c.get_or_none(c.id == name_or_id)
    else:
        found = c.get_or_none(c.name_folded == fold(" ".join(str(name_or_id).split())))
    if found is None:
        names = [n for (n,) in models.rows(c.select(c.name).order_by(c.name).limit(10))]
        if names:
            raise NotFoundError(
                code="campaigns.not_found_among", name=name_or_id, names=", ".join(names)
            )
        raise NotFoundError(code="campaigns.not_found_none_yet", name=name_or_id)
    return found


def list_campaigns(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every campaign by name, with its current ``period`` and that period's ``run`` (or None)."""
    from crm.core import clock

    day = today or clock.today()
    c, r = models.Campaign, models.CampaignRun
    found = list(c.select().order_by(c.name_folded))
    runs: dict[tuple[int, str], dict[str, Any]] = {}
    keys = {item.id: period_of(item.every, day)[0] for item in found}
    if found:
        query = (
            r.select(r.campaign, r.period, r.batch, r.issued_at)
            .where(r.period.in_(sorted(set(keys.values()))))
            .order_by(r.id)
        )
        for cid, period, batch, issued in models.rows(query):
            runs.setdefault((int(cid), period), {"batch": batch, "issued_at": str(issued)[:19]})
    out = []
    for item in found:
        entry = to_dict(item)
        entry["period"] = keys[item.id]
        entry["run"] = runs.get((item.id, keys[item.id]))
        out.append(entry)
    return out
