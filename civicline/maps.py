"""Where the pages' maps get their tiles and open: the same for citizens and staff."""

from django.conf import settings
from django.templatetags.static import static


def map_settings() -> dict:
    return {
        "tiles": settings.PORTAL_TILE_URL,
        # Leaflet guesses its marker images' folder from its CSS link; say it instead.
        "images": static("vendor/leaflet-1.9.4/images/"),
        "attribution": settings.PORTAL_TILE_ATTRIBUTION,
        **settings.PORTAL_MAP_CENTRE,
    }
