"""Background work of the deadlines app, run by the worker's scheduler."""

import logging

from civicline.deadlines.services import deadline_sweep

log = logging.getLogger(__name__)


def sweep() -> None:
    result = deadline_sweep()
    if result.escalations or result.delayed_callbacks:
        log.info(
            "deadline sweep: %d escalations, %d callbacks late",
            result.escalations,
            result.delayed_callbacks,
        )
