"""The default texts of every notice, on both channels, in every language.

SMS texts are short: a Cyrillic SMS holds 70 characters a segment. Serbian Latin is the
Cyrillic text transliterated. The admin edits them afterwards; this runs once.
"""

from django.db import migrations

from civicline.transliteration import to_latin

NOTE = "{% if note %} {{ note }}{% endif %}"
NOTE_PARAGRAPH = "{% if note %}\n\n{{ note }}{% endif %}"

# How an e-mail opens and who signs it.
LETTER = {
    "sr": ("Поштовани,", "Градски контакт центар"),
    "bg": ("Здравейте,", "Градски контактен център"),
    "uk": ("Доброго дня,", "Міський контакт-центр"),
    "en": ("Hello,", "City contact center"),
}

# notice: (SMS, e-mail subject, e-mail body between the greeting and the signature)
TEXTS = {
    "sr": {
        "registered": (
            "Пријава {{ reference }} је примљена и прослеђена: {{ organisation }}.",
            "Пријава {{ reference }} је примљена",
            "Ваша пријава ({{ category }}) примљена је под бројем {{ reference }} и "
            "прослеђена надлежнима: {{ organisation }}.\n\n"
            "Јавићемо вам када почне решавање и када пријава буде решена. Ако нас позовете, "
            "реците број пријаве.",
        ),
        "work_started": (
            "Почело је решавање пријаве {{ reference }} ({{ organisation }}).",
            "Пријава {{ reference }} је у раду",
            "Почело је решавање ваше пријаве {{ reference }} ({{ category }}). "
            "Надлежни: {{ organisation }}.",
        ),
        "resolved": (
            "Пријава {{ reference }} је решена." + NOTE,
            "Пријава {{ reference }} је решена",
            "Ваша пријава {{ reference }} ({{ category }}) је решена." + NOTE_PARAGRAPH + "\n\n"
            "Ако проблем и даље постоји, позовите нас и реците број пријаве: поново ћемо је "
            "отворити.",
        ),
        "cancelled": (
            "Пријава {{ reference }} је отказана.{% if note %} Разлог: {{ note }}{% endif %}",
            "Пријава {{ reference }} је отказана",
            "Ваша пријава {{ reference }} ({{ category }}) је отказана."
            "{% if note %}\n\nРазлог: {{ note }}{% endif %}",
        ),
        "reopened": (
            "Пријава {{ reference }} је поново отворена и враћена у рад.",
            "Пријава {{ reference }} је поново отворена",
            "Ваша пријава {{ reference }} ({{ category }}) је поново отворена и враћена "
            "надлежнима: {{ organisation }}.",
        ),
        "delayed": (
            "Решавање пријаве {{ reference }} касни. Извињавамо се." + NOTE,
            "Пријава {{ reference }}: решавање касни",
            "Решавање ваше пријаве {{ reference }} ({{ category }}) траје дуже од "
            "предвиђеног рока. Извињавамо се због кашњења." + NOTE_PARAGRAPH,
        ),
        "callback": (
            "Звали смо вас у вези са пријавом {{ reference }}." + NOTE,
            "Пријава {{ reference }}: звали смо вас",
            "Звали смо вас у вези са пријавом {{ reference }} ({{ category }})."
            + NOTE_PARAGRAPH,
        ),
    },
    "bg": {
        "registered": (
            "Сигнал {{ reference }} е регистриран и изпратен до {{ organisation }}.",
            "Сигнал {{ reference }} е регистриран",
            "Вашият сигнал ({{ category }}) е регистриран с номер {{ reference }} и е "
            "изпратен до компетентния орган: {{ organisation }}.\n\n"
            "Ще ви уведомим, когато започне работа по него и когато бъде решен. Ако ни се "
            "обадите, посочете номера на сигнала.",
        ),
        "work_started": (
            "Започна работа по сигнал {{ reference }} ({{ organisation }}).",
            "Започна работа по сигнал {{ reference }}",
            "Започна работа по вашия сигнал {{ reference }} ({{ category }}). "
            "Отговорен орган: {{ organisation }}.",
        ),
        "resolved": (
            "Сигнал {{ reference }} е решен." + NOTE,
            "Сигнал {{ reference }} е решен",
            "Вашият сигнал {{ reference }} ({{ category }}) е решен." + NOTE_PARAGRAPH + "\n\n"
            "Ако проблемът продължава, обадете ни се и посочете номера на сигнала: ще го "
            "отворим отново.",
        ),
        "cancelled": (
            "Сигнал {{ reference }} е анулиран.{% if note %} Причина: {{ note }}{% endif %}",
            "Сигнал {{ reference }} е анулиран",
            "Вашият сигнал {{ reference }} ({{ category }}) е анулиран."
            "{% if note %}\n\nПричина: {{ note }}{% endif %}",
        ),
        "reopened": (
            "Сигнал {{ reference }} е отворен отново и работата по него продължава.",
            "Сигнал {{ reference }} е отворен отново",
            "Вашият сигнал {{ reference }} ({{ category }}) е отворен отново и е върнат на "
            "отговорния орган: {{ organisation }}.",
        ),
        "delayed": (
            "Решаването на сигнал {{ reference }} се забавя. Извиняваме се." + NOTE,
            "Сигнал {{ reference }}: забавяне",
            "Решаването на вашия сигнал {{ reference }} ({{ category }}) отнема повече време "
            "от предвиденото. Извиняваме се за забавянето." + NOTE_PARAGRAPH,
        ),
        "callback": (
            "Обадихме ви се във връзка със сигнал {{ reference }}." + NOTE,
            "Сигнал {{ reference }}: обадихме ви се",
            "Обадихме ви се във връзка със сигнал {{ reference }} ({{ category }})."
            + NOTE_PARAGRAPH,
        ),
    },
    "uk": {
        "registered": (
            "Звернення {{ reference }} зареєстровано й передано: {{ organisation }}.",
            "Звернення {{ reference }} зареєстровано",
            "Ваше звернення ({{ category }}) зареєстровано за номером {{ reference }} і "
            "передано відповідальному органу: {{ organisation }}.\n\n"
            "Ми повідомимо вас, коли розпочнеться робота і коли звернення буде вирішено. "
            "Якщо телефонуватимете нам, назвіть номер звернення.",
        ),
        "work_started": (
            "Розпочато роботу за зверненням {{ reference }} ({{ organisation }}).",
            "Розпочато роботу за зверненням {{ reference }}",
            "Розпочато роботу за вашим зверненням {{ reference }} ({{ category }}). "
            "Виконавець: {{ organisation }}.",
        ),
        "resolved": (
            "Звернення {{ reference }} вирішено." + NOTE,
            "Звернення {{ reference }} вирішено",
            "Ваше звернення {{ reference }} ({{ category }}) вирішено." + NOTE_PARAGRAPH + "\n\n"
            "Якщо проблема залишилася, зателефонуйте нам і назвіть номер звернення: ми "
            "відкриємо його знову.",
        ),
        "cancelled": (
            "Звернення {{ reference }} скасовано.{% if note %} Причина: {{ note }}{% endif %}",
            "Звернення {{ reference }} скасовано",
            "Ваше звернення {{ reference }} ({{ category }}) скасовано."
            "{% if note %}\n\nПричина: {{ note }}{% endif %}",
        ),
        "reopened": (
            "Звернення {{ reference }} відкрито знову, роботу відновлено.",
            "Звернення {{ reference }} відкрито знову",
            "Ваше звернення {{ reference }} ({{ category }}) відкрито знову й повернуто "
            "виконавцю: {{ organisation }}.",
        ),
        "delayed": (
            "Розгляд звернення {{ reference }} затримується. Перепрошуємо." + NOTE,
            "Звернення {{ reference }}: затримка",
            "Розгляд вашого звернення {{ reference }} ({{ category }}) триває довше, ніж "
            "передбачалося. Перепрошуємо за затримку." + NOTE_PARAGRAPH,
        ),
        "callback": (
            "Ми телефонували вам щодо звернення {{ reference }}." + NOTE,
            "Звернення {{ reference }}: ми вам телефонували",
            "Ми телефонували вам щодо звернення {{ reference }} ({{ category }})."
            + NOTE_PARAGRAPH,
        ),
    },
    "en": {
        "registered": (
            "Your case {{ reference }} was registered and sent to {{ organisation }}.",
            "Case {{ reference }} registered",
            "Your case ({{ category }}) was registered with the number {{ reference }} and "
            "sent to the body in charge: {{ organisation }}.\n\n"
            "We will tell you when work starts and when it is resolved. If you call us, "
            "please give the case number.",
        ),
        "work_started": (
            "Work has started on your case {{ reference }} ({{ organisation }}).",
            "Work started on case {{ reference }}",
            "Work has started on your case {{ reference }} ({{ category }}). "
            "In charge: {{ organisation }}.",
        ),
        "resolved": (
            "Your case {{ reference }} is resolved." + NOTE,
            "Case {{ reference }} resolved",
            "Your case {{ reference }} ({{ category }}) is resolved." + NOTE_PARAGRAPH + "\n\n"
            "If the problem is still there, call us and give the case number: we will "
            "reopen it.",
        ),
        "cancelled": (
            "Your case {{ reference }} was cancelled.{% if note %} Reason: {{ note }}{% endif %}",
            "Case {{ reference }} cancelled",
            "Your case {{ reference }} ({{ category }}) was cancelled."
            "{% if note %}\n\nReason: {{ note }}{% endif %}",
        ),
        "reopened": (
            "Your case {{ reference }} was reopened and is being worked on again.",
            "Case {{ reference }} reopened",
            "Your case {{ reference }} ({{ category }}) was reopened and sent back to "
            "{{ organisation }}.",
        ),
        "delayed": (
            "Your case {{ reference }} is taking longer than planned. We apologise." + NOTE,
            "Case {{ reference }} is delayed",
            "Your case {{ reference }} ({{ category }}) is taking longer than planned. "
            "We apologise for the delay." + NOTE_PARAGRAPH,
        ),
        "callback": (
            "We called you about your case {{ reference }}." + NOTE,
            "Case {{ reference }}: we called you",
            "We called you about your case {{ reference }} ({{ category }})." + NOTE_PARAGRAPH,
        ),
    },
}


def _rows():
    texts = {**TEXTS, "sr-latn": {n: tuple(map(to_latin, t)) for n, t in TEXTS["sr"].items()}}
    letter = {**LETTER, "sr-latn": tuple(map(to_latin, LETTER["sr"]))}
    for language, notices in texts.items():
        greeting, signature = letter[language]
        for notice, (sms, subject, body) in notices.items():
            yield language, notice, "sms", "", sms
            yield language, notice, "email", subject, f"{greeting}\n\n{body}\n\n{signature}"


def seed(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    NotificationTemplate.objects.bulk_create(
        NotificationTemplate(
            language=language, notice=notice, channel=channel, subject=subject, body=body
        )
        for language, notice, channel, subject, body in _rows()
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
