"""Settings fail loudly on values they cannot use."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from civicline import config


@pytest.mark.parametrize(
    ("name", "value", "reader"),
    [
        ("CIVICLINE_DEBUG", "maybe", lambda: config.env_bool("CIVICLINE_DEBUG", False)),
        ("CIVICLINE_LIVE", "ten", lambda: config.env_int("CIVICLINE_LIVE", 1)),
        (
            "CIVICLINE_TIME_ZONE",
            "Mars/Olympus",
            lambda: config.env_timezone("CIVICLINE_TIME_ZONE", "UTC"),
        ),
        ("DATABASE_URL", "mysql://u@h/db", lambda: config.database(config.data_dir())),
        ("DATABASE_URL", "nonsense", lambda: config.database(config.data_dir())),
        ("SECRET_KEY", "short", lambda: config.secret_key(config.data_dir())),
    ],
)
def test_a_bad_setting_stops_the_start(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name.split("_")[0]):
        reader()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = config.database(tmp_path)
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_a_generated_secret_key_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50 and config.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("k" * 40 + "\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    assert config.secret_key(tmp_path) == "k" * 40


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
