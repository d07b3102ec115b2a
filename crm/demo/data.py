"""The demo data's vocabulary: names, organizations and events per language.

Plain tables for crm.demo, kept apart so the generator reads as the algorithm it
is; the places (cities, postcodes, phone ranges) are in crm.demo.places.
"""

from __future__ import annotations

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
