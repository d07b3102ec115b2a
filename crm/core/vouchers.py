"""Gift vouchers: issuing them in batches, listing, printing, redeeming and voiding them.

A voucher is a tangible referral: a client (the holder) passes it on to a friend,
and redeeming it records the friend as referred by the holder and creates the
holder's reward under the reward policy. Codes come from :mod:`crm.core.codes`.
A holder gets at most one voucher per batch, so running the same ``issue``
twice does not double a batch.

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

import dataclasses
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, IntegrityError, SqliteDatabase, fn

from crm.core import codes, contacts, interactions, models, privacy, rewards, settings
from crm.core.errors import NotFoundError, ValidationError
from crm.core.referrals import parse_value, record_referral
from crm.core.text import split_name as split_name

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
        amount = parse_value(value)
    except ValidationError as exc:
        raise ValidationError(exc.message.replace("Value", "Voucher value", 1), "value") from None
    if amount is None or amount <= 0:
        raise ValidationError(
            f"A voucher must be worth something: the value is {amount or 0}", "value"
        )
    return amount


def _currency(code: str | None) -> str:
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if text not in settings.CURRENCIES:
        raise ValidationError(f"Currency '{code}' is not an ISO 4217 currency code", "currency")
    return text


def _expiry(expires: dt.date | str, today: dt.date) -> dt.date:
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires.strip())
        except ValueError:
            raise ValidationError(
                f"Expiry '{expires}' is not a date (YYYY-MM-DD)", "expires"
            ) from None
    if expires <= today:
        raise ValidationError(
            f"The expiry {expires.isoformat()} is not in the future: a voucher must be "
            f"valid after today ({today.isoformat()})",
            "expires",
        )
    if expires.year > today.year + MAX_YEARS_AHEAD:
        raise ValidationError(
            f"The expiry {expires.isoformat()} is more than {MAX_YEARS_AHEAD} years away; "
            "check the year",
            "expires",
        )
    return expires


def _batch(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError("Name the batch, such as 2026-Q4: the name is empty", "batch")
    limit = models.Voucher.batch.max_length
    if len(text) > limit:
        raise ValidationError(f"The batch name is longer than {limit} characters", "batch")
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
        raise ValidationError(f"The number of top clients must be 1 or more, not {n}", "top")
    money = _currency(currency)
    day = today or dt.date.today()
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
        raise ValidationError("Name at least one holder for the vouchers", "holder")
    found = {c.id: c for c in models.Contact.select().where(models.Contact.id.in_(list(seen)))}
    out = []
    for hid in seen:
        contact = found.get(hid)
        if contact is None:
            raise NotFoundError(f"No contact with id {hid}")
        if contact.archived:
            raise ValidationError(
                f"{contact.display_name} (#{hid}) is archived: unarchive them to give them "
                "a voucher",
                "holder",
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
        raise ValidationError("Issue vouchers either to named holders or to the top N clients")
    day = today or dt.date.today()
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
                    f"{who} has a won referral in the last 12 months, so there is no top "
                    f"{top_n} to give vouchers to; name the holders instead",
                    "top",
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
            who = next(h for h in holders if h.id == hid)
            more = f" (and {len(already) - 1} more)" if len(already) > 1 else ""
            raise ValidationError(
                f"{who.display_name} (#{hid}) already holds voucher {code} in batch "
                f"'{name}'{more}; a holder gets one voucher per batch",
                "holder",
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
            f"Voucher {code} issued: {amount} {money}, batch {batch}, "
            f"valid until {expiry.isoformat()}",
            voucher_id=voucher.id,
        )
        return voucher
    raise RuntimeError("could not find an unused voucher code")  # pragma: no cover


def shown_status(status: str, expires: dt.date, today: dt.date | None = None) -> str:
    """``issued`` becomes ``expired`` once the expiry day has passed."""
    if status == "issued" and expires < (today or dt.date.today()):
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
    day = today or dt.date.today()
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
    day = today or dt.date.today()
    items = list_vouchers(name, day)
    if not items:
        known = batches()
        hint = f"; batches: {', '.join(known[:10])}" if known else "; no vouchers are issued yet"
        raise NotFoundError(f"No batch named '{name}'{hint}")
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
        raise ValidationError(f"Batch '{name}' has no voucher left to print ({what})", "batch")
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


# -- redeeming and voiding ------------------------------------------------------------


# Words that start a family name rather than end a given one ("Marco De Luca").
def _writing() -> Any:
    """A transaction that takes the write lock at once.

    peewee begins SQLite transactions DEFERRED: two processes could both read a
    voucher as issued, and the second would then fail to upgrade its lock.
    ``BEGIN IMMEDIATE`` makes the second wait for the first to commit, so it
    reads the voucher as redeemed and says so. Inside an outer transaction
    this is a savepoint, and PostgreSQL's row lock on the UPDATE does the same.
    """
    if isinstance(db.obj, SqliteDatabase) and db.transaction_depth() == 0:
        return db.atomic("IMMEDIATE")
    return db.atomic()


def _stamp_for(day: dt.date) -> dt.datetime:
    """Now for today; midday on another day (back-dated entries, tests)."""
    return models.now() if day == dt.date.today() else dt.datetime.combine(day, dt.time(12, 0))


def _find(code: str) -> models.Voucher:
    voucher = models.Voucher.get_or_none(models.Voucher.code == code)
    if voucher is None:
        raise NotFoundError(
            f"No voucher has the code {code}; check that it was issued from this database",
            "code",
        )
    return voucher


def _day_of(value: Any) -> str:
    day = models.as_date(value)
    return day.isoformat() if day is not None else "an unknown day"


def _state_refusal(voucher: models.Voucher, day: dt.date) -> ValidationError | None:
    """Why ``voucher`` cannot be redeemed on ``day`` (None when it can)."""
    code = voucher.code
    if voucher.status == "void":
        return ValidationError(
            f"Voucher {code} was voided on {_day_of(voucher.voided_at)}: it cannot be redeemed",
            "code",
        )
    if voucher.status == "redeemed":
        friend = (
            _names([voucher.redeemed_by_id]).get(voucher.redeemed_by_id)
            if voucher.redeemed_by_id is not None
            else None
        )
        return ValidationError(
            f"Voucher {code} was already redeemed on {_day_of(voucher.redeemed_at)} by "
            f"{friend or 'a contact since deleted'}",
            "code",
        )
    if shown_status(voucher.status, voucher.expires, day) == "expired":
        return ValidationError(f"Voucher {code} expired on {voucher.expires.isoformat()}", "code")
    return None


def find(code: str, today: dt.date | None = None) -> dict[str, Any]:
    """The voucher a typed or scanned code names, whatever its status, as :func:`to_dict`.

    Refuses a typo and an unknown code.
    """
    return to_dict(_find(codes.validate(code)), today=today or dt.date.today())


def redeemable(code: str, today: dt.date | None = None) -> dict[str, Any]:
    """The voucher a typed or scanned code names, when it can be redeemed ``today``.

    Raises :class:`ValidationError` with the reason otherwise: a typo, an
    unknown code, a voided, redeemed or expired voucher. Changes nothing.
    """
    stored = codes.validate(code)
    day = today or dt.date.today()
    voucher = _find(stored)
    refusal = _state_refusal(voucher, day)
    if refusal is not None:
        raise refusal
    return to_dict(voucher, today=day)


def _friend_data(new_friend: str | tuple[str, str] | contacts.ContactData) -> contacts.ContactData:
    if isinstance(new_friend, contacts.ContactData):
        data = new_friend
    else:
        given, family = split_name(new_friend) if isinstance(new_friend, str) else new_friend
        data = contacts.ContactData(given_name=given, family_name=family)
    if not data.given_name.strip() and not data.family_name.strip():
        raise ValidationError(
            "Type the new friend's name, such as Maria Rossi: it is empty", "new_friend"
        )
    # Whoever brought a voucher came to us through a referral.
    return dataclasses.replace(data, channel="referral")


def redeem(
    code: str,
    *,
    friend_id: int | None = None,
    new_friend: str | tuple[str, str] | contacts.ContactData | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Redeem a voucher for the friend who brought it; all of it, or (refused) nothing.

    The friend is an existing contact (``friend_id``) or a new one (``new_friend``:
    ``"Given Family"``, a (given, family) pair or a ContactData). Records the
    friend as referred by the holder (program "tangible"), marks the voucher
    redeemed, logs ``voucher_redeemed`` on both and creates the holder's reward
    under the reward policy. Typos, unknown codes and voided, redeemed or
    expired vouchers are refused, each with its own message. Of two
    redemptions of one code at the same moment exactly one succeeds.

    Returns :func:`to_dict` of the voucher with ``friend_id``, ``friend``,
    ``friend_created``, ``referral_id``, ``primary`` (whether the holder is the
    friend's primary referrer), ``reward_ids`` and ``rewards`` (each reward's
    ``id``, ``contact_id``, ``kind``, ``amount``, ``currency``, ``points``,
    ``status``): what the policy gave for the redemption, none when it rewards
    won referrals only.
    """
    stored = codes.validate(code)
    if (friend_id is None) == (new_friend is None):
        raise ValidationError(
            "Name the friend who brought the voucher: someone in your contacts or a new "
            "friend's name",
            "friend",
        )
    data = _friend_data(new_friend) if new_friend is not None else None
    day = today or dt.date.today()
    stamp = _stamp_for(day)
    v = models.Voucher
    with _writing():
        voucher = _find(stored)
        refusal = _state_refusal(voucher, day)
        if refusal is not None:
            raise refusal
        holder = voucher.holder
        friend: models.Contact | None = None
        if friend_id is not None:
            friend = contacts.get_contact(friend_id)
            _check_friend(voucher, holder, friend)
        # The claim: only one redemption moves the voucher out of "issued".
        claimed = (
            v.update(status="redeemed", redeemed_at=stamp, updated_at=stamp)
            .where((v.id == voucher.id) & (v.status == "issued"))
            .execute()
        )
        if claimed != 1:
            raise _state_refusal(v.get_by_id(voucher.id), day) or ValidationError(
                f"Voucher {stored} cannot be redeemed now; try again", "code"
            )
        created = friend is None
        if friend is None:
            assert data is not None
            friend = contacts.create_contact(data)
        ref = record_referral(
            holder.id,
            friend.id,
            program="tangible",
            currency=voucher.currency,
            referred_on=day,
            notes=f"Brought voucher {stored}",
        )
        v.update(redeemed_by=friend.id, referral=ref.id, updated_at=stamp).where(
            v.id == voucher.id
        ).execute()
        interactions.log(
            holder.id,
            "voucher_redeemed",
            f"Voucher {stored} redeemed by {friend.display_name}",
            referral_id=ref.id,
            voucher_id=voucher.id,
            at=stamp,
        )
        interactions.log(
            friend.id,
            "voucher_redeemed",
            f"Brought voucher {stored} from {holder.display_name}",
            referral_id=ref.id,
            voucher_id=voucher.id,
            at=stamp,
        )
        reward_ids = rewards.apply_policy(ref.id, "received", always=True)
        done = v.get_by_id(voucher.id)
        w = models.Reward
        earned = [
            {
                "id": rid,
                "contact_id": cid,
                "kind": kind,
                "amount": float(amount),
                "currency": money,
                "points": points,
                "status": status,
            }
            for rid, cid, kind, amount, money, points, status in models.rows(
                w.select(w.id, w.contact, w.kind, w.amount, w.currency, w.points, w.status)
                .where(w.id.in_(list(reward_ids)))
                .order_by(w.id)
            )
        ]
    out = to_dict(done, holder.display_name, day)
    out.update(
        {
            "friend_id": friend.id,
            "friend": friend.display_name,
            "friend_created": created,
            "referral_id": ref.id,
            "primary": bool(ref.is_primary),
            "reward_ids": list(reward_ids),
            "rewards": earned,
        }
    )
    return out


def _check_friend(voucher: models.Voucher, holder: models.Contact, friend: models.Contact) -> None:
    if friend.id == holder.id:
        raise ValidationError(
            f"{holder.display_name} holds voucher {voucher.code}: it is redeemed by the friend "
            "they pass it on to, not by them",
            "friend",
        )
    if friend.archived:
        raise ValidationError(
            f"{friend.display_name} (#{friend.id}) is archived: unarchive them to redeem a "
            "voucher for them",
            "friend",
        )
    r = models.Referral
    earlier = r.get_or_none((r.giver == holder.id) & (r.referred == friend.id))
    if earlier is not None:
        raise ValidationError(
            f"{holder.display_name} already referred {friend.display_name} on "
            f"{earlier.referred_on.isoformat()} (referral {earlier.id}); a voucher brings a new "
            "friend, so it was not redeemed",
            "friend",
        )


def void(code: str, reason: str = "", today: dt.date | None = None) -> dict[str, Any]:
    """Void an unredeemed voucher (an expired one too) so it can never be redeemed.

    Logs ``voucher_voided`` on the holder with the reason. Refuses a voucher that
    was redeemed or is void already.
    """
    stored = codes.validate(code)
    day = today or dt.date.today()
    stamp = _stamp_for(day)
    why = " ".join(reason.split())
    v = models.Voucher
    with _writing():
        voucher = _find(stored)
        if voucher.status in ("void", "redeemed"):
            refusal = _state_refusal(voucher, day)
            assert refusal is not None
            if voucher.status == "void":
                raise ValidationError(
                    f"Voucher {stored} was already voided on {_day_of(voucher.voided_at)}",
                    "code",
                )
            raise ValidationError(f"{refusal.message}: a redeemed voucher cannot be voided", "code")
        claimed = (
            v.update(status="void", voided_at=stamp, updated_at=stamp)
            .where((v.id == voucher.id) & (v.status == "issued"))
            .execute()
        )
        if claimed != 1:
            raise ValidationError(f"Voucher {stored} changed meanwhile; look again", "code")
        interactions.log(
            voucher.holder_id,
            "voucher_voided",
            f"Voucher {stored} voided" + (f": {why}" if why else ""),
            voucher_id=voucher.id,
            at=stamp,
        )
        done = v.get_by_id(voucher.id)
    return to_dict(done, today=day)


def recent_redemptions(limit: int = 10) -> list[dict[str, Any]]:
    """The latest redemptions, newest first: code, holder, friend, when (one query)."""
    v = models.Voucher
    holder, friend = models.Contact.alias("h"), models.Contact.alias("f")
    query = (
        v.select(
            v.id,
            v.code,
            v.redeemed_at,
            v.holder,
            holder.given_name,
            holder.family_name,
            v.redeemed_by,
            friend.given_name,
            friend.family_name,
            v.referral,
        )
        .join(holder, JOIN.LEFT_OUTER, on=(v.holder == holder.id))
        .switch(v)
        .join(friend, JOIN.LEFT_OUTER, on=(v.redeemed_by == friend.id))
        .where(v.status == "redeemed")
        .order_by(v.redeemed_at.desc(), v.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": vid,
            "code": code,
            "redeemed_at": _stamp(at),
            "holder_id": hid,
            "holder": " ".join(p for p in (hg, hf) if p),
            "friend_id": fid,
            "friend": " ".join(p for p in (fg, ff) if p),
            "referral_id": rid,
        }
        for vid, code, at, hid, hg, hf, fid, fg, ff, rid in models.rows(query)
    ]
