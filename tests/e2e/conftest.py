"""Browser tests: the real ASGI app served by uvicorn on loopback, driven by Debian's
chromium through Playwright."""

import socket
import threading
import time

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(transactional_db, monkeypatch):
    """The app on a real port, sharing the test database with the test."""
    import uvicorn

    from civicline.accesslog import log_config
    from civicline.asgi import application, pbx

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    port = _free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_config=log_config(),  # as `civicline serve` logs, access log included
        timeout_graceful_shutdown=1,
    )
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not app_server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=10)
    # The PBX's door keeps its connection; the test database is dropped at the end.
    pbx.close_connections()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright runs, the test's ORM calls get a connection of their own (another
        # context); close it here, or PostgreSQL cannot drop the test database.
        connections.close_all()
