"""`make run`'s script, started as a newcomer would, on the embedded defaults (SQLite and the
filesystem broker, no servers): it serves the login page, every demo login works, /healthz
comes to report all fine, the worker chains the audit events and the trail verifies, and
stopping it stops the worker and scheduler too.

How long /healthz took is printed, not asserted: a test's speed depends on the machine and
on what else runs beside it. The waits below only stop a hung start-up or shutdown from
hanging the suite, with ten times the room a slow, busy machine needs.

The script runs in its own folder for files, database and port, so it never touches a
developer's local data.
"""

import base64
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django_otp.oath import totp

from demo.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Hang guards. Healthy takes about 20-60 s (migrate, collectstatic, demo data, the worker's
# first heartbeat); stopping takes seconds, at most ~20 s before scripts/run kills the rest.
HEALTHY_GUARD_SECONDS = 600
STOP_GUARD_SECONDS = 200
# ALLOW_PLAIN_HTTP too: scripts/run must set it itself, or its plain-HTTP server would
# redirect every page to HTTPS.
SERVER_VARIABLES = (
    "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SITE_DOMAIN",
    "ALLOW_PLAIN_HTTP",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post_form(opener, url: str, page: str, fields: dict[str, str]):
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    return opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=10)


def app_keys(output: str) -> dict[str, str]:
    """The demo staff logins' authenticator-app keys, as `make run` prints them."""
    found = re.findall(r"(\S+@demo\.tandem\.example)\s+app key: ([A-Z2-7 ]+)$", output, re.M)
    return {email: key.replace(" ", "") for email, key in found}


def log_in(base: str, email: str, app_key: str | None) -> str:
    """Log in through the real form, then give the code an app with ``app_key`` shows (if the
    login lands on the code step); return the path the user lands on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{base}/accounts/login/"
    page = opener.open(url, timeout=10).read().decode()
    response = _post_form(opener, url, page, {"username": email, "password": DEMO_PASSWORD})
    landed = urllib.parse.urlparse(response.geturl())
    if landed.path == "/accounts/second-factor/code/" and app_key:
        code = f"{totp(base64.b32decode(app_key + '=' * (-len(app_key) % 8))):06d}"
        page = response.read().decode()
        response = _post_form(opener, response.geturl(), page, {"code": code})
    return urllib.parse.urlparse(response.geturl()).path


@pytest.fixture
def running_app(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARIABLES}
    env.update(
        TANDEM_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(port),
        AUDIT_CHAIN_SECONDS="5",  # the worker chains the demo's audit events soon
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    output = tmp_path / "output.txt"
    with output.open("w") as out:
        process = subprocess.Popen(
            ["scripts/run"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # As from a terminal: Ctrl-C not ignored, whatever started the suite (a shell
            # ignores it for its background jobs, and a shell script cannot trap a signal
            # ignored when it started).
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
    yield process, f"http://127.0.0.1:{port}", time.monotonic()
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    # The three run in sessions of their own: a failed test must not leave them running.
    subprocess.run(["pkill", "-KILL", "-f", str(tmp_path)], check=False)  # noqa: S603, S607


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def output_of(tmp_path: Path) -> str:
    """What scripts/run has printed so far, as the person at the terminal sees it."""
    return (tmp_path / "output.txt").read_text()


def children(process: subprocess.Popen, name: str) -> list[int]:
    """The ids of scripts/run's own processes whose command line holds ``name``."""
    found = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(process.pid), "-f", name],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in found.stdout.split()]


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode().split("=", 1) for pair in pairs if b"=" in pair)


def audit_verify(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``manage.py audit_verify`` on the running app's database, with its secret."""
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARIABLES}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECRET_KEY=(tmp_path / "var" / "secret_key").read_text().strip(),
        TANDEM_VAR_DIR=str(tmp_path / "var"),
    )
    return subprocess.run(
        [".venv/bin/python", "manage.py", "audit_verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STOP_GUARD_SECONDS,
        check=False,
    )


def ask_for_a_password_reset(base: str, email: str) -> None:
    """Send the "forgot your password" form, as a person would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{base}/accounts/password/reset/"
    page = opener.open(url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=10)


def test_make_run_serves_logins_and_reports_healthy(running_app, tmp_path):
    """`make run` comes up healthy on plain HTTP, every demo login works, the worker sends
    the email a password reset asks for (the web app does not), and Ctrl-C stops all three."""
    process, base, started = running_app
    health_body = ""
    while time.monotonic() - started < HEALTHY_GUARD_SECONDS and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                health_body = response.read().decode()
                break
        except Exception:  # not up yet, or 503 until the first heartbeat
            time.sleep(1)
    took = time.monotonic() - started
    stopped = "" if process.poll() is None else f" (it stopped: {output_of(tmp_path)})"
    assert '"status": "ok"' in health_body, f"not healthy after {took:.0f}s{stopped}: {health_body}"
    print(f"make run: healthy {took:.1f}s after start")
    assert '"detail": "filesystem"' in health_body and '"detail": "sqlite"' in health_body

    while "Stop:" not in output_of(tmp_path) and process.poll() is None:  # the banner is out
        assert time.monotonic() - started < HEALTHY_GUARD_SECONDS, output_of(tmp_path)
        time.sleep(1)
    keys = app_keys(output_of(tmp_path))
    assert set(keys) == {DEMO_LOGINS["manager"], DEMO_LOGINS["coordinator"]}, keys
    landings = {role: log_in(base, email, keys.get(email)) for role, email in DEMO_LOGINS.items()}
    assert landings == {
        "manager": "/overview/",
        "coordinator": "/dashboard/",
        "mentor": "/my/mentees/",
    }

    # Links in emails point at the port the person chose (PORT above), from the web app and
    # from the worker, which sends the scheduled tasks' emails.
    port = urllib.parse.urlparse(base).port
    for name in ("runserver", "mentoring worker"):
        (pid,) = children(process, name)
        assert environment_of(pid)["SITE_DOMAIN"] == f"127.0.0.1:{port}", name

    # The demo's audit events and the logins' are signed, and the worker chains them.
    verified = audit_verify(tmp_path)
    while "and 0 not yet chained" not in verified.stdout + verified.stderr:
        assert time.monotonic() - started < HEALTHY_GUARD_SECONDS, verified
        time.sleep(2)
        verified = audit_verify(tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "Every MAC is right and the chain is unbroken" in verified.stdout

    # Email leaves through the worker, which prints it (the console backend) to its log.
    ask_for_a_password_reset(base, DEMO_LOGINS["mentor"])
    worker_log = tmp_path / "var" / "log" / "worker.log"
    deadline = time.monotonic() + HEALTHY_GUARD_SECONDS
    while "Subject: Set a new Tandem password" not in worker_log.read_text():
        assert time.monotonic() < deadline, worker_log.read_text()[-3000:]
        time.sleep(0.5)
    assert f"To: {DEMO_LOGINS['mentor']}" in worker_log.read_text()
    assert "Subject: Set a new Tandem password" not in (tmp_path / "var/log/web.log").read_text()

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    process.wait(timeout=STOP_GUARD_SECONDS)
    output = output_of(tmp_path)
    assert "Tandem is running at" in output
    assert "A process stopped" not in output  # Ctrl-C is not a failure
    assert DEMO_LOGINS["mentor"] in output and DEMO_PASSWORD in output
    leftovers = subprocess.run(  # noqa: S603
        ["pgrep", "-f", str(tmp_path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert leftovers.stdout.strip() == "", "worker, beat or web still running after stop"


def test_a_process_that_stops_is_reported_and_stops_the_rest(running_app, tmp_path):
    """When the worker dies on its own, scripts/run says so, pointing at the logs, stops the
    web app and scheduler, and exits with a failure, rather than vanishing with only make's
    "Error 1"."""
    process, _, started = running_app
    while "Stop:" not in output_of(tmp_path):  # the banner's last line: all three are up
        assert process.poll() is None, output_of(tmp_path)
        assert time.monotonic() - started < HEALTHY_GUARD_SECONDS, output_of(tmp_path)
        time.sleep(1)
    (worker,) = children(process, "mentoring worker")
    os.kill(worker, signal.SIGKILL)

    status = process.wait(timeout=STOP_GUARD_SECONDS)
    output = output_of(tmp_path)
    assert status != 0
    assert f"A process stopped (exit status {status}); see {tmp_path / 'var'}/log/" in output
    leftovers = subprocess.run(  # noqa: S603
        ["pgrep", "-f", str(tmp_path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert leftovers.stdout.strip() == "", "web or beat still running after the worker stopped"
