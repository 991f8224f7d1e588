"""What the citizen reads: their language, short SMS, Latin without diacritics on request."""

import pytest

from civicline.notifications.gsm import is_gsm7, sms_segments, to_gsm_latin
from civicline.notifications.models import (
    Channel,
    Notice,
    Notification,
    NotificationTemplate,
    SmsPreference,
)

LANGUAGES = ["sr", "sr-latn", "bg", "uk", "en"]


def sms_of(case) -> Notification:
    return Notification.objects.get(case=case, channel=Channel.SMS)


def test_every_notice_has_both_channels_in_every_language(db):
    pairs = set(NotificationTemplate.objects.values_list("notice", "channel", "language"))
    assert pairs == {
        (n, c, lang) for n in Notice.values for c in Channel.values for lang in LANGUAGES
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sr", "Пријава {ref} је примљена и прослеђена: ЈКП Јавна расвета."),
        ("sr-latn", "Prijava {ref} je primljena i prosleđena: JKP Javna rasveta."),
        ("bg", "Сигнал {ref} е регистриран и изпратен до ЈКП Јавна расвета."),
        ("uk", "Звернення {ref} зареєстровано й передано: ЈКП Јавна расвета."),
        ("en", "Your case {ref} was registered and sent to ЈКП Јавна расвета."),
    ],
)
def test_the_sms_is_in_the_reporters_language_and_fits_one_segment(report, language, expected):
    case = report(language=language)
    sms = sms_of(case)
    assert sms.body == expected.format(ref=case.reference)
    assert (sms.language, sms.segments) == (language, 1)


def test_a_language_without_a_template_falls_back_to_the_citys(report):
    NotificationTemplate.objects.filter(language="uk", channel=Channel.SMS).delete()
    case = report(language="uk")
    assert sms_of(case).language == "sr" and sms_of(case).body.startswith("Пријава")
    email = Notification.objects.get(case=case, channel=Channel.EMAIL)
    assert email.language == "uk"


def test_a_broken_template_falls_back_instead_of_failing_the_case(report, caplog):
    NotificationTemplate.objects.filter(language="bg", channel=Channel.SMS).update(body="{% if %}")
    case = report(language="bg")
    assert sms_of(case).language == "sr"
    assert "does not compile" in caplog.text


def test_a_long_public_note_is_shortened_in_the_sms_only(city, report):
    from civicline.cases import services as case_services

    note = "Замењена је светиљка и поправљен кабл. " * 10
    case = report()
    for status, text in (("assigned", ""), ("in_progress", ""), ("resolved", note)):
        case = case_services.case_change_status(
            case=case, to=status, actor=city.lighting_officer, note=text
        )
    resolved = Notification.objects.filter(case=case, notice=Notice.RESOLVED)
    sms, email = resolved.get(channel=Channel.SMS), resolved.get(channel=Channel.EMAIL)
    assert note.strip() in email.body
    assert sms.body.endswith("...") and len(sms.body) < 140


def test_a_body_can_ask_for_latin_sms_without_diacritics(city, report):
    SmsPreference.objects.create(organisation=city.lighting, latin_ascii=True)
    case = report(language="sr")
    sms = sms_of(case)
    assert sms.body == f"Prijava {case.reference} je primljena i prosledjena: JKP Javna rasveta."
    assert is_gsm7(sms.body) and sms.segments == 1
    # e-mail costs nothing per character: it stays as written
    assert "Пријава" in Notification.objects.get(case=case, channel=Channel.EMAIL).subject


def test_departments_follow_their_parents_sms_option(city, report):
    SmsPreference.objects.create(organisation=city.water, latin_ascii=True)
    assert is_gsm7(sms_of(report(city.sewer_block, language="sr")).body)


def test_other_languages_keep_their_alphabet_under_the_latin_option(city, report):
    SmsPreference.objects.create(organisation=city.lighting, latin_ascii=True)
    assert sms_of(report(language="bg")).body.startswith("Сигнал")


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets
        ("€" * 81, 2),
        ("ш" * 70, 1),
        ("ш" * 71, 2),
        ("ш" * 134, 2),
        ("ш" * 135, 3),
        ("a" * 69 + "č", 1),  # one diacritic makes the whole text UCS-2
        ("a" * 70 + "č", 2),
        ("👍" * 35, 1),  # outside the BMP: two UTF-16 units each
        ("👍" * 36, 2),
    ],
)
def test_segments_are_counted_as_the_network_counts_them(text, segments):
    assert sms_segments(text) == segments


def test_serbian_becomes_plain_gsm_latin():
    text = to_gsm_latin("Ђурђевдан: ћевапи, „чај“ и ЉУБАВ… Šćepan Žižić")
    assert text == 'Djurdjevdan: cevapi, "caj" i LJUBAV... Scepan Zizic'
    assert is_gsm7(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registration_email_links_to_the_tracking_page(report, language, settings, client):
    settings.SITE_URL = "https://prijave.novisad.rs"
    case = report(language=language)
    email = Notification.objects.get(case=case, channel=Channel.EMAIL)
    link = f"https://prijave.novisad.rs/portal/track/{case.reference}/{case.tracking_code}/"
    assert link in email.body
    assert client.get(link.removeprefix("https://prijave.novisad.rs")).status_code == 200


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("en", "Before", "After"), ("sr", "Пре радова", "После радова")],
)
def test_the_resolved_email_shows_the_before_and_after_photos(
    city, report, settings, language, before, after
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicline.cases import services as case_services
    from civicline.cases.photos import photo_check
    from tests.photos import png

    settings.SITE_URL = "https://prijave.novisad.rs"
    case = report(language=language)
    for stage in ("before", "after"):
        case_services.case_add_photo(
            case=case, stage=stage, actor=city.lighting_officer,
            photo=photo_check(SimpleUploadedFile("p.png", png(), content_type="image/png")),
        )  # fmt: skip
    for status, note in (("assigned", ""), ("in_progress", ""), ("resolved", "Замењено.")):
        case = case_services.case_change_status(
            case=case, to=status, actor=city.lighting_officer, note=note
        )

    email = Notification.objects.get(case=case, notice=Notice.RESOLVED, channel=Channel.EMAIL)
    first, second = case.photos.order_by("id")
    lines = email.body.splitlines()
    assert f"{before}: https://prijave.novisad.rs{first.public_path}" in lines
    assert f"{after}: https://prijave.novisad.rs{second.public_path}" in lines
    sms = Notification.objects.get(case=case, notice=Notice.RESOLVED, channel=Channel.SMS)
    assert "https://" not in sms.body
