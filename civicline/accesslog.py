"""What the logs may show of a request's address. The PBX's token, a citizen's tracking
code and an Open311 API key travel in it, and a log is read by more people, and kept
longer, than those secrets should be: each is written as ***. For uvicorn's access log
and Django's log of refused requests."""

import copy
import logging
import re

HIDDEN = "***"
SECRETS = [
    re.compile(r"(/api/v1/cti/)[^/?]+"),
    re.compile(r"(/portal/track/[^/?]+/)[^/?]+"),
    re.compile(r"([?&]api_key=)[^&]*"),
]


def hide_secrets(path: str) -> str:
    for secret in SECRETS:
        path = secret.sub(lambda found: found.group(1) + HIDDEN, path)
    return path


class HideSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                hide_secrets(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def log_config() -> dict:
    """uvicorn's own logging, with the secrets filtered out of its access log (on the
    logger, so that any handler added to it gets the filtered line too)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"hide_secrets": {"()": HideSecrets}}
    config["loggers"]["uvicorn.access"]["filters"] = ["hide_secrets"]
    return config
