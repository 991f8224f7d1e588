import logging

from civicline.notifications.gateways.base import Delivery
from civicline.notifications.masks import mask_phone

log = logging.getLogger("civicline.sms")


class LogGateway:
    """Writes each SMS to the log instead of sending it: the demo's gateway."""

    def send(self, *, to: str, text: str, key: str) -> Delivery:
        log.info("SMS to %s [%s]: %s", mask_phone(to), key, text)
        return Delivery(accepted=True, response="written to the log")
