"""The crew's open orders come in the order of a short route."""

from decimal import Decimal

from civicline.directory.selectors import staff_profile
from civicline.workorders.selectors import field_routes


def test_orders_follow_the_nearest_neighbour_from_the_first(city, water_order, login):
    def at(address, lat, lon):
        return water_order(address=address, latitude=Decimal(lat), longitude=Decimal(lon))

    # Sent first, at the west end; the far east one second; one beside the first third.
    first = at("West 1", "45.250000", "19.800000")
    far = at("East 99", "45.250000", "19.900000")
    near = at("West 3", "45.250000", "19.810000")
    nowhere = water_order(address="Somewhere unknown")

    [(team, orders)] = field_routes(staff_profile(city.field_worker), city.field_worker)

    assert team.name == "Water crew"
    assert orders == [first, near, far, nowhere]
    page = login(city.field_worker).get("/field/").content.decode()
    positions = [page.index(a) for a in ("West 1", "West 3", "East 99", "Somewhere unknown")]
    assert positions == sorted(positions)


def test_the_map_numbers_the_stops_in_route_order(city, water_order, login):
    import json
    import re

    first = water_order(latitude=Decimal("45.250000"), longitude=Decimal("19.800000"))
    second = water_order(latitude=Decimal("45.250000"), longitude=Decimal("19.810000"))
    water_order(address="Somewhere unknown")  # no point: on the list, not on the map

    page = login(city.field_worker).get("/field/").content.decode()

    raw = re.search(r'<script id="route-stops" type="application/json">(.*?)</script>', page)
    stops = json.loads(raw.group(1))
    assert [s["url"] for s in stops] == [f"/field/{first.pk}/", f"/field/{second.pk}/"]
    assert stops[0]["label"].startswith("1. ") and stops[1]["label"].startswith("2. ")
    assert 'id="field-map"' in page
