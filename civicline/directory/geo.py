"""Plain-Python geometry for area boundaries (GeoJSON, longitude/latitude in degrees).

No spatial database is needed: the same code runs on SQLite and PostgreSQL (PostGIS is
not used). Areas are a city's districts and local communities, a few dozen polygons, so a
look-up reads them all and tests the point against each one whose bounding box holds it.

Conventions, decided here and tested in tests/directory/test_geo.py:

- The boundary belongs to the area (polygons are closed sets). A point exactly on an
  edge or a vertex of the outer ring is inside; a point exactly on the border of a hole
  is inside too (the hole's border is the area's border); only points strictly inside a
  hole are outside. "Exactly" is within `BORDER_TOLERANCE` degrees (about 0.1 mm), so a
  point typed on a slanted edge is not lost to floating-point rounding.
- Inside is decided by ray casting (the even-odd rule) in the plane of longitude and
  latitude: a polygon's point is inside its outer ring and inside none of its holes. A
  MultiPolygon holds a point when any of its polygons does.
- Sizes are planar (shoelace) areas in square degrees, outer rings minus holes. They only
  rank areas that hold the same point, where a square degree is the same size on the
  ground for all of them, so no projection is needed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Degrees; 1e-9 degrees of latitude is about 0.1 mm on the ground.
BORDER_TOLERANCE = 1e-9

Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    """Whether (x, y), already known to lie in the segment's box widened by the tolerance,
    is within the tolerance of the segment."""
    tol = BORDER_TOLERANCE
    dx, dy = x2 - x1, y2 - y1
    length_squared = dx * dx + dy * dy
    if length_squared == 0:  # a repeated position
        return (x - x1) ** 2 + (y - y1) ** 2 <= tol * tol
    cross = dx * (y - y1) - dy * (x - x1)
    # The distance from the point to the line through both ends is |cross| / length.
    return cross * cross <= tol * tol * length_squared


OUTSIDE, ON_BORDER, INSIDE = -1, 0, 1


def ring_locate(x: float, y: float, ring: Ring) -> int:
    """Where (x, y) is for a closed ring: OUTSIDE, ON_BORDER (an edge or a vertex) or
    INSIDE, by ray casting to the east (the even-odd rule), in one pass over the edges."""
    tol = BORDER_TOLERANCE
    inside = False
    x1, y1 = ring[0][0], ring[0][1]
    for i in range(1, len(ring)):
        x2, y2 = ring[i][0], ring[i][1]
        # Most edges are rejected here, by latitude alone.
        if (y1 - tol <= y <= y2 + tol) or (y2 - tol <= y <= y1 + tol):
            if ((x1 - tol <= x <= x2 + tol) or (x2 - tol <= x <= x1 + tol)) and _on_segment(
                x, y, x1, y1, x2, y2
            ):
                return ON_BORDER
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        x1, y1 = x2, y2
    return INSIDE if inside else OUTSIDE


def polygon_contains(polygon: Polygon, x: float, y: float) -> bool:
    """A GeoJSON Polygon's rings (outer first, holes after) hold (x, y), borders included."""
    if not polygon:
        return False
    outer = ring_locate(x, y, polygon[0])
    if outer != INSIDE:
        return outer == ON_BORDER
    for hole in polygon[1:]:
        where = ring_locate(x, y, hole)
        if where == ON_BORDER:
            return True
        if where == INSIDE:
            return False
    return True


def polygons(geometry: dict) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon geometry; none for anything else."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        return list(coordinates)
    return []


def bounding_box(geometry: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the outer rings; None for an empty geometry."""
    xs: list[float] = []
    ys: list[float] = []
    for polygon in polygons(geometry):
        if polygon:
            xs.extend(p[0] for p in polygon[0])
            ys.extend(p[1] for p in polygon[0])
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def contains(geometry: dict, longitude: float, latitude: float) -> bool:
    """Whether a Polygon or MultiPolygon geometry holds the point, its border included."""
    return any(polygon_contains(p, longitude, latitude) for p in polygons(geometry))


def _ring_area(ring: Ring) -> float:
    twice = sum(
        ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(1, len(ring))
    )
    return abs(twice) / 2


def size(geometry: dict) -> float:
    """Planar area in square degrees: outer rings minus their holes."""
    total = 0.0
    for polygon in polygons(geometry):
        if polygon:
            total += _ring_area(polygon[0]) - sum(_ring_area(hole) for hole in polygon[1:])
    return total


@dataclass(frozen=True)
class Shape:
    """An area's boundary ready for look-ups."""

    key: object
    geometry: dict
    box: tuple[float, float, float, float]

    def contains(self, longitude: float, latitude: float) -> bool:
        west, south, east, north = self.box
        tol = BORDER_TOLERANCE
        if not (west - tol <= longitude <= east + tol and south - tol <= latitude <= north + tol):
            return False
        return contains(self.geometry, longitude, latitude)


def shape(key: object, geometry: object) -> Shape | None:
    if not isinstance(geometry, dict):
        return None
    box = bounding_box(geometry)
    return Shape(key, geometry, box) if box else None


def smallest_containing(shapes: Iterable[Shape], longitude: float, latitude: float) -> object:
    """The key of the smallest shape that holds the point (the local community rather than
    the district around it); ties go to the first shape given. None when none holds it."""
    found = [s for s in shapes if s.contains(longitude, latitude)]
    if not found:
        return None
    return min(found, key=lambda s: size(s.geometry)).key
