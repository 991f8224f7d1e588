"""Periodic work, run by `civicline worker` itself: no cron to set up.

Each job has a row with its next run time. Every worker looks once a second; the one whose
conditional UPDATE moves the time forward runs the job, the others see zero rows changed
("another worker got there first"). A worker killed mid-job loses nothing: jobs are written
to be run again (claims with leases, work keyed by what is due).
"""

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections
from django.utils.module_loading import import_string

from civicline import clock
from civicline.worker.models import PeriodicJob

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    target: str  # dotted path of a function taking no arguments

    @property
    def function(self) -> Callable[[], object]:
        return import_string(self.target)


JOBS = [
    Job("notifications.outbox", timedelta(seconds=2), "civicline.notifications.tasks.send_due"),
    Job("deadlines.sweep", timedelta(seconds=30), "civicline.deadlines.tasks.sweep"),
    # Unanswered rings, ended wrap-ups, callers due a callback offer or overflow: on time
    # even when no PBX bridge is polling.
    Job("telephony.timers", timedelta(seconds=1), "civicline.telephony.services.tick"),
]


def claim(job: Job) -> bool:
    """True for the one worker that takes this run of the job."""
    now = clock.now()
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    changed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_started_at=now
    )
    return changed == 1


def run_due(jobs: list[Job] = JOBS) -> list[str]:
    """Run every job whose time has come and that this worker claimed; return their names."""
    ran = []
    for job in jobs:
        if not claim(job):
            continue
        error = ""
        try:
            job.function()
        except Exception:  # one failing job must not stop the others or the worker
            error = traceback.format_exc()
            log.exception("periodic job %s failed", job.name)
        PeriodicJob.objects.filter(name=job.name).update(
            last_finished_at=clock.now(), last_error=error[-4000:]
        )
        ran.append(job.name)
    return ran


def run_forever(stop: threading.Event, *, interval: float = 1.0) -> None:
    while not stop.is_set():
        try:
            run_due()
        except Exception:
            log.exception("the scheduler could not reach the database")
        finally:
            close_old_connections()
        stop.wait(interval)
