"""Open311 benchmark for civicline: how fast apps can post service requests, and whether
the GeoReport v2 reads stay fast when the database holds a million cases.

From the repository root, on SQLite in a temporary folder, or on PostgreSQL:

    .venv/bin/python bench/open311.py
    DATABASE_URL=postgres://... .venv/bin/python bench/open311.py --wipe

DATABASE_URL's database loses every table (dropped, then migrated afresh), and only with
--wipe when it has any. See bench/README.md.
"""

import argparse
import json
import os
import random
import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

# The intake benchmark's set-up (data folder, settings, fresh database, server, clients, the
# bulk fill, the figures) and the deadline benchmark's EXPLAIN, reused as they are. Run as a
# script, bench/ is on sys.path.
import deadlines
import intake

API = "/open311/v2"
LIMIT_VARIABLES = (
    "CIVICLINE_OPEN311_POSTS_PER_MINUTE_PER_KEY",
    "CIVICLINE_OPEN311_POSTS_PER_MINUTE_PER_ADDRESS",
)
# Novi Sad's centre, where the posted reports are pinned (within about 2 km).
CENTRE = (45.2551, 19.8452)

# ---------------------------------------------------------------------------------------
# Set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    numbers = {
        "--total": (1_000_000, "cases to fill up to"),
        "--small": (10_000, "the small size compared"),
        "--posts": (300, "POSTs timed at each size"),
        "--reps": (30, "repetitions per GET timing"),
        "--limit": (1_000_000, "POSTs a minute per key and per address (normally 120 and 20)"),
        "--seed": (7, "seed of the random choices"),
    }
    for name, (default, text) in numbers.items():
        parser.add_argument(name, type=int, default=default, help=text)
    parser.add_argument(
        "--client",
        choices=["server", "inprocess"],
        default="server",
        help="server: real HTTP to `civicline serve` (the default); inprocess: django.test.Client",
    )
    flags = {
        "--wipe": "allow dropping every table of DATABASE_URL",
        "--keep": "keep the temporary data folder",
    }
    for name, text in flags.items():
        parser.add_argument(name, action="store_true", help=text)
    args = parser.parse_args()
    if args.small > args.total:
        parser.error("--small must not exceed --total")
    return args


def raise_limits(limit: int) -> None:
    """The POST limits are settings read at start-up: set them before django.setup(), and
    the server subprocess inherits them with the environment."""
    for name in LIMIT_VARIABLES:
        os.environ[name] = str(limit)


# ---------------------------------------------------------------------------------------
# Posting service requests


class Reports:
    """Service requests as a reporting app sends them, for categories an app can post to
    without extra answers: listed by services.json, no required question, not moderated
    (a moderated one answers with a token and registers nothing)."""

    def __init__(self, world: intake.World, key: str):
        from civicline.open311 import selectors

        plain = {c.id for c in world.categories}  # active, no required question
        self.categories = [c for c in selectors.services() if c.id in plain and not c.moderated]
        if not self.categories:
            raise SystemExit("no Open311 service without required questions or moderation")
        self.world, self.key = world, key

    def body(self, contact: str = "", category=None) -> str:
        """A report; `contact` is "none", "phone" or "email", or "" for the mix of a real app:
        half leave a name with a phone (30 %) or an e-mail (20 %)."""
        rng, city = self.world.rng, self.world.city
        category = category or rng.choice(self.categories)
        number = rng.randint(1, 120)
        descriptions = city.DESCRIPTIONS.get(category.code) or [category.name]
        data = {
            "api_key": self.key,
            "service_code": category.code,
            "lat": f"{CENTRE[0] + rng.uniform(-0.02, 0.02):.6f}",
            "long": f"{CENTRE[1] + rng.uniform(-0.02, 0.02):.6f}",
            "address_string": f"{rng.choice(list(city.STREETS))} {number}, Нови Сад",
            "description": rng.choice(descriptions).format(n=number),
        }
        if not contact:
            roll = rng.random()
            contact = "phone" if roll < 0.3 else "email" if roll < 0.5 else "none"
        if contact == "phone":
            data["phone"] = intake.new_phone(rng)
        elif contact == "email":
            data["email"] = f"citizen{rng.randint(1, 10**9)}@example.org"
        if contact != "none":
            data["first_name"], data["last_name"] = rng.choice(city.FIRST), rng.choice(city.LAST)
        return urlencode(data)


def post_checked(client, body: str) -> None:
    status, answer = client.request("POST", f"{API}/requests.json", body, intake.FORM)
    if status != 201 or not json.loads(answer)[0].get("service_request_id"):
        raise SystemExit(f"POST requests.json answered {status}: {answer[:500]!r}")


def time_posts(client, reports: Reports, n: int, size: int) -> intake.Row:
    post_checked(client, reports.body())  # warm-up: the key, the catalogue, translations
    bodies = [reports.body() for _ in range(n)]
    samples = []
    start = time.perf_counter()
    for body in bodies:
        t0 = time.perf_counter()
        post_checked(client, body)
        samples.append((time.perf_counter() - t0) * 1000)
    wall = time.perf_counter() - start
    return intake.Row("post", "POST requests.json (form, 201)", size, samples, wall)


# ---------------------------------------------------------------------------------------
# Reading


def reads(service_code: str, reference: str) -> dict[str, str]:
    """name -> path, for the moment it is called (the relative dates move with the clock)."""
    from django.utils import timezone

    from civicline.open311.formats import w3c

    yesterday = w3c(timezone.now() - timedelta(days=1))
    base = f"{API}/requests.json"
    return {
        "GET requests.json (last 90 days, page 1)": base,
        "GET requests.json?status=open": f"{base}?status=open",
        "GET requests.json?service_code=": f"{base}?{urlencode({'service_code': service_code})}",
        "GET requests.json?updated_after=<yesterday>": (
            f"{base}?{urlencode({'updated_after': yesterday})}"
        ),
        "GET requests.json?page=5&page_size=100": f"{base}?page=5&page_size=100",
        "GET requests.json?extensions=true": f"{base}?extensions=true",
        "GET requests/{id}.json": f"{API}/requests/{reference}.json",
        "GET servicerequestupdates.json?start_date=<1 d>": (
            f"{API}/servicerequestupdates.json?{urlencode({'start_date': yesterday})}"
        ),
    }


def get_checked(client, path: str) -> list:
    status, body = client.request("GET", path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}: {body[:500]!r}")
    return json.loads(body)


def busiest_service(reports: Reports) -> str:
    """The service with the most cases: the heaviest service_code filter."""
    from django.db.models import Count

    from civicline.cases.models import Case

    codes = {c.id: c.code for c in reports.categories}
    busiest = (
        Case.objects.filter(category_id__in=codes)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return codes[busiest["category_id"]]


@dataclass
class Phase:
    """What was measured at one size."""

    size: int
    fill: str = ""
    queries: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)  # rows each GET answered with
    statements: dict[str, list[str]] = field(default_factory=dict)  # SQL, by read


def time_reads(client, paths: dict[str, str], reps: int, phase: Phase) -> list[intake.Row]:
    rows = []
    for name, path in paths.items():
        phase.items[name] = len(get_checked(client, path))  # warm-up, and the answer's size
        samples = intake.time_each(lambda path=path: get_checked(client, path), reps)
        rows.append(intake.Row("read", name, phase.size, samples))
    return rows


def count_queries(paths: dict[str, str], reports: Reports, phase: Phase) -> None:
    """Queries per request, in-process (CaptureQueriesContext), and their SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = intake.InProcessClient()
    for name, path in paths.items():
        get_checked(client, path)  # once uncounted, so nothing one-off is counted
        with CaptureQueriesContext(connection) as captured:
            get_checked(client, path)
        phase.queries[name] = len(captured)
        phase.statements[name] = [q["sql"] for q in captured]
    # One service and one kind of contact per row, as the count depends on both (a new
    # reporter is written, a known one is not). The fewest of three: the first POST of a
    # minute also opens the rate windows.
    shapes = {"none": "anonymous", "phone": "a new phone", "email": "a new e-mail"}
    for contact, label in shapes.items():
        counted = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                post_checked(client, reports.body(contact, reports.categories[0]))
            counted.append(len(captured))
        phase.queries[f"POST requests.json, {label}"] = min(counted)


# ---------------------------------------------------------------------------------------
# Plans


@dataclass
class Plan:
    name: str
    sql: str
    lines: list[str]

    def describe(self, size: int) -> str:
        heading = f"Plan at {size:,} cases, {self.name}: {self.verdict}"
        return "\n".join([heading, f"  SQL: {self.sql}", *(f"    {text}" for text in self.lines)])

    @property
    def verdict(self) -> str:
        """Whether the plan reads the table through an index or scans all of it, and whether
        it sorts every matching row before the page is cut."""
        table = "cases_caseevent" if "servicerequestupdates" in self.name else "cases_case"
        scans, indexes = [], []
        for text in self.lines:
            words = text.replace('"', "").split()
            if table not in words:
                continue
            if "INDEX" in words:  # SQLite: SEARCH/SCAN t USING [COVERING] INDEX name
                indexes.append(words[words.index("INDEX") + 1])
            elif "using" in words:  # PostgreSQL: Index [Only] Scan [Backward] using name on t
                indexes.append(words[words.index("using") + 1])
            elif "Bitmap" in words:  # PostgreSQL: Bitmap Heap Scan on t, its indexes below
                indexes += [
                    line.split(" on ")[1].split()[0]
                    for line in self.lines
                    if "Bitmap Index Scan on " in line
                ]
            elif "SCAN" in words or "Seq" in words:
                scans.append(text.strip())
        if scans:
            found = f"FULL SCAN of {table} ({scans[0]})"
        elif indexes:
            found = f"reads {table} through {', '.join(dict.fromkeys(indexes))}"
        else:
            found = f"no line names {table}"
        if any("LIST SUBQUERY" in text for text in self.lines):  # SQLite: x IN (SELECT ...)
            found += ", once for each id of a subquery's list"
        # SQLite's temporary B-tree, PostgreSQL's Sort (not an Incremental Sort, which only
        # orders the ties of an index that gives the order already).
        if any(
            "TEMP B-TREE FOR ORDER BY" in text
            or (text.strip().removeprefix("->").split()[:1] == ["Sort"] and "(cost=" in text)
            for text in self.lines
        ):
            found += "; sorts all the matching rows before the page is cut"
        return found


def plans(phase: Phase) -> list[Plan]:
    """EXPLAIN the main statement of the default list, the open filter and the updates, as
    they were sent: the SELECT on the table that holds the rows."""
    found = []
    for name in (
        "GET requests.json (last 90 days, page 1)",
        "GET requests.json?status=open",
        "GET servicerequestupdates.json?start_date=<1 d>",
    ):
        table = '"cases_caseevent"' if "servicerequestupdates" in name else '"cases_case"'
        main = [
            sql
            for sql in phase.statements[name]
            if sql.startswith("SELECT") and f"FROM {table}" in sql and "LIMIT" in sql
        ]
        if main:
            found.append(Plan(name, main[0], deadlines.explain(main[0])))
    return found


# ---------------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    database: str
    transport: str
    load_start: str
    rows: list[intake.Row] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    slowest: list[str] = field(default_factory=list)
    service_code: str = ""
    seconds: float = 0.0


def phase(run: Run, world, client, reports: Reports, size: int) -> None:
    from civicline.cases.models import Case

    added, fill_s = intake.fill_to(world, size)
    total = Case.objects.count()
    here = Phase(size=total, fill=f"+{added:,} cases in {fill_s:.1f} s")
    intake.say(f"filled to {total:,} cases ({here.fill})")
    run.service_code = busiest_service(reports)
    newest = get_checked(client, f"{API}/requests.json?page_size=1")
    paths = reads(run.service_code, newest[0]["service_request_id"])
    run.rows += time_reads(client, paths, run.args.reps, here)
    count_queries(paths, reports, here)
    intake.say(f"GET timings at {total:,} cases done")
    run.rows.append(time_posts(client, reports, run.args.posts, Case.objects.count()))
    intake.say(f"{run.args.posts} POSTs at {total:,} cases done")
    run.phases.append(here)


def serve(args: argparse.Namespace, data_dir, cleanup: ExitStack) -> tuple[object, str]:
    """The client the timings use, and what it is: real HTTP to a `civicline serve`
    subprocess, or django.test.Client (asked for, or when the server does not start)."""
    if args.client == "server":
        try:
            server, port = intake.start_server(data_dir)
        except RuntimeError as exc:
            intake.say(f"server did not start ({exc}); falling back to in-process")
        else:
            cleanup.callback(intake.stop_server, server)
            return intake.HttpClient(port), (
                f"real HTTP: `civicline serve` (uvicorn, 1 worker) on 127.0.0.1:{port}, "
                "http.client keep-alive"
            )
    return intake.InProcessClient(), "in-process django.test.Client (no network)"


def leave(data_dir, keep: bool) -> None:
    if keep:
        print(f"data kept in {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    args = parse_args()
    raise_limits(args.limit)
    data_dir = intake.configure(args)
    overall, load_start = time.perf_counter(), intake.load()
    with ExitStack() as cleanup:
        cleanup.callback(leave, data_dir, args.keep)  # last, after the server has stopped
        from django.db import connection

        from civicline.demo import city
        from civicline.open311.services import application_create

        database = intake.database_description()
        intake.say(f"database: {database} — {connection.settings_dict['NAME']}")
        migrate_s = intake.fresh_database(args.wipe)
        demo_s = intake.time_each(city.load, 1)[0] / 1000
        intake.say(f"migrated in {migrate_s:.1f} s; demo city loaded in {demo_s:.1f} s")
        world = intake.World(random.Random(args.seed))
        reports = Reports(world, application_create(name="bench")[1])
        client, transport = serve(args, data_dir, cleanup)
        intake.say(f"HTTP transport: {transport}")

        run = Run(args, database, transport, load_start=load_start)
        for size in dict.fromkeys([args.small, args.total]):
            phase(run, world, client, reports, size)
        big = run.phases[-1]
        run.plans = plans(big)
        run.slowest = intake.slowest_selects(
            big.statements["GET requests.json (last 90 days, page 1)"]
            + big.statements["GET servicerequestupdates.json?start_date=<1 d>"]
        )
        run.seconds = time.perf_counter() - overall
        report(run)


def facts(run: Run) -> dict[str, str]:
    """The summary's heading: what was measured, where, and how."""
    import platform
    from importlib.metadata import version

    import django

    from civicline.cases.models import Case, CaseEvent

    args = run.args
    fills = "; ".join(f"to {p.size:,}: {p.fill}" for p in run.phases)
    return {
        "code": intake.revision(),
        "database": run.database,
        "HTTP": run.transport,
        "POST limits": (
            f"raised to {args.limit:,} per minute per key and per address "
            f"({' and '.join(LIMIT_VARIABLES)}), for the benchmark only"
        ),
        "software": (
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"uvicorn {version('uvicorn')}"
        ),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "load average": f"{run.load_start} at start, {intake.load()} at end (1/5/15 min)",
        "options": (
            f"--total {args.total} --small {args.small} --posts {args.posts} "
            f"--reps {args.reps} --seed {args.seed}"
        ),
        "final rows": f"{Case.objects.count():,} cases, {CaseEvent.objects.count():,} events",
        "fill": f"{fills} (untimed fixture: intake.fill_to)",
        "service_code": f"{run.service_code} (the service with the most cases)",
        "total run": f"{run.seconds:.0f} s",
    }


def report(run: Run) -> None:
    line = "=" * 110
    print(f"\n{line}\ncivicline Open311 (GeoReport v2) benchmark")
    for label, value in facts(run).items():
        print(f"  {label:<13}: {value}")
    print(f"{line}\n{intake.HEADER}")
    section = None
    for row in run.rows:
        if (row.section, row.size) != section:
            section = (row.section, row.size)
            print("-" * 110)
        print(row.line())
    print("-" * 110)
    sizes = [p.size for p in run.phases]
    print("SQL queries per request (in-process, CaptureQueriesContext), and rows answered:")
    heading = "".join(f" {f'q @ {s:,}':>13}" for s in sizes)
    heading += "".join(f" {f'rows @ {s:,}':>15}" for s in sizes)
    print(f"  {'':<50}{heading}")
    for name in run.phases[0].queries:
        counts = [p.queries[name] for p in run.phases]
        items = [p.items.get(name) for p in run.phases]
        text = "".join(f" {n:>13}" for n in counts)
        text += "".join(f" {'-' if n is None else f'{n:,}':>15}" for n in items)
        print(f"  {name:<50}{text}{'   <-- grows' if len(set(counts)) > 1 else ''}")
    print(f"Slowest queries of the default list and the updates at {sizes[-1]:,} cases (re-run):")
    for text in run.slowest:
        print(f"  {text}")
    for plan in run.plans:
        print("-" * 110)
        print(plan.describe(sizes[-1]))
    print(line)


if __name__ == "__main__":
    main()
