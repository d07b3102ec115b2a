"""Five people, one per language, with birthdays, e-mails and addresses (for mail tests)."""

from __future__ import annotations

import datetime as dt

from crm.core import contacts, models, settings

PEOPLE = (
    # given, family, language, country, email, street, city, postcode, birthday
    ("Γιώργος", "Παπαδόπουλος", "el", "GR", "giorgos@example.gr", "Ερμού 12", "Αθήνα",
     "105 63", "1975-12-08"),
    ("Мария", "Иванова", "bg", "BG", "maria@example.bg", "ул. Витоша 5", "София", "1000",
     "--12-09"),
    ("سارة", "المنصوري", "ar", "AE", "sara@example.ae", "شارع الشيخ زايد 4", "دبي", "",
     "1988-12-10"),
    ("Giulia", "Bianchi", "it", "IT", "giulia@example.it", "Via Roma 3", "Milano", "20121",
     "1990-12-11"),
    ("John", "Smith", "en", "GB", "john@example.co.uk", "1 High Street", "York", "YO1 7HH",
     "1980-12-12"),
)  # fmt: skip


def make_people(consent: bool = True) -> dict[str, int]:
    """The five people; returns language -> contact id."""
    settings.update_profile(
        name="Elena Rossi", company="Rossi Consulting", email="elena@rossi.example",
        country="GR", city="Αθήνα", street="Σόλωνος 1", postcode="106 71",
    )  # fmt: skip
    out = {}
    for given, family, lang, country, email, street, city, postcode, birthday in PEOPLE:
        c = contacts.create_contact(
            contacts.ContactData(
                given_name=given, family_name=family, language=lang, country=country,
                emails=[email], street=street, city=city, postcode=postcode,
                birthday=birthday, marketing_consent=consent,
                consent_date=dt.date(2026, 1, 1) if consent else None,
            )
        )  # fmt: skip
        out[lang] = int(c.id)
    return out


def pending_letter(giver: int, referred: int) -> int:
    """A referral from ``giver`` with its pending thank-you letter; returns its id."""
    ref = models.Referral.create(giver=giver, referred=referred, referred_on=dt.date(2026, 11, 20))
    models.Reward.create(referral=ref, contact=giver, kind="thank_you_letter", status="pending")
    return int(ref.id)
