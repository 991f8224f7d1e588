"""The system engineer edits the directory in the Django admin."""

import pytest

PAGES = [
    "/admin/directory/organisation/",
    "/admin/directory/organisation/add/",
    "/admin/directory/category/",
    "/admin/directory/category/add/",
    "/admin/directory/area/add/",
    "/admin/directory/apitoken/add/",
    "/admin/auth/user/",
    "/admin/routing/routingrule/add/",
    "/admin/cases/case/",
    "/admin/deadlines/businesscalendar/add/",
    "/admin/deadlines/deadlinepolicy/add/",
    "/admin/deadlines/organisationcalendar/add/",
    "/admin/deadlines/callbacktask/",
    "/admin/worker/periodicjob/",
    "/admin/open311/application/add/",
    "/admin/open311/pendingrequest/",
    "/admin/directory/question/add/",
    "/admin/knowledge/script/add/",
    "/admin/knowledge/article/",
]


@pytest.mark.parametrize("path", PAGES)
def test_the_admin_pages_open(city, login, path):
    assert login(city.admin).get(path).status_code == 200


def test_a_category_saved_in_the_admin_is_searchable_in_latin(city, login):
    client = login(city.admin)
    response = client.post(
        "/admin/directory/category/add/",
        {
            "code": "saht",
            "name_sr": "Поклопац шахта",
            "name_sr_latn": "",
            "default_organisation": city.sewer.pk,
            "allowed_kinds": ["complaint"],
            "deadline_hours": 24,
            "is_active": "on",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    from civicline.directory.models import Category

    saved = Category.objects.get(code="saht")
    assert saved.name_sr_latn == "Poklopac šahta" and "poklopac sahta" in saved.search_text


def test_a_bad_boundary_is_refused(city, login):
    response = login(city.admin).post(
        "/admin/directory/area/add/",
        {"name": "Петроварадин", "code": "petrovaradin", "boundary": '{"type": "Point"}'},
    )
    assert response.status_code == 200
    assert "Polygon or a MultiPolygon" in response.content.decode()


def test_officers_do_not_reach_the_admin(city, login):
    response = login(city.lighting_officer).get("/admin/")
    assert response.status_code == 302


def test_a_calendar_is_entered_in_the_admin(city, login):
    from civicline.deadlines.models import BusinessCalendar

    response = login(city.admin).post(
        "/admin/deadlines/businesscalendar/add/",
        {
            "name": "Градска управа",
            "country": "RS",
            "hours-TOTAL_FORMS": "1",
            "hours-INITIAL_FORMS": "0",
            "hours-0-weekday": "0",
            "hours-0-opens": "07:30",
            "hours-0-closes": "15:30",
            "closed_days-TOTAL_FORMS": "1",
            "closed_days-INITIAL_FORMS": "0",
            "closed_days-0-date": "2026-11-08",
            "closed_days-0-reason": "Дан Града",
        },
    )
    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(name="Градска управа")
    assert calendar.hours.get().opens.hour == 7 and calendar.closed_days.count() == 1
