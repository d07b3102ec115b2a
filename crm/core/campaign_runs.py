"""A campaign's period: its reminder, who its batch goes to and why, and issuing it.

**The reminder**: the daily rules (:func:`crm.core.followups.run_daily_rules`)
make one follow-up per active campaign and period, due on the period's first
day (or the day the campaign was set up, when that is later), unless the
period's batch is out already. A follow-up belongs to a contact: this one is
put on the client at the top of the campaign's list (who is in the batch
anyway), and made only once someone qualifies. ``campaign_reminder`` holds one
row per campaign and period, so running the rules twice makes one reminder.

**The batch** (:func:`preview`, then :func:`run`): the top N clients by the
voucher score (:func:`crm.core.vouchers.top_holders`: won value of the
referrals they gave in the last 12 months, then how many were won), each with
their rank and what they brought; the clients who would have been in the top N
but did not agree to marketing are listed as left out. A period gets one batch,
named ``<campaign> <period>``; a second one only when forced (``… #2``).
Issuing marks the period's reminder done.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import IntegrityError, SqliteDatabase

from crm.core import campaigns, clock, followups, models, vouchers
from crm.core.errors import ValidationError
from crm.core.rule_lines import line
from crm.i18n import _
from crm.i18n_formats import amount_text

db = models.database_proxy

REMINDER_RULE = "campaign"


def _writing() -> Any:
    """A transaction that takes SQLite's write lock at once (as redeeming a voucher does).

    Two runs of one campaign at the same moment: the second waits for the first
    to commit, then sees its batch and refuses, instead of failing on the lock.
    """
    if isinstance(db.obj, SqliteDatabase) and db.transaction_depth() == 0:
        return db.atomic("IMMEDIATE")
    return db.atomic()


def _runs(campaign_id: int, period: str) -> list[dict[str, Any]]:
    r = models.CampaignRun
    query = (
        r.select(r.id, r.batch, r.issued_at, r.forced, r.holders)
        .where((r.campaign == campaign_id) & (r.period == period))
        .order_by(r.id)
    )
    return [
        {"id": i, "batch": b, "issued_at": str(at)[:19], "forced": bool(f), "holders": n}
        for i, b, at, f, n in models.rows(query)
    ]


def _free_batch(base: str, taken_runs: int) -> str:
    """``base`` (or ``base #2``, ``#3`` …): the first name no voucher batch has yet."""
    v = models.Voucher
    n = taken_runs + 1
    while True:
        name = base if n == 1 else f"{base} #{n}"
        if not v.select().where(v.batch == name).exists():
            return name
        n += 1


def preview(name_or_id: str | int, today: dt.date | None = None) -> dict[str, Any]:
    """What running the campaign today would issue; changes nothing.

    Keys: ``campaign`` (:func:`crm.core.campaigns.to_dict`), ``period``,
    ``period_start``, ``period_end``, ``batch`` (the name it would get),
    ``expires``, ``value``, ``currency``, ``included`` (each ``rank``, ``id``,
    ``name``, ``won_value``, ``converted``), ``left_out`` (the same, ``rank``
    being where they would have stood, for those without marketing consent) and
    ``runs`` (batches already issued for this period).
    """
    day = today or clock.today()
    campaign = campaigns.get(name_or_id)
    period, start, end = campaigns.period_of(campaign.every, day)
    money = campaign.currency
    ranked = vouchers.top_holders(campaign.top_n, money, day, consenting_only=False)
    if campaign.consent_only:
        picked = vouchers.top_holders(campaign.top_n, money, day, consenting_only=True)
        left_out = [dict(h, rank=i) for i, h in enumerate(ranked, 1) if not h["consent"]]
    else:
        picked, left_out = ranked, []
    runs = _runs(campaign.id, period)
    return {
        "campaign": campaigns.to_dict(campaign),
        "period": period,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "batch": _free_batch(f"{campaign.name} {period}", len(runs)),
        "expires": (day + dt.timedelta(days=campaign.valid_days)).isoformat(),
        "value": float(campaign.value),
        "currency": money,
        "included": [dict(h, rank=i) for i, h in enumerate(picked, 1)],
        "left_out": left_out,
        "runs": runs,
    }


def refusal_of(plan: dict[str, Any], *, force: bool = False) -> ValidationError | None:
    """Why :func:`run` would refuse this :func:`preview` (None when it would issue it)."""
    info = plan["campaign"]
    if not info["active"]:
        return ValidationError(code="campaign_runs.paused", field="campaign", name=info["name"])
    if plan["runs"] and not force:
        last = plan["runs"][-1]
        return ValidationError(
            code="campaign_runs.already_issued",
            field="campaign",
            name=info["name"],
            batch=last["batch"],
            period=plan["period"],
            day=last["issued_at"][:10],
        )
    if not plan["included"]:
        if info["consent_only"]:
            return ValidationError(
                code="campaign_runs.nobody_with_consent", field="campaign", name=info["name"]
            )
        return ValidationError(code="campaign_runs.nobody", field="campaign", name=info["name"])
    return None


def run(
    name_or_id: str | int, today: dt.date | None = None, *, force: bool = False
) -> dict[str, Any]:
    """Issue the period's batch in one step; all of it or (refused) nothing.

    Refuses a paused campaign, a period whose batch is out already (unless
    ``force``) and a campaign with nobody to give vouchers to. Returns
    :func:`preview`'s keys for what was issued, with ``run_id`` and
    ``vouchers`` (as :func:`crm.core.vouchers.issue` gives them).
    """
    day = today or clock.today()
    with _writing():
        plan = preview(name_or_id, day)
        info = plan["campaign"]
        refusal = refusal_of(plan, force=force)
        if refusal is not None:
            raise refusal
        issued = vouchers.issue(
            [h["id"] for h in plan["included"]],
            # A number, not text: text is read as the user types (30.0 is refused in Greek).
            value=Decimal(str(info["value"])),
            expires=plan["expires"],
            batch=plan["batch"],
            currency=plan["currency"],
            today=day,
            allow_without_consent=not info["consent_only"],
        )
        record = models.CampaignRun.create(
            campaign=info["id"],
            period=plan["period"],
            batch=plan["batch"],
            forced=bool(plan["runs"]),
            holders=len(issued),
            left_out=len(plan["left_out"]),
        )
        _close_reminder(info["id"], plan["period"])
    scores = {h["id"]: h for h in plan["included"]}
    for item in issued:
        score = scores[item["holder_id"]]
        item["score"] = {k: score[k] for k in ("rank", "won_value", "converted", "currency")}
    return {**plan, "run_id": record.id, "vouchers": issued}


def _close_reminder(campaign_id: int, period: str) -> None:
    """The period's reminder is done once its batch is out."""
    cr, f = models.CampaignReminder, models.FollowUp
    query = (
        cr.select(cr.followup)
        .join(f, on=(cr.followup == f.id))
        .where((cr.campaign == campaign_id) & (cr.period == period) & f.done_at.is_null())
    )
    for (fid,) in models.rows(query):
        followups.mark_done(int(fid))


# -- the reminders ---------------------------------------------------------------------


def apply_campaign_rule(today: dt.date | None = None) -> int:
    """One reminder per active campaign for the current period; returns how many it made."""
    day = today or clock.today()
    c, cr, r = models.Campaign, models.CampaignReminder, models.CampaignRun
    made = 0
    with db.atomic():
        for campaign in c.select().where(c.active).order_by(c.id):
            period, start, _end = campaigns.period_of(campaign.every, day)
            done = (cr.campaign == campaign.id) & (cr.period == period)
            issued = (r.campaign == campaign.id) & (r.period == period)
            if cr.select().where(done).exists() or r.select().where(issued).exists():
                continue
            top = vouchers.top_holders(
                1, campaign.currency, day, consenting_only=bool(campaign.consent_only)
            )
            if not top:
                continue  # nobody qualifies yet: tried again at the next daily run
            set_up = models.as_date(campaign.created_at) or start
            try:
                # A savepoint: another app that made this reminder a moment ago wins.
                with db.atomic():
                    _remind(campaign, period, min(max(start, set_up), day), top[0]["id"])
            except IntegrityError:
                continue
            made += 1
    return made


def _remind(campaign: models.Campaign, period: str, due: dt.date, holder_id: int) -> None:
    """The period's reminder follow-up, on the client at the top of the list."""
    title = line("followup.campaign", name=campaign.name, period=period)
    item = models.FollowUp.create(
        contact=holder_id,
        kind="campaign",
        rule=REMINDER_RULE,
        due=due,
        title=title.english(),
        message=title.stored(),
        notes=_(
            "The top {n} clients get a voucher of {value} {currency}, valid {days} days. "
            'Open this follow-up, or run: crm campaigns run "{name}"'
        ).format(
            n=campaign.top_n,
            value=amount_text(campaign.value),
            currency=campaign.currency,
            days=campaign.valid_days,
            name=campaign.name,
        ),
    )
    models.CampaignReminder.create(campaign=campaign.id, period=period, followup=item.id)


def reminder_campaign(followup_id: int) -> int | None:
    """The campaign a reminder follow-up is about (None for any other follow-up)."""
    cr = models.CampaignReminder
    row = models.rows(cr.select(cr.campaign).where(cr.followup == followup_id).limit(1))
    return int(row[0][0]) if row else None
