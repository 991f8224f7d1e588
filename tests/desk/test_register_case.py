"""The operator's desk: find the caller, register in under a minute, see own cases."""

from civicline.cases.models import Case, CaseEvent, Reporter, Status
from civicline.directory.models import CaseKind


def form(city, **overrides):
    data = {
        "phone": "064 123 4567",
        "name": "Петар Петровић",
        "email": "",
        "language": "sr",
        "consent_to_contact": "on",
        "kind": CaseKind.COMPLAINT,
        "channel": "phone",
        "category": city.street_light.pk,
        "description": "Не ради светиљка испред зграде.",
        "address": "Булевар ослобођења 10",
        "area": "",
        "latitude": "",
        "longitude": "",
        "answer": "",
    }
    data.update(overrides)
    return data


def test_an_operator_registers_a_phone_case(city, login):
    client = login(city.operator)

    response = client.post("/desk/", form(city), follow=True)

    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.reference}/"
    body = response.content.decode()
    assert case.reference in body and "ЈКП Јавна расвета" in body
    assert case.organisation == city.lighting and case.registered_by == city.operator
    assert case.reporter.phone == "+381641234567" and case.reporter.consent_to_contact
    # ... and it is on her list of own cases
    assert case.reference in client.get("/desk/").content.decode()


def test_the_caller_lookup_shows_earlier_cases(city, register, login):
    earlier = register()
    client = login(city.operator)

    known = client.get("/desk/caller/", {"phone": "064/123-4567"}).content.decode()
    unknown = client.get("/desk/caller/", {"phone": "+381 65 9999999"}).content.decode()
    invalid = client.get("/desk/caller/", {"phone": "12"}).content.decode()

    assert earlier.reference in known and "Петар Петровић" in known
    assert "new caller" in unknown
    assert "is not a valid phone number" in invalid or "is not a phone number" in invalid


def test_the_category_picker_finds_names_in_any_alphabet(city, login):
    client = login(city.operator)
    for query in ["rasveta", "расвета", "Ulična", "ULICNA RASVETA", "street"]:
        body = client.get("/categories/", {"q": query}).content.decode()
        assert f'value="{city.street_light.pk}"' in body, query
        assert f'value="{city.water_pipe.pk}"' not in body, query
    by_kind = client.get("/categories/", {"q": "", "kind": CaseKind.INFORMATION}).content.decode()
    assert f'value="{city.information.pk}"' in by_kind
    assert f'value="{city.street_light.pk}"' not in by_kind


def test_an_information_request_is_answered_and_resolved_in_one_step(city, login):
    client = login(city.operator)
    client.post(
        "/desk/",
        form(
            city,
            kind=CaseKind.INFORMATION,
            category=city.information.pk,
            description="Радно време управе?",
            answer="Радним данима 7:30–15:30.",
        ),
    )
    case = Case.objects.get()
    assert case.status == Status.RESOLVED
    assert CaseEvent.objects.filter(case=case, is_public=True).get().note.startswith("Радним")


def test_the_officer_works_the_case_from_the_workstation(city, register, login):
    case = register()
    client = login(city.lighting_officer)

    assert case.reference in client.get("/work/").content.decode()
    client.post(f"/cases/{case.reference}/status/", {"status": Status.ASSIGNED, "note": ""})
    client.post(f"/cases/{case.reference}/status/", {"status": Status.IN_PROGRESS, "note": ""})
    client.post(f"/cases/{case.reference}/note/", {"note": "Нова сијалица наручена."})
    response = client.post(
        f"/cases/{case.reference}/status/",
        {"status": Status.RESOLVED, "note": "Замењена сијалица."},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    body = response.content.decode()
    assert "Замењена сијалица." in body and "Нова сијалица наручена." in body
    assert case.reference not in client.get("/work/").content.decode()


def test_the_supervisor_filters_and_counts(city, register, login):
    water, light = register(city.water_pipe), register(city.street_light)
    client = login(city.supervisor)

    everything = client.get("/supervisor/").content.decode()
    only_water = client.get("/supervisor/", {"organisation": city.water.pk}).content.decode()
    none = client.get("/supervisor/", {"status": Status.CLOSED}).content.decode()

    assert water.reference in everything and light.reference in everything
    assert water.reference in only_water and light.reference not in only_water
    assert water.reference not in none


def test_the_supervisor_list_does_not_query_per_row(
    city, register, login, django_assert_max_num_queries
):
    for _ in range(30):
        register()
    client = login(city.supervisor)
    client.get("/supervisor/")  # warm the session
    with django_assert_max_num_queries(12):
        client.get("/supervisor/")


def test_reporters_are_not_duplicated_by_formatting(city, login):
    client = login(city.operator)
    client.post("/desk/", form(city, phone="064 123 4567"))
    client.post("/desk/", form(city, phone="+381641234567"))
    assert Reporter.objects.count() == 1


def test_the_supervisor_counts_the_workload_and_the_recent_outcomes(city, register, login):
    from datetime import timedelta

    from django.utils import timezone

    from civicline import clock
    from civicline.cases.services import case_change_status

    with clock.frozen_at(timezone.now() - timedelta(days=60)):
        old_open, old_done = register(), register()
        case_change_status(case=old_done, to=Status.CANCELLED, actor=city.operator, note="x")
    fresh = register()
    case_change_status(case=fresh, to=Status.CANCELLED, actor=city.operator, note="дупла")

    response = login(city.supervisor).get("/supervisor/")

    counts = {row["status"]: row["n"] for row in response.context["status_counts"]}
    assert counts[Status.REGISTERED] == 1  # the old open case is still workload
    assert counts[Status.CANCELLED] == 1  # the old cancelled one is outside the window
    by_org = {
        row["name"]: (row["open"], row["new"]) for row in response.context["organisation_counts"]
    }
    assert by_org[city.lighting.name] == (1, 1)
    assert old_open.reference in response.content.decode()


def test_the_supervisor_pages_through_the_list(city, register, login):
    from civicline.desk.views import PAGE_SIZE

    references = [register().reference for _ in range(PAGE_SIZE + 1)]
    client = login(city.supervisor)

    first = client.get("/supervisor/").content.decode()
    second = client.get("/supervisor/", {"page": 2}).content.decode()

    assert references[-1] in first and references[0] not in first and "page=2" in first
    assert references[0] in second and references[-1] not in second
    assert client.get("/supervisor/", {"page": "x"}).status_code == 200


def test_the_operator_is_asked_the_categorys_questions(city, login):
    from civicline.cases.models import Answer
    from civicline.directory.models import Question

    Question.objects.create(category=city.street_light, code="stub", required=True,
                            description="Број стуба", datatype="number")  # fmt: skip
    client = login(city.operator)

    fields = client.get("/categories/questions/", {"category": city.street_light.pk})
    missing = client.post("/desk/", form(city))
    answered = client.post("/desk/", form(city, **{"attribute[stub]": "112"}))

    assert (
        'name="attribute[stub]"' in fields.content.decode()
        and "Број стуба" in fields.content.decode()
    )
    assert missing.status_code == 400 and "needs an answer" in missing.content.decode()
    assert answered.status_code == 302
    assert Answer.objects.get().value == "112"
    page = client.get(answered["Location"]).content.decode()
    assert "Број стуба" in page and "112" in page
