"""Boundaries of the demo city's areas: approximate outlines of Novi Sad's districts around
the centre (45.25 N, 19.84 E), drawn by hand for the demo, not surveyed.

They are a GeoJSON FeatureCollection, loaded the way the system engineer loads a city's
real ones in the admin (Areas -> Import GeoJSON), so a case's point places it in its area.
Liman is a MultiPolygon: the quarter on the left bank and Ribarsko ostrvo (the Fisherman's
Island) downstream. Positions are [longitude, latitude]; rings are closed, counter-clockwise.
"""

from civicline.directory import services as directory_services


def _area(code: str, name: str, geometry: dict) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": geometry,
    }


def _polygon(*rings: list[tuple[float, float]]) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in rings]}


BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        # The old town: from Bulevar oslobođenja to the Danube, Futoška to Bulevar Mihajla Pupina.
        _area("stari-grad", "Стари град", _polygon(
            [(19.8360, 45.2495), (19.8520, 45.2490), (19.8580, 45.2530), (19.8575, 45.2600),
             (19.8450, 45.2620), (19.8360, 45.2600), (19.8360, 45.2495)],
        )),
        _area("liman", "Лиман", {"type": "MultiPolygon", "coordinates": [
            # Liman I-IV, south of the old town down to the Danube's quay.
            _polygon([(19.8300, 45.2400), (19.8450, 45.2340), (19.8620, 45.2380),
                      (19.8600, 45.2460), (19.8520, 45.2490), (19.8360, 45.2495),
                      (19.8300, 45.2400)])["coordinates"],
            # Ribarsko ostrvo.
            _polygon([(19.8700, 45.2370), (19.8780, 45.2380), (19.8790, 45.2420),
                      (19.8720, 45.2415), (19.8700, 45.2370)])["coordinates"],
        ]}),
        _area("grbavica", "Грбавица", _polygon(
            [(19.8200, 45.2420), (19.8300, 45.2400), (19.8360, 45.2495), (19.8360, 45.2530),
             (19.8200, 45.2545), (19.8200, 45.2420)],
        )),
        _area("detelinara", "Детелинара", _polygon(
            [(19.8050, 45.2580), (19.8330, 45.2560), (19.8340, 45.2700), (19.8100, 45.2720),
             (19.8050, 45.2580)],
        )),
        _area("podbara", "Подбара", _polygon(
            [(19.8450, 45.2620), (19.8575, 45.2600), (19.8650, 45.2640), (19.8600, 45.2720),
             (19.8420, 45.2700), (19.8450, 45.2620)],
        )),
        _area("novo-naselje", "Ново насеље", _polygon(
            [(19.7850, 45.2450), (19.8040, 45.2460), (19.8060, 45.2570), (19.7880, 45.2600),
             (19.7850, 45.2450)],
        )),
        # Across the Danube: the lower town under the fortress, and the fortress.
        _area("petrovaradin", "Петроварадин", _polygon(
            [(19.8620, 45.2440), (19.8800, 45.2440), (19.8900, 45.2520), (19.8780, 45.2600),
             (19.8640, 45.2570), (19.8620, 45.2440)],
        )),
        _area("sremska-kamenica", "Сремска Каменица", _polygon(
            [(19.8300, 45.2180), (19.8550, 45.2200), (19.8600, 45.2300), (19.8350, 45.2320),
             (19.8300, 45.2180)],
        )),
    ],
}  # fmt: skip


def boundaries_load() -> None:
    """Give the demo's areas (created by `city._catalogue`, found by code) their outlines."""
    directory_services.areas_import(BOUNDARIES)
