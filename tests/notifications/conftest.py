"""Stand-ins for the outside world, on loopback: an SMS gateway and an SMTP server.

Petar reports by phone and agrees to be told how his case goes, by SMS and e-mail.
"""

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from civicline.cases import services as case_services
from civicline.directory.models import CaseKind
from tests.conftest import CITIZEN_PHONE

CITIZEN_EMAIL = "petar.petrovic@example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GatewayStub:
    """An SMS gateway that remembers idempotency keys, as real ones do: a message resent
    with a key it already accepted is answered "duplicate" and not delivered again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[dict] = []  # every request, as received
        self.delivered: dict[str, dict] = {}  # key -> the body it was delivered with
        self.failures_left = 0

    def fail_next(self, count: int) -> None:
        self.failures_left = count

    def answer(self, key: str, body: dict) -> tuple[int, dict]:
        with self.lock:
            self.requests.append({"key": key, **body})
            if self.failures_left:
                self.failures_left -= 1
                return 503, {"error": "try later"}
            if key in self.delivered:
                return 200, {"duplicate": True}
            self.delivered[key] = body
            return 200, {"id": len(self.delivered)}

    def serve(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, answer = stub.answer(self.headers.get("Idempotency-Key", ""), body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{server.server_port}/sms"
        return server


@pytest.fixture
def gateway(settings):
    """The HTTP SMS gateway, pointed at a stub on loopback."""
    stub = GatewayStub()
    server = stub.serve()
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP = {**settings.SMS_HTTP, "url": stub.url, "auth_header": "Bearer test"}
    yield stub
    server.shutdown()
    server.server_close()


class Mailbox:
    """aiosmtpd's handler: keeps every message it is handed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield mailbox
    controller.stop()


@pytest.fixture
def report(city):
    """Register a case from Petar, who gives his phone and e-mail and consents."""

    def _report(category=None, *, language="sr", consent=True, email=CITIZEN_EMAIL, **fields):
        return case_services.case_intake(
            reporter=case_services.ReporterDetails(
                name="Петар Петровић",
                phone=fields.pop("phone", CITIZEN_PHONE),
                email=email,
                language=language,
                consent_to_contact=consent,
            ),
            actor=city.operator,
            kind=fields.pop("kind", CaseKind.COMPLAINT),
            channel="phone",
            category=category or city.street_light,
            description="Не ради светиљка испред зграде.",
            address="Булевар ослобођења 10",
            **fields,
        )

    return _report
