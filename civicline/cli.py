"""The `civicline` command: demo, serve, worker, simulate, and every Django command via
`manage`."""

import argparse
import os
import signal
import subprocess
import sys


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicline.settings")
    import django

    django.setup()


def _serve(host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from civicline import accesslog

    uvicorn.run(
        "civicline.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="off",
        log_level="info",
        log_config=accesslog.log_config(),
        # Live-update streams are long requests; don't wait on them when stopping.
        timeout_graceful_shutdown=2,
    )


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "civicline.cli", "worker"]


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def cmd_demo(args: argparse.Namespace) -> None:
    if args.host not in LOOPBACK and "ALLOWED_HOSTS" not in os.environ:
        # A demo shown to the room on the local network answers to any host name.
        os.environ["ALLOWED_HOSTS"] = "*"
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_city")
    print(f"\ncivicline is starting on http://{args.host}:{args.port}/  (Ctrl+C stops it)\n")
    worker = subprocess.Popen(_worker_command())
    try:
        _serve(args.host, args.port)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def cmd_serve(args: argparse.Namespace) -> None:
    _django_setup()
    _serve(args.host, args.port, args.workers)


def cmd_worker(args: argparse.Namespace) -> None:
    """The task worker (django-tasks' db_worker) with the periodic scheduler beside it."""
    _django_setup()
    import threading

    from django.core.management import call_command

    from civicline.worker.schedule import run_forever

    stop = threading.Event()
    scheduler = threading.Thread(target=run_forever, args=(stop,), name="scheduler", daemon=True)
    scheduler.start()
    try:
        call_command("db_worker", *args.rest)
    finally:
        stop.set()
        scheduler.join(timeout=10)


def cmd_manage(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civicline manage", *args.rest])


def cmd_simulate(args: argparse.Namespace) -> None:
    """Callers and agents played against a running civicline (or this database), then the
    measured figures beside Erlang's prediction."""
    from datetime import UTC, datetime

    from civicline.telephony.simulator import (
        HttpBridge,
        Scenario,
        ServiceBridge,
        predicted,
        simulate,
    )

    if args.url and not args.token:
        raise SystemExit("--token is needed with --url (the admin's Telephony › CTI connections)")
    if not args.url:
        _django_setup()
    scenario = Scenario(
        agents=[e.strip() for e in args.agents.split(",") if e.strip()],
        calls_per_hour=args.calls_per_hour,
        aht_s=args.aht,
        patience_s=args.patience or None,
        duration_s=args.minutes * 60,
        handle=args.handle,
        answer_delay_s=args.answer_delay,
        burst=args.burst,
        number=args.number,
        seed=args.seed,
    )
    bridge = (
        HttpBridge(args.url, args.token, simulated_time=args.fast) if args.url else ServiceBridge()
    )
    result = simulate(scenario, bridge, start=datetime.now(UTC), simulated_time=args.fast)
    got, expected = result.figures(scenario.target_s), predicted(scenario)
    print(f"{got['offered']} calls, {result.requests} requests in {result.wall_s:.1f} s")
    print(f"answered {got['answered']}, abandoned {got['abandoned']}, lost {got['lost']}")
    print(
        f"service level {got['service_level']:.3f} (Erlang {expected.service_level:.3f}), "
        f"ASA {got['asa_s']:.1f} s (Erlang {expected.asa_s:.1f} s), "
        f"abandoned {got['abandonment']:.3f} (Erlang {expected.prob_abandon:.3f})"
    )
    for error in result.errors[:10]:
        print("error:", error)
    if result.errors or got["lost"]:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="civicline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="set up the demo city and run server and worker")
    serve = commands.add_parser("serve", help="run the web server")
    for sub in (demo, serve):
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    demo.set_defaults(handler=cmd_demo)
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="run the background worker")
    worker.add_argument("rest", nargs=argparse.REMAINDER)
    worker.set_defaults(handler=cmd_worker)

    simulate = commands.add_parser(
        "simulate", help="play callers and agents through the CTI API (the ACD's test)"
    )
    simulate.add_argument("--url", help="a running civicline; without it, this database")
    simulate.add_argument("--token", help="the CTI connection's token")
    simulate.add_argument("--agents", required=True, help="extensions, comma-separated")
    simulate.add_argument("--calls-per-hour", type=float, default=60)
    simulate.add_argument("--aht", type=float, default=180, help="mean handle time (s)")
    simulate.add_argument("--patience", type=float, default=0, help="mean patience (s)")
    simulate.add_argument("--minutes", type=float, default=10, help="arrivals for this long")
    simulate.add_argument("--handle", choices=["exponential", "lognormal"], default="exponential")
    simulate.add_argument("--answer-delay", type=float, default=3, help="s before agents pick up")
    simulate.add_argument("--burst", type=int, default=0, help="callers at the very start")
    simulate.add_argument("--number", default="381800100200", help="the number callers dial")
    simulate.add_argument("--seed", type=int, default=2026)
    simulate.add_argument(
        "--fast",
        action="store_true",
        help="simulated time (the server needs CIVICLINE_SIMULATED_TIME=1); else real time",
    )
    simulate.set_defaults(handler=cmd_simulate)

    manage = commands.add_parser("manage", help="any Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)

    args = parser.parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
