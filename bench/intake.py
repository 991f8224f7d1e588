"""Intake and list benchmark for civicline: how fast cases get in, and whether the lists
stay fast when the database holds a year of cases.

Run from the repository root:

    .venv/bin/python bench/intake.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/intake.py --wipe   # PostgreSQL

With DATABASE_URL, every table in that database is DROPPED and migrated afresh. The script
refuses to touch a database that has tables unless --wipe is given. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.cookies import SimpleCookie
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
YEAR_SECONDS = 365 * 24 * 3600
FILL_REPORTERS = 20_000
FILL_CHUNK = 5_000
FILL_CACHE_KIB = 512 * 1024  # SQLite's page cache during a fill: its indexes stay in memory

# ---------------------------------------------------------------------------------------
# Set-up. The settings read the environment at import, so it is set before django.setup().


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000, help="registrations via services")
    parser.add_argument("--http", type=int, default=300, help="registrations per HTTP route")
    parser.add_argument("--total", type=int, default=100_000, help="cases to fill up to")
    parser.add_argument("--small", type=int, default=1_000, help="the small size compared")
    parser.add_argument("--reps", type=int, default=50, help="repetitions per list timing")
    parser.add_argument(
        "--client",
        choices=["server", "inprocess"],
        default="server",
        help="server: real HTTP to a `civicline serve` subprocess; inprocess: django.test.Client",
    )
    parser.add_argument(
        "--wipe", action="store_true", help="allow dropping every table of DATABASE_URL"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    return parser.parse_args()


def configure(args: argparse.Namespace) -> Path:
    # A throwaway data folder always: it holds the SQLite file (without DATABASE_URL), the
    # generated secret key and the server's log, and never the user's var/.
    data_dir = Path(tempfile.mkdtemp(prefix="civicline-bench-"))
    os.environ["CIVICLINE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicline.settings"
    os.environ.setdefault("CIVICLINE_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))  # runnable without the editable install too
    import django

    django.setup()
    return data_dir


# ---------------------------------------------------------------------------------------
# Figures


@dataclass
class Row:
    section: str
    what: str
    size: int  # cases in the database when measured
    samples_ms: list[float]
    wall_s: float = 0.0  # for registrations: the loop's wall time, for the rate

    @property
    def rate(self) -> str:
        return f"{len(self.samples_ms) / self.wall_s:8.1f}" if self.wall_s else " " * 8

    def line(self) -> str:
        s = sorted(self.samples_ms)
        p50 = statistics.median(s)
        p95 = statistics.quantiles(s, n=20, method="inclusive")[18] if len(s) > 1 else s[0]
        return (
            f"{self.what:<52} {self.size:>8,} {len(s):>6} {self.rate} "
            f"{p50:9.2f} {p95:9.2f} {s[-1]:9.2f}"
        )


HEADER = (
    f"{'measurement':<52} {'db cases':>8} {'n':>6} {'cases/s':>8} "
    f"{'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}"
)


def time_each(fn: Callable[[], object], reps: int) -> list[float]:
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def say(text: str) -> None:
    print(f"· {text}", flush=True)


# ---------------------------------------------------------------------------------------
# HTTP clients. Both answer request(method, path, body, headers) -> (status, body bytes).


class HttpClient:
    """One keep-alive connection and a cookie jar, as a browser tab has."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closes idle keep-alive connections (uvicorn: after 5 s), e.g. while
            # the fill runs; reconnect once.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, data

    def cookie(self, name: str) -> str:
        return self.cookies.get(name, "")

    def forget_cookie(self, name: str) -> None:
        self.cookies.pop(name, None)

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        body = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            }
        )
        status, _ = self.request("POST", "/accounts/login/", body, FORM)
        if status != 302:
            raise SystemExit(f"login as {username} failed: HTTP {status}")


class InProcessClient:
    """django.test.Client behind the same interface, for --client inprocess."""

    def __init__(self, headers: dict | None = None):
        from django.test import Client

        # ALLOWED_HOSTS has no "testserver": present ourselves as the loopback host.
        self.client = Client(SERVER_NAME="127.0.0.1", headers=headers or {})

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/octet-stream")
        response = self.client.generic(
            method, path, body or "", content_type=content_type, headers=headers
        )
        return response.status_code, response.content

    def cookie(self, name: str) -> str:
        morsel = self.client.cookies.get(name)
        return morsel.value if morsel else ""

    def forget_cookie(self, name: str) -> None:
        self.client.cookies.pop(name, None)

    def login(self, username: str, password: str) -> None:
        from django.contrib.auth import get_user_model

        self.client.force_login(get_user_model().objects.get(username=username))


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, workers: int = 1) -> tuple[subprocess.Popen, int]:
    """`civicline serve` (uvicorn, one worker unless asked) on a free loopback port, same
    environment."""
    port = free_port()
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civicline.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited; see {data_dir / 'server.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


# ---------------------------------------------------------------------------------------
# Database set-up


def fresh_database(allow_wipe: bool) -> float:
    from django.core.management import call_command
    from django.db import connection

    tables = connection.introspection.table_names()
    if tables:
        if not allow_wipe:
            raise SystemExit(
                f"{connection.settings_dict['NAME']} has {len(tables)} tables; "
                "this benchmark drops them all. Run again with --wipe if that is intended."
            )
        say(f"dropping {len(tables)} tables")
        quoted = [connection.ops.quote_name(t) for t in tables]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quoted)} CASCADE")
            else:
                cursor.execute("PRAGMA foreign_keys = OFF")
                for table in quoted:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - start


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        return f"PostgreSQL {server} (psycopg {version('psycopg')})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"


def analyze() -> None:
    """PostgreSQL: refresh planner statistics, as autovacuum would shortly after a bulk load.
    SQLite: nothing; Django never runs ANALYZE there, so neither does a real deployment."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------
# What gets registered


@dataclass(frozen=True)
class Intake:
    category: object
    kind: str
    channel: str
    description: str
    address: str
    area: object | None
    reporter: object  # services.ReporterDetails

    def form(self, csrf: str) -> str:
        r = self.reporter
        data = {
            "csrfmiddlewaretoken": csrf,
            "phone": r.phone,
            "name": r.name,
            "email": r.email,
            "language": r.language,
            "kind": self.kind,
            "channel": self.channel,
            "category": self.category.id,
            "description": self.description,
            "address": self.address,
            "area": self.area.id if self.area else "",
            "latitude": "",
            "longitude": "",
            "answer": "",
        }
        if r.consent_to_contact:
            data["consent_to_contact"] = "on"
        return urlencode(data)

    def json(self) -> str:
        r = self.reporter
        reporter = None
        if r.name or r.phone or r.email:
            reporter = {
                "name": r.name,
                "phone": r.phone,
                "email": r.email,
                "language": r.language,
                "consent_to_contact": r.consent_to_contact,
            }
        return json.dumps(
            {
                "kind": self.kind,
                "channel": self.channel,
                "category": self.category.code,
                "description": self.description,
                "address": self.address,
                "area": self.area.code if self.area else None,
                "reporter": reporter,
            }
        )


def new_phone(rng: random.Random) -> str:
    # The demo's pattern: Serbian mobile numbers that phonenumbers accepts as valid.
    return f"+3816{rng.choice('0134569')}{rng.randint(1000000, 9999999)}"


class World:
    """The demo city's catalogue and people, loaded once."""

    def __init__(self, rng: random.Random):
        from django.contrib.auth import get_user_model

        from civicline.demo import city
        from civicline.directory.models import Area, Category

        self.rng = rng
        self.city = city
        # Categories whose extra questions must be answered are left out: this measures
        # intake, and the forms here carry no answers.
        self.categories = list(
            Category.objects.filter(is_active=True).exclude(questions__required=True).distinct()
        )
        self.areas = list(Area.objects.all())
        users = get_user_model().objects
        self.operators = list(users.filter(username__in=["operater1", "operater2", "volonter"]))
        self.operator = users.get(username="operater1")
        self.supervisor_name = "supervizor"
        self.callers: list = []

    def pick_callers(self, count: int) -> None:
        """Repeat callers for the registrations: citizens already in the database."""
        from civicline.cases.models import Reporter
        from civicline.cases.services import ReporterDetails

        # Sampled with the seeded generator, so every database gets the same callers.
        known = list(Reporter.objects.exclude(phone="").order_by("id").values_list("name", "phone"))
        self.callers = [
            ReporterDetails(name=name, phone=phone, consent_to_contact=True)
            for name, phone in self.rng.sample(known, min(count, len(known)))
        ]

    def intakes(self, n: int) -> list[Intake]:
        from civicline.cases.services import ReporterDetails

        rng, city, found = self.rng, self.city, []
        for _ in range(n):
            category = rng.choice(self.categories)
            number = rng.randint(1, 120)
            roll = rng.random()
            if roll < 0.1:
                reporter = ReporterDetails()  # anonymous
            elif roll < 0.6 and self.callers:
                reporter = rng.choice(self.callers)
            else:
                reporter = ReporterDetails(
                    name=f"{rng.choice(city.FIRST)} {rng.choice(city.LAST)}",
                    phone=new_phone(rng),
                    consent_to_contact=rng.random() < 0.9,
                )
            found.append(
                Intake(
                    category=category,
                    kind=rng.choice(category.allowed_kinds),
                    channel=rng.choice(city.CHANNELS),
                    description=rng.choice(city.DESCRIPTIONS[category.code]).format(n=number),
                    address=f"{rng.choice(list(city.STREETS))} {number}, Нови Сад",
                    area=rng.choice(self.areas) if rng.random() < 0.9 else None,
                    reporter=reporter,
                )
            )
        return found


# ---------------------------------------------------------------------------------------
# Registrations


def register_one(world: "World", intake: "Intake") -> None:
    from civicline.cases import services

    services.case_intake(
        reporter=intake.reporter,
        actor=world.operator,
        kind=intake.kind,
        channel=intake.channel,
        category=intake.category,
        description=intake.description,
        address=intake.address,
        area=intake.area,
    )


def register_via_services(world: World, n: int, size: int) -> Row:

    samples = []
    start = time.perf_counter()
    for intake in world.intakes(n):
        t0 = time.perf_counter()
        register_one(world, intake)
        samples.append((time.perf_counter() - t0) * 1000)
    return Row("register", "services.case_intake", size, samples, time.perf_counter() - start)


def register_via_desk(world: World, client, n: int, size: int) -> Row:
    client.request("GET", "/desk/")  # the page an operator has open; warms templates
    samples = []
    start = time.perf_counter()
    for intake in world.intakes(n):
        t0 = time.perf_counter()
        status, body = client.request(
            "POST", "/desk/", intake.form(client.cookie("csrftoken")), FORM
        )
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 302:
            raise SystemExit(f"desk POST answered {status}: {body[:800]!r}")
        # The redirect is not followed, so the figure is the registration alone; a browser
        # would show (and so clear) the success message there. Drop it, as that page would.
        client.forget_cookie("messages")
    return Row("register", "POST /desk/ (form, 302)", size, samples, time.perf_counter() - start)


def register_via_api(world: World, client, n: int, size: int) -> Row:
    client.request("GET", "/api/v1/cases?page=1")  # warm the router and the token look-up
    samples = []
    start = time.perf_counter()
    for intake in world.intakes(n):
        t0 = time.perf_counter()
        status, body = client.request("POST", "/api/v1/cases", intake.json(), JSON)
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 201:
            raise SystemExit(f"API POST answered {status}: {body[:800]!r}")
    return Row(
        "register", "POST /api/v1/cases (JSON, 201)", size, samples, time.perf_counter() - start
    )


# ---------------------------------------------------------------------------------------
# The fill: rows written directly, a fixture, not a measurement.


def _fill_status(age_days: float, rng: random.Random) -> str:
    """Older cases have travelled further, as in the demo city."""
    from civicline.cases.models import Status

    roll = rng.random()
    if roll < 0.04:
        return Status.CANCELLED
    if age_days > 30:
        return Status.CLOSED if roll < 0.8 else Status.RESOLVED
    return rng.choice(
        [
            Status.REGISTERED,
            Status.ASSIGNED,
            Status.IN_PROGRESS,
            Status.IN_PROGRESS,
            Status.RESOLVED,
        ]
    )


def _ensure_reporters(world: World) -> list[int]:
    from civicline.cases.models import Reporter

    have = set(Reporter.objects.exclude(phone="").values_list("phone", flat=True))
    missing = FILL_REPORTERS - len(have)
    fresh: set[str] = set()
    while len(fresh) < missing:
        phone = new_phone(world.rng)
        if phone not in have:
            fresh.add(phone)
    city = world.city
    Reporter.objects.bulk_create(
        [
            Reporter(
                name=f"{world.rng.choice(city.FIRST)} {world.rng.choice(city.LAST)}",
                phone=phone,
                consent_to_contact=True,
            )
            for phone in sorted(fresh)
        ],
        batch_size=1000,
    )
    return list(Reporter.objects.exclude(phone="").values_list("id", flat=True))


def reserve_references(moments: list) -> dict[int, int]:
    """Take each year's reference numbers for cases made in bulk; the first free number per
    year. References continue each year's counter, so later registrations never collide.
    Call inside a transaction."""
    from django.utils import timezone

    from civicline.cases.models import ReferenceCounter

    per_year = Counter(timezone.localtime(m).year for m in moments)
    next_number = {}
    for year, count in per_year.items():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        next_number[year] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return next_number


def history(cases: list, *, changed_at) -> list:
    """The events of cases made in bulk: registered, and one status change to where each
    stands now, at `changed_at(case)`."""
    from civicline.cases.models import CaseEvent, EventKind, Status

    events = []
    for case in cases:
        common = {"case": case, "organisation_id": case.organisation_id}
        events.append(
            CaseEvent(
                at=case.created_at,
                actor=case.registered_by,
                kind=EventKind.REGISTERED,
                new_value=case.reference,
                status=Status.REGISTERED,
                **common,
            )
        )
        if case.status != Status.REGISTERED:
            events.append(
                CaseEvent(
                    at=changed_at(case),
                    kind=EventKind.STATUS_CHANGED,
                    old_value=Status.REGISTERED,
                    new_value=case.status,
                    status=case.status,
                    **common,
                )
            )
    return events


def bulk_insert(objs: list) -> None:
    """bulk_create for the fills, about twice as fast: the ids are handed out here (after
    the table's highest) and the rows go in through one executemany of a plain INSERT,
    without Django compiling every batch. The instances are written as they
    are: no pre_save (auto_now), no signals. Their foreign keys must hold ids, so insert a
    case before its events are made. Call inside a transaction."""
    from django.core.management.color import no_style
    from django.db import connection, models

    if not objs:
        return
    model, ops = type(objs[0]), connection.ops
    fields = model._meta.concrete_fields
    table = ops.quote_name(model._meta.db_table)

    def adapt(field):  # what get_db_prep_save() does, for the types these tables have
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, (models.DecimalField, models.JSONField, models.UUIDField)):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    plain = [(field.attname, adapt(field)) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({ops.quote_name(model._meta.pk.column)}) FROM {table}")
        first = (cursor.fetchone()[0] or 0) + 1
        rows = []
        for number, obj in enumerate(objs, first):
            obj.pk = number
            row = []
            for name, prep in plain:
                value = getattr(obj, name)
                row.append(value if prep is None or value is None else prep(value))
            rows.append(row)
        columns = ", ".join(ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        for sql in ops.sequence_reset_sql(no_style(), [model]):  # PostgreSQL: past the ids
            cursor.execute(sql)


@contextmanager
def fill_settings():
    """SQLite, during a fill: no fsync (synchronous=OFF) and a page cache of FILL_CACHE_KIB,
    then the connection's own settings again. Outside any transaction (SQLite refuses to
    change synchronous inside one). PostgreSQL: nothing."""
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for pragma, value in (("synchronous", "OFF"), ("cache_size", -FILL_CACHE_KIB)):
            cursor.execute(f"PRAGMA {pragma}")
            before[pragma] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {pragma} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for pragma, value in before.items():
                cursor.execute(f"PRAGMA {pragma} = {value}")


def fill_to(world: World, target: int) -> tuple[int, float]:
    """Bulk-create cases (and their events) until the database holds `target` of them."""
    from django.db import transaction
    from django.utils import timezone

    from civicline.cases.models import Case, Status
    from civicline.routing.selectors import competent_organisation

    missing = target - Case.objects.count()
    if missing <= 0:
        return 0, 0.0
    start = time.perf_counter()
    rng, city = world.rng, world.city
    reporter_ids = _ensure_reporters(world)
    now = timezone.now()
    moments = sorted(now - timedelta(seconds=rng.random() * YEAR_SECONDS) for _ in range(missing))
    routes: dict = {}

    with fill_settings(), transaction.atomic():
        next_number = reserve_references(moments)

        for offset in range(0, missing, FILL_CHUNK):
            cases = []
            for moment in moments[offset : offset + FILL_CHUNK]:
                year = timezone.localtime(moment).year
                number, next_number[year] = next_number[year], next_number[year] + 1
                category = rng.choice(world.categories)
                area = rng.choice(world.areas) if rng.random() < 0.9 else None
                if (category.id, area) not in routes:
                    routes[category.id, area] = competent_organisation(category=category, area=area)
                age_days = (now - moment).total_seconds() / 86400
                status = _fill_status(age_days, rng)
                updated = moment
                if status != Status.REGISTERED:
                    updated = min(now, moment + timedelta(hours=rng.uniform(1, 24 * 20)))
                cases.append(
                    Case(
                        reference=f"{year}-{number:06d}",
                        kind=rng.choice(category.allowed_kinds),
                        channel=rng.choice(city.CHANNELS),
                        category=category,
                        description=rng.choice(city.DESCRIPTIONS[category.code]).format(n=number),
                        address=f"{rng.choice(list(city.STREETS))} {rng.randint(1, 120)}, Нови Сад",
                        area=area,
                        organisation=routes[category.id, area],
                        status=status,
                        reporter_id=rng.choice(reporter_ids) if rng.random() < 0.9 else None,
                        registered_by=rng.choice(world.operators),
                        created_at=moment,
                        updated_at=updated,
                    )
                )
            bulk_insert(cases)
            # One status event for the whole walk: the list pages never read the history.
            bulk_insert(history(cases, changed_at=lambda case: case.updated_at))
    analyze()
    return missing, time.perf_counter() - start


# ---------------------------------------------------------------------------------------
# Reading: the list pages and the caller look-up


@dataclass
class Probes:
    supervisor: object  # client logged in as the supervisor
    operator: object  # client logged in as an operator
    api: object  # client with the bearer token
    counting: dict  # in-process clients, for counting queries
    organisation_id: int
    phone: str

    def pages(self) -> dict[str, tuple[str, str]]:
        """name -> (who, path)"""
        filtered = urlencode({"status": "in_progress", "organisation": self.organisation_id})
        return {
            "GET /supervisor/": ("supervisor", "/supervisor/"),
            "GET /supervisor/?status=in_progress&organisation=": (
                "supervisor",
                f"/supervisor/?{filtered}",
            ),
            "GET /api/v1/cases": ("api", "/api/v1/cases"),
            "GET /desk/caller/?phone=": (
                "operator",
                f"/desk/caller/?{urlencode({'phone': self.phone})}",
            ),
        }


def count_queries(probes: Probes, world: World) -> tuple[dict[str, int], list[str]]:
    """Queries per page render and per registration of a returning caller's case; and the
    slowest queries of one unfiltered supervisor page, to show where its time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, slowest = {}, []
    for name, (who, path) in probes.pages().items():
        client = probes.counting[who]
        client.request("GET", path)  # once uncounted, so nothing one-off is counted
        with CaptureQueriesContext(connection) as captured:
            status, _ = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        counts[name] = len(captured)
        if path == "/supervisor/":
            slowest = slowest_selects([q["sql"] for q in captured])

    intake = replace(world.intakes(1)[0], reporter=world.callers[0])
    with CaptureQueriesContext(connection) as captured:
        register_one(world, intake)
    counts["services.case_intake (returning caller)"] = len(captured)
    posts = {
        "POST /desk/ (returning caller)": ("operator", "/desk/", intake.form(""), FORM, 302),
        "POST /api/v1/cases (returning caller)": ("api", "/api/v1/cases", intake.json(), JSON, 201),
    }
    for name, (who, path, body, headers, expected) in posts.items():
        with CaptureQueriesContext(connection) as captured:
            status, _ = probes.counting[who].request("POST", path, body, headers)
        if status != expected:
            raise SystemExit(f"{path} answered {status}")
        counts[name] = len(captured)
    return counts, slowest


def slowest_selects(statements: list[str], top: int = 3) -> list[str]:
    """Re-run each SELECT alone and fetch every row. The times Django records cover
    execute() only, and SQLite computes a streamed GROUP BY while rows are fetched."""
    from django.db import connection

    timed = []
    for sql in statements:
        if not sql.startswith("SELECT"):
            continue  # e.g. PostgreSQL's DECLARE for a server-side cursor

        def run(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()

        timed.append((statistics.median(time_each(run, 3)), sql))
    timed.sort(reverse=True)
    return [f"{ms:7.1f} ms  {sql[:90]}" for ms, sql in timed[:top]]


def time_reads(probes: Probes, reps: int, size: int) -> list[Row]:
    from civicline.cases import selectors

    clients = {"supervisor": probes.supervisor, "operator": probes.operator, "api": probes.api}
    rows = []
    for name, (who, path) in probes.pages().items():
        client = clients[who]

        def get(client=client, path=path):
            status, body = client.request("GET", path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")

        get()  # warm-up
        rows.append(Row("read", name, size, time_each(get, reps)))
    selectors.caller_history(probes.phone)
    rows.append(
        Row(
            "read",
            "selectors.caller_history() in-process",
            size,
            time_each(lambda: selectors.caller_history(probes.phone), reps),
        )
    )
    return rows


def busiest_reporter_phone() -> str:
    from django.db.models import Count

    from civicline.cases.models import Case

    row = (
        Case.objects.filter(reporter__isnull=False)
        .exclude(reporter__phone="")
        .values("reporter__phone")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["reporter__phone"]


# ---------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    data_dir = configure(args)
    overall, start_load = time.perf_counter(), load()
    server = None
    try:
        from django.db import connection

        from civicline.cases.models import Case
        from civicline.directory.models import Organisation
        from civicline.directory.services import api_token_create

        db = database_description()
        say(f"database: {db} — {connection.settings_dict['NAME']}")
        migrate_s = fresh_database(args.wipe)
        start = time.perf_counter()
        from civicline.demo import city

        city.load()
        demo_s = time.perf_counter() - start
        say(f"migrated in {migrate_s:.1f} s; demo city loaded in {demo_s:.1f} s")

        world = World(random.Random(args.seed))
        _, token = api_token_create(user=world.operator, name="bench")
        auth = {"Authorization": f"Bearer {token}"}
        password = city.DEMO_PASSWORD

        transport = "in-process django.test.Client (no network, no CSRF checks)"
        port = None
        if args.client == "server":
            try:
                server, port = start_server(data_dir)
                transport = (
                    f"real HTTP: `civicline serve` (uvicorn, 1 worker) on 127.0.0.1:{port}, "
                    "http.client keep-alive"
                )
            except RuntimeError as exc:
                say(f"server did not start ({exc}); falling back to in-process")

        def make(headers=None):
            return HttpClient(port, headers) if port else InProcessClient(headers)

        say(f"HTTP transport: {transport}")
        operator_web, supervisor_web, api = make(), make(), make(auth)
        operator_web.login(world.operator.username, password)
        supervisor_web.login(world.supervisor_name, password)
        counting = {
            "supervisor": InProcessClient(),
            "operator": InProcessClient(),
            "api": InProcessClient(auth),
        }
        counting["supervisor"].login(world.supervisor_name, password)
        counting["operator"].login(world.operator.username, password)

        run = Run(args=args, database=db, transport=transport, load_start=start_load)
        added, fill_s = fill_to(world, min(args.small, args.total))
        say(f"filled to {Case.objects.count():,} cases (+{added:,} in {fill_s:.1f} s)")
        world.pick_callers(500)

        # The filtered list looks at the body with the most cases, as a supervisor would.
        org_counts = Counter(Case.objects.values_list("organisation_id", flat=True))
        probes = Probes(
            supervisor=supervisor_web,
            operator=operator_web,
            api=api,
            counting=counting,
            organisation_id=org_counts.most_common(1)[0][0],
            phone=busiest_reporter_phone(),
        )
        run.small = Case.objects.count()
        run.rows += time_reads(probes, args.reps, run.small)
        run.small_queries, run.small_slowest = count_queries(probes, world)
        say(f"read timings at {run.small:,} cases done")

        run.rows.append(register_via_services(world, args.cases, Case.objects.count()))
        say(f"{args.cases} registrations through services done")
        run.rows.append(register_via_desk(world, operator_web, args.http, Case.objects.count()))
        run.rows.append(register_via_api(world, api, args.http, Case.objects.count()))
        say(f"{args.http} + {args.http} registrations over HTTP done")

        added, fill_s = fill_to(world, args.total)
        say(f"filled to {Case.objects.count():,} cases (+{added:,} in {fill_s:.1f} s)")
        run.big = Case.objects.count()
        run.rows += time_reads(probes, args.reps, run.big)
        run.big_queries, run.big_slowest = count_queries(probes, world)
        say(f"read timings at {run.big:,} cases done")

        run.organisation = Organisation.objects.get(id=probes.organisation_id).name
        run.phone = probes.phone
        run.seconds = time.perf_counter() - overall
        report(run)
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}")


@dataclass
class Run:
    args: argparse.Namespace
    database: str
    transport: str
    rows: list[Row] = field(default_factory=list)
    small: int = 0
    big: int = 0
    small_queries: dict[str, int] = field(default_factory=dict)
    big_queries: dict[str, int] = field(default_factory=dict)
    small_slowest: list[str] = field(default_factory=list)
    big_slowest: list[str] = field(default_factory=list)
    organisation: str = ""
    phone: str = ""
    seconds: float = 0.0
    load_start: str = ""


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def revision() -> str:
    """The commit measured, and whether the working tree differs from it."""
    try:
        git = ["git", "-C", str(REPO)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True)
        dirty = subprocess.run([*git, "status", "--porcelain"], capture_output=True).stdout
    except OSError:
        return "unknown (no git)"
    return head.stdout.decode().strip() + (" + uncommitted changes" if dirty.strip() else "")


def report(run: Run) -> None:
    import django

    from civicline.cases.models import Case, CaseEvent, Reporter

    args, line = run.args, "=" * 110
    print()
    print(line)
    print("civicline intake benchmark")
    print(f"  code         : {revision()}")
    print(f"  database     : {run.database}")
    print(f"  HTTP         : {run.transport}")
    print(
        f"  software     : Python {platform.python_version()}, Django {django.get_version()}, "
        f"django-ninja {version('django-ninja')}, uvicorn {version('uvicorn')}"
    )
    print(f"  machine      : {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    # Other work on the machine skews every figure; the load average makes it visible.
    print(f"  load average : {run.load_start} at start, {load()} at end (1/5/15 min)")
    print(
        f"  options      : --cases {args.cases} --http {args.http} --total {args.total} "
        f"--small {args.small} --reps {args.reps} --seed {args.seed}"
    )
    print(
        f"  final rows   : {Case.objects.count():,} cases, {CaseEvent.objects.count():,} events, "
        f"{Reporter.objects.count():,} reporters"
    )
    print(f"  filter       : status=in_progress, organisation={run.organisation!r}")
    print(f"  caller phone : {run.phone} (the reporter with the most cases)")
    print(f"  total run    : {run.seconds:.0f} s")
    print(line)
    print(HEADER)
    section = None
    for row in run.rows:
        if row.section != section:
            section = row.section
            print("-" * 110)
        print(row.line())
    print("-" * 110)
    print("SQL queries (in-process, CaptureQueriesContext), by cases in the database:")
    print(f"  {'':<52} {run.small:>10,} {run.big:>10,}")
    for name, small in run.small_queries.items():
        big = run.big_queries[name]
        print(f"  {name:<52} {small:>10} {big:>10}{'' if small == big else '   <-- grows'}")
    for size, slowest in ((run.small, run.small_slowest), (run.big, run.big_slowest)):
        print(f"Slowest queries of GET /supervisor/ at {size:,} cases (each re-run alone):")
        for text in slowest:
            print(f"  {text}")
    print(line)


if __name__ == "__main__":
    main()
