"""The server's logs, as `civicline serve` writes them, never hold the PBX's token, a
citizen's tracking code or an Open311 API key."""

import io
import logging
import urllib.error
import urllib.request

import pytest


def fetch(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture
def logs():
    """What a log file attached to the access log and Django's request log would hold."""
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_secrets_in_addresses_are_not_logged(server, logs):
    assert fetch(f"{server}/api/v1/cti/pbx-secret-1234", b'{"event": "hangup"}') == 401
    assert fetch(f"{server}/portal/track/2026-000001/code-secret-5678/") == 404
    assert fetch(f"{server}/open311/v2/services.json?api_key=key-secret-9012&x=1") == 200

    log = logs.getvalue()
    for secret in ("pbx-secret-1234", "code-secret-5678", "key-secret-9012"):
        assert secret not in log
    assert '"POST /api/v1/cti/*** HTTP/1.1" 401' in log
    assert "Unauthorized: /api/v1/cti/***" in log
    assert '"GET /portal/track/2026-000001/***/ HTTP/1.1" 404' in log
    assert "/open311/v2/services.json?api_key=***&x=1" in log
