"""A case's point places it in its area: areas drawn as GeoJSON, imported in the admin."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicline.cases import services as case_services
from civicline.directory import geo, services
from civicline.directory.admin import AREAS_IMPORT_MAX_BYTES
from civicline.directory.models import Area
from civicline.directory.selectors import area_at
from civicline.routing.models import RoutingRule


def square(west, south, east, north):
    """A counter-clockwise closed ring, [longitude, latitude]."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


SQUARE = {"type": "Polygon", "coordinates": [square(19.0, 45.0, 20.0, 46.0)]}
TRIANGLE = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [0, 3], [0, 0]]]}
# Two islands; the first has a lake (a hole) from 2 to 4 in both directions.
ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [square(0, 0, 6, 6), square(2, 2, 4, 4)],
        [square(10, 10, 12, 12)],
    ],
}


# --- the geometry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (19.5, 45.5, True),
        (18.9, 45.5, False),
        (19.5, 46.0001, False),
        (21.0, 47.0, False),
    ],
)
def test_a_point_is_inside_or_outside_a_polygon(lon, lat, inside):
    assert geo.contains(SQUARE, lon, lat) is inside


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (19.5, 45.0),  # on the bottom edge
        (20.0, 45.3),  # on the right edge, where a ray to the east would graze nothing
        (19.0, 45.7),  # on the left edge
        (19.0, 45.0),  # on a vertex
        (20.0, 46.0),  # on the opposite vertex
    ],
)
def test_a_point_exactly_on_the_border_is_inside(lon, lat):
    assert geo.contains(SQUARE, lon, lat)


def test_a_point_on_a_slanted_edge_is_inside_despite_rounding():
    # 0.1 + 0.2 style rounding: the hypotenuse from (4, 0) to (0, 3) at x = 1.2 is y = 2.1
    assert geo.contains(TRIANGLE, 1.2, 2.1)
    assert geo.contains(TRIANGLE, 4 * 0.7, 3 * 0.3)
    assert not geo.contains(TRIANGLE, 1.2, 2.1 + 1e-6)
    assert geo.contains(TRIANGLE, 0, 3)  # the apex


@pytest.mark.parametrize(
    ("lon", "lat", "inside", "why"),
    [
        (1, 1, True, "on the island"),
        (3, 3, False, "in the lake"),
        (2, 3, True, "on the lake's shore"),
        (2, 2, True, "on a corner of the lake"),
        (4, 3.5, True, "on the lake's other shore"),
        (11, 11, True, "on the second island"),
        (12, 10.5, True, "on the second island's shore"),
        (8, 8, False, "in the sea between them"),
        (6, 6, True, "on the first island's far corner"),
    ],
)
def test_a_multipolygon_with_a_hole(lon, lat, inside, why):
    assert geo.contains(ISLANDS, lon, lat) is inside, why


def test_sizes_subtract_holes():
    assert geo.size(SQUARE) == pytest.approx(1.0)
    assert geo.size(ISLANDS) == pytest.approx(36 - 4 + 4)
    assert geo.size(TRIANGLE) == pytest.approx(6.0)


def test_the_bounding_box_is_of_the_outer_rings():
    assert geo.bounding_box(ISLANDS) == (0, 0, 12, 12)


# --- areas ----------------------------------------------------------------------------

DISTRICT = {"type": "Polygon", "coordinates": [square(19.80, 45.23, 19.88, 45.27)]}
COMMUNITY = {"type": "Polygon", "coordinates": [square(19.83, 45.24, 19.85, 45.25)]}


@pytest.fixture
def districts(city):
    """Futog stands in for a district; Liman is a local community inside it."""
    city.futog.boundary = DISTRICT
    city.futog.save()
    city.liman.boundary = COMMUNITY
    city.liman.save()
    return city


def test_overlapping_areas_give_the_smallest(districts):
    assert area_at(Decimal("45.245"), Decimal("19.84")) == districts.liman
    assert area_at(45.26, 19.81) == districts.futog
    assert area_at("45.25", "19.85") == districts.liman  # Liman's corner is Liman's
    assert area_at(44.0, 19.84) is None


def test_an_area_edited_counts_at_once(districts):
    districts.liman.boundary = None
    districts.liman.save()
    assert area_at(45.245, 19.84) == districts.futog


def test_a_point_of_nonsense_is_in_no_area(districts):
    assert area_at("nan", "19.84") is None
    assert area_at(None, None) is None


def test_a_broken_stored_boundary_is_skipped(districts):
    Area.objects.create(name="Broken", code="broken", boundary={"type": "Polygon"})
    Area.objects.create(name="Junk", code="junk", boundary=[1, 2])
    assert area_at(45.245, 19.84) == districts.liman


# --- cases ----------------------------------------------------------------------------


def register_at(city, latitude, longitude, **fields):
    return case_services.case_register(
        kind="complaint",
        channel="web",
        category=city.street_light,
        description="Не ради светиљка.",
        actor=None,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        **fields,
    )


def test_a_case_with_a_point_gets_its_area_and_is_routed_by_it(districts):
    RoutingRule.objects.create(
        category=districts.street_light, area=districts.liman, organisation=districts.water
    )
    case = register_at(districts, "45.245000", "19.840000")
    assert case.area == districts.liman and case.organisation == districts.water

    outside = register_at(districts, "45.260000", "19.810000")
    assert outside.area == districts.futog and outside.organisation == districts.lighting


def test_a_case_outside_every_area_has_none(districts):
    case = register_at(districts, "44.000000", "20.000000")
    assert case.area is None and case.organisation == districts.lighting


def test_the_area_an_operator_chose_is_kept(districts):
    RoutingRule.objects.create(
        category=districts.street_light, area=districts.liman, organisation=districts.water
    )
    case = register_at(districts, "45.245000", "19.840000", area=districts.futog)
    assert case.area == districts.futog and case.organisation == districts.lighting


# --- the import -----------------------------------------------------------------------


def feature(name, geometry, code=None):
    properties = {"name": name} if code is None else {"name": name, "code": code}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def upload(client, content, name="areas.geojson"):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode()
    return client.post(
        "/admin/directory/area/import/",
        {"file": SimpleUploadedFile(name, content, content_type="application/geo+json")},
        follow=True,
    )


def boundaries():
    return {a.code: (a.name, a.boundary) for a in Area.objects.all()}


def test_the_changelist_offers_the_import(city, login):
    client = login(city.admin)
    assert "/admin/directory/area/import/" in client.get("/admin/directory/area/").content.decode()
    page = client.get("/admin/directory/area/import/")
    assert page.status_code == 200 and "Import areas from GeoJSON" in page.content.decode()


def test_the_import_creates_and_updates_areas_by_code(city, login):
    response = upload(
        login(city.admin),
        collection(
            feature("Ново насеље", DISTRICT),  # code made from the name
            feature("Лиман I", ISLANDS, code="liman"),  # renames and draws Liman
        ),
    )

    assert response.status_code == 200
    assert "Areas imported: 1 new, 1 updated." in response.content.decode()
    assert Area.objects.get(code="novo-naselje").boundary == DISTRICT
    liman = Area.objects.get(pk=city.liman.pk)
    assert (liman.name, liman.boundary) == ("Лиман I", ISLANDS)
    assert area_at(45.25, 19.84) == Area.objects.get(code="novo-naselje")


def test_only_the_geometry_of_a_feature_is_kept(city):
    geometry = {**COMMUNITY, "bbox": [19.83, 45.24, 19.85, 45.25], "junk": "x"}
    assert services.areas_import(collection(feature("Лиман", geometry, code="liman"))) == (0, 1)
    assert Area.objects.get(code="liman").boundary == COMMUNITY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', "not valid JSON: line 1, column 44."),
        (b"\xff\xfe\x00junk", "not UTF-8 text"),
        ([1, 2], "must hold a GeoJSON FeatureCollection"),
        (collection(), "has no features"),
        (
            collection(
                feature("Лиман", COMMUNITY, code="liman"),
                feature("Тачка", {"type": "Point", "coordinates": [19.84, 45.25]}),
            ),
            "Feature 2: The boundary must be a Polygon or a MultiPolygon.",
        ),
        (
            collection(
                feature(
                    "Отворено",
                    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
                )
            ),
            "Feature 1: A polygon ring must end where it starts.",
        ),  # fmt: skip
        (collection(feature("", COMMUNITY)), "Feature 1: It needs a name"),
        (collection(feature("Лиман", COMMUNITY, code="Bad Code")), "lowercase Latin letters"),
        (collection(feature("Ново", DISTRICT), feature("Ново", COMMUNITY)), "is used twice"),
        (
            collection(feature("Лиман", COMMUNITY, code="novi-liman")),
            "The name “Лиман” belongs to the area with the code “liman”.",
        ),
        (
            collection(feature("Лиман", {**COMMUNITY, "coordinates": [square(19, 45, 200, 46)]})),
            "outside the valid longitude/latitude range",
        ),
        (b'{"type": "FeatureCollection", "features": [NaN]}', "Feature 1: It is not a GeoJSON"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(city, login, content, message):
    before = boundaries()
    response = upload(login(city.admin), content)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Nothing was imported" in page
    assert boundaries() == before


def test_a_file_over_the_limit_is_refused(city, login):
    padding = b" " * AREAS_IMPORT_MAX_BYTES
    content = json.dumps(collection(feature("Ново", DISTRICT))).encode() + padding
    before = boundaries()
    response = upload(login(city.admin), content)
    assert "The file is too large: at most 5 MB." in response.content.decode()
    assert boundaries() == before


def test_only_staff_import(city, login):
    response = login(city.lighting_officer).get("/admin/directory/area/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_long_list_of_problems_is_cut_short(city):
    bad = [feature(f"Тачка {n}", {"type": "Point"}) for n in range(30)]
    with pytest.raises(ValidationError) as refused:
        services.areas_import(collection(*bad))
    assert len(refused.value.messages) == services.IMPORT_ERRORS_SHOWN + 1
    assert "10 more problems" in refused.value.messages[-1]


def test_codes_are_made_from_names_in_any_alphabet():
    assert services.area_code("Ново насеље") == "novo-naselje"
    assert services.area_code("Ђурђево") == "djurdjevo"
    assert services.area_code("Sremska Kamenica") == "sremska-kamenica"


def test_the_demo_boundaries_place_the_demo_streets(db):
    from civicline.demo.areas import BOUNDARIES

    for feature_ in BOUNDARIES["features"]:
        Area.objects.create(
            code=feature_["properties"]["code"], name="x" + feature_["properties"]["code"]
        )
    created, updated = services.areas_import(BOUNDARIES)
    assert (created, updated) == (0, len(BOUNDARIES["features"]))
    assert area_at(45.2555, 19.8450).code == "stari-grad"  # Zmaj Jovina
    assert area_at(45.2440, 19.8400).code == "liman"  # Bulevar cara Lazara
    assert area_at(45.2400, 19.8750).code == "liman"  # Ribarsko ostrvo
    assert area_at(45.2650, 19.8200).code == "detelinara"  # Rumenačka
    assert area_at(45.2520, 19.8700).code == "petrovaradin"
