"""queue_log benchmark: how long importing, exporting and the statistics take for a large
queue_log. It prints its figures; nothing asserts a threshold.

Run from the repository root:

    .venv/bin/python bench/queuelog.py                   # 1,000,000 lines, SQLite in a temp folder
    .venv/bin/python bench/queuelog.py --lines 200000
    DATABASE_URL=postgres://... .venv/bin/python bench/queuelog.py --wipe   # PostgreSQL

With DATABASE_URL, the queue_log table is emptied first, and only with --wipe.
"""

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def synthetic_log(lines: int, seed: int = 1) -> str:
    """About `lines` queue_log lines: calls into three queues over 30 days, each
    ENTERQUEUE then CONNECT and COMPLETE*/transfer, or ABANDON; some RINGNOANSWER."""
    rng = random.Random(seed)
    start = int(datetime(2026, 10, 1, tzinfo=UTC).timestamp())
    span = 30 * 86400
    out, n, call = [], 0, 0
    while n < lines:
        call += 1
        t = start + rng.randrange(span)
        queue = rng.choice(("novisad", "vodovod", "rasveta"))
        agent = f"PJSIP/{100 + rng.randrange(40)}"
        cid = f"{t}.{call}"
        out.append(f"{t}|{cid}|{queue}|NONE|ENTERQUEUE||+3816412{call % 100000:05d}|1")
        hold = int(rng.expovariate(1 / 25))
        if rng.random() < 0.15:
            out.append(f"{t + hold}|{cid}|{queue}|NONE|ABANDON|1|1|{hold}")
            n += 2
            continue
        if rng.random() < 0.2:
            out.append(f"{t + 15}|{cid}|{queue}|PJSIP/199|RINGNOANSWER|15000")
            n += 1
        talk = int(rng.expovariate(1 / 180))
        out.append(f"{t + hold}|{cid}|{queue}|{agent}|CONNECT|{hold}|{cid}|3")
        end = "COMPLETECALLER" if rng.random() < 0.6 else "COMPLETEAGENT"
        out.append(f"{t + hold + talk}|{cid}|{queue}|{agent}|{end}|{hold}|{talk}|1")
        n += 3
    return "\n".join(out) + "\n"


def timed(label: str, fn):
    began = time.perf_counter()
    result = fn()
    print(f"{label:<44} {time.perf_counter() - began:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--wipe", action="store_true", help="empty queue_log on PostgreSQL")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="civicline-bench-queuelog-"))
    os.environ["CIVICLINE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from civicline.telephony import queuelog, statistics
    from civicline.telephony.models import QueueLogEntry

    try:
        call_command("migrate", interactive=False, verbosity=0)
        if QueueLogEntry.objects.exists():
            if not args.wipe:
                sys.exit("queue_log has lines already; --wipe empties it.")
            QueueLogEntry.objects.all().delete()
        print(f"database: {connection.vendor}, {args.lines:,} lines asked for")
        text = timed("make the synthetic log", lambda: synthetic_log(args.lines))
        stored = timed("import_file (empty table)", lambda: queuelog.import_file(io.StringIO(text)))
        print(f"  {stored:,} lines stored")
        timed("import_file again (all skipped)", lambda: queuelog.import_file(io.StringIO(text)))
        start = datetime(2026, 10, 1, tzinfo=UTC)
        end = start + timedelta(days=31)
        found = timed("report, 31 days, all queues", lambda: statistics.report(start, end))
        print(
            f"  offered {found.overall.offered:,}, SL {found.overall.service_level:.3f}, "
            f"ASA {found.overall.asa_s:.1f} s"
        )
        timed("report, one queue", lambda: statistics.report(start, end, queue="novisad"))
        timed("by_interval hour (744 rows)", lambda: statistics.by_interval(start, end, "hour"))
        timed("by_interval day", lambda: statistics.by_interval(start, end, "day"))
        timed(
            "export_lines (all lines)",
            lambda: sum(1 for _ in queuelog.export_lines(QueueLogEntry.objects.order_by("time"))),
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
