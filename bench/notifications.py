"""Notification benchmark for civicline: how many messages the outbox sends per second.

It fills the outbox with SMS or e-mails and drains it: in-process through each gateway
(the log gateway, the HTTP gateway against a stand-in on loopback, SMTP to a local aiosmtpd),
with one and with several sending processes, and finally with the real `civicline worker`.
It also times what a registration pays for writing its notifications.

Run from the repository root:

    .venv/bin/python bench/notifications.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/notifications.py --wipe   # PostgreSQL

With DATABASE_URL, every table in that database is DROPPED and migrated afresh. The script
refuses to touch a database that has tables unless --wipe is given. See bench/README.md.
"""

import argparse
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version

# The intake benchmark's set-up (data folder, settings, fresh database) and its helpers.
# Run as a script, bench/ is on sys.path.
import intake

PHONE = "+381641234567"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per measurement")
    parser.add_argument("--processes", type=int, default=4, help="senders in the parallel run")
    parser.add_argument("--registrations", type=int, default=300, help="for the write cost")
    parser.add_argument(
        "--wipe", action="store_true", help="allow dropping every table of DATABASE_URL"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    return parser.parse_args()


@dataclass
class Row:
    what: str
    messages: int
    seconds: float

    def line(self) -> str:
        rate = self.messages / self.seconds if self.seconds else 0.0
        per = 1000 * self.seconds / self.messages if self.messages else 0.0
        return f"{self.what:<62} {self.messages:>7,} {self.seconds:9.2f} {rate:10.1f} {per:9.2f}"


HEADER = f"{'measurement':<62} {'n':>7} {'seconds':>9} {'per s':>10} {'ms each':>9}"

# ---------------------------------------------------------------------------------------
# Stand-ins on loopback, each in its own process so they do not share this one's GIL.


def _serve_gateway(port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def start_gateway() -> tuple[multiprocessing.Process, str]:
    port = intake.free_port()
    process = multiprocessing.Process(target=_serve_gateway, args=(port,), daemon=True)
    process.start()
    wait_for_port(port)
    return process, f"http://127.0.0.1:{port}/sms"


def start_smtp() -> tuple[subprocess.Popen, int] | None:
    try:
        import aiosmtpd  # noqa: F401  (a test dependency; without it the SMTP row is skipped)
    except ImportError:
        return None
    port = intake.free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, "-c", "aiosmtpd.handlers.Sink"])
    wait_for_port(port)
    return process, port


def wait_for_port(port: int) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


# ---------------------------------------------------------------------------------------
# The outbox


def street_lighting():
    """The one category the registrations use, and its body."""
    from civicline.directory import services as directory_services
    from civicline.directory.models import Category, Organisation, OrganisationKind

    body = Organisation.objects.create(
        name="ЈКП Јавна расвета", kind=OrganisationKind.PUBLIC_UTILITY
    )
    return directory_services.category_save(
        category=Category(
            code="rasveta",
            name_sr="Улична расвета",
            default_organisation=body,
            allowed_kinds=["complaint"],
        )
    )


def fill(case, channel: str, n: int) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from civicline.notifications.models import Notification

    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    to = PHONE if channel == "sms" else "petar@example.com"
    Notification.objects.bulk_create(
        Notification(
            case=case,
            recipient="reporter",
            channel=channel,
            to=to,
            language="sr",
            subject="Пријава 2026-000001 је решена",
            body=f"Пријава 2026-000001 је решена. Замењена сијалица ({i}).",
            next_attempt_at=now,
            created_at=now,
        )
        for i in range(n)
    )


def all_sent(n: int) -> bool:
    from civicline.notifications.models import Notification

    return Notification.objects.filter(status="sent").count() == n


def drain_in_process() -> float:
    from civicline.notifications.outbox import send_due

    start = time.perf_counter()
    while send_due():
        pass
    return time.perf_counter() - start


def _drain_child(overrides: dict) -> None:
    import django

    django.setup()
    from django.test.utils import override_settings

    from civicline.notifications.outbox import send_due

    with override_settings(**overrides):
        while send_due():
            pass


def drain_in_processes(count: int, overrides: dict) -> float:
    # Spawned, not forked: a forked child would share this process's database sockets.
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_drain_child, args=(overrides,)) for _ in range(count)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    return sending_span()


def sending_span() -> float:
    """First to last sent_at: the worker's pace without its start-up."""
    from django.db.models import Max, Min

    from civicline.notifications.models import Notification

    span = Notification.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    return (span["last"] - span["first"]).total_seconds()


def drain_with_worker(n: int, env: dict, with_tasks: bool) -> float:
    from civicline.notifications import tasks
    from civicline.notifications.models import Notification

    if with_tasks:  # as notify_reporter queues them after its commit: one task per event
        pks = list(Notification.objects.values_list("pk", flat=True))
        for pair in range(0, len(pks), 2):
            tasks.send_notifications.enqueue(pks[pair : pair + 2])
    log = open(os.environ["CIVICLINE_DATA_DIR"] + "/worker.log", "ab")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "civicline.cli", "worker"],
        cwd=intake.REPO,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 600
        while not all_sent(n):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the worker stopped or took too long; see worker.log")
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return sending_span()


def registration_cost(category, n: int, consent: bool) -> float:
    from civicline.cases import services

    start = time.perf_counter()
    for i in range(n):
        services.case_intake(
            reporter=services.ReporterDetails(
                name="Петар Петровић",
                phone=f"+3816412{i:05d}",
                email=f"p{i}@example.com",
                consent_to_contact=consent,
            ),
            actor=None,
            kind="complaint",
            channel="phone",
            category=category,
            description="Не ради светиљка испред зграде.",
        )
    return time.perf_counter() - start


def main() -> None:
    args = parse_args()
    data_dir = intake.configure(args)
    started, load_start = time.perf_counter(), intake.load()
    helpers = []
    try:
        from django.conf import settings
        from django.test.utils import override_settings

        from civicline.cases.models import Case

        database = intake.database_description()
        intake.fresh_database(args.wipe)
        category = street_lighting()
        rows = []
        n = args.messages

        for consent in (False, True):
            seconds = registration_cost(category, args.registrations, consent)
            what = "registration, phone + e-mail, " + (
                "consent: 2 messages queued" if consent else "no consent: none"
            )
            rows.append(Row(what, args.registrations, seconds))
        intake.say("registration cost measured")
        case = Case.objects.first()

        gateway, url = start_gateway()
        helpers.append(gateway)
        http = {"SMS_GATEWAY": "http", "SMS_HTTP": {**settings.SMS_HTTP, "url": url}}

        fill(case, "sms", n)
        rows.append(Row("SMS, log gateway, 1 process (outbox cost only)", n, drain_in_process()))
        with override_settings(**http):
            fill(case, "sms", n)
            rows.append(Row("SMS, HTTP gateway on loopback, 1 process", n, drain_in_process()))
            fill(case, "sms", n)
            seconds = drain_in_processes(args.processes, http)
            assert all_sent(n)
            rows.append(
                Row(f"SMS, HTTP gateway on loopback, {args.processes} processes", n, seconds)
            )
        intake.say("in-process SMS runs done")

        smtp = start_smtp()
        if smtp:
            process, port = smtp
            helpers.append(process)
            mail = {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": port,
                "EMAIL_USE_TLS": False,
            }
            with override_settings(**mail):
                fill(case, "email", n)
                seconds = drain_in_process()
                rows.append(Row("e-mail, SMTP to aiosmtpd on loopback, 1 process", n, seconds))
            intake.say("SMTP run done")

        env = {"CIVICLINE_SMS_GATEWAY": "http", "CIVICLINE_SMS_URL": url}
        for with_tasks in (False, True):
            fill(case, "sms", n)
            seconds = drain_with_worker(n, env, with_tasks)
            what = "SMS, HTTP, `civicline worker`, " + (
                "queued tasks + sweep" if with_tasks else "periodic sweep only"
            )
            rows.append(Row(what, n, seconds))
        intake.say("worker runs done")

        line = "=" * 102
        print(f"\n{line}\ncivicline notifications benchmark")
        print(f"  code         : {intake.revision()}")
        print(f"  database     : {database}")
        print(f"  software     : Python {platform.python_version()}, Django {version('django')}")
        print(f"  machine      : {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"  load average : {load_start} at start, {intake.load()} at end (1/5/15 min)")
        print(f"  total run    : {time.perf_counter() - started:.0f} s")
        print(line)
        print(HEADER)
        print("-" * 102)
        for row in rows:
            print(row.line())
        print(line)
        print(
            "Rows with several processes or the worker time the first to the last sent_at,\n"
            "leaving out the processes' start-up.\n"
            "Registration rows are whole case_intake calls, notifications included."
        )
    finally:
        for helper in helpers:
            helper.terminate()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}")


if __name__ == "__main__":
    main()
