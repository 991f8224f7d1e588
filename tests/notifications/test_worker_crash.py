"""A worker killed with SIGKILL in the middle of a burst loses no message and sends none
twice: the restarted worker resends what was in flight with the same idempotency key."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from civicline.notifications.models import Channel, DeliveryStatus, Notification, Recipient
from tests.conftest import CITIZEN_PHONE
from tests.notifications.conftest import GatewayStub

pytestmark = pytest.mark.django_db(transaction=True)

BURST = 1000
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for a second process to open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(gateway_url: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CIVICLINE_DATA_DIR": str(settings.DATA_DIR),
        "CIVICLINE_SMS_GATEWAY": "http",
        "CIVICLINE_SMS_URL": gateway_url,
        # A short lease, so the restarted worker takes over the dead one's message quickly.
        "CIVICLINE_NOTIFY_LEASE_SECONDS": "3",
        "CIVICLINE_SMS_TIMEOUT": "2",
        "CIVICLINE_EMAIL_TIMEOUT": "2",
        "CIVICLINE_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "civicline.cli", "worker"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, worker: subprocess.Popen, log_path: Path, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited:\n{log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.05)


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(register, tmp_path):
    # given a burst of 1,000 SMS in the outbox
    case = register()
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            case=case,
            recipient=Recipient.REPORTER,
            channel=Channel.SMS,
            to=CITIZEN_PHONE,
            language="sr",
            body=f"Порука {i}",
            next_attempt_at=now,
            created_at=now,
        )
        for i in range(BURST)
    )
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    gateway = GatewayStub()
    server = gateway.serve()
    log_path = tmp_path / "worker.log"

    # when the worker is killed once a third has gone out, then started again
    with log_path.open("w") as log:
        worker = start_worker(gateway.url, log)
        try:
            wait_for(lambda: len(gateway.delivered) >= BURST // 3, worker, log_path, seconds=30)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            killed_at = len(gateway.delivered)
            worker = start_worker(gateway.url, log)
            wait_for(
                lambda: not Notification.objects.exclude(status=DeliveryStatus.SENT).exists(),
                worker,
                log_path,
                seconds=40,
            )
        finally:
            worker.kill()
            worker.wait()
            server.shutdown()
            server.server_close()

    # then every message was delivered exactly once
    assert killed_at < BURST
    assert set(gateway.delivered) == keys
    assert len(gateway.requests) >= BURST
    # At most the one message in flight when the worker died went to the gateway twice,
    # and the gateway recognised it by its key.
    resent = [key for key, n in Counter(r["key"] for r in gateway.requests).items() if n > 1]
    assert len(resent) <= 1
    assert len(gateway.requests) == BURST + len(resent)
