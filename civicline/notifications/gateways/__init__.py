"""The ways a message leaves civicline: SMS gateways (chosen in settings) and e-mail."""

from django.conf import settings

from civicline.notifications.gateways.base import SmsGateway
from civicline.notifications.gateways.http import HttpGateway
from civicline.notifications.gateways.log import LogGateway


def sms_gateway() -> SmsGateway:
    """The gateway the settings name, built afresh so a changed setting takes effect."""
    if settings.SMS_GATEWAY == "http":
        return HttpGateway(**settings.SMS_HTTP)
    return LogGateway()
