"""The switchboard's plain SQL writes and reads exactly what the ORM would, on SQLite and
on PostgreSQL: aware datetimes, empty keys, JSON, booleans, joined rows."""

from datetime import UTC, datetime, timedelta

import pytest

from civicline import rows
from civicline.telephony.models import Agent, Call, CallState, Command, Queue, QueueMember

AT = datetime(2026, 11, 23, 9, 30, 15, 250000, tzinfo=UTC)


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.fixture
def call(line):
    queue, [agent, _] = line(agents=2)
    made = Call(
        call_id="c1", direction="in", from_number="381641234567", to_number="381800100200",
        citizen_e164="+381641234567", queue=queue, agent=agent, state=CallState.RINGING,
        started_at=AT, entered_queue_at=AT, place_since=AT - timedelta(seconds=30),
    )  # fmt: skip
    return rows.add(made)


def test_a_row_added_is_the_row_the_orm_reads_back(call):
    assert call.pk and not call._state.adding
    stored = Call.objects.get(pk=call.pk)
    assert _fields(stored) == _fields(call)
    assert stored.started_at == AT and stored.started_at.tzinfo is not None
    assert (stored.answered_at, stored.callback_offered, stored.outcome) == (None, False, "")


def test_json_and_empty_dates_are_written_as_save_writes_them(db):
    command = rows.add(Command(action="dial", call_id="c1", payload={"to": "1000", "n": [1, 2]},
                               created_at=AT))  # fmt: skip
    stored = Command.objects.get(pk=command.pk)
    assert stored.payload == {"to": "1000", "n": [1, 2]}
    assert (stored.created_at, stored.taken_at) == (AT, None)
    assert Command.objects.filter(taken_at=None).count() == 1  # a real NULL, not "None"


def test_a_row_read_with_its_keys_is_what_select_related_gives(call, django_assert_num_queries):
    expected = Call.objects.select_related("queue", "agent").get(pk=call.pk)
    with django_assert_num_queries(1):
        [found] = rows.select(Call, "call_id = %s", ["c1"], related=("queue", "agent"))
        assert _fields(found) == _fields(expected)
        assert _fields(found.queue) == _fields(expected.queue)
        assert _fields(found.agent) == _fields(expected.agent)
    assert found.place_since == AT - timedelta(seconds=30)
    assert found.place_since.tzinfo is not None


def test_an_empty_key_reads_as_none_without_a_query(call, django_assert_num_queries):
    rows.update(call, agent=None, state=CallState.WAITING)
    with django_assert_num_queries(1):
        [found] = rows.select(Call, "id = %s", [call.pk], related=("queue", "agent"))
        assert found.agent is None
        assert found.queue.name == "novisad"


def test_update_writes_only_the_fields_named(call):
    Call.objects.filter(pk=call.pk).update(hangup_cause="written meanwhile")
    rows.update(call, state=CallState.CONNECTED, answered_at=AT + timedelta(seconds=5))
    stored = Call.objects.get(pk=call.pk)
    assert (stored.state, stored.answered_at) == (CallState.CONNECTED, AT + timedelta(seconds=5))
    assert stored.hangup_cause == "written meanwhile"
    assert call.state == CallState.CONNECTED  # the instance in hand agrees


def test_hand_written_statements_take_datetimes_as_the_orm_stores_them(call):
    member = QueueMember.objects.get(agent=call.agent)
    rows.execute(
        f"UPDATE {rows.table(QueueMember)} SET last_call_at = %s WHERE id = %s",
        [rows.moment(AT), member.pk],
    )
    assert QueueMember.objects.filter(last_call_at__gte=AT, last_call_at__lte=AT).count() == 1
    assert rows.query(f"SELECT COUNT(*) FROM {rows.table(Queue)}") == [(1,)]
    assert rows.select(Agent, "extension = %s", ["nobody"]) == []
