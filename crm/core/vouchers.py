"""Gift vouchers: issuing them in batches, listing them, and what printing a batch needs.

A voucher is a tangible referral: a client (the holder) passes it on to a friend,
and redeeming it (:mod:`crm.core.redemption`) records the friend as referred by
the holder and creates the holder's reward under the reward policy. Codes come
from :mod:`crm.core.codes`. A holder gets at most one voucher per batch, so
running the same ``issue`` twice does not double a batch.

The "top N" score is meant to be explained to a user in one sentence: the won
value of the referrals a client gave in the last 12 months (in the voucher's
currency), then the number of those referrals that were won; ties go to the
contact added first. Clients with no won referral in that time are not picked.

A voucher goes only to a holder who agreed to marketing (:mod:`crm.core.privacy`):
issuing and printing refuse, naming the people without consent, unless the user
overrides that for the document (``allow_without_consent``). A voucher whose
holder was erased on request is not printed.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, IntegrityError, fn

from crm.core import clock, codes, interactions, models, privacy, settings
from crm.core.errors import NotFoundError, ValidationError
from crm.core.referrals import parse_value
from crm.core.rule_lines import line
from crm.i18n import N_

db = models.database_proxy

# The longest an expiry may lie ahead: a date further out is almost surely a typo.
MAX_YEARS_AHEAD = 10
# Attempts at a fresh code before giving up (a collision needs ~10^11 codes issued).
CODE_ATTEMPTS = 20
SHOWN_STATUSES = ("issued", "expired", "redeemed", "void")

_SYSTEM_RANDOM = random.SystemRandom()


def _year_ago(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _value(value: str | float | Decimal) -> Decimal:
    try:
        amount = parse_value(value, what=N_("Voucher value"))
    except ValidationError as exc:
        raise exc.with_field("value") from None
    if amount is None or amount <= 0:
        raise ValidationError(
            code="vouchers.voucher_worth_something_value", field="value", value=amount or 0
        )
    return amount


def _currency(code: str | None) -> str:
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if text not in settings.CURRENCIES:
        raise ValidationError(
            code="vouchers.currency_iso_4217_currency", field="currency", code_text=code
        )
    return text


def _expiry(expires: dt.date | str, today: dt.date) -> dt.date:
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires.strip())
        except ValueError:
            raise ValidationError(
                code="vouchers.expiry_date_yyyy_mm", field="expires", expires=expires
            ) from None
    if expires <= today:
        raise ValidationError(
            code="vouchers.expiry_future_voucher_valid",
            field="expires",
            expires=expires.isoformat(),
            today=today.isoformat(),
        )
    if expires.year > today.year + MAX_YEARS_AHEAD:
        raise ValidationError(
            code="vouchers.expiry_more_years_away",
            field="expires",
            expires=expires.isoformat(),
            max_years_ahead=MAX_YEARS_AHEAD,
        )
    return expires


def _batch(name: str) -> str:
    """The batch name with its spaces tidied, refused when it cannot name a file.

    The name goes into file names (the GUI suggests ``vouchers-<batch>.pdf``),
    so it may not climb out of a folder or hide characters.
    """
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError(code="vouchers.name_batch_such_2026", field="batch")
    limit = models.Voucher.batch.max_length
    if len(text) > limit:
        raise ValidationError(
            code="vouchers.batch_name_longer_characters", field="batch", limit=limit
        )
    hidden = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf")), None)
    if hidden is not None:
        raise ValidationError(
            code="vouchers.batch_name_contains_invisible", field="batch", codepoint=ord(hidden)
        )
    if "/" in text or "\\" in text:
        raise ValidationError(code="vouchers.batch_name_cannot_contain", field="batch", text=text)
    if text.startswith(".") or ".." in text:
        raise ValidationError(code="vouchers.batch_name_cannot_start", field="batch", text=text)
    return text


def top_holders(
    n: int,
    currency: str | None = None,
    today: dt.date | None = None,
    *,
    consenting_only: bool = False,
) -> list[dict[str, Any]]:
    """The ``n`` best referrers of the last 12 months, best first, with their score.

    Each entry: ``id``, ``name``, ``won_value`` (in ``currency``), ``converted``
    (referrals given in the period that were won), ``consent`` (marketing
    consent). Archived and erased contacts and contacts with no won referral in
    the period are left out; with ``consenting_only``, so are those without
    marketing consent (the top N are then the best N who agreed).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValidationError(code="vouchers.number_top_clients_1", field="top", n=n)
    money = _currency(currency)
    day = today or clock.today()
    ref = models.Referral
    won = ref.status == "won"
    won_value = fn.COALESCE(fn.SUM(Case(None, [(ref.currency == money, ref.value)], 0)), 0)
    converted = fn.COUNT(ref.id)
    query = (
        ref.select(
            ref.giver,
            won_value.alias("won_value"),
            converted.alias("converted"),
            models.Contact.marketing_consent,
        )
        .join(models.Contact, on=(ref.giver == models.Contact.id))
        .where(
            (ref.referred_on > _year_ago(day))
            & (ref.referred_on <= day)
            & won
            & ~models.Contact.archived
            & models.Contact.erased_at.is_null()
            & (models.Contact.marketing_consent if consenting_only else True)
        )
        .group_by(ref.giver, models.Contact.marketing_consent)
        .order_by(won_value.desc(), converted.desc(), ref.giver)
        .limit(n)
    )
    scored = [(int(g), Decimal(str(v)), int(c), bool(k)) for g, v, c, k in models.rows(query)]
    names = _names([g for g, _v, _c, _k in scored])
    return [
        {
            "id": g,
            "name": names[g],
            "won_value": float(v),
            "converted": c,
            "currency": money,
            "consent": k,
        }
        for g, v, c, k in scored
    ]


def _names(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    c = models.Contact
    query = c.select(c.id, c.given_name, c.family_name).where(c.id.in_(ids))
    return {i: " ".join(p for p in (g, f) if p) for i, g, f in models.rows(query)}


def _holders(holder_ids: Sequence[int]) -> list[models.Contact]:
    seen: dict[int, None] = dict.fromkeys(holder_ids)
    if not seen:
        raise ValidationError(code="vouchers.name_least_one_holder", field="holder")
    found = {c.id: c for c in models.Contact.select().where(models.Contact.id.in_(list(seen)))}
    out = []
    for hid in seen:
        contact = found.get(hid)
        if contact is None:
            raise NotFoundError(code="vouchers.contact_not_found", hid=hid)
        if contact.archived:
            raise ValidationError(
                code="vouchers.archived_unarchive_them_give",
                field="holder",
                contact_display_name=contact.display_name,
                hid=hid,
            )
        out.append(contact)
    return out


def issue(
    holder_ids: Sequence[int] | None = None,
    *,
    top_n: int | None = None,
    value: str | float | Decimal,
    expires: dt.date | str,
    batch: str,
    currency: str | None = None,
    rng: random.Random | None = None,
    today: dt.date | None = None,
    allow_without_consent: bool = False,
) -> list[dict[str, Any]]:
    """Issue one voucher to each holder, or to the ``top_n`` clients; all or none.

    Returns the new vouchers as :func:`to_dict` gives them (with the holder's
    ``score`` when chosen by ``top_n``). Logs ``voucher_issued`` on each holder.
    Named holders without marketing consent are refused, by name, unless
    ``allow_without_consent``; ``top_n`` picks the best clients who consented
    (all clients with ``allow_without_consent``).
    """
    if (holder_ids is None) == (top_n is None):
        raise ValidationError(code="vouchers.issue_vouchers_either_named")
    day = today or clock.today()
    amount = _value(value)
    money = _currency(currency)
    expiry = _expiry(expires, day)
    name = _batch(batch)
    rng = rng or _SYSTEM_RANDOM
    with db.atomic():
        scores: dict[int, dict[str, Any]] = {}
        if top_n is not None:
            consenting = not allow_without_consent
            best = top_holders(top_n, money, day, consenting_only=consenting)
            if not best:
                who = "No client with marketing consent" if consenting else "No client"
                raise ValidationError(
                    code="vouchers.won_referral_last_12", field="top", who=who, top_n=top_n
                )
            scores = {h["id"]: h for h in best}
            holder_ids = list(scores)
        assert holder_ids is not None
        holders = _holders(holder_ids)
        if not allow_without_consent:
            privacy.require_consent([h.id for h in holders], "issue vouchers")
        v = models.Voucher
        already = models.rows(
            v.select(v.holder, v.code).where(
                (v.batch == name) & v.holder.in_([h.id for h in holders])
            )
        )
        if already:
            hid, code = already[0]
            taken = next(h for h in holders if h.id == hid)
            more = f" (and {len(already) - 1} more)" if len(already) > 1 else ""
            raise ValidationError(
                code="vouchers.already_holds_voucher_batch",
                field="holder",
                taken_display_name=taken.display_name,
                hid=hid,
                code_text=code,
                name=name,
                more=more,
            )
        issued: list[models.Voucher] = []
        for holder in holders:
            issued.append(_create(holder, rng, amount, money, expiry, name))
    out = [
        to_dict(voucher, holder.display_name, day)
        for voucher, holder in zip(issued, holders, strict=True)
    ]
    for item in out:
        if item["holder_id"] in scores:
            score = scores[item["holder_id"]]
            item["score"] = {k: score[k] for k in ("won_value", "converted", "currency")}
    return out


def _create(
    holder: models.Contact,
    rng: random.Random,
    amount: Decimal,
    money: str,
    expiry: dt.date,
    batch: str,
) -> models.Voucher:
    for _ in range(CODE_ATTEMPTS):
        code = codes.generate(rng)
        # The codes issued so far, this batch's included, are in the table already.
        if models.Voucher.select().where(models.Voucher.code == code).exists():
            continue
        try:
            # A savepoint: a code another process took a moment ago costs one retry,
            # not the whole batch (PostgreSQL aborts the transaction otherwise).
            with db.atomic():
                voucher = models.Voucher.create(
                    code=code,
                    batch=batch,
                    holder=holder.id,
                    value=amount,
                    currency=money,
                    expires=expiry,
                    status="issued",
                )
        except IntegrityError:
            continue
        interactions.log(
            holder.id,
            "voucher_issued",
            line(
                "history.voucher_issued_for",
                code=code,
                amount=str(amount),
                currency=money,
                batch=batch,
                until=expiry.isoformat(),
            ),
            voucher_id=voucher.id,
        )
        return voucher
    raise RuntimeError("could not find an unused voucher code")  # pragma: no cover


def shown_status(status: str, expires: dt.date, today: dt.date | None = None) -> str:
    """``issued`` becomes ``expired`` once the expiry day has passed."""
    if status == "issued" and expires < (today or clock.today()):
        return "expired"
    return status


def to_dict(
    voucher: models.Voucher, holder_name: str | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    return {
        "id": voucher.id,
        "code": voucher.code,
        "batch": voucher.batch,
        "holder_id": voucher.holder_id,
        "holder": holder_name if holder_name is not None else voucher.holder.display_name,
        "value": float(voucher.value),
        "currency": voucher.currency,
        "expires": voucher.expires.isoformat(),
        "status": shown_status(voucher.status, voucher.expires, today),
        "printed_at": voucher.printed_at.isoformat(sep=" ") if voucher.printed_at else None,
        "redeemed_at": voucher.redeemed_at.isoformat(sep=" ") if voucher.redeemed_at else None,
        "redeemed_by_id": voucher.redeemed_by_id,
        "referral_id": voucher.referral_id,
        "voided_at": voucher.voided_at.isoformat(sep=" ") if voucher.voided_at else None,
    }


_LIST_COLUMNS = (
    models.Voucher.id,
    models.Voucher.code,
    models.Voucher.batch,
    models.Voucher.holder,
    models.Contact.given_name,
    models.Contact.family_name,
    models.Voucher.value,
    models.Voucher.currency,
    models.Voucher.expires,
    models.Voucher.status,
    models.Voucher.printed_at,
    models.Voucher.redeemed_at,
)


def list_vouchers(batch: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Vouchers (of one batch, or all), newest batch first, in the order they were issued."""
    v = models.Voucher
    query = v.select(*_LIST_COLUMNS).join(
        models.Contact, JOIN.LEFT_OUTER, on=(v.holder == models.Contact.id)
    )
    if batch is not None:
        query = query.where(v.batch == " ".join(batch.split()))
    query = query.order_by(v.batch.desc(), v.id)
    day = today or clock.today()
    out = []
    for (
        vid,
        code,
        name,
        hid,
        given,
        family,
        value,
        money,
        expires,
        status,
        printed,
        redeemed,
    ) in models.rows(query):
        out.append(
            {
                "id": vid,
                "code": code,
                "batch": name,
                "holder_id": hid,
                "holder": " ".join(p for p in (given, family) if p),
                "value": float(value),
                "currency": money,
                "expires": _date(expires).isoformat(),
                "status": shown_status(status, _date(expires), day),
                "printed_at": _stamp(printed),
                "redeemed_at": _stamp(redeemed),
            }
        )
    return out


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _stamp(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)


def batches() -> list[str]:
    """Batch names, newest first."""
    v = models.Voucher
    return [b for (b,) in models.rows(v.select(v.batch).distinct().order_by(v.batch.desc()))]


def printable(
    batch: str, today: dt.date | None = None, *, allow_without_consent: bool = False
) -> list[dict[str, Any]]:
    """What printing ``batch`` needs, per voucher still usable (issued, not expired).

    Besides :func:`list_vouchers`' keys: the holder's ``language``, ``country`` and
    ``holder_given_name``.
    Refuses an unknown batch, a batch with nothing left to print, and (unless
    ``allow_without_consent``) holders without marketing consent, naming them.
    Vouchers of holders erased on request are left out.
    """
    name = " ".join((batch or "").split())
    day = today or clock.today()
    items = list_vouchers(name, day)
    if not items:
        known = batches()
        hint = f"; batches: {', '.join(known[:10])}" if known else "; no vouchers are issued yet"
        raise NotFoundError(code="vouchers.batch_named", name=name, hint=hint)
    status = privacy.consent_status({item["holder_id"] for item in items})
    erased = {cid for cid, (_name, _consent, gone) in status.items() if gone}
    usable = [
        item for item in items if item["status"] == "issued" and item["holder_id"] not in erased
    ]
    if not usable:
        counts: dict[str, int] = {}
        for item in items:
            shown = item["status"]
            if shown == "issued" and item["holder_id"] in erased:
                shown = "issued to an erased person"
            counts[shown] = counts.get(shown, 0) + 1
        what = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        raise ValidationError(
            code="vouchers.batch_voucher_left_print", field="batch", name=name, what=what
        )
    if not allow_without_consent:
        privacy.require_consent([item["holder_id"] for item in usable], "print")
    c = models.Contact
    ids = list({item["holder_id"] for item in usable})
    where = {
        cid: (lang, country, given)
        for cid, lang, country, given in models.rows(
            c.select(c.id, c.language, c.country, c.given_name).where(c.id.in_(ids))
        )
    }
    for item in usable:
        item["language"], item["country"], item["holder_given_name"] = where[item["holder_id"]]
    return usable


def mark_printed(ids: Iterable[int], at: dt.datetime | None = None) -> int:
    """Record that these vouchers were printed; returns how many were marked."""
    ids = list(ids)
    stamp = at or models.now()
    v = models.Voucher
    count = 0
    with db.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            count += v.update(printed_at=stamp, updated_at=stamp).where(v.id.in_(chunk)).execute()
    return count
