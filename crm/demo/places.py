"""The demo's places: cities, postcode makers and phone number ranges per country.

Plain tables for crm.demo (the names and organizations are in crm.demo.data).
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

# fmt: off

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

# fmt: on
