"""Demo data: a realistic, multilingual referral network to try the app on.

:func:`generate` fills an empty database with contacts in English, Greek,
Bulgarian, Italian and Arabic (native-script names, gendered family names,
local addresses, valid E.164 phone numbers), organizations, networking events
with attendance, a primary-referrer forest (a few big trees, chains up to 20
deep) with extra non-primary referrals, the status pipeline, follow-ups,
rewards, vouchers, history lines and the search index.

The content is deterministic for a seed on a given day: dates are relative to
``dt.date.today()`` so that follow-ups are current. It is fast (rows go in
with ``executemany`` in one transaction, secondary indexes are rebuilt once
at the end) and memory-conscious (contacts are made in chunks; what later
steps need about each contact is kept in compact arrays).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, Any

from crm.core import codes, models, search
from crm.core.errors import CancelledError, ValidationError
from crm.core.text import fold, tokens

if TYPE_CHECKING:
    from crm.core.db import Store

MAX_CONTACTS = 1_000_000
MAX_DEPTH = 20  # deepest primary-referrer chain the demo builds
HISTORY_DAYS = 730  # contacts and referrals spread over the past two years
EVENT_PAST_DAYS = 548  # events over the past 18 months ...
EVENT_FUTURE_DAYS = 60  # ... and the next two
CHUNK = 5_000

# Tables the demo fills in bulk: their secondary indexes are dropped for the
# load and rebuilt once at the end.
_BULK_TABLES = (
    "organization",
    "contact",
    "email_address",
    "phone_number",
    "contact_tag",
    "event",
    "attendance",
    "referral",
    "referral_status_change",
    "follow_up",
    "reward",
    "voucher",
    "interaction",
)

# -- picking ------------------------------------------------------------------


class _Weighted:
    """Items with weights, picked with one random number and a bisection."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _w in pairs]
        self.cum = list(accumulate(w for _item, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


# -- people -------------------------------------------------------------------
# Data tables are laid out by hand, a few entries a line.
# fmt: off

LANGUAGE_WEIGHTS = (("en", 30), ("el", 20), ("bg", 15), ("it", 20), ("ar", 15))
LANG_INDEX = {code: i for i, (code, _w) in enumerate(LANGUAGE_WEIGHTS)}

COUNTRIES_BY_LANGUAGE: dict[str, tuple[tuple[str, float], ...]] = {
    "en": (("GB", 50), ("US", 35), ("IE", 15)),
    "el": (("GR", 1),),
    "bg": (("BG", 1),),
    "it": (("IT", 1),),
    "ar": (("AE", 35), ("EG", 30), ("JO", 20), ("LB", 15)),
}

# Given names: (male, female) per language.
GIVEN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        (
            "James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas",
            "Daniel", "Matthew", "Andrew", "Christopher", "Joseph", "Patrick", "Liam",
            "Oliver", "Harry", "George", "Jack", "Samuel", "Benjamin", "Ethan", "Ryan",
            "Seán", "Conor", "Aidan", "Charles", "Edward", "Mark", "Paul",
        ),
        (
            "Mary", "Sarah", "Emma", "Olivia", "Emily", "Jessica", "Charlotte", "Sophie",
            "Amelia", "Grace", "Hannah", "Lucy", "Rachel", "Laura", "Rebecca", "Jennifer",
            "Elizabeth", "Megan", "Chloe", "Siobhán", "Aoife", "Niamh", "Ashley", "Madison",
            "Zoë", "Karen", "Helen", "Victoria", "Alice", "Ruth",
        ),
    ),
    "el": (
        (
            "Γιώργος", "Δημήτρης", "Κωνσταντίνος", "Νίκος", "Γιάννης", "Παναγιώτης",
            "Βασίλης", "Χρήστος", "Αθανάσιος", "Μιχάλης", "Ευάγγελος", "Σπύρος", "Αντώνης",
            "Ηλίας", "Θεόδωρος", "Σταύρος", "Αλέξανδρος", "Ανδρέας", "Πέτρος", "Άγγελος",
            "Στέλιος", "Μανώλης", "Φώτης", "Λευτέρης", "Απόστολος", "Θανάσης",
        ),
        (
            "Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Γεωργία",
            "Δήμητρα", "Κωνσταντίνα", "Ευαγγελία", "Ιωάννα", "Χριστίνα", "Παναγιώτα",
            "Άννα", "Ειρήνη", "Δέσποινα", "Αναστασία", "Φωτεινή", "Κατερίνα", "Νικολέτα",
            "Ζωή", "Ευτυχία", "Θεοδώρα", "Αλεξάνδρα", "Μυρτώ", "Χαρίκλεια",
        ),
    ),
    "bg": (
        (
            "Георги", "Иван", "Димитър", "Николай", "Петър", "Христо", "Стоян", "Тодор",
            "Александър", "Васил", "Красимир", "Стефан", "Пламен", "Младен", "Атанас",
            "Борис", "Калоян", "Мартин", "Виктор", "Йордан", "Емил", "Любомир",
        ),
        (
            "Мария", "Иванка", "Елена", "Йорданка", "Пенка", "Десислава", "Гергана",
            "Цветелина", "Радостина", "Надежда", "Милена", "Виктория", "Нели", "Теодора",
            "Силвия", "Анелия", "Вяра", "Росица", "Габриела", "Кристина", "Божана", "Зорница",
        ),
    ),
    "it": (
        (
            "Marco", "Giuseppe", "Luca", "Francesco", "Alessandro", "Andrea", "Matteo",
            "Lorenzo", "Davide", "Stefano", "Giovanni", "Paolo", "Roberto", "Antonio",
            "Niccolò", "Nicolò", "Simone", "Federico", "Riccardo", "Gabriele", "Emanuele",
            "Salvatore", "Fabrizio", "Raffaele", "Giosuè", "Pietro",
        ),
        (
            "Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Alessia",
            "Elena", "Federica", "Silvia", "Laura", "Paola", "Anna", "Maria", "Beatrice",
            "Ilaria", "Noemi", "Lucia", "Elisa", "Caterina", "Benedetta", "Arianna",
            "Rosaria", "Donatella", "Letizia", "Irene",
        ),
    ),
    "ar": (
        (
            "محمد", "أحمد", "علي", "عمر", "خالد", "يوسف", "إبراهيم", "حسن", "حسين", "محمود",
            "مصطفى", "طارق", "كريم", "سامي", "فادي", "رامي", "زياد", "عبدالله", "ماجد",
            "سعيد", "ناصر", "وليد", "هشام", "جمال",
        ),
        (
            "فاطمة", "مريم", "نور", "سارة", "ليلى", "رنا", "هدى", "ياسمين", "ريم", "دينا",
            "لينا", "منى", "هالة", "سلمى", "رشا", "نادية", "آمنة", "عائشة", "جنى", "لمى",
        ),
    ),
}

# Family names: (male form, female form).
FAMILY: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple(
        (n, n)
        for n in (
            "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
            "Thomas", "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson",
            "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke",
            "Jackson", "Turner", "Hill", "Moore", "Cooper", "Ward", "King", "Baker", "Morris",
            "Murphy", "Kelly", "O'Brien", "O'Sullivan", "Byrne", "Ryan", "Walsh", "O'Connor",
            "McCarthy", "Doyle", "Miller", "Davis", "Garcia", "Martinez", "Anderson", "Lee",
            "Clark", "Lewis", "Young", "Allen", "Scott", "Nguyen", "Patel", "Khan",
            "Fitzgerald", "Kennedy", "Campbell", "Stewart",
        )
    ),
    "el": (
        ("Παπαδόπουλος", "Παπαδοπούλου"), ("Γεωργίου", "Γεωργίου"), ("Οικονόμου", "Οικονόμου"),
        ("Παπαδάκης", "Παπαδάκη"), ("Βασιλείου", "Βασιλείου"), ("Νικολάου", "Νικολάου"),
        ("Καραγιάννης", "Καραγιάννη"), ("Παππάς", "Παππά"), ("Μακρής", "Μακρή"),
        ("Αθανασίου", "Αθανασίου"), ("Ιωάννου", "Ιωάννου"), ("Δημητρίου", "Δημητρίου"),
        ("Κωνσταντίνου", "Κωνσταντίνου"), ("Χριστοδούλου", "Χριστοδούλου"),
        ("Γεωργιάδης", "Γεωργιάδου"), ("Θεοδωρίδης", "Θεοδωρίδου"), ("Αντωνίου", "Αντωνίου"),
        ("Μαυρίδης", "Μαυρίδου"), ("Κωνσταντινίδης", "Κωνσταντινίδου"),
        ("Σταματόπουλος", "Σταματοπούλου"), ("Αναγνωστόπουλος", "Αναγνωστοπούλου"),
        ("Πετρόπουλος", "Πετροπούλου"), ("Δημόπουλος", "Δημοπούλου"),
        ("Κυριακόπουλος", "Κυριακοπούλου"), ("Παπανικολάου", "Παπανικολάου"),
        ("Λαμπρόπουλος", "Λαμπροπούλου"), ("Καλογεράκης", "Καλογεράκη"),
        ("Τσακίρης", "Τσακίρη"), ("Ζαχαρίου", "Ζαχαρίου"), ("Μπακάλης", "Μπακάλη"),
        ("Σιδηρόπουλος", "Σιδηροπούλου"), ("Χατζηδάκης", "Χατζηδάκη"),
        ("Πολυχρόνης", "Πολυχρόνη"), ("Κουτσούκος", "Κουτσούκου"),
        ("Αλεξόπουλος", "Αλεξοπούλου"), ("Ξενάκης", "Ξενάκη"),
        ("Φραγκιαδάκης", "Φραγκιαδάκη"), ("Τζαννετάκης", "Τζαννετάκη"),
        ("Ραφαηλίδης", "Ραφαηλίδου"), ("Βλάχος", "Βλάχου"),
    ),
    "bg": tuple(
        (m, m + "а")
        for m in (
            "Иванов", "Георгиев", "Димитров", "Петров", "Николов", "Христов", "Стоянов",
            "Тодоров", "Илиев", "Василев", "Атанасов", "Петков", "Ангелов", "Колев",
            "Йорданов", "Маринов", "Попов", "Стефанов", "Костов", "Михайлов", "Кирилов",
            "Цветков", "Симеонов", "Янков", "Минчев", "Павлов", "Русев", "Великов", "Добрев",
            "Каменов", "Генов", "Жеков",
        )
    ),
    "it": tuple(
        (n, n)
        for n in (
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
            "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
            "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
            "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
            "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Fabbri",
            "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala", "De Angelis",
            "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Cantù", "Pitrè", "Tomà",
            "Donà", "Bonfà",
        )
    ),
    "ar": tuple(
        (n, n)
        for n in (
            "الحسيني", "المصري", "الخطيب", "حداد", "خوري", "النجار", "العلي", "الشامي",
            "منصور", "عبد الرحمن", "صالح", "حسن", "إبراهيم", "الزعبي", "المهيري", "الكعبي",
            "السويدي", "الفلاسي", "عثمان", "فرج", "سليمان", "نصر", "عيسى", "الحايك",
            "سلامة", "جابر", "قاسم", "يونس", "الرفاعي", "المنصوري",
        )
    ),
}

# Arabic names are written in Latin letters the way their bearers do it.
ARABIC_LATIN = {
    "محمد": "Mohammed", "أحمد": "Ahmed", "علي": "Ali", "عمر": "Omar", "خالد": "Khaled",
    "يوسف": "Youssef", "إبراهيم": "Ibrahim", "حسن": "Hassan", "حسين": "Hussein",
    "محمود": "Mahmoud", "مصطفى": "Mostafa", "طارق": "Tarek", "كريم": "Karim", "سامي": "Sami",
    "فادي": "Fadi", "رامي": "Rami", "زياد": "Ziad", "عبدالله": "Abdullah", "ماجد": "Majed",
    "سعيد": "Saeed", "ناصر": "Nasser", "وليد": "Walid", "هشام": "Hisham", "جمال": "Jamal",
    "فاطمة": "Fatima", "مريم": "Mariam", "نور": "Nour", "سارة": "Sara", "ليلى": "Layla",
    "رنا": "Rana", "هدى": "Huda", "ياسمين": "Yasmin", "ريم": "Reem", "دينا": "Dina",
    "لينا": "Lina", "منى": "Mona", "هالة": "Hala", "سلمى": "Salma", "رشا": "Rasha",
    "نادية": "Nadia", "آمنة": "Amna", "عائشة": "Aisha", "جنى": "Jana", "لمى": "Lama",
    "الحسيني": "Al-Husseini", "المصري": "El-Masry", "الخطيب": "Al-Khatib", "حداد": "Haddad",
    "خوري": "Khoury", "النجار": "Al-Najjar", "العلي": "Al-Ali", "الشامي": "Al-Shami",
    "منصور": "Mansour", "عبد الرحمن": "Abdel-Rahman", "صالح": "Saleh",
    "الزعبي": "Al-Zoubi", "المهيري": "Al-Muhairi", "الكعبي": "Al-Kaabi",
    "السويدي": "Al-Suwaidi", "الفلاسي": "Al-Falasi", "عثمان": "Osman", "فرج": "Farag",
    "سليمان": "Soliman", "نصر": "Nasr", "عيسى": "Issa", "الحايك": "Al-Hayek",
    "سلامة": "Salameh", "جابر": "Jaber", "قاسم": "Kassem", "يونس": "Younes",
    "الرفاعي": "Al-Rifai", "المنصوري": "Al-Mansouri",
    "النخيل": "Al Nakheel", "الخليج": "Al Khaleej", "الأمل": "Al Amal", "النور": "Al Noor",
    "الفجر": "Al Fajr", "الرواد": "Al Rowad", "الشرق": "Al Sharq", "المستقبل": "Al Mustaqbal",
    "الواحة": "Al Waha", "اللؤلؤة": "Al Lulua", "الأفق": "Al Ofoq", "السلام": "Al Salam",
    "الياسمين": "Al Yasmin", "القمة": "Al Qimma", "الريادة": "Al Riyada",
}

# Job titles: (male, female) where the language genders them.
TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple(
        (t, t)
        for t in (
            "Managing Director", "Sales Manager", "Financial Adviser", "Architect",
            "Solicitor", "Estate Agent", "Owner", "Marketing Director", "Accountant",
            "Insurance Broker", "Office Manager", "Head of Operations", "Consultant",
            "Mortgage Adviser", "Dentist", "Graphic Designer", "IT Consultant", "Chef",
        )
    ),
    "el": (
        ("Διευθύνων Σύμβουλος", "Διευθύνουσα Σύμβουλος"), ("Λογιστής", "Λογίστρια"),
        ("Αρχιτέκτονας", "Αρχιτέκτονας"), ("Δικηγόρος", "Δικηγόρος"),
        ("Υπεύθυνος Πωλήσεων", "Υπεύθυνη Πωλήσεων"),
        ("Ασφαλιστικός Σύμβουλος", "Ασφαλιστική Σύμβουλος"),
        ("Ιδιοκτήτης", "Ιδιοκτήτρια"), ("Μεσίτης", "Μεσίτρια"),
        ("Οικονομικός Διευθυντής", "Οικονομική Διευθύντρια"),
        ("Μηχανικός", "Μηχανικός"), ("Οδοντίατρος", "Οδοντίατρος"),
        ("Σύμβουλος Επιχειρήσεων", "Σύμβουλος Επιχειρήσεων"),
    ),
    "bg": (
        ("Управител", "Управител"), ("Счетоводител", "Счетоводителка"),
        ("Търговски директор", "Търговски директор"), ("Адвокат", "Адвокат"),
        ("Архитект", "Архитект"), ("Маркетинг мениджър", "Маркетинг мениджър"),
        ("Собственик", "Собственик"), ("Застрахователен консултант", "Застрахователен консултант"),
        ("Финансов директор", "Финансов директор"),
        ("Брокер на недвижими имоти", "Брокер на недвижими имоти"),
        ("Програмист", "Програмистка"), ("Зъболекар", "Зъболекарка"),
    ),
    "it": (
        ("Amministratore delegato", "Amministratrice delegata"),
        ("Direttore commerciale", "Direttrice commerciale"), ("Avvocato", "Avvocata"),
        ("Architetto", "Architetta"), ("Commercialista", "Commercialista"),
        ("Consulente finanziario", "Consulente finanziaria"), ("Titolare", "Titolare"),
        ("Agente immobiliare", "Agente immobiliare"),
        ("Broker assicurativo", "Broker assicurativa"),
        ("Responsabile marketing", "Responsabile marketing"), ("Ingegnere", "Ingegnera"),
        ("Notaio", "Notaia"), ("Dentista", "Dentista"), ("Geometra", "Geometra"),
    ),
    "ar": (
        ("مدير عام", "مديرة عامة"), ("محاسب", "محاسبة"), ("مهندس معماري", "مهندسة معمارية"),
        ("مستشار مالي", "مستشارة مالية"), ("محامٍ", "محامية"), ("مدير مبيعات", "مديرة مبيعات"),
        ("صاحب الشركة", "صاحبة الشركة"), ("وسيط عقاري", "وسيطة عقارية"),
        ("مدير تسويق", "مديرة تسويق"), ("وسيط تأمين", "وسيطة تأمين"), ("طبيب أسنان", "طبيبة أسنان"),
    ),
}

NOTES: dict[str, tuple[str, ...]] = {
    "en": (
        "Prefers a call in the morning.",
        "Interested in pension planning for the whole team.",
        "Met at a breakfast meeting; very well connected locally.",
        "Sends a Christmas card every year.",
        "Looking for a new office next spring.",
    ),
    "el": (
        "Προτιμά τηλεφώνημα το πρωί.",
        "Ενδιαφέρεται για ασφάλιση υγείας για όλη την οικογένεια.",
        "Γνωριστήκαμε σε πρωινή συνάντηση· πολύ καλές γνωριμίες στην πόλη.",
        "Ψάχνει νέο γραφείο για την εταιρεία.",
    ),
    "bg": (
        "Предпочита да се обаждаме сутрин.",
        "Интересува се от застраховка за целия екип.",
        "Запознахме се на бизнес закуска; има много контакти.",
        "Търси нов офис в центъра.",
    ),
    "it": (
        "Preferisce essere chiamato la mattina.",
        "Interessato a una polizza sanitaria per tutta la famiglia.",
        "Conosciuto a una colazione di lavoro: ha moltissimi contatti in città.",
        "Cerca un nuovo ufficio per la primavera.",
        "Ci ha già presentato due clienti: ringraziarlo a Natale.",
    ),
    "ar": (
        "يفضّل الاتصال في الصباح.",
        "مهتم بتأمين صحي لكل أفراد العائلة.",
        "تعارفنا في لقاء فطور عمل؛ لديه علاقات واسعة.",
        "يبحث عن مكتب جديد في وسط المدينة.",
    ),
}

# -- places -------------------------------------------------------------------


def _range_code(lo: int, hi: int, width: int = 5) -> Callable[[Random], str]:
    return lambda rng: str(rng.randint(lo, hi)).zfill(width)


def _gr_code(*prefixes: str) -> Callable[[Random], str]:
    return lambda rng: f"{rng.choice(prefixes)} {rng.randrange(100):02d}"


_UK_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def _gb_code(*outward: str) -> Callable[[Random], str]:
    return lambda rng: (
        f"{rng.choice(outward)} {rng.randrange(10)}{rng.choice(_UK_INWARD)}{rng.choice(_UK_INWARD)}"
    )


_EIRCODE = "ACDEFHKNPRTVWXY0123456789"


def _ie_code(*keys: str) -> Callable[[Random], str]:
    return lambda rng: (
        f"{rng.choice(keys)} {rng.choice('ACDEFHKNPRTVWXY')}"
        + "".join(rng.choice(_EIRCODE) for _ in range(3))
    )


def _lb_code(rng: Random) -> str:
    return f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def _no_code(rng: Random) -> str:
    return ""


# A number range: (national prefix, national number length, digit groups[, allowed
# digits after the prefix]); landlines default to 2-9 after the prefix.
Phone = tuple[Any, ...]

# A city: (name, region, postcode maker, landline, genitive for titles).
City = tuple[str, str, Callable[[Random], str], Phone, str]

COUNTRY_INFO: dict[str, dict[str, Any]] = {
    "GR": {
        "cc": "30",
        "mobile": (("69" + d, 10, (3, 3, 4)) for d in "0345789"),
        "cities": (
            ("Αθήνα", "Αττική", _gr_code("105", "106", "112", "113", "114", "115", "117"),
             ("210", 10, (3, 3, 4)), "Αθηνών"),
            ("Πειραιάς", "Αττική", _gr_code("185"), ("210", 10, (3, 3, 4)), "Πειραιά"),
            ("Θεσσαλονίκη", "Κεντρική Μακεδονία", _gr_code("546", "551", "562"),
             ("2310", 10, (4, 3, 3)), "Θεσσαλονίκης"),
            ("Πάτρα", "Δυτική Ελλάδα", _gr_code("262", "263"), ("2610", 10, (4, 3, 3)), "Πατρών"),
            ("Ηράκλειο", "Κρήτη", _gr_code("712", "713"), ("2810", 10, (4, 3, 3)), "Ηρακλείου"),
            ("Λάρισα", "Θεσσαλία", _gr_code("412", "413"), ("2410", 10, (4, 3, 3)), "Λάρισας"),
            ("Βόλος", "Θεσσαλία", _gr_code("382", "383"), ("2421", 10, (4, 3, 3)), "Βόλου"),
            ("Ιωάννινα", "Ήπειρος", _gr_code("452", "453"), ("2651", 10, (4, 3, 3)), "Ιωαννίνων"),
            ("Χανιά", "Κρήτη", _gr_code("731"), ("2821", 10, (4, 3, 3)), "Χανίων"),
        ),
        "weights": (40, 8, 20, 7, 7, 5, 5, 4, 4),
        "streets": (
            "Ερμού", "Σταδίου", "Πανεπιστημίου", "Ακαδημίας", "Βασιλίσσης Σοφίας",
            "Λεωφόρος Κηφισίας", "Πατησίων", "Σόλωνος", "Μητροπόλεως", "Αθηνάς", "Τσιμισκή",
            "Εγνατίας", "Αριστοτέλους", "Αγίας Σοφίας", "Μιαούλη", "Κολοκοτρώνη",
            "Ελευθερίου Βενιζέλου", "25ης Μαρτίου", "Καραϊσκάκη", "Κανάρη", "Ηρώων Πολυτεχνείου",
        ),
        "address": "{street} {n}",
        "domains": (("gmail.com", 45), ("yahoo.gr", 15), ("otenet.gr", 12), ("hotmail.com", 15),
                    ("outlook.com", 8), ("windowslive.com", 5)),
        "tld": "gr",
    },
    "BG": {
        "cc": "359",
        "mobile": (("87", 9, (2, 3, 4)), ("88", 9, (2, 3, 4)), ("89", 9, (2, 3, 4))),
        "cities": (
            ("София", "София-град", _range_code(1000, 1799, 4), ("2", 8, (1, 3, 4)), "София"),
            ("Пловдив", "Пловдив", _range_code(4000, 4023, 4), ("32", 8, (2, 3, 3)), "Пловдив"),
            ("Варна", "Варна", _range_code(9000, 9027, 4), ("52", 8, (2, 3, 3)), "Варна"),
            ("Бургас", "Бургас", _range_code(8000, 8010, 4), ("56", 8, (2, 3, 3)), "Бургас"),
            ("Русе", "Русе", _range_code(7000, 7020, 4), ("82", 8, (2, 3, 3)), "Русе"),
            ("Стара Загора", "Стара Загора", _range_code(6000, 6010, 4), ("42", 8, (2, 3, 3)),
             "Стара Загора"),
        ),
        "weights": (50, 16, 14, 9, 6, 5),
        "streets": (
            "ул. Граф Игнатиев", "бул. Витоша", "бул. Цар Освободител", "ул. Шишман",
            "бул. Васил Левски", "ул. Раковски", "бул. България", "ул. Оборище",
            "бул. Христо Ботев", "ул. Княз Борис I", "бул. Мария Луиза", "ул. Цар Симеон",
            "бул. Сливница", "ул. Иван Вазов", "бул. Скобелев", "ул. Алеко Константинов",
        ),
        "address": "{street} {n}",
        "domains": (("abv.bg", 40), ("mail.bg", 15), ("gmail.com", 35), ("dir.bg", 5),
                    ("yahoo.com", 5)),
        "tld": "bg",
    },
    "IT": {
        "cc": "39",
        "mobile": tuple(
            (p, 10, (3, 3, 4))
            for p in ("320", "328", "329", "333", "334", "338", "339", "340", "345", "347",
                      "348", "349", "366", "380", "388", "389", "391", "392", "393")
        ),
        "cities": (
            ("Milano", "MI", _range_code(20121, 20162), ("02", 10, (2, 4, 4)), "Milano"),
            ("Roma", "RM", _range_code(118, 199), ("06", 10, (2, 4, 4), "2345789"), "Roma"),
            ("Napoli", "NA", _range_code(80121, 80147), ("081", 10, (3, 3, 4)), "Napoli"),
            ("Torino", "TO", _range_code(10121, 10156), ("011", 10, (3, 3, 4)), "Torino"),
            ("Firenze", "FI", _range_code(50121, 50145), ("055", 10, (3, 3, 4)), "Firenze"),
            ("Bologna", "BO", _range_code(40121, 40141), ("051", 10, (3, 3, 4)), "Bologna"),
            ("Venezia", "VE", _range_code(30121, 30176), ("041", 10, (3, 3, 4)), "Venezia"),
            ("Genova", "GE", _range_code(16121, 16167), ("010", 10, (3, 3, 4)), "Genova"),
            ("Bari", "BA", _range_code(70121, 70132), ("080", 10, (3, 3, 4)), "Bari"),
            ("Palermo", "PA", _range_code(90121, 90151), ("091", 10, (3, 3, 4)), "Palermo"),
            ("Forlì", "FC", _range_code(47121, 47122), ("0543", 10, (4, 3, 3)), "Forlì"),
        ),
        "weights": (24, 20, 9, 9, 8, 7, 5, 5, 5, 5, 3),
        "streets": (
            "Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele II", "Via Mazzini",
            "Via Dante Alighieri", "Piazza del Popolo", "Via Cavour", "Corso Italia",
            "Via Giuseppe Verdi", "Via della Libertà", "Viale Europa", "Via San Francesco",
            "Via Alessandro Manzoni", "Via Nazionale", "Via XX Settembre", "Piazza del Duomo",
            "Via de' Tornabuoni", "Viale Trastevere", "Via Solferino", "Largo Augusto",
        ),
        "address": "{street} {n}",
        "domains": (("gmail.com", 40), ("libero.it", 20), ("virgilio.it", 8), ("tiscali.it", 5),
                    ("alice.it", 7), ("hotmail.it", 10), ("yahoo.it", 10)),
        "tld": "it",
    },
    "GB": {
        "cc": "44",
        "mobile": tuple((p, 10, (4, 6)) for p in ("7712", "7723", "7734", "7745",
                                                    "7756", "7767", "7788", "7799", "7811",
                                                    "7825", "7890", "7912", "7931", "7968")),
        "cities": (
            ("London", "", _gb_code("EC1A", "EC2V", "SW1A", "W1D", "N1", "SE1", "E1", "WC2H"),
             ("20", 10, (2, 4, 4), "378"), "London"),
            ("Manchester", "", _gb_code("M1", "M2", "M3", "M4", "M15"), ("161", 10, (3, 3, 4)),
             "Manchester"),
            ("Birmingham", "", _gb_code("B1", "B2", "B3", "B15"), ("121", 10, (3, 3, 4), "234567"),
             "Birmingham"),
            ("Leeds", "", _gb_code("LS1", "LS2", "LS6"), ("113", 10, (3, 3, 4), "2345"), "Leeds"),
            ("Bristol", "", _gb_code("BS1", "BS2", "BS8"), ("117", 10, (3, 3, 4), "234"),
             "Bristol"),
            ("Edinburgh", "", _gb_code("EH1", "EH2", "EH3"), ("131", 10, (3, 3, 4), "2345678"),
             "Edinburgh"),
            ("Glasgow", "", _gb_code("G1", "G2", "G3"), ("141", 10, (3, 3, 4)), "Glasgow"),
        ),
        "weights": (40, 14, 12, 9, 9, 8, 8),
        "streets": (
            "High Street", "Station Road", "Church Street", "Victoria Road", "Park Lane",
            "King's Road", "Queen Street", "Mill Lane", "London Road", "Baker Street",
            "Oxford Road", "Castle Street", "Albert Square", "George Street", "Princes Street",
            "Deansgate", "Whitehall Road", "Market Place",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 35), ("outlook.com", 15), ("btinternet.com", 12),
                    ("yahoo.co.uk", 12), ("hotmail.co.uk", 14), ("icloud.com", 12)),
        "tld": "co.uk",
    },
    "US": {
        "cc": "1",
        "mobile": (),
        "cities": (
            ("New York", "NY", _range_code(10001, 10282), ("212", 10, (3, 3, 4)), "New York"),
            ("San Francisco", "CA", _range_code(94102, 94134), ("415", 10, (3, 3, 4)),
             "San Francisco"),
            ("Chicago", "IL", _range_code(60601, 60661), ("312", 10, (3, 3, 4)), "Chicago"),
            ("Boston", "MA", _range_code(2108, 2134), ("617", 10, (3, 3, 4)), "Boston"),
            ("Austin", "TX", _range_code(78701, 78759), ("512", 10, (3, 3, 4)), "Austin"),
            ("Seattle", "WA", _range_code(98101, 98199), ("206", 10, (3, 3, 4)), "Seattle"),
            ("Miami", "FL", _range_code(33125, 33199), ("305", 10, (3, 3, 4)), "Miami"),
        ),
        "weights": (30, 14, 16, 12, 10, 10, 8),
        "streets": (
            "Main Street", "Market Street", "Broadway", "5th Avenue", "Elm Street",
            "Oak Avenue", "Maple Drive", "Washington Street", "Lake Shore Drive", "Park Avenue",
            "Mission Street", "Congress Avenue", "Pine Street", "Ocean Drive", "Madison Avenue",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 40), ("yahoo.com", 15), ("outlook.com", 15), ("icloud.com", 15),
                    ("aol.com", 5), ("comcast.net", 10)),
        "tld": "com",
    },
    "IE": {
        "cc": "353",
        "mobile": tuple((p, 9, (2, 3, 4)) for p in ("83", "85", "86", "87", "89")),
        "cities": (
            ("Dublin", "Co. Dublin", _ie_code("D02", "D04", "D06", "D08", "D15", "D24"),
             ("1", 8, (1, 3, 4)), "Dublin"),
            ("Cork", "Co. Cork", _ie_code("T12", "T23"), ("21", 9, (2, 3, 4)), "Cork"),
            ("Galway", "Co. Galway", _ie_code("H91"), ("91", 8, (2, 3, 3)), "Galway"),
            ("Limerick", "Co. Limerick", _ie_code("V94"), ("61", 8, (2, 3, 3)), "Limerick"),
        ),
        "weights": (55, 20, 13, 12),
        "streets": (
            "Grafton Street", "O'Connell Street", "Dame Street", "Patrick Street", "Shop Street",
            "Main Street", "Harcourt Street", "Baggot Street", "Merrion Square", "Leeson Street",
            "Oliver Plunkett Street", "Eyre Square",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 40), ("eircom.net", 15), ("outlook.com", 15),
                    ("hotmail.com", 15), ("icloud.com", 15)),
        "tld": "ie",
    },
    "AE": {
        "cc": "971",
        "mobile": tuple((p, 9, (2, 3, 4)) for p in ("50", "52", "54", "55", "56", "58")),
        "cities": (
            ("دبي", "دبي", _no_code, ("4", 8, (1, 3, 4), "2345678"), "دبي"),
            ("أبوظبي", "أبوظبي", _no_code, ("2", 8, (1, 3, 4), "2345678"), "أبوظبي"),
            ("الشارقة", "الشارقة", _no_code, ("6", 8, (1, 3, 4), "2345678"), "الشارقة"),
        ),
        "weights": (55, 30, 15),
        "streets": (
            "شارع الشيخ زايد", "شارع الخليج", "شارع المينا", "شارع الوصل", "شارع الكورنيش",
            "شارع حمدان", "شارع الاتحاد", "شارع الجميرا",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 40), ("hotmail.com", 20), ("yahoo.com", 10), ("outlook.com", 20),
                    ("icloud.com", 10)),
        "tld": "ae",
    },
    "EG": {
        "cc": "20",
        "mobile": tuple((p, 10, (2, 4, 4)) for p in ("10", "11", "12", "15")),
        "cities": (
            ("القاهرة", "القاهرة", _range_code(11511, 11599), ("2", 9, (1, 4, 4)), "القاهرة"),
            ("الإسكندرية", "الإسكندرية", _range_code(21500, 21599), ("3", 8, (1, 3, 4)),
             "الإسكندرية"),
            ("الجيزة", "الجيزة", _range_code(12511, 12599), ("2", 9, (1, 4, 4)), "الجيزة"),
        ),
        "weights": (55, 25, 20),
        "streets": (
            "شارع التحرير", "شارع القصر العيني", "شارع جامعة الدول العربية", "شارع النيل",
            "شارع الهرم", "شارع طلعت حرب", "شارع فؤاد", "شارع جمال عبد الناصر",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 45), ("hotmail.com", 20), ("yahoo.com", 25), ("outlook.com", 10)),
        "tld": "com.eg",
    },
    "JO": {
        "cc": "962",
        "mobile": (("77", 9, (2, 3, 4), "01256789"), ("78", 9, (2, 3, 4), "01256789"),
                   ("79", 9, (2, 3, 4))),
        "cities": (
            ("عمّان", "العاصمة", _range_code(11110, 11195), None, "عمّان"),
            ("إربد", "إربد", _range_code(21110, 21199), None, "إربد"),
            ("الزرقاء", "الزرقاء", _range_code(13110, 13199), None, "الزرقاء"),
        ),
        "weights": (70, 18, 12),
        "streets": (
            "شارع الملكة رانيا", "شارع الجاردنز", "شارع مكة", "شارع المدينة المنورة",
            "شارع وصفي التل", "شارع الرينبو", "شارع الملك حسين",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 50), ("hotmail.com", 20), ("yahoo.com", 20), ("outlook.com", 10)),
        "tld": "jo",
    },
    "LB": {
        "cc": "961",
        "mobile": (("3", 7, (1, 3, 3)), ("70", 8, (2, 3, 3)), ("71", 8, (2, 3, 3)),
                   ("76", 8, (2, 3, 3), "013456789"), ("78", 8, (2, 3, 3), "789"),
                   ("81", 8, (2, 3, 3))),
        "cities": (
            ("بيروت", "بيروت", _lb_code, ("1", 7, (1, 3, 3)), "بيروت"),
            ("طرابلس", "الشمال", _lb_code, ("6", 7, (1, 3, 3)), "طرابلس"),
            ("صيدا", "الجنوب", _lb_code, ("7", 7, (1, 3, 3), "2345"), "صيدا"),
            ("جونيه", "جبل لبنان", _lb_code, ("9", 7, (1, 3, 3)), "جونيه"),
        ),
        "weights": (60, 15, 10, 15),
        "streets": (
            "شارع الحمرا", "شارع بلس", "شارع الجميزة", "شارع فردان", "شارع مار الياس",
            "شارع الأشرفية", "شارع الكورنيش",
        ),
        "address": "{n} {street}",
        "domains": (("gmail.com", 45), ("hotmail.com", 25), ("yahoo.com", 15), ("outlook.com", 15)),
        "tld": "com.lb",
    },
}
# Mobile numbers in the US look like landlines: area codes of the demo's cities.
US_AREA_CODES = ("212", "646", "917", "415", "628", "312", "773", "617", "857", "512", "206",
                 "305", "786")

for _info in COUNTRY_INFO.values():
    _info["mobile"] = tuple(_info["mobile"])

TAGS: tuple[tuple[str, str | None, float], ...] = (
    # (name, language it belongs to or None for any, weight)
    ("VIP", None, 6), ("BNI", None, 8), ("Rotary", None, 4), ("Lions Club", None, 3),
    ("Newsletter", None, 10), ("Golf", None, 3), ("Speaker", None, 2), ("Investor", None, 2),
    ("Board member", "en", 3), ("Christmas card", "en", 4), ("Real estate", "en", 3),
    ("Θεσσαλονίκη", "el", 4), ("Κρήτη", "el", 3), ("Εθελοντής", "el", 2),
    ("Приятел", "bg", 3), ("Варна", "bg", 3), ("Голф клуб", "bg", 2),
    ("Clienti storici", "it", 4), ("Cena di Natale", "it", 3), ("Confcommercio", "it", 3),
    ("عميل مميز", "ar", 4), ("شريك", "ar", 3), ("معرض دبي", "ar", 2),
)

# -- organizations and events ---------------------------------------------------

ORG_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "a": (
            "Northbridge", "Oakfield", "Silverline", "Bluewater", "Redwood", "Kingsway",
            "Harbourside", "Summit", "Brightside", "Greenleaf", "Ironbridge", "Westgate",
            "Riverside", "Highland", "Beacon", "Cornerstone", "Evergreen", "Lighthouse",
            "Parkview", "Stonebridge", "Ashford", "Bramley", "Crescent", "Elmstead",
        ),
        "b": (
            "Consulting", "Financial Planning", "Properties", "Media", "Logistics", "Design",
            "Legal", "Insurance", "Dental Care", "Architects", "Accountants",
            "Wealth Management", "Recruitment", "Marketing", "IT Solutions", "Interiors",
            "Catering", "Print", "Travel", "Fitness",
        ),
        "firm": ("Solicitors", "Accountants", "Architects", "Associates", "Partners"),
    },
    "el": {
        "a": (
            "Αιγαίο", "Όλυμπος", "Ερμής", "Αθηνά", "Ποσειδών", "Κρήτη", "Μακεδονία", "Ιόνιο",
            "Πήγασος", "Ίκαρος", "Αστέρας", "Δέλτα", "Πρόοδος", "Αρμονία", "Αρκαδία",
            "Ωκεανός", "Φάρος", "Κυκλάδες",
        ),
        "b": (
            "Συμβουλευτική", "Ασφαλιστική", "Κατασκευαστική", "Τεχνική", "Ακίνητα",
            "Λογιστική", "Εμπορική", "Πληροφορική", "Τουριστική", "Διαφημιστική",
        ),
        "suffix": ("Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε.", "Ο.Ε."),
    },
    "bg": {
        "a": (
            "Балкан", "Витоша", "Родопи", "Тракия", "Дунав", "Пирин", "Рила", "Черно море",
            "Сердика", "Мусала", "Янтра", "Странджа", "Шипка", "Искър", "Марица", "Огняново",
        ),
        "b": (
            "Консулт", "Инвест", "Строй", "Трейд", "Логистик", "Софт", "Медия", "Имоти",
            "Застраховане", "Дизайн",
        ),
        "suffix": ("ЕООД", "ООД", "АД", "ЕТ"),
    },
    "it": {
        "a": (
            "Immobiliare", "Costruzioni", "Consulenze", "Assicurazioni", "Logistica",
            "Studio Grafico", "Informatica", "Arredamenti", "Trasporti", "Servizi Finanziari",
            "Impianti", "Edilizia", "Ristorazione",
        ),
        "b": (
            "Lombarda", "Adriatica", "Tirrenica", "Ligure", "Etrusca", "Dolomiti",
            "del Vesuvio", "Romana", "Toscana", "Emiliana", "Veneta", "del Sud", "Italiana",
            "Mediterranea", "Alpina", "Sabauda",
        ),
        "suffix": ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "S.r.l.s."),
    },
    "ar": {
        "a": (
            "النخيل", "الخليج", "الأمل", "النور", "الفجر", "الرواد", "الشرق", "المستقبل",
            "الواحة", "اللؤلؤة", "الأفق", "السلام", "الياسمين", "القمة", "الريادة",
        ),
        "b": (
            "للتجارة العامة", "للاستشارات", "للعقارات", "للتأمين", "للمقاولات", "للتسويق",
            "للتقنية", "للسياحة والسفر", "للخدمات المالية", "للتصميم",
        ),
        "prefix": ("شركة", "مجموعة", "مؤسسة"),
    },
}

COMMUNITY_PARTNERS: dict[str, tuple[str, ...]] = {
    "en": ("Hope Food Bank", "Riverside Children's Trust", "Second Chance Foundation",
           "Open Doors Shelter", "Green Streets Charity", "Literacy for All"),
    "el": ("Σύλλογος Φίλων του Παιδιού", "Τράπεζα Τροφίμων", "Κοινωνικό Φροντιστήριο",
           "Σύλλογος Εθελοντών Αιμοδοτών", "Φιλοζωική Εταιρεία"),
    "bg": ("Фондация „Светлина“", "Сдружение „Деца на Родопите“", "Фондация „Хранителна банка“",
           "Сдружение „Зелена София“", "Фондация „Шанс“"),
    "it": ("Associazione Amici del Cuore ETS", "Fondazione Sorriso ONLUS",
           "Banco Alimentare Locale",
           "Associazione Mani Tese", "Fondazione Futuro Insieme"),
    "ar": ("جمعية الأمل الخيرية", "مؤسسة النور للأيتام", "بنك الطعام", "جمعية أصدقاء البيئة",
           "مؤسسة غدٍ أفضل"),
}

EVENT_KIND_WEIGHTS = (
    ("chamber_of_commerce", 20), ("business_association", 18), ("chapter_meeting", 30),
    ("conference", 8), ("mixer", 18), ("one_to_one", 6),
)

# Titles per language and kind; {city} is the city (genitive in Greek), {chapter} a chapter name.
EVENT_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "chamber_of_commerce": ("{city} Chamber of Commerce Networking Evening",
                                "{city} Chamber Business After Hours"),
        "business_association": ("{city} Business Association Lunch",
                                 "Small Business Federation {city} Meet-up"),
        "chapter_meeting": ("BNI {chapter} Chapter Breakfast", "BNI {chapter} Weekly Meeting"),
        "conference": ("{city} Growth Summit {year}", "Referral Marketing Conference {year}"),
        "mixer": ("Spring Business Mixer", "Summer Networking Drinks", "Winter Networking Mixer"),
        "one_to_one": ("One-to-one coffee", "One-to-one lunch"),
    },
    "el": {
        "chamber_of_commerce": ("Βραδιά Δικτύωσης Επιμελητηρίου {city}",
                                "Επιχειρηματική Συνάντηση Επιμελητηρίου {city}"),
        "business_association": ("Συνάντηση Συνδέσμου Επιχειρήσεων {city}",),
        "chapter_meeting": ("Πρωινή Συνάντηση BNI {chapter}",),
        "conference": ("Συνέδριο Επιχειρηματικότητας {year}", "Φόρουμ Ανάπτυξης {city} {year}"),
        "mixer": ("Κοκτέιλ Δικτύωσης", "Καλοκαιρινή Βραδιά Δικτύωσης"),
        "one_to_one": ("Συνάντηση γνωριμίας (one-to-one)",),
    },
    "bg": {
        "chamber_of_commerce": ("Бизнес вечер на Търговско-промишлената палата – {city}",),
        "business_association": ("Среща на Асоциацията на предприемачите – {city}",),
        "chapter_meeting": ("БНИ {chapter} – бизнес закуска",),
        "conference": ("Бизнес форум {city} {year}",
                       "Конференция за препоръчителен маркетинг {year}"),
        "mixer": ("Нетуъркинг коктейл", "Лятно бизнес парти"),
        "one_to_one": ("Среща едно към едно",),
    },
    "it": {
        "chamber_of_commerce": ("Aperitivo di networking – Camera di Commercio di {city}",
                                "Serata imprese – Camera di Commercio di {city}"),
        "business_association": ("Pranzo dell'Associazione Imprenditori di {city}",),
        "chapter_meeting": ("BNI {chapter} – colazione del capitolo",),
        "conference": ("Forum dell'Impresa {city} {year}", "Convegno sul passaparola {year}"),
        "mixer": ("Happy hour di networking", "Aperitivo d'estate tra imprenditori"),
        "one_to_one": ("Caffè one-to-one",),
    },
    "ar": {
        "chamber_of_commerce": ("أمسية تواصل - غرفة تجارة {city}",),
        "business_association": ("لقاء جمعية رجال الأعمال - {city}",),
        "chapter_meeting": ("إفطار فرع BNI {chapter}",),
        "conference": ("منتدى ريادة الأعمال {year}", "مؤتمر التسويق بالتوصية {year}"),
        "mixer": ("لقاء تعارف لرجال الأعمال", "أمسية تواصل مهني"),
        "one_to_one": ("لقاء ثنائي",),
    },
}
CHAPTERS = {
    "en": ("Thames", "Liberty", "Shamrock", "Pioneer", "Harbour", "Phoenix"),
    "el": ("Ακρόπολις", "Αιγαίο", "Λευκός Πύργος", "Μινώταυρος"),
    "bg": ("Витоша", "Тракия", "Черно море", "Сердика"),
    "it": ("Leonardo", "Duomo", "Colosseo", "Vesuvio", "Rinascimento"),
    "ar": ("النخبة", "الرواد", "المستقبل"),
}
VENUES = {
    "en": ("The Grand Hotel", "The Guildhall", "The Royal Exchange", "Riverside Conference Centre",
           "The Ivy Rooms", "Marriott Hotel", "Chamber House"),
    "el": ("Ξενοδοχείο Μεγάλη Βρεταννία", "Electra Palace", "Μέγαρο Μουσικής", "Ξενοδοχείο Καψής",
           "Κέντρο Πολιτισμού", "Ξενοδοχείο Μακεδονία Παλλάς"),
    "bg": ("Хотел „Маринела“", "Гранд хотел „София“", "НДК", "Хотел „Рила“",
           "Бизнес център „Сердика“"),
    "it": ("Palazzo delle Stelline", "Grand Hotel Villa Medici", "Palazzo Mezzanotte",
           "Hotel Principe di Savoia", "Camera di Commercio – Sala Conferenze", "Terrazza Aperol"),
    "ar": ("فندق الريتز كارلتون", "مركز المعارض الدولي", "فندق فورسيزونز", "قاعة غرفة التجارة",
           "فندق هيلتون"),
}
ORGANIZERS = {
    "en": ("Chamber of Commerce", "BNI", "Federation of Small Businesses",
           "Local Business Network"),
    "el": ("Εμπορικό Επιμελητήριο", "BNI Ελλάδας", "Σύνδεσμος Επιχειρήσεων"),
    "bg": ("Търговско-промишлена палата", "БНИ България", "Асоциация на предприемачите"),
    "it": ("Camera di Commercio", "BNI Italia", "Confcommercio", "Associazione Imprenditori"),
    "ar": ("غرفة التجارة والصناعة", "BNI", "جمعية رجال الأعمال"),
}
EVENT_HOURS = {
    "chamber_of_commerce": (18, 30), "business_association": (13, 0),
    "chapter_meeting": (7, 0), "conference": (9, 0), "mixer": (19, 0), "one_to_one": (10, 30),
}

PROFILES = (
    {
        "name": "Giulia Ferraro", "company": "Ferraro Consulenze Assicurative S.r.l.",
        "street": "Via Solferino 22", "city": "Milano", "postcode": "20121", "country": "IT",
        "email": "giulia@ferraroconsulenze.it", "phone": "+39 02 8645 1290",
        "default_region": "IT", "language": "it",
    },
    {
        "name": "Ελένη Παπαδοπούλου", "company": "Παπαδοπούλου Ασφαλιστική Ι.Κ.Ε.",
        "street": "Βασιλίσσης Σοφίας 48", "city": "Αθήνα", "postcode": "115 28", "country": "GR",
        "email": "eleni@papadopoulou-asfalistiki.gr", "phone": "+30 210 724 3810",
        "default_region": "GR", "language": "el",
    },
)

# -- transliteration ------------------------------------------------------------

_GREEK_PAIRS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("γκ", "gk"),
                ("τζ", "tz"), ("μπ", "b"), ("ντ", "nt"))
_GREEK = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
})
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
})
# fmt: on
_latin_cache: dict[str, str] = {}


def latin(text: str) -> str:
    """``text`` in lower-case ASCII letters and digits, as an email's local part has it."""
    cached = _latin_cache.get(text)
    if cached is not None:
        return cached
    if text in ARABIC_LATIN:
        out = fold(ARABIC_LATIN[text])
    elif any(word in ARABIC_LATIN for word in text.split()):
        out = fold(" ".join(ARABIC_LATIN.get(w, "") for w in text.split()))
    else:
        out = fold(text)
        if out.startswith("μπ"):
            out = "b" + out[2:]
        elif out.startswith("ντ"):
            out = "d" + out[2:]
        for greek, roman in _GREEK_PAIRS:
            out = out.replace(greek, roman)
        out = out.translate(_GREEK).translate(_CYRILLIC)
    out = "".join(ch for ch in out if ch.isascii() and ch.isalnum())
    _latin_cache[text] = out
    return out


# -- the generator ----------------------------------------------------------------

_ASCII_TOKEN = re.compile(r"[a-z0-9]+")


def _ts(day: str, seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{day} {h:02d}:{m:02d}:{s:02d}"


def _group(digits: str, groups: Sequence[int], sep: str = " ") -> str:
    out, pos = [], 0
    for size in groups:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(out)


class _Generator:
    def __init__(self, conn: Any, rng: Random, contacts: int, today: dt.date) -> None:
        self.conn = conn
        self.rng = rng
        self.n = contacts
        self.today = today
        start = today - dt.timedelta(days=HISTORY_DAYS)
        self.T = HISTORY_DAYS  # index of today in self.days
        self.days = [
            (start + dt.timedelta(days=d)).isoformat()
            for d in range(HISTORY_DAYS + EVENT_FUTURE_DAYS + 400)
        ]
        self.start = start
        # Compact per-contact state (index = contact id - base + 1).
        n1 = contacts + 1
        self.parent = array("i", bytes(4 * n1))
        self.depth = bytearray(n1)
        self.name_code = array("I", bytes(4 * n1))
        self.given_count = array("I", bytes(4 * n1))  # referrals given (primary + extra)
        self.lang_ids: list[array[int]] = [array("i") for _ in LANGUAGE_WEIGHTS]
        self.urn = array("i")
        self.chain_tips = [0, 0]
        # Emails and phone numbers already used: one bit per 27-bit hash, so a
        # new one is certainly new (a false alarm only adds a digit).
        self.used = bytearray(1 << 24)
        self.voucher_codes: set[str] = set()
        self.fold_cache: dict[str, str] = {}
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "contacts",
                "organizations",
                "events",
                "attendances",
                "referrals",
                "followups",
                "rewards",
                "vouchers",
                "interactions",
            ),
            0,
        )
        self.forced: dict[int, list[tuple[int, str]]] = {}  # event id -> (contact, role)
        self._pickers()

    # -- set-up ---------------------------------------------------------------

    def _pickers(self) -> None:
        W = _Weighted
        # fmt: off
        self.language = W(LANGUAGE_WEIGHTS)
        self.country = {lang: W(pairs) for lang, pairs in COUNTRIES_BY_LANGUAGE.items()}
        self.city = {
            code: W(list(zip(info["cities"], info["weights"], strict=True)))
            for code, info in COUNTRY_INFO.items()
        }
        self.domain = {code: W(info["domains"]) for code, info in COUNTRY_INFO.items()}
        self.root_channel = W((("event", 35), ("website", 20), ("social", 15),
                               ("online_review", 10), ("press", 5), ("influencer", 5),
                               ("other", 10)))
        self.referred_channel = W((("referral", 85), ("event", 10), ("social", 3), ("other", 2)))
        self.open_stage = W((("prospect", 45), ("lead", 40), ("customer", 10), ("inactive", 5)))
        self.root_stage = W((("prospect", 30), ("lead", 25), ("customer", 30),
                             ("ambassador", 8), ("inactive", 7)))
        self.program = W((("direct", 55), ("implicit", 20), ("tangible", 10), ("community", 15)))
        self.temperature = W(((1, 5), (2, 15), (3, 35), (4, 30), (5, 15)))
        self.status_by_age = (
            (3, W((("new", 70), ("contacted", 30)))),
            (14, W((("new", 20), ("contacted", 40), ("meeting", 25), ("proposal", 10),
                    ("lost", 5)))),
            (60, W((("new", 5), ("contacted", 15), ("meeting", 20), ("proposal", 20),
                    ("won", 25), ("lost", 15)))),
            (10**9, W((("new", 2), ("contacted", 5), ("meeting", 5), ("proposal", 8),
                       ("won", 48), ("lost", 32)))),
        )
        self.reward_kind = W((("thank_you_letter", 35), ("gift", 20), ("discount", 15),
                              ("cash", 8), ("points", 7), ("voucher", 10), ("donation", 5)))
        self.followup_kind = W((("call", 30), ("email", 20), ("meeting", 15),
                                ("ask_referral", 15), ("thank_you", 10), ("stay_in_touch", 10)))
        self.event_kind_picker = W(EVENT_KIND_WEIGHTS)
        self.tags_by_lang = {
            lang: W([(name, w) for name, tl, w in TAGS if tl in (None, lang)])
            for lang, _w in LANGUAGE_WEIGHTS
        }
        # fmt: on

    def phone(self, country: str, landline: Phone | None = None) -> tuple[str, str]:
        """A fresh valid number of ``country``: (E.164, as displayed)."""
        rng = self.rng
        info = COUNTRY_INFO[country]
        cc = info["cc"]
        for _attempt in range(50):
            if country == "US":
                area = landline[0] if landline else rng.choice(US_AREA_CODES)
                exchange = rng.randrange(201, 1000)
                if exchange % 100 == 11 or exchange == 555:
                    continue
                nsn = f"{area}{exchange}{rng.randrange(10000):04d}"
                display = f"+1 {_group(nsn, (3, 3, 4), '-')}"
            else:
                spec = landline or rng.choice(info["mobile"])
                prefix, length, groups = spec[:3]
                rest = length - len(prefix)
                # Subscriber numbers of landlines do not start with 0 or 1.
                firsts = spec[3] if len(spec) > 3 else "23456789" if landline else "0123456789"
                first = firsts[rng.randrange(len(firsts))]
                nsn = f"{prefix}{first}{rng.randrange(10 ** (rest - 1)):0{rest - 1}d}"
                display = f"+{cc} {_group(nsn, groups)}"
            e164 = f"+{cc}{nsn}"
            if self._fresh(e164):
                return e164, display
        return e164, display

    def _fresh(self, key: str) -> bool:
        h = zlib.crc32(key.encode()) & 0x7FFFFFF
        byte, bit = h >> 3, 1 << (h & 7)
        if self.used[byte] & bit:
            return False
        self.used[byte] |= bit
        return True

    def email(self, given: str, family: str, domain: str, year: int | None) -> str:
        rng = self.rng
        g, f = latin(given), latin(family)
        if not g or not f:
            g, f = g or "info", f or "contact"
        style = rng.random()
        if style < 0.35:
            local = f"{g}.{f}"
        elif style < 0.5:
            local = f"{g[0]}{f}"
        elif style < 0.6:
            local = f"{g}{f}"
        elif style < 0.7:
            local = f"{f}.{g}"
        elif style < 0.8:
            local = f"{g}_{f}"
        elif style < 0.9 and year:
            local = f"{g}.{f}{year % 100:02d}"
        else:
            local = f"{g}.{f[0]}"
        address = f"{local}@{domain}"
        digits = 1
        while not self._fresh(address):
            address = f"{local}{rng.randrange(10**digits)}@{domain}"
            digits = min(digits + 1, 6)
        return address

    def document(
        self, given: str, family: str, org: str, emails: list[str], phones: list[str], city: str
    ) -> str:
        """What :func:`search.document` makes of a contact, with names folded once.

        Folding text is the costly part and names come from small pools, so the
        folded words of each name, organization and city are cached; emails are
        ASCII and phone numbers digits. ``tests/test_demo.py`` checks that the
        result equals :func:`search.document`'s for every demo contact.
        """
        cache = self.fold_cache
        parts = []
        for text in (given, family, org, city):
            if text:
                words = cache.get(text)
                if words is None:
                    words = cache[text] = " ".join(tokens(text))
                if words:
                    parts.append(words)
        for address in emails:
            parts.append(" ".join(_ASCII_TOKEN.findall(address.lower())))
        for number in phones:  # E.164: "+" and digits
            digits = number[1:]
            parts.append(digits)
            if len(digits) > 8:
                parts.extend((digits[1:], digits[2:], digits[3:]))
        return " ".join(parts)

    # -- organizations ----------------------------------------------------------

    def organizations(self, count: int, base_id: int) -> None:
        rng = self.rng
        taken = {r[0] for r in self.conn.execute("SELECT name_folded FROM organization")}
        partners = min(max(5, count // 100), 60)
        domains: set[str] = set()
        rows = []
        self.org_name: dict[int, str] = {}
        self.org_domain: dict[int, str] = {}
        self.org_city: dict[int, tuple[str, City]] = {}
        self.org_ids: list[list[int]] = [[] for _ in LANGUAGE_WEIGHTS]
        langs = [code for code, _w in LANGUAGE_WEIGHTS]
        for k in range(count):
            oid = base_id + k
            # The first partners are one per language, so each language has some.
            lang = langs[k % 5] if k < partners else self.language.pick(rng)
            country = self.country[lang].pick(rng)
            city = self.city[country].pick(rng)
            kind = "community_partner" if k < partners else "company"
            name, core = self._org_name(lang, country, city, kind, taken)
            tld = COUNTRY_INFO[country]["tld"]
            slug = latin(core)[:30] or f"org{oid}"
            tld = "org" if kind == "community_partner" else tld
            domain = f"{slug}.{tld}"
            if domain in domains:
                domain = f"{slug}{latin(city[0])[:12]}.{tld}"
                while domain in domains:
                    domain = f"{slug}{rng.randrange(2, 1000)}.{tld}"
            domains.add(domain)
            day = rng.randrange(self.T)
            stamp = _ts(self.days[day], rng.randrange(28800, 64800))
            notes = "Community partner of our referral program" if kind != "company" else ""
            rows.append(
                (oid, stamp, stamp, name, fold(name), kind, f"https://www.{domain}", city[0], notes)
            )
            self.org_name[oid] = name
            self.org_domain[oid] = domain
            self.org_city[oid] = (country, city)
            self.org_ids[LANG_INDEX[lang]].append(oid)
        self.conn.executemany(
            "INSERT INTO organization (id, created_at, updated_at, name, name_folded, kind, "
            "website, city, notes) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.counts["organizations"] = count

    def _org_name(
        self, lang: str, country: str, city: City, kind: str, taken: set[str]
    ) -> tuple[str, str]:
        """A name no organization has yet (ignoring case and accents), and its core words."""
        rng = self.rng
        name = core = ""
        for attempt in range(40):
            if kind == "community_partner":
                core = rng.choice(COMMUNITY_PARTNERS[lang])
                name = core if attempt < 3 else f"{core} – {city[0]}"
            else:
                name, core = self._org_candidate(lang, country)
                if attempt >= 20:  # a branch: "... (Leeds)"
                    name = f"{name} ({city[0]})"
            if attempt >= 30:
                name = f"{name} {rng.randrange(2, 100)}"
            key = fold(name)
            if key not in taken:
                break
        else:  # pragma: no cover - the name space is far larger than needed
            name = f"{name} {len(taken)}"
            key = fold(name)
        taken.add(key)
        return name, core

    def _org_candidate(self, lang: str, country: str) -> tuple[str, str]:
        """A company name in the language's usual styles, and the words its domain uses."""
        rng = self.rng
        words = ORG_WORDS[lang]
        families = FAMILY[lang]
        surname = rng.choice(families)[0]
        style = rng.random()
        if lang == "en":
            suffixes = {
                "GB": ("Ltd", "LLP", "Ltd"),
                "US": ("Inc.", "LLC", "Group"),
                "IE": ("Ltd", "Ltd", "Group"),
            }[country]
            if style < 0.3:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {rng.choice(suffixes)}", core
            if style < 0.45:
                given = rng.choice(GIVEN["en"][rng.randrange(2)])
                core = f"{given} {surname} {rng.choice(words['b'])}"
                return core, core
            if style < 0.7:
                other = rng.choice(families)[0]
                if other == surname:
                    return f"{surname} & Sons {rng.choice(suffixes)}", surname
                return f"{surname} & {other} {rng.choice(words['firm'])}", f"{surname} {other}"
            core = f"{surname} {rng.choice(words['b'])}"
            return f"{core} {rng.choice(suffixes)}", core
        if lang == "it":
            suffix_it = rng.choice(words["suffix"])
            if style < 0.2:
                # A sole trader: "Costruzioni di Rossi Marco".
                given = rng.choice(GIVEN["it"][rng.randrange(2)])
                activity = rng.choice(words["a"])
                return f"{activity} di {surname} {given}", f"{activity} {surname}"
            if style < 0.45:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {suffix_it}", core
            if style < 0.6:
                core = f"{surname} {rng.choice(words['a'])}"
                return f"{core} {suffix_it}", core
            if style < 0.75:
                return f"{surname} & Figli {suffix_it}", surname
            if style < 0.85:
                given = rng.choice(GIVEN["it"][rng.randrange(2)])
                return f"Studio {given} {surname}", f"studio {surname}"
            other = rng.choice(families)[0]
            return f"Studio Associato {surname} & {other}", f"{surname} {other}"
        if lang == "el":
            suffix_el = rng.choice(words["suffix"])
            if style < 0.45:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {suffix_el}", core
            initial = rng.choice("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΦΧ")
            if style < 0.75:
                core = f"{surname} {rng.choice(words['b'])}"
                return f"{initial}. {core} {suffix_el}", core
            return f"{initial}. {surname} & ΣΙΑ Ο.Ε.", surname
        if lang == "bg":
            suffix_bg = rng.choice(words["suffix"][:3])
            if style < 0.4:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
            elif style < 0.8:
                core = f"{surname} {rng.choice(words['b'])}"
            else:
                given = rng.choice(GIVEN["bg"][0])
                core = f"{given} {surname}"
                return f"ЕТ „{core} – {rng.randrange(60, 100)}“", core
            if rng.random() < 0.5:
                return f"„{core}“ {suffix_bg}", core
            return f"{core} {suffix_bg}", core
        # ar
        prefix = rng.choice(words["prefix"])
        activity = rng.choice(words["b"])
        if style < 0.4:
            core = rng.choice(words["a"])
        elif style < 0.7:
            core = surname
        else:
            core = f"{rng.choice(GIVEN['ar'][0])} {surname}"
        return f"{prefix} {core} {activity}", core

    # -- events -------------------------------------------------------------------

    def events(self, count: int, base_id: int) -> None:
        rng = self.rng
        first = self.T - EVENT_PAST_DAYS
        span = EVENT_PAST_DAYS + EVENT_FUTURE_DAYS
        # Chronological ids: spread evenly with a little jitter.
        days = sorted(
            first + min(span, int((k + rng.random()) * span / count)) for k in range(count)
        )
        rows = []
        self.event_day: list[int] = []
        self.event_lang: list[int] = []
        self.event_kind: list[str] = []
        self.event_title: list[str] = []
        # Per language: the days of its events and their ids, in date order.
        self.events_by_lang: list[tuple[list[int], list[int]]] = [
            ([], []) for _ in LANGUAGE_WEIGHTS
        ]
        for k, day in enumerate(days):
            eid = base_id + k
            lang = self.language.pick(rng)
            country = self.country[lang].pick(rng)
            city = self.city[country].pick(rng)
            kind = self.event_kind_picker.pick(rng)
            year = (self.start + dt.timedelta(days=day)).year
            title = rng.choice(EVENT_TITLES[lang][kind]).format(
                city=city[4], chapter=rng.choice(CHAPTERS[lang]), year=year
            )
            hour, minute = EVENT_HOURS[kind]
            starts = _ts(self.days[day], hour * 3600 + minute * 60)
            created_day = min(self.T - 1, max(0, day - rng.randint(7, 40)))
            created = _ts(self.days[created_day], rng.randrange(32400, 64800))
            organizer = rng.choice(ORGANIZERS[lang])
            if kind == "chapter_meeting" and "BNI" not in organizer and "БНИ" not in organizer:
                organizer = "BNI"
            rows.append(
                (
                    eid,
                    created,
                    created,
                    title,
                    kind,
                    starts,
                    rng.choice(VENUES[lang]),
                    city[0],
                    organizer,
                    "",
                )
            )
            li = LANG_INDEX[lang]
            self.event_day.append(day)
            self.event_lang.append(li)
            self.event_kind.append(kind)
            self.event_title.append(title)
            if kind != "one_to_one":  # where people are met and referrals passed on
                self.events_by_lang[li][0].append(day)
                self.events_by_lang[li][1].append(eid)
        self.event_base = base_id
        self.conn.executemany(
            "INSERT INTO event (id, created_at, updated_at, title, kind, starts_at, venue, city, "
            "organizer, notes) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.counts["events"] = count

    def _event_before(self, li: int, day: int) -> int | None:
        """A past group event of the language in the 60 days up to ``day``, or None."""
        days, ids = self.events_by_lang[li]
        hi = bisect_right(days, day)
        lo = bisect_left(days, day - 60)
        if hi <= lo:
            return None
        eid = ids[self.rng.randrange(lo, hi)]
        # Keep events to a plausible size (the first referrals fill them).
        return eid if len(self.forced.get(eid, ())) < 30 else None

    # -- contacts, referrals and what comes with them ---------------------------

    def name(self, cid: int) -> str:
        code = self.name_code[cid - self.contact_base + 1]
        li, g, gi, fi = code >> 20, (code >> 19) & 1, (code >> 10) & 0x1FF, code & 0x3FF
        lang = LANGUAGE_WEIGHTS[li][0]
        return f"{GIVEN[lang][g][gi]} {FAMILY[lang][fi][g]}"

    def contacts(self, base: dict[str, int], tag_ids: dict[str, int], progress: Any) -> None:
        self.contact_base = base["contact"]
        self.ids = dict(base)
        for start in range(0, self.n, CHUNK):
            self._chunk(start, min(self.n, start + CHUNK), tag_ids)
            progress(min(self.n, start + CHUNK))

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _chunk(self, lo: int, hi: int, tag_ids: dict[str, int]) -> None:
        rng = self.rng
        rand = rng.random
        randrange = rng.randrange
        days = self.days
        T = self.T
        n = self.n
        cbase = self.contact_base - 1  # id = cbase + index (index from 1)
        parent, depth, urn = self.parent, self.depth, self.urn
        contacts_rows: list[tuple[Any, ...]] = []
        email_rows: list[tuple[Any, ...]] = []
        phone_rows: list[tuple[Any, ...]] = []
        tag_rows: list[tuple[int, int]] = []
        fts_rows: list[tuple[int, str]] = []
        self.ref_rows: list[tuple[Any, ...]] = []
        self.change_rows: list[tuple[Any, ...]] = []
        self.followup_rows: list[tuple[Any, ...]] = []
        self.reward_rows: list[tuple[Any, ...]] = []
        self.voucher_rows: list[tuple[Any, ...]] = []
        self.interaction_rows: list[tuple[Any, ...]] = []
        inter = self.interaction_rows
        for idx in range(lo + 1, hi + 1):
            cid = cbase + idx
            day = (idx - 1) * HISTORY_DAYS // n
            created = _ts(days[day], randrange(28800, 72000))
            lang = self.language.pick(rng)
            li = LANG_INDEX[lang]
            country = self.country[lang].pick(rng)
            info = COUNTRY_INFO[country]
            g = 1 if rand() < 0.5 else 0
            givens = GIVEN[lang][g]
            gi = randrange(len(givens))
            fi = randrange(len(FAMILY[lang]))
            given = givens[gi]
            family = FAMILY[lang][fi][g]
            self.name_code[idx] = (li << 20) | (g << 19) | (gi << 10) | fi
            display = f"{given} {family}"
            self.lang_ids[li].append(cid)

            # Organization and place.
            org_id = None
            org_list = self.org_ids[li]
            if org_list and rand() < 0.7:
                org_id = org_list[int(len(org_list) * rand() ** 1.6)]
                org_country, org_city = self.org_city[org_id]
                if org_country == country and rand() < 0.7:
                    city = org_city
                else:
                    city = self.city[country].pick(rng)
            else:
                city = self.city[country].pick(rng)
            street = info["address"].format(street=rng.choice(info["streets"]), n=randrange(1, 180))
            postcode = city[2](rng)
            title = rng.choice(TITLES[lang])[g] if rand() < 0.8 else ""

            # Birthday for ~60%: some without the year.
            birthday = None
            year = None
            if rand() < 0.6:
                month, mday = randrange(1, 13), randrange(1, 29)
                if rand() < 0.25:
                    birthday = f"--{month:02d}-{mday:02d}"
                else:
                    year = randrange(1952, 2003)
                    birthday = f"{year}-{month:02d}-{mday:02d}"
                if rand() < 0.3:
                    self._birthday_followup(cid, display, month, mday)

            # Emails: most one, some two (often one at work), some none.
            emails: list[str] = []
            r = rand()
            if r < 0.88:
                emails.append(self.email(given, family, self.domain[country].pick(rng), year))
                if r < 0.16:
                    if org_id is not None:
                        emails.append(self.email(given, family, self.org_domain[org_id], None))
                    else:
                        domain = self.domain[country].pick(rng)
                        emails.append(self.email(given, family, domain, year))
            # Phones: most a mobile, some also a landline.
            phones: list[tuple[str, str]] = []
            r = rand()
            if r < 0.85:
                phones.append(self.phone(country))
                if r < 0.2:
                    phones.append(self.phone(country, city[3]))
            elif r < 0.93:
                phones.append(self.phone(country, city[3]))

            # The primary referrer: an earlier contact (so the forest has no cycle).
            giver = 0
            if idx > 3 and rand() >= 0.10:
                m = rand()
                if m < 0.05:
                    t = randrange(2)
                    giver = self.chain_tips[t]
                    if giver == 0 or depth[giver] >= MAX_DEPTH:
                        giver = urn[randrange(len(urn))]
                    self.chain_tips[t] = idx
                elif m < 0.60:
                    giver = urn[randrange(len(urn))]  # preferential attachment
                else:
                    giver = randrange(1, idx)
                while depth[giver] >= MAX_DEPTH:
                    giver = parent[giver]
                parent[idx] = giver
                depth[idx] = depth[giver] + 1
                urn.append(giver)
                self.given_count[giver] += 1
            urn.append(idx)
            if rand() < 0.01:
                urn.extend((idx, idx, idx, idx))  # a natural connector

            status = None
            event_id = None
            if giver:
                channel = self.referred_channel.pick(rng)
                if channel == "event" or rand() < 0.06:
                    event_id = self._event_before(li, day)
                status = self._referral(cbase + giver, cid, day, created, event_id, primary=True)
                if event_id is not None:
                    met = self.forced.setdefault(event_id, [])
                    met.append((cid, "visitor"))
                    # The giver was there too, if they were a contact by then.
                    giver_day = (giver - 1) * HISTORY_DAYS // n
                    if giver_day <= self.event_day[event_id - self.event_base]:
                        met.append((cbase + giver, "member"))
            else:
                channel = self.root_channel.pick(rng)
                if channel == "event":
                    event_id = self._event_before(li, day)
                    if event_id is not None:
                        self.forced.setdefault(event_id, []).append((cid, "visitor"))
            if status == "won":
                stage = "ambassador" if rand() < 0.15 else "customer"
            elif status is not None:
                stage = self.open_stage.pick(rng)
            else:
                stage = self.root_stage.pick(rng)

            consent = rand() < 0.55
            consent_date = days[randrange(day, T)] if consent else None
            archived = 1 if rand() < 0.02 else 0
            last_asked = None
            if stage in ("customer", "ambassador") and rand() < 0.4:
                last_asked = days[randrange(max(day, T - 365), T)]
            stay = rng.choice((30, 60, 90, 180)) if rand() < 0.15 else None
            notes = rng.choice(NOTES[lang]) if rand() < 0.08 else ""
            updated = created if rand() < 0.7 else _ts(days[randrange(day, T)], 50000)
            if updated < created:
                updated = created
            contacts_rows.append(
                (
                    cid,
                    created,
                    updated,
                    given,
                    family,
                    org_id,
                    title,
                    emails[0] if emails else "",
                    phones[0][0] if phones else "",
                    street,
                    city[0],
                    postcode,
                    city[1] if country in ("IT", "US", "IE") else "",
                    country,
                    lang,
                    birthday,
                    channel,
                    stage,
                    int(consent),
                    consent_date,
                    notes,
                    archived,
                    last_asked,
                    stay,
                )
            )
            for pos, address in enumerate(emails):
                email_rows.append((created, created, cid, address, "", pos))
            for pos, (e164, original) in enumerate(phones):
                phone_rows.append((created, created, cid, e164, original, "", pos))
            if rand() < 0.3:
                picker = self.tags_by_lang[lang]
                chosen = {picker.pick(rng) for _ in range(1 + int(rand() * 2.5))}
                tag_rows.extend((cid, tag_ids[name]) for name in sorted(chosen))
            fts_rows.append(
                (
                    cid,
                    self.document(
                        given,
                        family,
                        self.org_name[org_id] if org_id is not None else "",
                        emails,
                        [p[0] for p in phones],
                        city[0],
                    ),
                )
            )
            inter.append((cid, "created", created, "Contact created", None, None, None))
            if notes and rand() < 0.5:
                inter.append((cid, "note", updated, notes, None, None, None))
            if rand() < 0.12:
                kind = rng.choice(("call", "meeting", "email"))
                when = _ts(days[randrange(day, T)], randrange(32400, 64800))
                inter.append((cid, kind, when, rng.choice(NOTES[lang]), None, None, None))

            # An extra, non-primary referral for ~5%: another earlier giver.
            if giver and idx > 4 and rand() < 0.055:
                other = randrange(1, idx)
                if other != giver:
                    on = randrange(day, T)
                    self._referral(
                        cbase + other,
                        cid,
                        on,
                        _ts(days[on], randrange(32400, 64800)),
                        None,
                        primary=False,
                    )

            # Follow-ups the user set: some overdue, some today, some ahead, some done.
            if rand() < 0.12:
                self._followup(cid, display, day)
            # Vouchers handed to good clients to pass on.
            if stage in ("customer", "ambassador") and rand() < 0.06:
                for _ in range(1 + int(rand() * 1.6)):
                    self._voucher(cid, day, None)

        conn = self.conn
        conn.executemany(
            "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, "
            "organization_id, title, email, phone, street, city, postcode, region, country, "
            "language, birthday, channel, stage, marketing_consent, consent_date, notes, "
            "archived, last_asked_for_referral, stay_in_touch_days) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            contacts_rows,
        )
        conn.executemany(
            "INSERT INTO email_address (created_at, updated_at, contact_id, address, label, "
            "position) VALUES (?,?,?,?,?,?)",
            email_rows,
        )
        conn.executemany(
            "INSERT INTO phone_number (created_at, updated_at, contact_id, number, original, "
            "label, position) VALUES (?,?,?,?,?,?,?)",
            phone_rows,
        )
        conn.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?,?)", tag_rows)
        self._flush_referral_rows()
        conn.executemany(f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?,?)", fts_rows)
        self.counts["contacts"] += len(contacts_rows)

    def _flush_referral_rows(self) -> None:
        conn = self.conn
        conn.executemany(
            "INSERT INTO referral (id, created_at, updated_at, giver_id, referred_id, "
            "receiver_id, referred_on, event_id, program, temperature, status, "
            "status_changed_at, value, currency, is_primary, suspicion, notes) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'','')",
            self.ref_rows,
        )
        conn.executemany(
            "INSERT INTO referral_status_change (referral_id, from_status, to_status, changed_at) "
            "VALUES (?,?,?,?)",
            self.change_rows,
        )
        conn.executemany(
            "INSERT INTO voucher (id, created_at, updated_at, code, batch, holder_id, value, "
            "currency, expires, status, printed_at, redeemed_at, redeemed_by_id, referral_id, "
            "voided_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.voucher_rows,
        )
        conn.executemany(
            "INSERT INTO reward (created_at, updated_at, referral_id, contact_id, kind, amount, "
            "currency, points, status, given_at, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            self.reward_rows,
        )
        self._flush_followups_and_history()
        self.counts["referrals"] += len(self.ref_rows)
        self.counts["vouchers"] += len(self.voucher_rows)
        self.counts["rewards"] += len(self.reward_rows)

    def _flush_followups_and_history(self) -> None:
        self.conn.executemany(
            "INSERT INTO follow_up (created_at, updated_at, contact_id, referral_id, event_id, "
            "kind, title, notes, due, done_at, snoozed_until, rule) "
            "VALUES (?,?,?,?,?,?,?,'',?,?,?,?)",
            self.followup_rows,
        )
        self.conn.executemany(
            "INSERT INTO interaction (contact_id, kind, happened_at, summary, referral_id, "
            "event_id, voucher_id) VALUES (?,?,?,?,?,?,?)",
            self.interaction_rows,
        )
        self.counts["followups"] += len(self.followup_rows)
        self.counts["interactions"] += len(self.interaction_rows)
        self.followup_rows = []
        self.interaction_rows = []

    def _status(self, age: int) -> str:
        for limit, picker in self.status_by_age:
            if age < limit:
                return str(picker.pick(self.rng))
        raise AssertionError("unreachable")  # pragma: no cover

    def _referral(
        self,
        giver: int,
        referred: int,
        day: int,
        when: str,
        event_id: int | None,
        *,
        primary: bool,
    ) -> str:
        """Queue a referral with its status history, follow-up, reward and history lines."""
        rng = self.rng
        rand = rng.random
        days = self.days
        T = self.T
        rid = self._next("referral")
        age = T - day
        status = self._status(age)
        program = self.program.pick(rng)
        if status == "won":
            path = ["new", "contacted"]
            if rand() < 0.7:
                path.append("meeting")
            if rand() < 0.8:
                path.append("proposal")
            path.append("won")
        elif status == "lost":
            path = [*models.OPEN_STATUSES[: rng.randint(1, 4)], "lost"]
        else:
            path = list(models.OPEN_STATUSES[: models.OPEN_STATUSES.index(status) + 1])
        span = max(0, min(age - 1, 150))
        steps = sorted(rng.randint(0, span) for _ in range(len(path) - 1))
        stamps = [when]
        for offset in steps:
            stamps.append(max(stamps[-1], _ts(days[day + offset], rng.randrange(32400, 68400))))
        previous = None
        for to_status, stamp in zip(path, stamps, strict=True):
            self.change_rows.append((rid, previous, to_status, stamp))
            previous = to_status
        changed = stamps[-1]
        value = None
        currency = "EUR"
        if status == "won":
            value = round(min(25000.0, max(150.0, rng.lognormvariate(7.4, 0.9))), 2)
            r = rand()
            currency = "GBP" if r < 0.07 else "USD" if r < 0.1 else "EUR"
        receiver = None
        if not primary and rand() < 0.2:
            receiver = rng.randrange(self.contact_base, referred)
            if receiver in (giver, referred):
                receiver = None
        self.ref_rows.append(
            (
                rid,
                when,
                changed,
                giver,
                referred,
                receiver,
                days[day],
                event_id,
                program,
                self.temperature.pick(rng),
                status,
                changed,
                value,
                currency,
                int(primary),
            )
        )
        if not primary:
            self.given_count[giver - self.contact_base + 1] += 1
        giver_name, referred_name = self.name(giver), self.name(referred)
        inter = self.interaction_rows
        inter.append(
            (giver, "referral_given", when, f"Referred {referred_name}", rid, event_id, None)
        )
        inter.append(
            (referred, "referral_received", when, f"Referred by {giver_name}", rid, event_id, None)
        )
        if status in models.CLOSED_STATUSES:
            money = f" ({value:.2f} {currency})" if value is not None else ""
            inter.append(
                (
                    giver,
                    "referral_status",
                    changed,
                    f"Referral of {referred_name}: {path[-2]} → {status}{money}",
                    rid,
                    None,
                    None,
                )
            )
        # The rule's "contact within 2 days" reminder, done once the referral moved on.
        due = days[min(day + 2, len(days) - 1)]
        done = stamps[1] if len(stamps) > 1 else None
        self.followup_rows.append(
            (
                when,
                done or when,
                referred,
                rid,
                None,
                "call",
                f"Contact {referred_name}, referred by {giver_name}",
                due,
                done,
                None,
                "referral",
            )
        )
        if program == "tangible" and primary:
            self._voucher(giver, max(0, day - rng.randint(5, 90)), (rid, referred, day, when))
        if value is not None:  # won
            self._reward(giver, rid, program, value, currency, changed, steps[-1] + day)
            if rand() < 0.1:  # two-sided: the friend got a welcome discount too
                self.reward_rows.append(
                    (
                        changed,
                        changed,
                        rid,
                        referred,
                        "discount",
                        round(value * 0.05, 2),
                        currency,
                        0,
                        "given",
                        changed,
                        "Welcome discount",
                    )
                )
        return status

    def _reward(
        self,
        contact: int,
        rid: int,
        program: str,
        value: float,
        currency: str,
        when: str,
        day: int,
    ) -> None:
        rng = self.rng
        kind = "donation" if program == "community" else self.reward_kind.pick(rng)
        points = 0
        amount = 0.0
        if kind == "gift":
            amount = float(rng.randrange(20, 90, 5))
        elif kind == "discount":
            amount = round(min(500.0, value * rng.choice((0.05, 0.1))), 2)
        elif kind == "cash":
            amount = round(min(1000.0, value * 0.05), 2)
        elif kind == "points":
            points = rng.randrange(100, 2000, 50)
        elif kind == "voucher":
            amount = float(rng.choice((25, 50, 100)))
        elif kind == "donation":
            amount = float(rng.randrange(50, 500, 10))
        given = rng.random() < 0.6 and day < self.T
        given_at = None
        if given:
            given_at = _ts(self.days[rng.randrange(day, self.T)], rng.randrange(32400, 64800))
        if given_at is not None and given_at < when:
            given_at = when
        self.reward_rows.append(
            (
                when,
                given_at or when,
                rid,
                contact,
                kind,
                amount,
                currency,
                points,
                "given" if given else "pending",
                given_at,
                "",
            )
        )
        if given_at is not None:
            inter = self.interaction_rows
            inter.append(
                (contact, "reward_given", given_at, f"Reward given: {kind}", rid, None, None)
            )
            if kind == "thank_you_letter":
                inter.append(
                    (
                        contact,
                        "letter_printed",
                        given_at,
                        "Thank-you letter printed",
                        rid,
                        None,
                        None,
                    )
                )

    def _voucher(self, holder: int, day: int, redeemed: tuple[int, int, int, str] | None) -> None:
        rng = self.rng
        hidx = holder - self.contact_base + 1
        # Issued after the holder became a contact, before any redemption.
        first = (hidx - 1) * HISTORY_DAYS // self.n
        upper = redeemed[2] if redeemed else self.T
        day = max(first, min(day, upper - 1)) if redeemed else rng.randrange(first, self.T)
        issued = _ts(self.days[day], rng.randrange(32400, 64800))
        if redeemed is not None and issued > redeemed[3]:
            issued = redeemed[3]
        expires = self.days[day + 365]
        code = ""
        while not code or code in self.voucher_codes:
            code = codes.generate(rng)
        self.voucher_codes.add(code)
        vid = self._next("voucher")
        date = self.start + dt.timedelta(days=day)
        batch = f"{date.year}-Q{(date.month - 1) // 3 + 1}"
        value = float(rng.choice((25, 50, 50, 75, 100, 150)))
        printed = issued if rng.random() < 0.85 else None
        status, redeemed_at, redeemed_by, rid, voided = "issued", None, None, None, None
        if redeemed is not None:
            rid, redeemed_by, _rday, redeemed_at = redeemed
            status = "redeemed"
            printed = issued
        elif rng.random() < 0.08:
            status = "void"
            voided = _ts(self.days[rng.randrange(day, self.T)], 60000)
        updated = redeemed_at or voided or issued
        self.voucher_rows.append(
            (
                vid,
                issued,
                updated,
                code,
                batch,
                holder,
                value,
                "EUR",
                expires,
                status,
                printed,
                redeemed_at,
                redeemed_by,
                rid,
                voided,
            )
        )
        inter = self.interaction_rows
        inter.append((holder, "voucher_issued", issued, f"Voucher {code} issued", None, None, vid))
        if redeemed is not None:
            assert redeemed_at is not None
            inter.append(
                (
                    holder,
                    "voucher_redeemed",
                    redeemed_at,
                    f"Voucher {code} redeemed by {self.name(redeemed[1])}",
                    rid,
                    None,
                    vid,
                )
            )

    def _followup(self, cid: int, display: str, day: int) -> None:
        rng = self.rng
        T = self.T
        kind = self.followup_kind.pick(rng)
        r = rng.random()
        done = None
        if r < 0.25:
            due = T - rng.randint(1, 30)  # overdue
        elif r < 0.35:
            due = T  # today
        elif r < 0.75:
            due = T + rng.randint(1, 45)  # upcoming
        else:
            due = T - rng.randint(1, 120)
            done = due
        due = max(due, day + 1)
        created_day = max(day, min(due, T) - rng.randint(0, 20))
        created = _ts(self.days[min(created_day, T - 1)], 36000)
        title = {
            "call": "Call {}",
            "email": "Email {}",
            "meeting": "Meeting with {}",
            "ask_referral": "Ask {} for a referral",
            "thank_you": "Thank {}",
            "stay_in_touch": "Stay in touch with {}",
        }[kind].format(display)
        done_at = None
        if done is not None and due < T:
            done_at = _ts(self.days[min(T - 1, due + rng.randint(0, 3))], 61200)
            if done_at < created:
                done_at = created
        snoozed = None
        if done_at is None and rng.random() < 0.05:
            snoozed = self.days[T + rng.randint(1, 7)]
        self.followup_rows.append(
            (
                created,
                done_at or created,
                cid,
                None,
                None,
                kind,
                title,
                self.days[due],
                done_at,
                snoozed,
                "stay_in_touch" if kind == "stay_in_touch" else "",
            )
        )
        if done_at is not None:
            self.interaction_rows.append((cid, "followup_done", done_at, title, None, None, None))

    def _birthday_followup(self, cid: int, display: str, month: int, mday: int) -> None:
        today = self.today
        try:
            this_year = dt.date(today.year, month, mday)
        except ValueError:  # pragma: no cover - days are 1..28
            return
        if this_year < today:
            this_year = this_year.replace(year=today.year + 1)
        ahead = (this_year - today).days
        if ahead > 14:
            return
        due = self.days[self.T + ahead]
        created = _ts(self.days[self.T - 1], 21600)
        self.followup_rows.append(
            (
                created,
                created,
                cid,
                None,
                None,
                "birthday",
                f"Birthday: {display}",
                due,
                None,
                None,
                "birthday",
            )
        )

    # -- attendance ------------------------------------------------------------------

    def attendances(self) -> None:
        rng = self.rng
        T = self.T
        n = self.n
        cbase = self.contact_base - 1
        rows: list[tuple[Any, ...]] = []
        self.followup_rows = []
        self.interaction_rows = []
        for k, day in enumerate(self.event_day):
            eid = self.event_base + k
            kind = self.event_kind[k]
            li = self.event_lang[k]
            past = day < T
            # Contacts of the event's language known by the day of the event.
            known = n if day >= HISTORY_DAYS else (day * n + HISTORY_DAYS - 1) // HISTORY_DAYS
            pool = self.lang_ids[li]
            eligible = bisect_right(pool, cbase + known)
            target = rng.randint(2, 4) if kind == "one_to_one" else rng.randint(5, 40)
            chosen: dict[int, str] = {}
            for cid, role in self.forced.get(eid, ()):
                chosen.setdefault(cid, role)
            want = max(0, min(target - len(chosen), eligible))
            for j in rng.sample(range(eligible), want) if want else ():
                chosen.setdefault(pool[j], "")
            starts = _ts(self.days[day], EVENT_HOURS[kind][0] * 3600)
            speakers = (
                rng.randint(1, 3)
                if kind == "conference"
                else (1 if kind == "chamber_of_commerce" and rng.random() < 0.5 else 0)
            )
            for position, (cid, forced_role) in enumerate(chosen.items()):
                if position == 0:
                    role = "host"
                elif position <= speakers:
                    role = "speaker"
                elif forced_role:
                    role = forced_role
                else:
                    members = 0.75 if kind == "chapter_meeting" else 0.4
                    role = "member" if rng.random() < members else "visitor"
                met = 1 if past and (forced_role or rng.random() < 0.6) else 0
                rows.append((starts, starts, eid, cid, role, met))
                if past:
                    self.interaction_rows.append(
                        (
                            cid,
                            "event_attended",
                            starts,
                            f"Attended {self.event_title[k]}",
                            None,
                            eid,
                            None,
                        )
                    )
                if met and day >= T - 30 and rng.random() < 0.7:
                    due = day + 3
                    done_at = None
                    if due < T and rng.random() < 0.5:
                        done_at = _ts(self.days[min(T - 1, due + rng.randint(0, 2))], 36000)
                    self.followup_rows.append(
                        (
                            starts,
                            done_at or starts,
                            cid,
                            None,
                            eid,
                            "call",
                            f"Follow up with {self.name(cid)} after {self.event_title[k]}",
                            self.days[due],
                            done_at,
                            None,
                            "met",
                        )
                    )
            if len(rows) >= 20_000:
                self._flush_attendance(rows)
                rows = []
        self._flush_attendance(rows)

    def _flush_attendance(self, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(
            "INSERT INTO attendance (created_at, updated_at, event_id, contact_id, role, "
            "met_in_person) VALUES (?,?,?,?,?,?)",
            rows,
        )
        self.counts["attendances"] += len(rows)
        self._flush_followups_and_history()

    def promote_ambassadors(self) -> None:
        """Contacts who gave four or more referrals become ambassadors."""
        cbase = self.contact_base - 1
        now = _ts(self.days[self.T - 1], 72000)
        ids = [(now, cbase + idx) for idx in range(1, self.n + 1) if self.given_count[idx] >= 4]
        self.conn.executemany(
            "UPDATE contact SET stage = 'ambassador', updated_at = ? "
            "WHERE id = ? AND stage IN ('prospect', 'lead', 'customer')",
            ids,
        )

    def forest_summary(self) -> tuple[int, int, int]:
        """(largest root id, its descendants, deepest depth) of the primary forest."""
        n = self.n
        parent = self.parent
        size = array("i", bytes(4 * (n + 1)))
        for idx in range(n, 0, -1):
            p = parent[idx]
            if p:
                size[p] += size[idx] + 1
        best, best_size = 1, -1
        for idx in range(1, n + 1):
            if parent[idx] == 0 and size[idx] > best_size:
                best, best_size = idx, size[idx]
        return self.contact_base - 1 + best, best_size, max(self.depth)


def _check_count(contacts: object) -> int:
    if isinstance(contacts, bool) or not isinstance(contacts, int):
        raise ValidationError(
            f"The number of demo contacts must be a whole number, not {contacts!r}", "contacts"
        )
    if not 1 <= contacts <= MAX_CONTACTS:
        raise ValidationError(
            f"The number of demo contacts must be between 1 and {MAX_CONTACTS:,}, not {contacts:,}",
            "contacts",
        )
    return contacts


def generate(
    store: Store,
    contacts: int = 2000,
    seed: int = 1,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]:
    """Fill an empty SQLite database with a demo referral network of ``contacts`` people.

    Deterministic for a ``seed`` on a given day. ``progress(done, total)`` is
    called now and then; when it returns True the generation stops, the
    database is left exactly as it was and :class:`CancelledError` is raised.
    A database that holds contacts, or a count outside 1 to 1,000,000, is
    refused with a :class:`ValidationError`. Returns the counts of what was
    made and facts about the forest: its largest tree and its depth.
    """
    started = time.perf_counter()
    count = _check_count(contacts)
    if not getattr(store, "is_sqlite", False):
        raise ValidationError("Demo data can be generated into a SQLite database only")
    db = store.db
    existing = db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    if existing:
        raise ValidationError(
            f"The database already holds {existing} contacts; demo data goes into an empty database"
        )
    conn = db.connection()
    total = count + max(count // 4, 1)

    def report(done: int) -> None:
        if progress is not None and progress(min(done, total), total):
            raise CancelledError("Demo data generation was cancelled; the database was not changed")

    today = dt.date.today()
    rng = Random(seed)
    gen = _Generator(conn, rng, count, today)
    saved = _loading_pragmas(conn)
    try:
        with db.atomic():
            report(0)
            indexes = _drop_indexes(conn)
            base = {
                table: conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
                for table in ("contact", "organization", "event", "referral", "voucher")
            }
            # Index rows left by contacts long gone would clash with the new ids.
            conn.execute(f"DELETE FROM {search.FTS_TABLE}")
            tag_ids = _tags(conn)
            gen.organizations(max(5, count // 8), base["organization"])
            gen.events(max(3, count // 50), base["event"])
            gen.contacts(base, tag_ids, report)
            step = max(1, (total - count) // (len(indexes) + 2))
            gen.attendances()
            gen.promote_ambassadors()
            _profile(conn, rng)
            done = count + step
            report(done)
            for statement in indexes:
                conn.execute(statement)
                done += step
                report(done)
            # One merged search index answers short prefixes ("m") several times faster.
            conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
            report(total)
    finally:
        _restore_pragmas(conn, saved)
    root, root_size, deepest = gen.forest_summary()
    summary: dict[str, Any] = {
        "contacts": gen.counts["contacts"],
        "organizations": gen.counts["organizations"],
        "events": gen.counts["events"],
        "attendances": gen.counts["attendances"],
        "referrals": gen.counts["referrals"],
        "followups": gen.counts["followups"],
        "rewards": gen.counts["rewards"],
        "vouchers": gen.counts["vouchers"],
        "largest_root_id": root,
        "largest_root_descendants": root_size,
        "deepest_depth": deepest,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return summary


def _loading_pragmas(conn: Any) -> dict[str, Any]:
    """Settings for a fast bulk load into an empty database; returns what to restore.

    Foreign keys are not checked row by row (the generator only refers to rows
    it made; the tests run ``PRAGMA foreign_key_check``), and a WAL database
    uses a rollback journal for the load: new pages are then written once,
    instead of to the WAL and again at the checkpoint, and a rollback (cancel)
    only restores the few pages the empty database had. Without ``fsync``
    (``synchronous = OFF``) a power cut during the load can damage the file,
    which held no contacts; a crash of the app cannot.
    """
    saved = {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("cache_size", "synchronous", "foreign_keys", "temp_store", "journal_mode")
    }
    conn.execute("PRAGMA cache_size = -131072")  # 128 MB while loading
    if conn.in_transaction:
        # Inside the caller's transaction the rest cannot change: load as things are.
        return {"cache_size": saved["cache_size"]}
    conn.execute("PRAGMA synchronous = OFF")
    # Index builds sort in temporary files rather than in memory, whatever the size.
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA foreign_keys = OFF")
    if str(saved["journal_mode"]).lower() == "wal":
        # Refused (left as WAL) when another connection has the file open.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = TRUNCATE").fetchone()
    return saved


def _restore_pragmas(conn: Any, saved: dict[str, Any]) -> None:
    if "journal_mode" in saved:
        current = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if current != str(saved["journal_mode"]).lower():
            conn.execute(f"PRAGMA journal_mode = {saved['journal_mode']}").fetchone()
    for name, value in saved.items():
        if name != "journal_mode":
            conn.execute(f"PRAGMA {name} = {int(value)}")


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes; return the SQL that recreates them."""
    placeholders = ",".join("?" for _ in _BULK_TABLES)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders}) ORDER BY tbl_name, name",
        _BULK_TABLES,
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _tags(conn: Any) -> dict[str, int]:
    """The demo's tags by name, reusing a tag of the same (folded) name."""
    by_folded = "folded" in {r[1] for r in conn.execute("PRAGMA table_info(tag)")}
    stamp = dt.datetime.combine(
        dt.date.today() - dt.timedelta(days=HISTORY_DAYS), dt.time(9)
    ).isoformat(sep=" ")
    ids: dict[str, int] = {}
    for name, _lang, _w in TAGS:
        key = fold(name)
        if by_folded:
            found = conn.execute("SELECT id FROM tag WHERE folded = ?", (key,)).fetchone()
        else:
            found = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
        if found is not None:
            ids[name] = found[0]
        elif by_folded:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name, folded) VALUES (?,?,?,?)",
                (stamp, stamp, name, key),
            ).lastrowid
        else:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name) VALUES (?,?,?)",
                (stamp, stamp, name),
            ).lastrowid
    return ids


def _profile(conn: Any, rng: Random) -> None:
    """Make the sender a plausible consultant, unless the profile is already filled in."""
    sender = rng.choice(PROFILES)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(profile)")]
    row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    if row is None:
        stamp = models.now().isoformat(sep=" ")
        conn.execute(
            "INSERT INTO profile (id, created_at, updated_at) VALUES (1, ?, ?)", (stamp, stamp)
        )
        row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    current = dict(zip(columns, row, strict=True))
    if current.get("name"):
        return  # the user's own sender: leave it alone
    changes = {**sender, "currency": "EUR"}
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE profile SET {assignments} WHERE id = 1", list(changes.values()))
