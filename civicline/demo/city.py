"""The demo city, modelled on the seeds: Novi Sad's contact center (seed 001), Paraćin's
communal problems (seed 003) and the Ministry of Health's line (seed 004).

Everything is created through the services, with the clock set back, so the demo's history
is exactly what users would have produced.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.models import Case, Channel, Status
from civicline.deadlines import services as deadline_services
from civicline.deadlines.models import (
    Action,
    BusinessCalendar,
    CallbackTask,
    ClosedDay,
    Counting,
    DeadlinePolicy,
    EscalationStep,
    OpeningHours,
    OrganisationCalendar,
)
from civicline.demo import knowledge, telephony
from civicline.demo.areas import boundaries_load
from civicline.directory import services as directory_services
from civicline.directory.models import (
    Area,
    CaseKind,
    Category,
    Choice,
    Membership,
    Organisation,
    OrganisationKind,
    Question,
    Role,
)
from civicline.routing.models import RoutingRule
from civicline.workorders import services as workorder_services
from civicline.workorders.models import FieldTeam

DEMO_PASSWORD = "demo-novisad"
CASE_COUNT = 420
DAYS_BACK = 150

K = OrganisationKind
ORGANISATIONS = [
    # key, name, kind, parent key, phone
    ("grad", "Град Нови Сад — Градска управа за опште послове", K.CITY_ADMINISTRATION, None, "+381214872000"),
    ("kc", "Контакт центар Града Новог Сада", K.CITY_ADMINISTRATION, "grad", "+381214807900"),
    ("komunalni", "Градска управа за комуналне послове", K.CITY_ADMINISTRATION, None, "+381214872401"),
    ("inspekcija", "Градска управа за инспекцијске послове", K.CITY_ADMINISTRATION, None, "+381214872500"),
    ("kom-insp", "Комунална инспекција", K.CITY_ADMINISTRATION, "inspekcija", "+381214872510"),
    ("saobracaj", "Градска управа за саобраћај и путеве", K.CITY_ADMINISTRATION, None, "+381214872600"),
    ("socijalna", "Градска управа за социјалну и дечију заштиту", K.CITY_ADMINISTRATION, None, "+381214872700"),
    ("okolina", "Градска управа за заштиту животне средине", K.CITY_ADMINISTRATION, None, "+381214872800"),
    ("vik", "ЈКП „Водовод и канализација“ Нови Сад", K.PUBLIC_UTILITY, None, "+381214888888"),
    ("vik-vodovod", "Служба одржавања водоводне мреже", K.PUBLIC_UTILITY, "vik", "+381214888801"),
    ("vik-kanal", "Служба одржавања канализације", K.PUBLIC_UTILITY, "vik", "+381214888802"),
    ("rasveta", "ЈКП „Јавна расвета“ Нови Сад", K.PUBLIC_UTILITY, None, "+381214870170"),
    ("cistoca", "ЈКП „Чистоћа“ Нови Сад", K.PUBLIC_UTILITY, None, "+381214881111"),
    ("zoohigijena", "Служба зоохигијене", K.PUBLIC_UTILITY, "cistoca", "+381214881150"),
    ("zelenilo", "ЈКП „Градско зеленило“ Нови Сад", K.PUBLIC_UTILITY, None, "+381214871111"),
    ("gsp", "ЈГСП „Нови Сад“", K.PUBLIC_UTILITY, None, "+381214896610"),
    ("parking", "ЈКП „Паркинг сервис“ Нови Сад", K.PUBLIC_COMPANY, None, "+381214722000"),
    ("put", "ЈП „Путеви Нови Сад“", K.PUBLIC_COMPANY, None, "+381214873300"),
    ("mz", "Министарство здравља — COVID-19 линија", K.STATE_BODY, None, "+381112000800"),
]  # fmt: skip

AREAS = [
    ("stari-grad", "Стари град"), ("liman", "Лиман"), ("novo-naselje", "Ново насеље"),
    ("detelinara", "Детелинара"), ("grbavica", "Грбавица"), ("podbara", "Подбара"),
    ("petrovaradin", "Петроварадин"), ("sremska-kamenica", "Сремска Каменица"),
    ("futog", "Футог"), ("veternik", "Ветерник"),
]  # fmt: skip

C, R, S, INFO = CaseKind.COMPLAINT, CaseKind.REQUEST, CaseKind.SUGGESTION, CaseKind.INFORMATION
CATEGORIES = [
    # code, sr, bg, uk, en, organisation key, kinds, hours
    ("rasveta", "Квар на јавној расвети", "Повреда на уличното осветление", "Несправне вуличне освітлення", "Street light out", "rasveta", [C, R], 48),
    ("vodovod", "Пуцање водоводне цеви", "Спукана водопроводна тръба", "Прорив водопровідної труби", "Burst water pipe", "vik-vodovod", [C, R], 24),
    ("bez-vode", "Нема воде", "Няма вода", "Немає води", "No water supply", "vik-vodovod", [C, INFO], 24),
    ("kanalizacija", "Запушена канализација", "Запушена канализация", "Засмічена каналізація", "Blocked sewer", "vik-kanal", [C, R], 24),
    ("saht", "Недостаје поклопац шахта", "Липсващ капак на шахта", "Відсутня кришка люка", "Missing manhole cover", "vik-kanal", [C], 24),
    ("zauzece", "Заузеће јавне површине", "Незаконно заемане на обществена площ", "Самовільне зайняття громадського простору", "Occupation of public space", "kom-insp", [C, R], 48),
    ("buka", "Бука и ремећење јавног реда", "Шум и нарушаване на обществения ред", "Шум і порушення громадського порядку", "Noise and disturbance", "kom-insp", [C], 48),
    ("otpad", "Неодвезено смеће и пуни контејнери", "Неизвозен боклук и пълни контейнери", "Невивезене сміття й переповнені контейнери", "Uncollected waste, full bins", "cistoca", [C, R], 48),
    ("deponija", "Дивља депонија", "Нерегламентирано сметище", "Стихійне сміттєзвалище", "Illegal dumping site", "cistoca", [C], 72),
    ("psi", "Напуштене животиње и пси луталице", "Бездомни животни", "Безпритульні тварини", "Stray animals", "zoohigijena", [C, R], 48),
    ("drvece", "Оштећено или опасно дрво", "Повредено или опасно дърво", "Пошкоджене або небезпечне дерево", "Damaged or dangerous tree", "zelenilo", [C, R], 72),
    ("zelene-povrsine", "Одржавање зелених површина", "Поддръжка на зелени площи", "Догляд зелених зон", "Parks and green areas", "zelenilo", [C, R, S], 120),
    ("kolovoz", "Оштећење коловоза и тротоара", "Повредена пътна настилка или тротоар", "Пошкоджена дорога або тротуар", "Damaged road or pavement", "put", [C, R], 72),
    ("semafor", "Семафор не ради", "Неработещ светофар", "Не працює світлофор", "Traffic light not working", "saobracaj", [C], 24),
    ("signalizacija", "Саобраћајна сигнализација", "Пътна сигнализация", "Дорожні знаки та розмітка", "Road signs and markings", "saobracaj", [C, R, S], 120),
    ("prevoz", "Јавни превоз — линије и редови вожње", "Обществен транспорт — линии и разписания", "Громадський транспорт — маршрути й розклад", "Public transport lines and timetables", "gsp", [C, S, INFO], 48),
    ("parking", "Паркирање и паук служба", "Паркиране и репатриране", "Паркування та евакуація авто", "Parking and towing", "parking", [C, INFO], 72),
    ("socijalna", "Социјална помоћ и помоћ у кући", "Социална помощ и помощ в дома", "Соціальна допомога та допомога вдома", "Social assistance and home care", "socijalna", [R, INFO], 72),
    ("vakcinacija", "Вакцинација — пријава и термини", "Ваксинация — записване и часове", "Вакцинація — запис і час", "Vaccination sign-up and appointments", "mz", [R, INFO], 48),
    ("covid", "COVID-19 — информације и самоизолација", "COVID-19 — информация и самоизолация", "COVID-19 — інформація та самоізоляція", "COVID-19 information and self-isolation", "mz", [INFO, C], 48),
    ("prevoz-vakcina", "Превоз до пункта за вакцинацију", "Транспорт до ваксинационен пункт", "Транспорт до пункту вакцинації", "Transport to the vaccination point", "socijalna", [R], 48),
    ("informacije", "Опште информације о раду Града", "Обща информация за работата на общината", "Загальна інформація про роботу міста", "General information about the city", "kc", [INFO], 48),
    ("predlog", "Предлози грађана", "Предложения на гражданите", "Пропозиції громадян", "Citizens' suggestions", "grad", [S], 240),
]  # fmt: skip

ROUTING = [
    # Petrovaradin and Sremska Kamenica are across the Danube: their water network has its
    # own maintenance crew in the demo, so water cases there go to the utility itself.
    ("vodovod", "petrovaradin", "vik"),
    ("vodovod", "sremska-kamenica", "vik"),
    ("otpad", "futog", "kom-insp"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str


USERS = [
    DemoUser("inzenjer", "Марко", "Илић", Role.SYSTEM_ENGINEER, "kc"),
    DemoUser("supervizor", "Јелена", "Петровић", Role.SUPERVISOR, "kc"),
    DemoUser("operater1", "Ана", "Јовановић", Role.OPERATOR, "kc"),
    DemoUser("operater2", "Милош", "Николић", Role.OPERATOR, "kc"),
    DemoUser("volonter", "Тамара", "Ђорђевић", Role.OPERATOR, "kc"),
    DemoUser("vik", "Драган", "Стојановић", Role.OFFICER, "vik"),
    DemoUser("rasveta", "Зоран", "Марковић", Role.OFFICER, "rasveta"),
    DemoUser("cistoca", "Снежана", "Павловић", Role.OFFICER, "cistoca"),
    DemoUser("zelenilo", "Бранко", "Симић", Role.OFFICER, "zelenilo"),
    DemoUser("inspektor", "Горан", "Ристић", Role.OFFICER, "kom-insp"),
    DemoUser("saobracaj", "Ивана", "Лазић", Role.OFFICER, "saobracaj"),
    DemoUser("putevi", "Небојша", "Ковачевић", Role.OFFICER, "put"),
    DemoUser("gsp", "Весна", "Тодоровић", Role.OFFICER, "gsp"),
    DemoUser("parking", "Дејан", "Милић", Role.OFFICER, "parking"),
    DemoUser("socijalna", "Мирјана", "Ђурић", Role.OFFICER, "socijalna"),
    DemoUser("ministarstvo", "Олена", "Шевченко", Role.OFFICER, "mz"),
    DemoUser("opsti", "Никола", "Костић", Role.OFFICER, "grad"),
    DemoUser("direktor-vik", "Славко", "Јанковић", Role.HEAD, "vik"),
    DemoUser("nacelnik", "Весна", "Марић", Role.HEAD, "inspekcija"),
    DemoUser("teren", "Саша", "Вуковић", Role.FIELD_WORKER, "vik"),
    DemoUser("teren2", "Петар", "Митровић", Role.FIELD_WORKER, "kom-insp"),
]

# Streets of Novi Sad with a point near their middle (latitude, longitude): the demo's
# cases are scattered a block or two around them.
STREETS = {
    "Булевар ослобођења": (45.2530, 19.8380), "Футошка": (45.2530, 19.8200),
    "Змај Јовина": (45.2555, 19.8450), "Булевар цара Лазара": (45.2440, 19.8400),
    "Народног фронта": (45.2420, 19.8350), "Шафарикова": (45.2545, 19.8500),
    "Темеринска": (45.2670, 19.8480), "Кисачка": (45.2640, 19.8400),
    "Руменачка": (45.2650, 19.8200), "Фрушкогорска": (45.2470, 19.8530),
    "Булевар Европе": (45.2550, 19.8050), "Јеврејска": (45.2535, 19.8400),
    "Максима Горког": (45.2500, 19.8440), "Бранимира Ћосића": (45.2460, 19.8290),
    "Ласла Гала": (45.2505, 19.8475), "Железничка": (45.2575, 19.8395),
    "Браће Рибникар": (45.2480, 19.8480), "Соње Маринковић": (45.2535, 19.8440),
    "Дунавска": (45.2560, 19.8510), "Пап Павла": (45.2450, 19.8460),
    "Јиричекова": (45.2430, 19.8240),
}  # fmt: skip

DESCRIPTIONS = {
    "rasveta": ["Не ради улична светиљка испред броја {n}.", "Цела улица је у мраку од синоћ.", "Светиљка трепери целу ноћ."],
    "vodovod": ["Вода избија из асфалта код броја {n}.", "Пукла цев, вода тече низ улицу.", "Велико цурење воде код раскрснице."],
    "bez-vode": ["Од јутрос нема воде у згради на броју {n}.", "Слаб притисак воде већ два дана."],
    "kanalizacija": ["Излива се канализација у дворишту зграде.", "Запушен сливник, вода се задржава на коловозу."],
    "saht": ["Нема поклопца на шахту на тротоару, опасно за пешаке.", "Поклопац шахта је поломљен код школе."],
    "zauzece": ["Кафић је поставио столове преко целог тротоара.", "Грађевински материјал на тротоару већ недељу дана."],
    "buka": ["Музика из локала до касно у ноћ.", "Радови се изводе после 22 часа."],
    "otpad": ["Контејнери нису испражњени пет дана.", "Смеће око контејнера код зграде {n}."],
    "deponija": ["Неко је оставио шут и стари намештај поред канала.", "Дивља депонија на празном плацу."],
    "psi": ["Чопор паса луталица код игралишта.", "Повређен пас лежи поред пута."],
    "drvece": ["Грана виси над тротоаром и може да падне.", "Суво дрво нагнуто према кући."],
    "zelene-povrsine": ["Трава у парку није кошена месец дана.", "Поломљене клупе у парку."],
    "kolovoz": ["Велика рупа на коловозу код броја {n}.", "Поломљене плоче на тротоару."],
    "semafor": ["Семафор на раскрсници не ради од јутрос.", "Жуто светло трепери, семафор у квару."],
    "signalizacija": ["Знак стоп је оборен.", "Избледели пешачки прелаз код школе."],
    "prevoz": ["Линија 4 касни и по пола сата.", "Питање о реду вожње линије 11А викендом.", "Предлог да се уведе линија до нове болнице."],
    "parking": ["Возило паркирано на месту за особе са инвалидитетом.", "Како се плаћа паркинг SMS-ом?"],
    "socijalna": ["Старија особа сама живи и треба јој помоћ у кући.", "Како се подноси захтев за једнократну помоћ?"],
    "vakcinacija": ["Грађанин тражи помоћ при пријави на порталу еУправа за вакцинацију.", "Када стиже SMS са термином?"],
    "covid": ["Колико траје самоизолација после контакта?", "Где се ради тестирање викендом?"],
    "prevoz-vakcina": ["Потребан превоз до пункта на Сајму и назад, термин у 10 часова.", "Особа у колицима, треба превоз до пункта за вакцинацију."],
    "informacije": ["Радно време градских управа.", "Где се плаћа локална комунална такса?"],
    "predlog": ["Предлог да се постави клупа на стајалишту.", "Предлог за бициклистичку стазу."],
}  # fmt: skip

ANSWERS = [
    "Грађанину је дата информација у складу са базом знања.",
    "Упућен на надлежну службу, дат број телефона.",
]
RESOLUTIONS = [
    "Квар је отклоњен, екипа је била на терену.",
    "Интервенција је завршена.",
    "Проблем је решен, место је очишћено.",
    "Извршена је поправка.",
]
FIRST = ["Милан", "Јована", "Никола", "Драгана", "Стефан", "Марија", "Душан", "Милица",
         "Ђорђе", "Јелена", "Бојан", "Катарина", "Вељко", "Сања", "Љубица", "Жарко"]  # fmt: skip
LAST = ["Јовић", "Петровић", "Бабић", "Лукић", "Савић", "Малешевић", "Гавриловић",
        "Радовановић", "Ћирић", "Станковић", "Живковић", "Миљковић"]  # fmt: skip
CHANNELS = (
    [Channel.PHONE] * 12
    + [Channel.WALK_IN, Channel.EMAIL] * 2
    + [
        Channel.WEB,
        Channel.MOBILE_APP,
        Channel.MOBILE_APP,
        Channel.SMS,
        Channel.CHAT,
    ]
)


def is_loaded() -> bool:
    return Organisation.objects.exists()


def _users(orgs: dict[str, Organisation]) -> dict[str, object]:
    User = get_user_model()
    # One hash for all: the hasher is slow on purpose, and the demo shares one password.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for spec in USERS:
        user = User.objects.create(
            username=spec.username,
            password=password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@novisad.example",
            is_staff=spec.role == Role.SYSTEM_ENGINEER,
            is_superuser=spec.role == Role.SYSTEM_ENGINEER,
        )
        Membership.objects.create(user=user, organisation=orgs[spec.organisation], role=spec.role)
        users[spec.username] = user
    return users


def _catalogue() -> tuple[dict, dict, dict]:
    orgs: dict[str, Organisation] = {}
    for key, name, kind, parent, phone in ORGANISATIONS:
        orgs[key] = Organisation.objects.create(
            name=name, kind=kind, parent=orgs.get(parent), phone=phone
        )
    areas = {code: Area.objects.create(code=code, name=name) for code, name in AREAS}
    categories = {}
    for code, sr, bg, uk, en, org, kinds, hours in CATEGORIES:
        categories[code] = directory_services.category_save(
            category=Category(
                code=code,
                name_sr=sr,
                name_bg=bg,
                name_uk=uk,
                name_en=en,
                default_organisation=orgs[org],
                allowed_kinds=kinds,
                deadline_hours=hours,
            )
        )
    for category, area, org in ROUTING:
        RoutingRule.objects.create(
            category=categories[category], area=areas[area], organisation=orgs[org]
        )
    _calendars(orgs, categories)
    _questions(categories)
    return orgs, areas, categories


# Extra questions (Open311 attributes) that save a field team a trip.
QUESTIONS = [
    ("rasveta", "stub", "Број стуба (натпис на стубу)", Question.Datatype.NUMBER, False, []),
    ("kanalizacija", "objekat", "Да ли вода улази у објекат?", Question.Datatype.SINGLE, True,
     [("da", "Да"), ("ne", "Не")]),
    ("otpad", "vrsta", "Шта није одвезено?", Question.Datatype.MULTI, False,
     [("komunalni", "Кућно смеће"), ("kabasti", "Кабасти отпад"), ("zeleni", "Грање и лишће")]),
]  # fmt: skip


def _answers(code: str, rng: random.Random) -> dict[str, list[str]]:
    if code == "kanalizacija":
        return {"objekat": [rng.choice(["da", "ne", "ne"])]}
    if code == "rasveta" and rng.random() < 0.5:
        return {"stub": [str(rng.randint(1, 900))]}
    return {}


def _questions(categories: dict[str, Category]) -> None:
    for order, (code, key, text, datatype, required, choices) in enumerate(QUESTIONS):
        question = Question.objects.create(
            category=categories[code], code=key, description=text, datatype=datatype,
            required=required, order=order,
        )  # fmt: skip
        Choice.objects.bulk_create(Choice(question=question, key=k, name=n) for k, n in choices)


# Seed 001: the city works weekdays 7:30-15:30; the water utility and the Ministry's line
# answer around the clock; the other utilities keep workshop hours.
CALENDARS = {
    "uprava": ("Градске управе: радним данима 7:30–15:30", [(d, "07:30", "15:30") for d in range(5)]),
    "jkp": ("Комунална предузећа: радним данима 7–15, суботом 8–12", [(d, "07:00", "15:00") for d in range(5)] + [(5, "08:00", "12:00")]),
}  # fmt: skip
ALWAYS_OPEN = ["vik", "mz", "kc"]
WORKSHOP_HOURS = ["rasveta", "cistoca", "zelenilo", "gsp", "parking", "put"]
# Seed 003: communal problems are chased after 24 or 48 hours by type.
BUSINESS_HOURS = ["rasveta", "zauzece", "otpad", "psi", "buka", "drvece", "kolovoz"]
CALLBACK_HOURS = {"informacije": 48, "covid": 48, "vakcinacija": 48, "bez-vode": 4}


def _calendars(orgs: dict[str, Organisation], categories: dict[str, Category]) -> None:
    made = {}
    for key, (name, hours) in CALENDARS.items():
        made[key] = BusinessCalendar.objects.create(
            name=name, country=BusinessCalendar.Country.SERBIA, is_default=key == "uprava"
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(calendar=made[key], weekday=day, opens=opens, closes=closes)
            for day, opens, closes in hours
        )
    ClosedDay.objects.create(
        calendar=made["uprava"], date=date(2026, 11, 8), reason="Дан Града Новог Сада"
    )
    always = BusinessCalendar.objects.create(name="Дежурство 24/7", always_open=True)
    for key in ALWAYS_OPEN:
        OrganisationCalendar.objects.create(organisation=orgs[key], calendar=always)
    for key in WORKSHOP_HOURS:
        OrganisationCalendar.objects.create(organisation=orgs[key], calendar=made["jkp"])
    for code, category in categories.items():
        policy = DeadlinePolicy.objects.create(
            category=category,
            counting=Counting.BUSINESS if code in BUSINESS_HOURS else Counting.CALENDAR,
            callback_hours=CALLBACK_HOURS.get(code, 48),
        )
        if code == "saht":
            # An open manhole is dangerous: the officer is reminded at half time.
            EscalationStep.objects.bulk_create(
                EscalationStep(policy=policy, percent=percent, action=action)
                for percent, action in [(50, Action.REMIND), (100, Action.OVERDUE),
                                        (100, Action.NOTIFY_HEAD), (100, Action.NOTIFY_SUPERVISORS)]
            )  # fmt: skip


def _officers_by_organisation(orgs: dict[str, Organisation], users: dict) -> dict[int, list]:
    """Who works the cases of each body: its own officers and those of its parent."""
    found: dict[int, list] = {}
    for spec in USERS:
        if spec.role != Role.OFFICER:
            continue
        home = orgs[spec.organisation]
        for org in orgs.values():
            if org.id == home.id or org.parent_id == home.id:
                found.setdefault(org.id, []).append(users[spec.username])
    return found


def _target_status(age_days: float, rng: random.Random) -> str:
    """Older cases have travelled further along the state machine."""
    roll = rng.random()
    if roll < 0.05:
        return Status.CANCELLED
    if age_days > 30:
        return Status.CLOSED if roll < 0.8 else Status.RESOLVED
    if age_days > 10:
        return rng.choice([Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS, Status.ASSIGNED])
    return rng.choice([Status.RESOLVED, Status.IN_PROGRESS, Status.ASSIGNED, Status.REGISTERED])


def _walk(case, target: str, at, officers: list, now, rng: random.Random) -> None:
    """Take the case towards `target` as its officer and operator would have, stopping at
    the present."""
    operator = case.registered_by
    officer = rng.choice(officers)
    path = [Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    if target == Status.CANCELLED:
        at += timedelta(hours=rng.uniform(1, 20))
        if at >= now:
            return
        with clock.frozen_at(at):
            case_services.case_change_status(
                case=case, to=Status.CANCELLED, actor=operator, note="Дупла пријава."
            )
        return
    for step in path[: path.index(target) + 1] if target in path else []:
        at += timedelta(hours=rng.uniform(0.5, case.category.deadline_hours / 2))
        if at >= now:
            return
        note = ""
        actor = officer
        if step == Status.RESOLVED:
            note = rng.choice(RESOLUTIONS)
        if step == Status.CLOSED:
            actor = operator
        with clock.frozen_at(at):
            if step == Status.IN_PROGRESS and rng.random() < 0.3:
                case_services.case_add_note(
                    case=case, actor=officer, note="Екипа упућена на терен.", is_public=True
                )
            case_services.case_change_status(case=case, to=step, actor=actor, note=note)
            if step == Status.RESOLVED and case.kind == CaseKind.INFORMATION:
                _call_back(case, operator)


def _point(street: str, kind: str, rng: random.Random) -> dict:
    """Where a reported problem is; questions asked by phone have no place."""
    if kind == CaseKind.INFORMATION:
        return {}
    lat, lon = STREETS[street]
    return {
        "latitude": Decimal(f"{lat + rng.uniform(-0.0012, 0.0012):.6f}"),
        "longitude": Decimal(f"{lon + rng.uniform(-0.0018, 0.0018):.6f}"),
    }


def _field_work(orgs: dict, users: dict) -> None:
    """The water utility's duty crew, with today's work orders on open water cases, and
    orders from the traffic administration to the lighting company."""
    team = FieldTeam.objects.create(
        name="Дежурна екипа ВиК", organisation=orgs["vik"], phone="+381648888810"
    )
    team.members.add(users["teren"])
    open_water = Case.objects.filter(
        organisation__in=[orgs["vik"], orgs["vik-vodovod"], orgs["vik-kanal"]],
        status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
        latitude__isnull=False,
    ).order_by("-created_at")[:4]
    for case, kind in zip(open_water, ["fix", "fix", "inspect", "fix"], strict=False):
        workorder_services.workorder_dispatch(
            case=case, team=team, kind=kind, by=users["supervizor"],
            instructions="Изађите на лице места, фотографишите стање пре и после радова.",
        )  # fmt: skip
    # Electronic orders to another body's service: the traffic administration asks the
    # lighting company to restore power to its traffic lights (Zoran sees them at /work/).
    lights = Case.objects.filter(
        organisation=orgs["saobracaj"],
        category__code="semafor",
        status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
        latitude__isnull=False,
    ).order_by("-created_at")[:2]
    for case in lights:
        workorder_services.workorder_dispatch(
            case=case, service=orgs["rasveta"], kind="fix", by=users["saobracaj"],
            instructions="Семафор је без напајања: проверите прикључак на мрежу јавне расвете.",
        )  # fmt: skip


def _call_back(case, operator) -> None:
    task = CallbackTask.objects.filter(case=case, state=CallbackTask.State.OPEN).first()
    if task:
        deadline_services.callback_complete(
            task=task, actor=operator, outcome="Грађанину је пренет одговор надлежног органа."
        )


@transaction.atomic
def load(*, seed: int = 2026) -> None:
    """Create the demo city: bodies, catalogue, staff and a few hundred cases."""
    rng = random.Random(seed)
    places = random.Random(seed + 1)  # its own stream: the cases stay those of earlier demos
    orgs, areas, categories = _catalogue()
    boundaries_load()
    users = _users(orgs)
    knowledge.load(organisations=orgs, categories=categories, by=users["supervizor"])
    officers = _officers_by_organisation(orgs, users)
    operators = [users["operater1"], users["operater2"], users["volonter"]]
    citizens = [
        case_services.ReporterDetails(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            phone=f"+3816{rng.choice('0134569')}{rng.randint(1000000, 9999999)}",
            language="sr",
            consent_to_contact=rng.random() < 0.9,
        )
        for _ in range(160)
    ]
    now = clock.now()
    # More cases in recent weeks, as a line that citizens are learning about.
    moments = sorted(
        now - timedelta(days=DAYS_BACK * rng.random() ** 1.6) for _ in range(CASE_COUNT)
    )
    for moment in moments:
        category = rng.choice(list(categories.values()))
        kind = rng.choice(category.allowed_kinds)
        street = rng.choice(list(STREETS))
        point = _point(street, kind, places)
        number = rng.randint(1, 120)
        anonymous = rng.random() < 0.1
        answered = kind == CaseKind.INFORMATION and rng.random() < 0.6
        with clock.frozen_at(moment):
            case = case_services.case_intake(
                reporter=case_services.ReporterDetails() if anonymous else rng.choice(citizens),
                actor=rng.choice(operators),
                kind=kind,
                channel=rng.choice(CHANNELS),
                category=category,
                description=rng.choice(DESCRIPTIONS[category.code]).format(n=number),
                address=f"{street} {number}, Нови Сад",
                **point,
                # A reported problem's point places it in its area (the boundaries above).
                area=None if point else rng.choice(list(areas.values())),
                answer=rng.choice(ANSWERS) if answered else "",
                answers=_answers(category.code, rng),
            )
        if answered:
            continue
        age_days = (now - moment).total_seconds() / 86400
        target = _target_status(age_days, rng)
        case_officers = officers.get(case.organisation_id) or [users["supervizor"]]
        _walk(case, target, moment, case_officers, now, random.Random(rng.random()))
    _field_work(orgs, users)
    telephony.load(users, seed=seed)
    # What came due while the city's history was written: overdue cases, late callbacks.
    deadline_services.deadline_sweep()
