"""Field teams of the small city: the water utility's crew (Filip), its sewer department's
crew, and the lighting company's crew."""

import pytest

from civicline.workorders.models import FieldTeam
from civicline.workorders.services import workorder_dispatch


@pytest.fixture
def teams(city):
    class Teams:
        pass

    t = Teams()
    t.water = FieldTeam.objects.create(name="Water crew", organisation=city.water)
    t.water.members.add(city.field_worker)
    t.sewer = FieldTeam.objects.create(name="Sewer crew", organisation=city.sewer)
    t.lighting = FieldTeam.objects.create(name="Lighting crew", organisation=city.lighting)
    return t


@pytest.fixture
def water_order(city, teams, register):
    """A burst pipe the supervisor sent Filip's crew to fix."""

    def _order(kind="fix", **fields):
        case = register(city.water_pipe, **fields)
        return workorder_dispatch(
            case=case, team=teams.water, kind=kind, instructions="Close the valve.",
            by=city.supervisor,
        )  # fmt: skip

    return _order
