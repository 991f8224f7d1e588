"""The live stream: a change reaches the pages of those who may see it, and nobody else."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from civicline.cases import services
from civicline.cases.models import Status


async def collect(response) -> list[dict]:
    assert response["Content-Type"] == "text/event-stream"
    chunks = [chunk async for chunk in response.streaming_content]
    text = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks).decode()
    return [
        json.loads(line.removeprefix("data: "))
        for line in text.splitlines()
        if line.startswith("data: ")
    ]


@async_to_sync
async def read_events(user, after: int) -> list[dict]:
    """What a page that last saw event `after` receives when it (re)connects."""
    client = AsyncClient()
    await client.aforce_login(user)
    return await collect(await client.get("/live/", {"after": after}))


def test_status_changes_are_pushed_to_those_who_may_see_them(city, register, settings):
    settings.LIVE_STREAM_SECONDS = 0.3
    case = register()
    water_case = register(city.water_pipe)
    services.case_change_status(case=case, to=Status.ASSIGNED, actor=city.lighting_officer)

    seen_by_operator = read_events(city.operator, after=0)
    seen_by_stranger = read_events(city.water_officer, after=0)

    assert [(e["reference"], e["status"]) for e in seen_by_operator] == [
        (case.reference, "registered"),
        (water_case.reference, "registered"),
        (case.reference, "assigned"),
    ]
    assert [e["reference"] for e in seen_by_stranger] == [water_case.reference]


def test_the_stream_needs_a_staff_login(city):
    response = async_to_sync(AsyncClient().get)("/live/")
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_the_page_is_open_arrives(city, register, settings):
    settings.LIVE_STREAM_SECONDS = 2.5
    case = register()

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(city.operator)
        response = await client.get("/live/")
        reader = asyncio.ensure_future(collect(response))
        await asyncio.sleep(0.8)
        await sync_to_async(services.case_change_status, thread_sensitive=False)(
            case=case, to=Status.CANCELLED, actor=city.operator, note="дупла пријава"
        )
        return await reader

    changes = async_to_sync(scenario)()
    assert [(c["reference"], c["status"]) for c in changes] == [(case.reference, "cancelled")]


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_while_the_stream_opens_is_not_lost(
    city, register, settings, monkeypatch
):
    """The page's catch-up has read, the hub has not looked yet, and a change commits in
    between (the CI run where a supervisor's badge stayed "Registered")."""
    from civicline.cases import selectors
    from civicline.desk import live

    settings.LIVE_STREAM_SECONDS = 1.5
    case = register()
    page_saw = selectors.latest_event_id()
    catch_up = selectors.live_changes_for

    def catch_up_then_a_change(profile, *, after_id):
        missed = catch_up(profile, after_id=after_id)
        services.case_change_status(case=case, to=Status.ASSIGNED, actor=city.lighting_officer)
        return missed

    monkeypatch.setattr(selectors, "live_changes_for", catch_up_then_a_change)
    live.hub._task = None  # the first stream of this process starts the hub afresh
    changes = read_events(city.supervisor, after=page_saw)

    assert [(c["reference"], c["status"]) for c in changes] == [(case.reference, "assigned")]
