"""Personas shared by every test.

A small city: the water utility (with its sewer department) and the lighting company, a
contact center with Olga the operator and Sonja the supervisor, Vlada the water officer,
Lena the lighting officer, Filip the water utility's field worker.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from civicline.cases import services as case_services
from civicline.directory import services as directory_services
from civicline.directory.models import (
    Area,
    CaseKind,
    Category,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

PASSWORD = "correct horse battery"
CITIZEN_PHONE = "+381641234567"


@pytest.fixture(autouse=True)
def english():
    # Services word their errors in the active language; tests read them in English.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests log in dozens of personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploaded photos go to the test's own folder, not the data folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def city(db):
    class City:
        pass

    c = City()
    c.contact_center = Organisation.objects.create(
        name="Контакт центар", kind=OrganisationKind.CITY_ADMINISTRATION, phone="+381214807900"
    )
    c.water = Organisation.objects.create(
        name="ЈКП Водовод", kind=OrganisationKind.PUBLIC_UTILITY, phone="+381214888888"
    )
    c.sewer = Organisation.objects.create(
        name="Служба канализације", kind=OrganisationKind.PUBLIC_UTILITY, parent=c.water
    )
    c.lighting = Organisation.objects.create(
        name="ЈКП Јавна расвета", kind=OrganisationKind.PUBLIC_UTILITY
    )
    c.ministry = Organisation.objects.create(
        name="Министарство здравља", kind=OrganisationKind.STATE_BODY
    )
    c.liman = Area.objects.create(name="Лиман", code="liman")
    c.futog = Area.objects.create(name="Футог", code="futog")

    def category(code, name_sr, name_en, organisation, kinds):
        return directory_services.category_save(
            category=Category(
                code=code,
                name_sr=name_sr,
                name_en=name_en,
                default_organisation=organisation,
                allowed_kinds=kinds,
                deadline_hours=48,
            )
        )

    complaint, request = CaseKind.COMPLAINT, CaseKind.REQUEST
    c.street_light = category(
        "rasveta", "Улична расвета", "Street lighting", c.lighting, [complaint, request]
    )
    c.water_pipe = category("vodovod", "Пуцање водоводне цеви", "Burst water pipe", c.water,
                            [complaint])  # fmt: skip
    c.sewer_block = category("kanalizacija", "Запушена канализација", "Blocked sewer", c.sewer,
                             [complaint])  # fmt: skip
    c.information = category("informacije", "Опште информације", "General information",
                             c.contact_center, [CaseKind.INFORMATION])  # fmt: skip

    def person(username, role, organisation, **extra):
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, first_name=username.title(), **extra
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    c.operator = person("olga", Role.OPERATOR, c.contact_center)
    c.supervisor = person("sonja", Role.SUPERVISOR, c.contact_center)
    c.water_officer = person("vlada", Role.OFFICER, c.water)
    c.lighting_officer = person("lena", Role.OFFICER, c.lighting)
    c.field_worker = person("filip", Role.FIELD_WORKER, c.water)
    c.admin = person("admin", Role.SYSTEM_ENGINEER, c.contact_center, is_staff=True,
                     is_superuser=True)  # fmt: skip
    return c


@pytest.fixture
def register(city):
    """Register a case as Olga would, from a caller with a phone number."""

    def _register(category=None, *, kind=CaseKind.COMPLAINT, area=None, phone=CITIZEN_PHONE,
                  **fields):  # fmt: skip
        return case_services.case_intake(
            reporter=case_services.ReporterDetails(name="Петар Петровић", phone=phone),
            actor=city.operator,
            kind=kind,
            channel="phone",
            category=category or city.street_light,
            description=fields.pop("description", "Не ради светиљка испред зграде."),
            address=fields.pop("address", "Булевар ослобођења 10"),
            area=area,
            **fields,
        )

    return _register


@pytest.fixture
def login(client):
    """A client logged in as `user`, reading pages in English unless a test asks otherwise."""

    def _login(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login
