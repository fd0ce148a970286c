"""Issue 15's headers and production defaults, each attack or finding replayed.

Found on main: no ``Cache-Control: no-store`` on case pages (a shared computer's browser
cache, or a proxy, kept a copy of a mentee's page); no Content-Security-Policy or
Permissions-Policy header; and with only ``DEBUG=false``, ``SECRET_KEY`` and
``ALLOWED_HOSTS`` set, cookies were not secure and there was no HTTPS redirect or HSTS.

Every URL of the permission matrix is walked as each role, GET and POST alike (each request
in a savepoint rolled back after it, so a write or a logout cannot change the next one).
"""

import datetime
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import Client as VerifiedClient
from conftest import World, client_for
from core.tests.matrix import ROLES, Row
from core.tests.test_permission_matrix import MATRIX
from reports.models import ReportExport

ROOT = Path(__file__).resolve().parents[3]
LOGGED_IN = [role for role in ROLES if role != "anonymous"]

CSP_MUST_SAY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def request_row(world: World, matrix_row: Row, role: str):
    """The row's request as ``role``, rolled back afterwards."""
    with transaction.atomic():
        user = world.users()[role]
        if matrix_row.prepare:
            matrix_row.prepare(world)
        url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
        client = world.client(role)
        write = matrix_row.write
        data = write.data(world, user) if write else {}
        if write and write.before:
            write.before(world, user, client)
        response = getattr(client, matrix_row.method)(url, data)
        transaction.set_rollback(True)
    return url, response


def no_store_problem(response) -> str:
    """Why the answer could be kept by a browser or a proxy (empty: it cannot)."""
    words = {w.strip().split("=")[0] for w in response.get("Cache-Control", "").split(",")}
    if "no-store" not in words:
        return f"Cache-Control is {response.get('Cache-Control')!r}"
    if "public" in words:
        return "Cache-Control says public"
    return ""


def csp_problem(response) -> str:
    policy = response.get("Content-Security-Policy", "")
    missing = [directive for directive in CSP_MUST_SAY if directive not in policy]
    if missing or "unsafe-inline" in policy or "http" in policy:
        return f"Content-Security-Policy is {policy!r}"
    return ""


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_of_the_permission_matrix_carries_no_store_and_the_csp(
    shared_world: World, role: str
):
    """Each URL of the permission matrix, asked by each role (GET and POST, allowed or
    refused, pages, JSON, icons and redirects alike), answers with the Content-Security-Policy
    header; every answer to someone logged in is ``no-store``, so no browser cache or proxy
    keeps a copy of a case."""
    problems = []
    for matrix_row in MATRIX:
        url, response = request_row(shared_world, matrix_row, role)
        where = f"{matrix_row.method.upper()} {url} ({matrix_row.id}) as {role}"
        if problem := csp_problem(response):
            problems.append(f"{where}: {problem}")
        if role != "anonymous" and (problem := no_store_problem(response)):
            problems.append(f"{where}: {problem}")
    assert problems == [], "\n".join(problems)


def test_a_report_file_downloaded_is_not_kept(shared_world: World):
    """A funder report's file, downloaded, is not kept by the browser's cache either."""
    world = shared_world
    export = ReportExport.objects.create(
        requested_by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk],
        date_from=timezone.localdate(),
        date_to=timezone.localdate(),
        status=ReportExport.Status.DONE,
        progress=100,
        content=b"a,b\n1,2\n",
        filename="report.csv",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    response = client_for(world.coordinator_a).get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert no_store_problem(response) == ""
    assert csp_problem(response) == ""


@pytest.mark.urls("core.tests.security.urls_failing")
def test_error_pages_to_someone_logged_in_are_not_kept(shared_world: World):
    """A page not found, a refused CSRF token and a server error, shown to someone logged in,
    are ``no-store`` with the CSP too."""
    world = shared_world
    client = client_for(world.mentor_a)
    client.raise_request_exception = False
    not_found = client.get("/no-such-page/")
    failed = client.get("/fails/")
    strict = VerifiedClient(enforce_csrf_checks=True)  # past the second step, as client_for
    strict.force_login(world.mentor_a)
    refused = strict.post(reverse("core:notifications_read"), {"all": "1"})
    assert (not_found.status_code, failed.status_code, refused.status_code) == (404, 500, 403)
    for response in (not_found, failed, refused):
        assert no_store_problem(response) == ""
        assert csp_problem(response) == ""
        assert "<style" not in response.content.decode()  # Django's own CSRF page has one
    assert "This form could not be sent" in refused.content.decode()


@pytest.mark.django_db
def test_every_page_says_which_browser_features_it_may_use(client):
    """Permissions-Policy switches off the camera, microphone, location, payment and USB
    (nothing in Tandem uses them), on every page, logged in or not."""
    response = client.get(reverse("login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


# --- Production defaults: a new process with only the three variables ------------------------
def run_in_production(
    code: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``manage.py shell -c code`` with only DEBUG, SECRET_KEY and ALLOWED_HOSTS set (and
    ``extra``): no database is named, none is needed to read settings or answer a redirect."""
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tandem.example.org",
        **(extra or {}),
    }
    return subprocess.run(  # noqa: S603 (our own fixed arguments)
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


READ_SWITCHES = """
import json
from django.conf import settings as s
print(json.dumps({
    "switches": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,
                 s.SECURE_HSTS_INCLUDE_SUBDOMAINS],
    "hsts": s.SECURE_HSTS_SECONDS,
}))
"""
# Answered by Django's SecurityMiddleware before anything reads the database.
ASK_OVER_PLAIN_HTTP = """
from django.test import Client
r = Client().get("/accounts/login/", HTTP_HOST="tandem.example.org")
print(r.status_code, r["Location"])
"""


@pytest.mark.slow
def test_with_debug_off_cookies_are_secure_http_redirects_and_hsts_lasts_a_year():
    """With only the three variables set, the session and CSRF cookies are HTTPS-only, a
    plain-HTTP request is redirected to HTTPS, and HSTS lasts a year, subdomains included."""
    result = run_in_production(READ_SWITCHES)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["switches"] == [True, True, True, True]
    assert found["hsts"] >= 365 * 24 * 60 * 60
    result = run_in_production(ASK_OVER_PLAIN_HTTP)
    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "301 https://tandem.example.org/accounts/login/", result.stdout


@pytest.mark.slow
def test_only_the_one_explicit_setting_allows_plain_http():
    """ALLOW_PLAIN_HTTP=true (make run, the test suite) turns the HTTPS-only switches off."""
    result = run_in_production(READ_SWITCHES, {"ALLOW_PLAIN_HTTP": "true"})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["switches"] == [False, False, False, False]
    assert found["hsts"] == 0


@pytest.mark.slow
def test_deploy_check_is_clean_with_only_the_three_variables():
    """`check --deploy --fail-level WARNING` passes with exactly DEBUG=false, a 50-character
    random SECRET_KEY and ALLOWED_HOSTS in the environment, nothing else (not even PATH)."""
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tandem.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
