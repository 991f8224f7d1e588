"""Checks for area boundaries stored as GeoJSON geometries."""

from django.utils.translation import gettext as _


class GeometryError(ValueError):
    pass


def _check_ring(ring: object) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(_("A polygon ring needs at least four positions."))
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(c, int | float) for c in position[:2])
        ):
            raise GeometryError(_("A position must be [longitude, latitude]."))
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise GeometryError(_("A position is outside the valid longitude/latitude range."))
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise GeometryError(_("A polygon ring must end where it starts."))


def _check_polygon(rings: object) -> None:
    if not isinstance(rings, list) or not rings:
        raise GeometryError(_("A polygon needs at least one ring."))
    for ring in rings:
        _check_ring(ring)


def validate_boundary(geometry: object) -> None:
    """Accept a GeoJSON Polygon or MultiPolygon geometry; raise GeometryError otherwise."""
    if not isinstance(geometry, dict):
        raise GeometryError(_("The boundary must be a GeoJSON geometry object."))
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        _check_polygon(coordinates)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryError(_("A multipolygon needs at least one polygon."))
        for polygon in coordinates:
            _check_polygon(polygon)
    else:
        raise GeometryError(_("The boundary must be a Polygon or a MultiPolygon."))
