from dataclasses import dataclass
from typing import Protocol

# What is kept of a gateway's answer.
RESPONSE_CHARS = 1000


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt: accepted or not, and what the other side said."""

    accepted: bool
    response: str


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, key: str) -> Delivery:
        """Hand one SMS over. `key` is the same on every attempt for one notification, so
        a gateway that remembers keys delivers a resent message once."""
        ...
