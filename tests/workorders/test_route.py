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
