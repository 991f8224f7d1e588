"""Deadline sweep benchmark for civicline: the sweep should cost what is due, not what is
open. It times an idle sweep (nothing due) and sweeps with due rungs of the escalation
ladder, at a small and a large number of open cases, and shows the query plans.

Run from the repository root:

    .venv/bin/python bench/deadlines.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/deadlines.py --wipe   # PostgreSQL

With DATABASE_URL, every table in that database is DROPPED and migrated afresh. The script
refuses to touch a database that has tables unless --wipe is given. See bench/README.md.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import time
from dataclasses import dataclass, field
from datetime import timedelta

# The intake benchmark's set-up (data folder, settings, fresh database, ANALYZE) and its
# reporting helpers, reused as they are. Run as a script, bench/ is on sys.path.
import intake

FILL_CHUNK = 5_000
IDLE_BATCH = 500  # deadline_sweep()'s default batch, which the plans below show
# Indexes on the due time, which let a sweep read only what is due. Callbacks have two: the
# partial one for this query and (state, due_at) for the lists; either reads a due range.
ESCALATION_INDEXES = ("escalation_pending_due",)
CALLBACK_INDEXES = ("callback_open_due", "callback_state_due")

# ---------------------------------------------------------------------------------------
# Set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=100_000, help="open cases, large size")
    parser.add_argument("--small", type=int, default=10_000, help="open cases, small size")
    parser.add_argument("--due", type=int, default=1_000, help="rungs due per timed sweep")
    parser.add_argument("--reps", type=int, default=30, help="repetitions per timing")
    parser.add_argument(
        "--due-reps",
        type=int,
        default=5,
        help="repetitions of each sweep with rungs due (each does --due rungs)",
    )
    parser.add_argument(
        "--wipe", action="store_true", help="allow dropping every table of DATABASE_URL"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    if args.small > args.open:
        parser.error("--small must not exceed --open")
    return args


# ---------------------------------------------------------------------------------------
# Figures


@dataclass
class Row:
    what: str
    open_cases: int
    samples_ms: list[float]
    items: int = 0  # rungs done per sweep; 0 for an idle sweep

    def line(self) -> str:
        s = sorted(self.samples_ms)
        p50 = statistics.median(s)
        p95 = statistics.quantiles(s, n=20, method="inclusive")[18] if len(s) > 1 else s[0]
        per_item = f"{p50 / self.items:10.3f}" if self.items else f"{'-':>10}"
        return (
            f"{self.what:<40} {self.open_cases:>10,} {len(s):>5} "
            f"{p50:9.2f} {p95:9.2f} {s[-1]:9.2f} {per_item}"
        )


HEADER = (
    f"{'measurement':<40} {'open cases':>10} {'n':>5} "
    f"{'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'ms / rung':>10}"
)


@dataclass
class Plan:
    sql: str
    lines: list[str]
    indexes: tuple[str, ...]  # the indexes that read only what is due
    note: str

    @property
    def used(self) -> str:
        """The due-time index the plan reads, or "" for none (a scan of the table)."""
        text = "\n".join(self.lines)
        return next((name for name in self.indexes if name in text), "")


@dataclass
class Run:
    args: argparse.Namespace
    database: str
    load_start: str
    rows: list[Row] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    idle_queries: dict[int, int] = field(default_factory=dict)
    idle_sql: list[str] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    captured: str = ""
    fills: list[str] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------
# The fill: open cases with their due times, written directly. A fixture, not a measurement.


class City:
    """What the fill needs from the demo city, read once."""

    def __init__(self, rng: random.Random):
        from civicline.deadlines import services
        from civicline.deadlines.models import DeadlinePolicy
        from civicline.directory.models import Role

        self.world = intake.World(rng)
        self.rng = rng
        self.reporter_ids = intake._ensure_reporters(self.world)
        policies = {p.category_id: p for p in DeadlinePolicy.objects.all()}
        # Each category's own ladder (the demo gives one category a reminder at 50 %),
        # else DEFAULT_LADDER: four rungs per case either way.
        self.ladders = {c.id: services._ladder(policies.get(c.id)) for c in self.world.categories}
        self.officers: dict[int, list] = {}
        self.routes: dict = {}
        self.role_officer = Role.OFFICER

    def organisation(self, category, area):
        from civicline.routing.selectors import competent_organisation

        key = (category.id, area.id if area else None)
        if key not in self.routes:
            self.routes[key] = competent_organisation(category=category, area=area)
        return self.routes[key]

    def officers_of(self, organisation) -> list:
        from civicline.deadlines import services

        if organisation.id not in self.officers:
            self.officers[organisation.id] = services._staff_of(organisation, self.role_officer)
        return self.officers[organisation.id]


def open_count() -> int:
    from civicline.cases.models import OPEN_STATUSES, Case

    return Case.objects.filter(status__in=OPEN_STATUSES).count()


def fill_open(city: City, target: int) -> tuple[int, float]:
    """Bulk-create open cases until the database holds `target` of them, each with its
    registration event, its deadline, its ladder of four rungs and, for information requests,
    a callback. Every case was registered in the last 20 hours and is due between one and
    thirty days from now, so no rung is due yet (the 50 % and 75 % rungs included)."""
    from django.db import transaction
    from django.utils import timezone

    from civicline.cases.models import Case, CaseEvent, Status
    from civicline.deadlines.models import CallbackTask, CaseDeadline, Escalation
    from civicline.directory.models import CaseKind

    missing = target - open_count()
    if missing <= 0:
        return 0, 0.0
    start = time.perf_counter()
    rng, world = city.rng, city.world
    now = timezone.now()
    moments = sorted(now - timedelta(hours=rng.uniform(0, 20)) for _ in range(missing))
    with transaction.atomic():
        next_number = intake.reserve_references(moments)

        for offset in range(0, missing, FILL_CHUNK):
            cases = []
            for moment in moments[offset : offset + FILL_CHUNK]:
                year = timezone.localtime(moment).year
                number, next_number[year] = next_number[year], next_number[year] + 1
                category = rng.choice(world.categories)
                area = rng.choice(world.areas) if rng.random() < 0.9 else None
                organisation = city.organisation(category, area)
                status = rng.choice([Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS])
                officers = city.officers_of(organisation)
                assignee = None
                if status != Status.REGISTERED and officers:
                    assignee = rng.choice(officers)
                street = rng.choice(list(world.city.STREETS))
                cases.append(
                    Case(
                        reference=f"{year}-{number:06d}",
                        kind=rng.choice(category.allowed_kinds),
                        channel=rng.choice(world.city.CHANNELS),
                        category=category,
                        description=rng.choice(world.city.DESCRIPTIONS[category.code]).format(
                            n=number
                        ),
                        address=f"{street} {rng.randint(1, 120)}, Нови Сад",
                        area=area,
                        organisation=organisation,
                        status=status,
                        reporter_id=rng.choice(city.reporter_ids) if rng.random() < 0.9 else None,
                        registered_by=rng.choice(world.operators),
                        assignee=assignee,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
            Case.objects.bulk_create(cases, batch_size=1000)

            events = intake.history(cases, changed_at=lambda c: c.created_at + timedelta(minutes=5))
            deadlines, rungs, callbacks = [], [], []
            for case in cases:
                due = now + timedelta(days=rng.uniform(1, 30))
                span = due - case.created_at
                deadlines.append(CaseDeadline(case=case, resolution_due=due))
                rungs += [
                    Escalation(
                        case=case,
                        percent=percent,
                        action=action,
                        due_at=case.created_at + span * percent / 100,
                    )
                    for percent, action in city.ladders[case.category_id]
                ]
                if case.kind == CaseKind.INFORMATION:
                    callbacks.append(
                        CallbackTask(case=case, due_at=now + timedelta(hours=rng.uniform(24, 48)))
                    )
            CaseEvent.objects.bulk_create(events, batch_size=1000)
            CaseDeadline.objects.bulk_create(deadlines, batch_size=1000)
            Escalation.objects.bulk_create(rungs, batch_size=1000)
            CallbackTask.objects.bulk_create(callbacks, batch_size=1000)
    intake.analyze()
    return missing, time.perf_counter() - start


def give_staff_addresses() -> int:
    """notify_staff() skips users without an e-mail address, and the demo's staff have none:
    give them one, so that the sweep writes the notifications it would in a real city."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(email="")
    count = 0
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        count += 1
    return count


# ---------------------------------------------------------------------------------------
# Rungs that come due


class DuePool:
    """Pending rungs of the filled cases, shuffled per action, handed out in equal shares
    so that every sweep does a mix of reminders, overdue marks and both notifications."""

    def __init__(self, rng: random.Random):
        from civicline.deadlines.models import Action, Escalation

        by_action: dict[str, list[int]] = {a: [] for a in Action.values}
        pending = Escalation.objects.filter(done_at__isnull=True).values_list("id", "action")
        for pk, action in pending:
            by_action[action].append(pk)
        for ids in by_action.values():
            rng.shuffle(ids)
        self.by_action = by_action

    def take(self, count: int) -> list[int]:
        actions = list(self.by_action)
        taken = []
        for i in range(count):
            ids = self.by_action[actions[i % len(actions)]]
            if not ids:
                raise SystemExit("ran out of pending rungs; use fewer --due or --due-reps")
            taken.append(ids.pop())
        return taken


def make_due(ids: list[int], now) -> None:
    """Move these rungs' moments just into the past, as the clock would (untimed)."""
    from civicline.deadlines.models import Escalation

    for offset in range(0, len(ids), 500):
        Escalation.objects.filter(id__in=ids[offset : offset + 500]).update(
            due_at=now - timedelta(seconds=30)
        )


def table_counts() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    from civicline.cases.models import CaseEvent, EventKind
    from civicline.deadlines.models import CaseDeadline, Escalation
    from civicline.notifications.models import Notification

    return {
        "rungs done": Escalation.objects.filter(done_at__isnull=False).count(),
        "notifications": Notification.objects.count(),
        "queued tasks": DBTaskResult.objects.count(),
        "overdue events": CaseEvent.objects.filter(kind=EventKind.OVERDUE).count(),
        "overdue marks": CaseDeadline.objects.filter(overdue_since__isnull=False).count(),
    }


# ---------------------------------------------------------------------------------------
# Measurements. The clock is frozen for each phase, so that nothing of the demo city's
# comes due in the middle of it; the sweep reads clock.now() once, so that costs nothing.


def sweep_checked(expect: int | None = None) -> tuple[float, int]:
    from civicline.deadlines.services import deadline_sweep

    start = time.perf_counter()
    result = deadline_sweep()
    ms = (time.perf_counter() - start) * 1000
    if expect is not None and (result.escalations, result.delayed_callbacks) != (expect, 0):
        raise SystemExit(f"expected {expect} rungs and no callbacks, the sweep did {result}")
    return ms, result.escalations


def time_idle(run: Run, size: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = [sweep_checked(0)[0] for _ in range(run.args.reps)]
    run.rows.append(Row("idle sweep (nothing due)", size, samples))
    with CaptureQueriesContext(connection) as captured:
        sweep_checked(0)
    run.idle_queries[size] = len(captured)
    run.idle_sql = [q["sql"] for q in captured]


def time_due(run: Run, pool: DuePool, size: int, due: int, now, *, plan: bool = False) -> None:
    samples = []
    for rep in range(run.args.due_reps):
        make_due(pool.take(due), now)
        if plan and rep == 0:
            # The sweep's statement again, with rungs due: still the index, up to the batch.
            sql = next(q for q in run.idle_sql if "deadlines_escalation" in q)
            note = f"{due:,} rungs due"
            run.plans.append(Plan(sql, explain(sql), ESCALATION_INDEXES, note))
        samples.append(sweep_checked(due)[0])
    run.rows.append(Row(f"sweep, {due:,} rungs due", size, samples, items=due))


class QueryCounter:
    """Counts statements through an execute wrapper: no debug cursor, and no cap (Django's
    query log, which CaptureQueriesContext reads, keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def capture_due(run: Run, pool: DuePool, size: int, due: int, now) -> None:
    """One more sweep, untimed, to count its queries and the rows it writes."""
    from django.db import connection

    before = table_counts()
    make_due(pool.take(due), now)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        sweep_checked(due)
    after = table_counts()
    written = ", ".join(f"{k} +{after[k] - before[k]:,}" for k in after)
    run.captured = (
        f"one sweep of {due:,} rungs due at {size:,} open cases: {counter.count:,} queries "
        f"({counter.count / due:.1f} per rung, each rung its own transaction); {written}"
    )


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        rows = cursor.fetchall()
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * (depth[node] - 1) + detail)
    return lines


def plans(run: Run, note: str) -> None:
    """The plans of the idle sweep's own statements, exactly as it sent them."""
    for sql in run.idle_sql:
        indexes = ESCALATION_INDEXES if "deadlines_escalation" in sql else CALLBACK_INDEXES
        run.plans.append(Plan(sql=sql, lines=explain(sql), indexes=indexes, note=note))


def phase(run: Run, city: City, size: int, due_sizes: list[int]) -> None:
    from django.utils import timezone

    from civicline import clock

    added, fill_s = fill_open(city, size)
    run.fills.append(f"+{added:,} open cases in {fill_s:.1f} s")
    intake.say(f"filled to {open_count():,} open cases (+{added:,} in {fill_s:.1f} s)")
    now = timezone.now()
    with clock.frozen_at(now):
        _, leftover = sweep_checked()  # the demo city's rungs that came due since the last
        if leftover:
            run.notes.append(f"before timing at {size:,}: {leftover} demo rungs came due, done")
        sweep_checked(0)  # warm-up
        time_idle(run, size)
        if size == run.sizes[-1]:
            plans(run, "nothing due")
        pool = DuePool(city.rng)
        for due in due_sizes:
            make_due(pool.take(min(due, 20)), now)  # warm-up: translations, first of each
            sweep_checked()
            last = size == run.sizes[-1] and due == due_sizes[-1]
            time_due(run, pool, size, due, now, plan=last)
        if size == run.sizes[-1] and run.args.due:
            capture_due(run, pool, size, run.args.due, now)
    intake.say(f"timings at {size:,} open cases done")


# ---------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    data_dir = intake.configure(args)
    overall = time.perf_counter()
    run = Run(args=args, database="", load_start=intake.load())
    try:
        from django.db import connection

        from civicline.deadlines.services import deadline_sweep
        from civicline.demo import city as demo

        run.database = intake.database_description()
        intake.say(f"database: {run.database} — {connection.settings_dict['NAME']}")
        migrate_s = intake.fresh_database(args.wipe)
        start = time.perf_counter()
        demo.load()
        demo_s = time.perf_counter() - start
        intake.say(f"migrated in {migrate_s:.1f} s; demo city loaded in {demo_s:.1f} s")
        addressed = give_staff_addresses()
        backlog = deadline_sweep()
        run.notes.append(
            f"demo city: {addressed} staff users given an e-mail address; its backlog swept "
            f"first ({backlog.escalations} rungs, {backlog.delayed_callbacks} late callbacks)"
        )

        city = City(random.Random(args.seed))
        run.sizes = [args.small, args.open] if args.small < args.open else [args.open]
        due = [args.due] if args.due else []
        phase(run, city, args.small, due)
        if args.small < args.open:
            phase(run, city, args.open, sorted({max(args.due // 10, 1), args.due}) if due else [])
        run.seconds = time.perf_counter() - overall
        report(run)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}")


def report(run: Run) -> None:
    import django

    from civicline.cases.models import Case
    from civicline.deadlines.models import Escalation

    args, line = run.args, "=" * 100
    print()
    print(line)
    print("civicline deadline sweep benchmark")
    print(f"  code         : {intake.revision()}")
    print(f"  database     : {run.database}")
    print(f"  software     : Python {platform.python_version()}, Django {django.get_version()}")
    print(f"  machine      : {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"  load average : {run.load_start} at start, {intake.load()} at end (1/5/15 min)")
    print(
        f"  options      : --open {args.open} --small {args.small} --due {args.due} "
        f"--reps {args.reps} --due-reps {args.due_reps} --seed {args.seed}"
    )
    pending = Escalation.objects.filter(done_at__isnull=True).count()
    print(
        f"  final rows   : {Case.objects.count():,} cases ({open_count():,} open), "
        f"{Escalation.objects.count():,} rungs ({pending:,} pending)"
    )
    print(f"  fill         : {'; '.join(run.fills)} (bulk_create, untimed)")
    for note in run.notes:
        print(f"  note         : {note}")
    print(f"  total run    : {run.seconds:.0f} s")
    print(line)
    print(HEADER)
    size = None
    for row in run.rows:
        if row.open_cases != size:
            size = row.open_cases
            print("-" * 100)
        print(row.line())
    print("-" * 100)
    print("SQL queries of an idle sweep (CaptureQueriesContext), by open cases:")
    counts = "  ".join(f"{size:,}: {n}" for size, n in run.idle_queries.items())
    grows = len(set(run.idle_queries.values())) > 1
    print(f"  {counts}{'   <-- grows' if grows else '   (the same)'}")
    if run.captured:
        print(f"Rows written: {run.captured}")
    for plan in run.plans:
        print("-" * 100)
        verdict = (
            f"reads the index {plan.used}"
            if plan.used
            else f"DOES NOT USE {' or '.join(plan.indexes)}: it scans"
        )
        print(f"Plan at {run.sizes[-1]:,} open cases, {plan.note}: {verdict}")
        print(f"  SQL: {plan.sql}")
        for text in plan.lines:
            print(f"    {text}")
    print(line)


if __name__ == "__main__":
    main()
