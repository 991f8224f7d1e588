"""ACD benchmark for civicline: how many CTI events a second the endpoint takes, and
whether a simulated line staffed by the Erlang planner lands where Erlang C/A predicts.

From the repository root, on SQLite in a temporary folder, or on PostgreSQL:

    .venv/bin/python bench/acd.py
    DATABASE_URL=postgres://... .venv/bin/python bench/acd.py --wipe

The server is `civicline serve` in a subprocess with CIVICLINE_SIMULATED_TIME=1, so the
simulated hours pass as fast as the requests go. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import shutil
import threading
import time
from datetime import UTC, datetime
from datetime import time as wall_time

import intake  # the data folder, fresh database and server of the intake benchmark

START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
SCENARIOS = [
    # name, calls per hour, AHT s, patience s (None: Erlang C), agents (None: the planner's)
    ("textbook, planner's staffing", 200, 180, None, None),
    ("textbook, 13 agents", 200, 180, None, 13),
    ("impatient callers (Erlang A)", 200, 180, 120, None),
    ("Novi Sad's 20 seats", 360, 180, None, 20),
    ("log-normal handle times", 360, 180, 300, 20),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1500, help="calls for the event rate")
    parser.add_argument("--clients", type=int, default=2, help="concurrent PBX bridges")
    parser.add_argument("--workers", type=int, default=1, help="server processes (uvicorn)")
    parser.add_argument("--hours", type=float, default=8, help="simulated hours per scenario")
    parser.add_argument("--warmup", type=float, default=1, help="hours left out of the figures")
    parser.add_argument("--skip-simulation", action="store_true")
    parser.add_argument("--skip-rate", action="store_true")
    parser.add_argument("--wipe", action="store_true", help="allow dropping every table")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def set_up_line(agents: int) -> tuple[list[str], str]:
    from django.contrib.auth import get_user_model

    from civicline.deadlines.models import BusinessCalendar, OpeningHours
    from civicline.telephony.models import Agent, Queue, QueueMember
    from civicline.telephony.services import cti_token_create

    # Opening hours as a city's line has them, so every call reads them; open around the
    # clock (and no public holidays) so the run never meets a closed line.
    hours = BusinessCalendar.objects.create(name="bench: 00:00-24:00")
    midnight = wall_time(0)
    for day in range(7):
        OpeningHours.objects.create(calendar=hours, weekday=day, opens=midnight, closes=midnight)
    queue = Queue.objects.create(
        name="novisad", label="Нови Сад", number="+381800100200", strategy="leastrecent",
        wrapup_s=0, ring_timeout_s=15, calendar=hours,
    )  # fmt: skip
    extensions = []
    for seat in range(agents):
        user = get_user_model().objects.create_user(username=f"seat{seat}")
        agent = Agent.objects.create(user=user, extension=f"{1000 + seat}")
        QueueMember.objects.create(queue=queue, agent=agent, position=seat)
        extensions.append(agent.extension)
    return extensions, cti_token_create(name="bench")[1]


class Bridge:
    """One PBX bridge: a kept-alive HTTP connection posting JSON events."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.path = f"/api/v1/cti/{token}"

    def post(self, suffix: str, body: dict) -> tuple[int, dict, float]:
        start = time.perf_counter()
        self.connection.request(
            "POST", self.path + suffix, json.dumps(body), {"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        data = json.loads(response.read() or b"{}")
        return response.status, data, time.perf_counter() - start


def event_rate(port: int, token: str, extensions: list[str], calls: int, clients: int) -> dict:
    """Each bridge runs its share of calls, newCall -> answer -> hangup, back to back."""
    for extension in extensions:
        Bridge(port, token).post("/agent", {"extension": extension, "state": "available"})
    timings: dict[str, list[float]] = {"newCall": [], "answer": [], "hangup": []}
    errors: list[str] = []
    lock = threading.Lock()

    def work(client: int) -> None:
        bridge = Bridge(port, token)
        mine: dict[str, list[float]] = {k: [] for k in timings}
        for n in range(client, calls, clients):
            call_id = f"rate-{n}"
            status, body, spent = bridge.post("", {
                "event": "newCall", "from": f"3816{50000000 + n:08d}", "to": "381800100200",
                "direction": "in", "callId": call_id,
            })  # fmt: skip
            mine["newCall"].append(spent)
            dial = [c for c in body.get("commands", []) if c["callId"] == call_id]
            answering = dial[0]["to"] if dial else ""
            for event, extra in (("answer", {"answeringNumber": answering}), ("hangup", {})):
                status, body, spent = bridge.post("", {"event": event, "callId": call_id, **extra})
                mine[event].append(spent)
                if status != 200:
                    errors.append(f"{call_id} {event}: {status} {body}")
        with lock:
            for key, values in mine.items():
                timings[key].extend(values)

    threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for extension in extensions:
        Bridge(port, token).post("/agent", {"extension": extension, "state": "logged_out"})
    events = sum(len(v) for v in timings.values())
    return {"events": events, "wall": wall, "timings": timings, "errors": errors}


def simulations(port: int, token: str, extensions: list[str], hours: float, seed: int) -> list:
    from civicline.telephony import erlang
    from civicline.telephony.simulator import HttpBridge, Scenario, predicted, simulate

    rows = []
    for number, (name, calls, aht, patience, agents) in enumerate(SCENARIOS):
        if agents is None:
            agents = erlang.agents_needed(calls, 3600, aht, 0.8, 20, patience_s=patience).agents
        scenario = Scenario(
            agents=extensions[:agents],
            calls_per_hour=calls,
            aht_s=aht,
            patience_s=patience,
            duration_s=hours * 3600,
            handle="lognormal" if "log-normal" in name else "exponential",
            seed=seed + number,
        )
        bridge = HttpBridge(f"http://127.0.0.1:{port}", token, simulated_time=True)
        start = START.replace(day=START.day + number)
        result = simulate(scenario, bridge, start=start)
        rows.append((name, scenario, predicted(scenario), result))
        intake.say(f"{name}: {len(result.callers)} calls in {result.wall_s:.0f} s")
    return rows


def cpu_check() -> float:
    """Seconds for ten million additions in Python: this machine's speed at the moment
    (a shared virtual machine's varies by half), so rates measured apart compare."""
    began, total = time.perf_counter(), 0
    for n in range(10_000_000):
        total += n
    return time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(rate: dict | None, rows: list, args: argparse.Namespace) -> None:
    print(f"\n## {intake.database_description()}, load {intake.load()}\n")
    if rate:
        report_rate(rate, args)
    if not rows:
        return
    print(
        f"\n## Simulated line vs Erlang ({args.hours:g} simulated hours each, the first "
        f"{args.warmup:g} left out; target 20 s)\n"
    )
    print("| scenario | calls/h | AHT | patience | agents | calls | SL predicted / simulated |"
          " ASA s predicted / simulated | abandoned predicted / simulated |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name, scenario, expected, result in rows:
        got = result.figures(scenario.target_s, since=args.warmup * 3600)
        print(
            f"| {name} | {scenario.calls_per_hour:g} | {scenario.aht_s:g} | "
            f"{scenario.patience_s or '∞'} | {len(scenario.agents)} | {got['offered']} | "
            f"{expected.service_level:.3f} / {got['service_level']:.3f} | "
            f"{expected.asa_s:.1f} / {got['asa_s']:.1f} | "
            f"{expected.prob_abandon:.3f} / {got['abandonment']:.3f} |"
        )
        if result.errors or got["lost"]:
            print(f"  errors: {result.errors[:3]} lost: {got['lost']}")


def report_rate(rate: dict, args: argparse.Namespace) -> None:
    per_second = rate["events"] / rate["wall"]
    print(
        f"{rate['events']} CTI events from {args.clients} bridges to {args.workers} server "
        f"processes in {rate['wall']:.1f} s: {per_second:.0f} events/s, "
        f"errors: {len(rate['errors'])}"
    )
    print(
        "CPU check (10 million additions in Python, before / after): "
        f"{rate['cpu'][0]:.2f} s / {rate['cpu'][1]:.2f} s"
    )
    print("\n| event | p50 ms | p95 ms |\n|---|---|---|")
    for event, values in rate["timings"].items():
        print(f"| {event} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} |")


def main() -> None:
    args = parse_args()
    os.environ["CIVICLINE_SIMULATED_TIME"] = "1"
    os.environ.setdefault("CIVICLINE_OPEN311_POSTS_PER_MINUTE_PER_KEY", "1000000")
    data_dir = intake.configure(args)
    try:
        intake.fresh_database(args.wipe)
        extensions, token = set_up_line(agents=200)
        proc, port = intake.start_server(data_dir, workers=args.workers)
        try:
            rate = None
            if not args.skip_rate:
                intake.say(f"posting {args.calls} calls' events")
                before = cpu_check()
                rate = event_rate(port, token, extensions, args.calls, args.clients)
                rate["cpu"] = (before, cpu_check())
            rows = []
            if not args.skip_simulation:
                rows = simulations(port, token, extensions, args.hours, args.seed)
        finally:
            intake.stop_server(proc)
        report(rate, rows, args)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
