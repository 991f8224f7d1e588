"""A discrete-event simulation of callers and agents that drives a running civicline
through the CTI API, as a PBX bridge would.

Callers arrive as a Poisson stream (and, if asked, a burst at the start), wait with an
exponential patience, and talk for an exponential or log-normal handle time; agents pick
up `answer_delay_s` after their phone rings. civicline's ACD decides who rings when; the
simulator only plays the people and the PBX. With `simulated_time` the server's clock is
set by each request (`X-Civicline-Time`, honoured only when the server runs with
CIVICLINE_SIMULATED_TIME=1), so hours of a line pass in seconds; without it the simulator
sleeps in real time.

It is how the ACD is tested end to end (nobody is lost, every call ends in the log) and
how the staffing planner is checked: the service level, ASA and abandonment it measures
are compared with what Erlang C/A predicts.
"""

import heapq
import json
import math
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from civicline.telephony import erlang


@dataclass(frozen=True)
class Scenario:
    agents: list[str]  # the extensions that log in
    calls_per_hour: float = 0.0
    aht_s: float = 180.0
    patience_s: float | None = None  # None: callers never give up
    duration_s: float = 3600.0  # arrivals stop then; the calls in progress finish
    handle: str = "exponential"  # or "lognormal"
    lognormal_sigma: float = 0.5
    answer_delay_s: float = 0.0
    burst: int = 0  # callers who all call at the start
    target_s: float = 20.0
    number: str = "381800100200"
    seed: int = 2026


@dataclass
class Caller:
    call_id: str
    arrived: float
    patience: float
    answered: float | None = None
    ended: float | None = None
    outcome: str = ""  # answered, abandoned, timeout, not queued


@dataclass
class Result:
    callers: list[Caller]
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    wall_s: float = 0.0

    def figures(self, target_s: float, *, since: float = 0.0) -> dict:
        """The line's figures over the callers who arrived from `since` (seconds into the
        run): leaving out the first hour measures the line settled, not filling up."""
        callers = [c for c in self.callers if c.arrived >= since]
        offered = len(callers)
        answered = [c for c in callers if c.outcome == "answered"]
        waits = [c.answered - c.arrived for c in answered]
        within = sum(1 for w in waits if w <= target_s + 1e-9)
        abandoned = sum(1 for c in callers if c.outcome == "abandoned")
        return {
            "offered": offered,
            "answered": len(answered),
            "abandoned": abandoned,
            "lost": sum(1 for c in callers if not c.outcome),
            "service_level": within / offered if offered else 1.0,
            "service_level_answered": within / len(answered) if answered else 1.0,
            "asa_s": sum(waits) / len(waits) if waits else 0.0,
            "abandonment": abandoned / offered if offered else 0.0,
        }


def predicted(scenario: Scenario) -> erlang.QueueMetrics:
    """What Erlang C (or A, with patience) says for the scenario, per hour."""
    calls = scenario.calls_per_hour
    common = {
        "calls": calls,
        "interval_s": 3600,
        "aht_s": scenario.aht_s,
        "agents": len(scenario.agents),
        "target_s": scenario.target_s,
    }
    if scenario.patience_s:
        return erlang.erlang_a_metrics(**common, patience_s=scenario.patience_s)
    return erlang.erlang_c_metrics(**common)


class HttpBridge:
    """The CTI API of a running civicline over HTTP."""

    def __init__(self, base_url: str, token: str, *, simulated_time: bool):
        self.url = f"{base_url.rstrip('/')}/api/v1/cti/{token}"
        self.simulated_time = simulated_time

    def post(self, path: str, data: dict, at: datetime) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        if self.simulated_time:
            request.add_header("X-Civicline-Time", f"{at.timestamp():.6f}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


class ServiceBridge:
    """civicline's own services in this process, each call at the simulated moment: how
    the demo lays out a few days of calls (the same operations the CTI API calls)."""

    def post(self, path: str, data: dict, at: datetime) -> tuple[int, dict]:
        from django.core.exceptions import ValidationError

        try:
            return self._post(path, data, at)
        except ValidationError as refused:
            return 400, {"error": " ".join(refused.messages)}

    def _post(self, path: str, data: dict, at: datetime) -> tuple[int, dict]:
        from civicline import clock
        from civicline.telephony import services
        from civicline.telephony.models import Agent

        with clock.frozen_at(at), services.commands_answered() as made:
            body: dict = {}
            if path == "/agent":
                agent = Agent.objects.get(extension=data["extension"])
                if data["state"] == "available":
                    services.agent_login(agent=agent)
                else:
                    services.agent_logout(agent=agent)
            elif path == "/commands":
                services.tick()
                due = services.next_due()
                body["nextDue"] = due.isoformat() if due else None
            elif data["event"] == "newCall":
                _call, answer = services.call_new(
                    call_id=data["callId"], from_number=data["from"], to_number=data["to"],
                    direction=data["direction"],
                )  # fmt: skip
                body = answer.as_dict()
                if body.get("action") != "reject":
                    body = {"civicline": body} if body.get("action") else {}
            elif data["event"] == "answer":
                services.call_answer(call_id=data["callId"], answering=data["answeringNumber"])
            else:
                services.call_hangup(call_id=data["callId"], by=data.get("hangupBy", ""))
        return 200, body | {"commands": made}


class Simulation:
    def __init__(self, scenario: Scenario, bridge, *, start: datetime, simulated_time: bool):
        self.scenario = scenario
        self.bridge = bridge
        self.start = start
        self.simulated_time = simulated_time
        self.rng = random.Random(scenario.seed)
        self.events: list = []
        self.seq = 0
        self.callers: dict[str, Caller] = {}
        self.active: set[str] = set()  # callers not finished yet
        self.pending_answers: dict[tuple[str, str], int] = {}  # (call, extension) -> event
        self.next_tick: float | None = None
        self.result = Result(callers=[])
        self.now = 0.0
        self._wall_start = time.monotonic()

    # The event list ---------------------------------------------------------------------

    def _at(self, offset: float) -> datetime:
        return self.start + timedelta(seconds=offset)

    def schedule(self, at: float, kind: str, *data) -> int:
        self.seq += 1
        heapq.heappush(self.events, (at, self.seq, kind, data))
        return self.seq

    def _handle_time(self) -> float:
        mean = self.scenario.aht_s
        if self.scenario.handle == "lognormal":
            sigma = self.scenario.lognormal_sigma
            return self.rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)
        return self.rng.expovariate(1 / mean)

    def _patience(self) -> float:
        patience = self.scenario.patience_s
        return self.rng.expovariate(1 / patience) if patience else math.inf

    # Talking to civicline -----------------------------------------------------------------

    def post(self, path: str, data: dict) -> dict:
        if not self.simulated_time:
            delay = self.now - (time.monotonic() - self._wall_start)
            if delay > 0:
                time.sleep(delay)
        at = self._at(self.now) if self.simulated_time else datetime.now(UTC)
        status, body = self.bridge.post(path, data, at)
        self.result.requests += 1
        if status >= 400:
            self.result.errors.append(
                f"{path or 'event'} {data.get('callId', '')}: {status} {body}"
            )
            return {}
        for command in body.get("commands", ()):
            self._command(command)
        return body

    def _end(self, caller: Caller, outcome: str) -> None:
        caller.ended, caller.outcome = self.now, outcome
        self.active.discard(caller.call_id)

    def _command(self, command: dict) -> None:
        action, call_id = command.get("action"), command.get("callId", "")
        caller = self.callers.get(call_id)
        if action == "dial" and caller and caller.ended is None:
            key = (call_id, command["to"])
            self.pending_answers[key] = self.schedule(
                self.now + self.scenario.answer_delay_s, "answer", call_id, command["to"]
            )
        elif action == "cancel":
            self.pending_answers.pop((call_id, command.get("to", "")), None)
        elif action == "hangup" and caller and caller.ended is None:
            self._end(caller, command.get("reason", "timeout"))

    def _poll(self) -> None:
        body = self.post("/commands", {})
        due = body.get("nextDue")
        if due:
            offset = (datetime.fromisoformat(due) - self.start).total_seconds()
            # A timer due now was just run by this poll; look again a moment later.
            offset = max(offset, self.now + 0.001)
            if self.next_tick is None or offset < self.next_tick:
                self.next_tick = offset
                self.schedule(offset, "tick")

    # The people ---------------------------------------------------------------------------

    def _arrive(self, number: int) -> None:
        call_id = f"sim-{self.start:%Y%m%d%H%M%S}-{self.scenario.seed}-{number}"
        caller = Caller(call_id=call_id, arrived=self.now, patience=self._patience())
        self.callers[call_id] = caller
        self.active.add(call_id)
        self.result.callers.append(caller)
        body = self.post(
            "",
            {
                "event": "newCall",
                "from": f"3816{40000000 + number:08d}",
                "to": self.scenario.number,
                "direction": "in",
                "callId": call_id,
            },
        )
        if body.get("action") == "reject" or body.get("civicline", {}).get("action") in (
            "hangup",
            "voicemail",
        ):
            self._end(caller, "not queued")  # blocked, closed or the queue full
        elif math.isfinite(caller.patience):
            self.schedule(self.now + caller.patience, "abandon", call_id)

    def _answer(self, call_id: str, extension: str, event_id: int) -> None:
        if self.pending_answers.get((call_id, extension)) != event_id:
            return  # the ring was cancelled meanwhile
        del self.pending_answers[(call_id, extension)]
        caller = self.callers[call_id]
        if caller.ended is not None or caller.answered is not None:
            return
        self.post("", {"event": "answer", "callId": call_id, "answeringNumber": extension})
        caller.answered = self.now
        self.schedule(self.now + self._handle_time(), "hangup", call_id)

    def _abandon(self, call_id: str) -> None:
        caller = self.callers[call_id]
        if caller.answered is None and caller.ended is None:
            self.post("", {"event": "hangup", "callId": call_id, "cause": "cancel"})
            self._end(caller, "abandoned")

    def _hangup(self, call_id: str) -> None:
        caller = self.callers[call_id]
        by = "agent" if self.rng.random() < 0.5 else "caller"
        self.post("", {"event": "hangup", "callId": call_id, "cause": "normalClearing",
                       "hangupBy": by})  # fmt: skip
        self._end(caller, "answered")

    def run(self) -> Result:
        for extension in self.scenario.agents:
            self.post("/agent", {"extension": extension, "state": "available"})
        number = 0
        for _ in range(self.scenario.burst):
            self.schedule(0.0, "arrive", number)
            number += 1
        rate = self.scenario.calls_per_hour / 3600
        if rate > 0:
            self.schedule(self.rng.expovariate(rate), "arrive", number)
        handlers: dict[str, Callable] = {
            "answer": lambda call_id, ext, event_id: self._answer(call_id, ext, event_id),
            "abandon": lambda call_id, event_id: self._abandon(call_id),
            "hangup": lambda call_id, event_id: self._hangup(call_id),
        }
        while self.events:
            self.now, event_id, kind, data = heapq.heappop(self.events)
            if kind == "arrive":
                self._arrive(data[0])
                if rate > 0 and data[0] >= self.scenario.burst:
                    following = self.now + self.rng.expovariate(rate)
                    if following < self.scenario.duration_s:
                        self.schedule(following, "arrive", data[0] + 1)
            elif kind == "tick":
                if self.next_tick is not None and self.now >= self.next_tick:
                    self.next_tick = None
            else:
                handlers[kind](*data, event_id)
            # After each step, the timers and commands it may have started.
            if kind == "tick" or self.active:
                self._poll()
        for extension in self.scenario.agents:
            self.post("/agent", {"extension": extension, "state": "logged_out"})
        self.result.wall_s = time.monotonic() - self._wall_start
        return self.result


def simulate(scenario: Scenario, bridge, *, start: datetime, simulated_time: bool = True) -> Result:
    return Simulation(scenario, bridge, start=start, simulated_time=simulated_time).run()
