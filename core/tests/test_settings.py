"""Settings come from the environment and refuse to start insecurely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts manage.py in a new process

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tandem.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A production-like environment: none of the test run's own switches leak in (the browser
    # tests relax Django's async-safety check, which --deploy rightly reports).
    leaked = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOW_PLAIN_HTTP"}
    base = {k: v for k, v in os.environ.items() if k not in leaked}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_values():
    """`check --deploy` reports nothing at WARNING level with the documented production env."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_stops_start_up_when_debug_is_off(tmp_path):
    """Production (no local key file) with an empty SECRET_KEY does not start."""
    env = {**PRODUCTION, "SECRET_KEY": "", "TANDEM_VAR_DIR": str(tmp_path)}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def clean_manage(
    *args: str, var_dir: Path, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """manage.py as a newcomer runs it beside `make run`: nothing exported but the path
    (and ``extra``)."""
    env = {"PATH": os.environ["PATH"], "HOME": str(var_dir), "TANDEM_VAR_DIR": str(var_dir)}
    env.update(extra or {})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_commands_use_the_local_key_make_run_made(tmp_path):
    """With SECRET_KEY unset, a local run's commands read the key `make run` keeps in
    var/secret_key, so `python manage.py ...` works with nothing exported."""
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    result = clean_manage("check", var_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_local_key_start_up_still_refuses(tmp_path):
    """A server has no var/secret_key: with SECRET_KEY unset, start-up stops with the same
    clear message, naming where a local run keeps its key."""
    result = clean_manage("check", var_dir=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert str(tmp_path / "secret_key") in result.stderr


def test_a_production_like_environment_ignores_a_local_key_file(tmp_path):
    """A server that kept var/ (with a var/secret_key in it) and has SECRET_KEY empty still
    refuses to start: naming its hosts makes it production-like, and `check --deploy` never
    passes on a key read from a file."""
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    env = {**PRODUCTION, "SECRET_KEY": "", "TANDEM_VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_named_database_ignores_a_local_key_file(tmp_path):
    """With DATABASE_URL set (a real database server), var/secret_key is not read either."""
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    database = {"DATABASE_URL": "postgres://tandem@db.internal:5432/tandem"}
    result = clean_manage("check", var_dir=tmp_path, extra=database)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_an_empty_secret_key_on_a_local_run_reads_the_local_key(tmp_path):
    """`SECRET_KEY=` (exported empty) on a plainly local run is treated as unset: the local
    key is read and commands work."""
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    result = clean_manage("check", var_dir=tmp_path, extra={"SECRET_KEY": ""})
    assert result.returncode == 0, result.stdout + result.stderr
