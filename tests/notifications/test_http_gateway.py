"""The generic HTTP SMS gateway speaks whatever body the settings describe."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from civicline.notifications.gateways.http import HttpGateway
from tests.notifications.conftest import free_port

TEXT = 'Пријава 2026-000001: "решена" & затворена\nХвала'


@pytest.fixture
def recorder():
    """Records each request; /moved answers with a redirect."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            seen.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": self.rfile.read(length).decode(),
                }
            )
            self.send_response(302 if self.path.startswith("/moved") else 202)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "8")
            self.end_headers()
            self.wfile.write(b'{"ok":1}')

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def gateway(url, **overrides) -> HttpGateway:
    options = {
        "url": url,
        "method": "POST",
        "auth_header": "Bearer xyz",
        "body_template": '{"to": "{to}", "text": "{text}", "key": "{key}"}',
        "content_type": "application/json",
        "timeout": 2,
    }
    return HttpGateway(**{**options, **overrides})


def test_json_bodies_carry_any_text_intact(recorder):
    url, seen = recorder
    delivery = gateway(f"{url}/sms").send(to="+381641234567", text=TEXT, key="k1")

    assert delivery.accepted and delivery.response == '202 {"ok":1}'
    request = seen[0]
    assert json.loads(request["body"]) == {"to": "+381641234567", "text": TEXT, "key": "k1"}
    assert request["headers"]["Authorization"] == "Bearer xyz"
    assert request["headers"]["Idempotency-Key"] == "k1"


def test_form_bodies_and_get_queries_are_url_encoded(recorder):
    url, seen = recorder
    form = gateway(
        f"{url}/sms",
        body_template="to={to}&msg={text}&id={key}",
        content_type="application/x-www-form-urlencoded",
    )
    query = gateway(f"{url}/sms?user=grad", method="GET", body_template="to={to}&msg={text}")

    assert form.send(to="+381641234567", text=TEXT, key="k2").accepted
    assert query.send(to="+381641234567", text=TEXT, key="k3").accepted

    assert parse_qs(seen[0]["body"]) == {"to": ["+381641234567"], "msg": [TEXT], "id": ["k2"]}
    assert parse_qs(urlsplit(seen[1]["path"]).query) == {
        "user": ["grad"],
        "to": ["+381641234567"],
        "msg": [TEXT],
    }


def test_a_redirect_or_no_answer_is_a_failure(recorder):
    url, _ = recorder
    moved = gateway(f"{url}/moved").send(to="+381641234567", text="x", key="k4")
    refused = gateway(f"http://127.0.0.1:{free_port()}/sms").send(
        to="+381641234567", text="x", key="k5"
    )

    assert not moved.accepted and moved.response.startswith("302")
    assert not refused.accepted and "refused" in refused.response.lower()
