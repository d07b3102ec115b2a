"""Reading the English lines older versions wrote back into codes (schema step 8).

Follow-up titles and history lines made by a rule were stored as English text.
Each pattern here is one such wording; a row whose text matches one (and, for a
follow-up title, names the row's own contact, so that "Call Bob about the
invoice" typed by a user is left alone) gets its code and parameters. Anything
else stays as typed. Lines without params ("Contact created") are set by one
UPDATE each; the others are matched in Python, a page of ids at a time, so the
step reads the same on SQLite and PostgreSQL (``tests/perf/bench_rule_codes.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from crm.core import vocabulary
from crm.core.rule_lines import Line, line, term

_DAY = r"(\d{4}-\d{2}-\d{2})"
_STATUS = "|".join(vocabulary.REFERRAL_STATUSES)
_REWARD = "|".join(vocabulary.REWARD_KINDS)
_ROLE = "|".join(vocabulary.ATTENDANCE_ROLES)
_FIELDS = {"kind": "kind", "due date": "due", "title": "title", "notes": "notes"}
_FIELDS["assignee"] = "assigned_to"

# (pattern, code, names of the groups' params); the name param is checked against the contact.
_TITLES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(p, re.S), code, names)
    for p, code, names in (
        (r"Contact (.+), referred by (.+)", "followup.referral", ("referred", "giver")),
        (r"Stay in touch: (.+)", "followup.stay_in_touch", ("name",)),
        (r"Follow up with (.+?) after (.+)", "followup.after_event", ("contact", "event")),
        (r"Birthday: (.+)", "followup.birthday", ("name",)),
        (r"Call: (.+)", "followup.kind.call", ("name",)),
        (r"Email: (.+)", "followup.kind.email", ("name",)),
        (r"Meeting: (.+)", "followup.kind.meeting", ("name",)),
        (r"Thank you: (.+)", "followup.kind.thank_you", ("name",)),
        (r"Ask referral: (.+)", "followup.kind.ask_referral", ("name",)),
        (r"Campaign: (.+)", "followup.kind.campaign", ("name",)),
        (r"Call (.+)", "followup.call", ("name",)),
        (r"Email (.+)", "followup.email", ("name",)),
        (r"Meeting with (.+)", "followup.meeting", ("name",)),
        (r"Ask (.+) for a referral", "followup.ask_referral", ("name",)),
        (r"Stay in touch with (.+)", "followup.stay_in_touch_with", ("name",)),
        (r"Thank (.+)", "followup.thank", ("name",)),
    )
]
_WHOSE = ("referred", "name", "contact")


def title_line(title: str, contact: str) -> Line | None:
    """The code of a follow-up title a rule wrote for ``contact`` (its display name)."""
    if title == "Stay in touch":
        return line("followup.stay_in_touch_plain")
    for pattern, code, names in _TITLES:
        found = pattern.fullmatch(title)
        if found is None:
            continue
        params = dict(zip(names, found.groups(), strict=True))
        if next(params[n] for n in names if n in _WHOSE) == contact:
            return line(code, **params)
    return None


def _title_param(title: str, contact: str) -> Line | str:
    return title_line(title, contact) or title


def _fields(text: str) -> list[Line] | None:
    words = text.split(", ")
    if not all(w in _FIELDS for w in words):
        return None
    return [line(f"field.{_FIELDS[w]}") for w in words]


_Reader = Callable[[re.Match[str], str], Line | None]


def _plain(code: str, *names: str) -> _Reader:
    line(code, **dict.fromkeys(names, ""))  # a known code with these params
    return lambda m, _contact: Line(code, dict(zip(names, m.groups(), strict=True)))


def _moved(m: re.Match[str], _contact: str) -> Line:
    name, old, new, value, currency = m.groups()
    old_term, new_term = term("status", old), term("status", new)
    if value is None:
        return line("history.referral_moved", name=name, old=old_term, new=new_term)
    return line(
        "history.referral_won",
        name=name,
        old=old_term,
        new=new_term,
        value=value,
        currency=currency,
    )


def _reward(m: re.Match[str], _contact: str) -> Line:
    kind, points, amount, currency = m.groups()
    if points is not None:
        return line("history.reward_given_points", kind=term("reward", kind), points=points)
    if amount is not None:
        return line(
            "history.reward_given_amount",
            kind=term("reward", kind),
            amount=amount,
            currency=currency,
        )
    return line("history.reward_given", kind=term("reward", kind))


_MAIL = {"Thank-you letter": "letter", "Birthday greeting": "birthday", "Voucher": "voucher"}


def _mail(m: re.Match[str], _contact: str) -> Line:
    what, how, email, subject = m.groups()
    way = "mail" if how.startswith("sent") else "draft"
    return line(f"history.{way}.{_MAIL[what]}", email=email, subject=subject)


def _titled(code: str, name: str) -> _Reader:
    return lambda m, contact: line(
        code, title=_title_param(m.group(1), contact), **{name: m.group(2)}
    )


def _changed(m: re.Match[str], contact: str) -> Line | None:
    fields = _fields(m.group(2))
    if fields is None:
        return None
    return line("history.followup_changed", title=_title_param(m.group(1), contact), fields=fields)


def _unassigned(m: re.Match[str], contact: str) -> Line:
    return line("history.followup_unassigned", title=_title_param(m.group(1), contact))


def _done(m: re.Match[str], contact: str) -> Line | None:
    return title_line(m.group(0), contact)


def _role(m: re.Match[str], _contact: str) -> Line:
    return line("history.attended_as", event=m.group(1), role=term("role", m.group(2)))


_EDITS: list[tuple[str, _Reader]] = [
    (r"(.+): changed (.+)", _changed),
    (r"(.+): assigned to (.+)", _titled("history.followup_assigned", "who")),
    (r"(.+): no longer assigned", _unassigned),
]
# History kind -> the wordings lines of that kind were written in.
_HISTORY: dict[str, list[tuple[str, _Reader]]] = {
    "note": [("Connected on LinkedIn", _plain("history.connected_linkedin"))],
    "created": [
        ("Contact created", _plain("history.contact_created")),
        ("Imported", _plain("history.imported")),
        (r"Imported from (.+)", _plain("history.imported_from", "source")),
    ],
    "referral_given": [(r"Referred (.+)", _plain("history.referred", "name"))],
    "referral_received": [(r"Referred by (.+)", _plain("history.referred_by", "name"))],
    "referral_status": [
        (rf"Referral of (.+): ({_STATUS}) → ({_STATUS})(?: \((\S+) ([A-Z]{{3}})\))?", _moved)
    ],
    "updated": [
        (r"Primary referrer is now (.+)", _plain("history.primary_referrer", "name")),
        ("Erased on request", _plain("history.erased")),
        (r"Taken off the list of (.+)", _plain("history.taken_off", "event")),
        (r"Merged with (.+) \(#(\d+)\)", _plain("history.merged", "name", "id")),
        (r"Undid the merge with (.+) \(#(\d+)\)", _plain("history.merge_undone", "name", "id")),
        (
            r"Organization (.+) merged into (.+)",
            _plain("history.organization_merged", "other", "kept"),
        ),
        *_EDITS,
    ],
    "letter_printed": [("Thank-you letter printed", _plain("history.letter_printed"))],
    "card_printed": [("Birthday card printed", _plain("history.card_printed"))],
    "reward_given": [
        (rf"Reward given: ({_REWARD})(?:, (\d+) points|, (\S+) ([A-Z]{{3}}))?", _reward)
    ],
    "email_sent": [
        (
            r"(Thank-you letter|Birthday greeting|Voucher) "
            r"(sent by e-mail to|written as an e-mail draft for) (\S+): (.*)",
            _mail,
        )
    ],
    "followup_added": [(rf"(.+) \(due {_DAY}\)", _titled("history.followup_added", "due"))],
    "followup_done": [(r".+", _done)],
    "followup_moved": [
        (rf"(.+): snoozed until {_DAY}", _titled("history.followup_snoozed", "day")),
        (rf"(.+): rescheduled to {_DAY}", _titled("history.followup_rescheduled", "day")),
        *_EDITS,
    ],
    "voucher_issued": [
        (
            rf"Voucher (\S+) issued: (\S+) ([A-Z]{{3}}), batch (.*), valid until {_DAY}",
            _plain("history.voucher_issued_for", "code", "amount", "currency", "batch", "until"),
        ),
        (r"Voucher (\S+) issued", _plain("history.voucher_issued", "code")),
    ],
    "voucher_redeemed": [
        (r"Voucher (\S+) redeemed by (.+)", _plain("history.voucher_redeemed", "code", "name")),
        (r"Brought voucher (\S+) from (.+)", _plain("history.voucher_brought", "code", "name")),
    ],
    "voucher_voided": [
        (r"Voucher (\S+) voided", _plain("history.voucher_voided", "code")),
        (r"Voucher (\S+) voided: (.*)", _plain("history.voucher_voided_why", "code", "why")),
    ],
    "referral_asked": [
        ("Asked for referrals", _plain("history.asked")),
        (r"Asked for referrals: (.*)", _plain("history.asked_note", "note")),
        (
            r"Asked for referrals \(inside the (\d+)-day cooldown\)",
            _plain("history.asked_early", "days"),
        ),
        (
            r"Asked for referrals \(inside the (\d+)-day cooldown\): (.*)",
            _plain("history.asked_early_note", "days", "note"),
        ),
    ],
    "event_attended": [
        (r"Met in person at (.+)", _plain("history.met", "event")),
        (r"Not met in person at (.+)", _plain("history.not_met", "event")),
        (r"Attended (.+)", _plain("history.attended", "event")),
        (rf"(.+) \(({_ROLE})\)", _role),
    ],
}
_COMPILED = {
    kind: [(re.compile(p, re.S), read) for p, read in readers] for kind, readers in _HISTORY.items()
}


def _fixed() -> list[tuple[str, str, str]]:
    """``(kind, text, stored)`` of the lines without params: one UPDATE each, no reading."""
    out = []
    for kind, readers in _COMPILED.items():
        for pattern, read in readers:
            found = pattern.fullmatch(pattern.pattern) if pattern.groups == 0 else None
            made = read(found, "") if found else None
            if made is not None:
                out.append((kind, pattern.pattern, made.stored()))
    return out


FIXED = _fixed()
_SET = {(kind, text) for kind, text, _stored in FIXED}
#: The history kinds the step reads line by line (the others' lines are all fixed).
KINDS = tuple(
    kind for kind, readers in _HISTORY.items() if any((kind, p) not in _SET for p, _ in readers)
)


def summary_line(kind: str, summary: str, contact: str) -> Line | None:
    """The code of a history line the app wrote on ``contact`` (display name), if it is one."""
    for pattern, read in _COMPILED.get(kind, ()):
        found = pattern.fullmatch(summary)
        if found is not None:
            made = read(found, contact)
            if made is not None:
                return made
    return None


# -- the schema step ----------------------------------------------------------------------

_CHUNK = 2000
_NAMED = frozenset(("followup", "followup_added", "followup_done", "followup_moved", "updated"))
_PAGE = 50_000


def _name(given: Any, family: Any) -> str:
    return " ".join(p for p in (given or "", family or "") if p)


def _updates(
    rows: Iterator[tuple[Any, ...]], read: Callable[..., Line | None]
) -> Iterator[tuple[str, int]]:
    for rid, kind, text, given, family in rows:
        # Only lines naming a follow-up's title check it against the contact's name.
        made = read(kind, text or "", _name(given, family) if kind in _NAMED else "")
        if made is not None:
            yield made.stored(), rid


def _write(database: Any, table: str, updates: Iterator[tuple[str, int]]) -> int:
    p = database.param
    sql = f"UPDATE {table} SET message = {p} WHERE id = {p}"
    done, batch = 0, []
    for pair in updates:
        batch.append(pair)
        if len(batch) >= _CHUNK:
            database.cursor().executemany(sql, batch)
            done, batch = done + len(batch), []
    if batch:
        database.cursor().executemany(sql, batch)
        done += len(batch)
    return done


def _pages(
    database: Any, table: str, select: str, params: tuple[Any, ...]
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``select`` (``{p}``: an id range, ``{marks}``: ``params``), a page of
    ids at a time: each a walk of the table's own order, never all of them in memory."""
    p = database.param
    sql = select.format(p=p, marks=", ".join(p for _ in params))
    low, high = database.execute_sql(f"SELECT min(id), max(id) FROM {table}").fetchone()
    for start in range(int(low or 0), int(high or 0) + 1, _PAGE):
        yield database.execute_sql(sql, (start, start + _PAGE, *params)).fetchall()


def convert(database: Any) -> tuple[int, int]:
    """Give the rule-made rows of an older database their codes; ``(follow-ups, lines)``
    (the lines without params not counted: one statement each sets them)."""
    made = 0
    titles = (
        "SELECT f.id, 'followup', f.title, c.given_name, c.family_name "
        "FROM follow_up f JOIN contact c ON c.id = f.contact_id "
        "WHERE f.id >= {p} AND f.id < {p} AND f.message IS NULL"
    )
    for rows in _pages(database, "follow_up", titles, ()):
        made += _write(database, "follow_up", _updates(iter(rows), _title_of_row))
    p = database.param
    for kind, text, stored in FIXED:
        database.execute_sql(
            f"UPDATE interaction SET message = {p} "
            f"WHERE kind = {p} AND summary = {p} AND message IS NULL",
            (stored, kind, text),
        )
    # "|| ''": each page an id range of the table; with the index on kind, each page read
    # every line of these kinds (60 s of a million contacts' step, 0.7 s without it).
    history = (
        "SELECT i.id, i.kind, i.summary, c.given_name, c.family_name "
        "FROM interaction i JOIN contact c ON c.id = i.contact_id "
        "WHERE i.id >= {p} AND i.id < {p} AND i.message IS NULL AND (i.kind || '') IN ({marks})"
    )
    lines = 0
    for rows in _pages(database, "interaction", history, KINDS):
        lines += _write(database, "interaction", _updates(iter(rows), summary_line))
    return made, lines


def _title_of_row(_kind: str, title: str, contact: str) -> Line | None:
    return title_line(title, contact)
