"""Typed readers for settings that come from the environment.

Every reader fails loudly (ImproperlyConfigured) on a value it cannot use, so a typo in a
deployment stops the start instead of running with a silent default. `<NAME>_FILE` is
accepted for secrets, as container secret mounts provide them.
"""

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_timezone(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r} is not a known time zone") from None
    return value


def data_dir() -> Path:
    """Where the SQLite database, uploads and the generated demo secret live."""
    path = Path(os.environ.get("CIVICLINE_DATA_DIR", "var")).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(f"CIVICLINE_DATA_DIR={str(path)!r} is not a directory")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept (mode 0600) in the
    data dir, so a demo needs no set-up and sessions survive a restart."""
    key = env_str("SECRET_KEY")
    if key is not None:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    from django.core.management.utils import get_random_secret_key

    stored = directory / "secret_key"
    if not stored.exists():
        stored.write_text(get_random_secret_key(), encoding="utf-8")
        stored.chmod(0o600)
    return stored.read_text(encoding="utf-8").strip()


def database(directory: Path) -> dict:
    import dj_database_url

    url = env_str("DATABASE_URL") or f"sqlite:///{directory / 'civicline.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {exc}") from exc
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
            # timeout instead of one failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Browser tests serve the app from a second thread: it needs a file, not :memory:.
        # One file per process, so two test runs on one machine never share it.
        config["TEST"] = {"NAME": str(directory / f"test-{os.getpid()}.sqlite3")}
    elif engine == "django.db.backends.postgresql":
        # A pool per process: a request borrows a connection instead of opening one (about
        # 12 ms each on loopback, more with password authentication).
        config["OPTIONS"] = {
            "pool": {
                "min_size": 1,
                "max_size": env_int("CIVICLINE_DB_POOL_SIZE", 20, minimum=1),
                "timeout": 10,
            }
        }
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme is not supported: {url.split(':', 1)[0]!r} "
            "(use sqlite:/// or postgres://)"
        )
    return config
