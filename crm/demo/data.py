"""The demo data's vocabulary: names, places, organizations and events per language.

Plain tables (and the small helpers that make postcodes) for crm.demo;
kept apart so the generator reads as the algorithm it is.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

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

GREEK_PAIRS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("γκ", "gk"),
                ("τζ", "tz"), ("μπ", "b"), ("ντ", "nt"))
GREEK = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
})
CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
})
# fmt: on
