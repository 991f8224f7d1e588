import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicline.settings")
django_application = get_asgi_application()

from civicline.telephony import gateway  # noqa: E402  (needs the settings loaded)

pbx = gateway.Gateway()


async def application(scope, receive, send):
    """Django for everything, the PBX's events through their own door."""
    if scope["type"] == "http" and scope["path"].startswith(gateway.PATH_PREFIX):
        return await pbx(scope, receive, send)
    return await django_application(scope, receive, send)
