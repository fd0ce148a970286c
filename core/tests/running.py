"""How the suite runs: the slow tests that need no database start first, and the browser
tests drive Debian's Chromium against a live server. Loaded by the root conftest.py."""

import os
import shutil
import time

import pytest

from accounts.models import User
from conftest import Client


# --- Slow tests ------------------------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by marker (-m)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is also slow, so ``-m "not slow"`` leaves out Chromium entirely."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
)


class _LongestFirst:
    """The slow tests run first, the longest kinds first: those that need no test database
    (the ``make run`` test, the subprocess tests, the national export), then those that run a
    real Celery worker, then the rest of the slow ones (the browser). The thousands of quick
    tests come last, where they fill whichever worker is free: with parallel workers, a
    minute-long test at the end would leave every other worker idle while it finishes.

    Quick tests that use the database in a transaction (pytest-django puts them first) may
    then run after tests that commit (``transactional_db``): those empty every table when they
    end, and the migrations put no rows in any table, so the database is as it was."""

    @pytest.hookimpl(trylast=True)  # after pytest-django has put the tests in its order
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        def rank(item: pytest.Item) -> int:
            if not item.get_closest_marker("slow"):
                return 3
            uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
                getattr(item, "fixturenames", ())
            )
            if not uses_database:
                return 0
            return 1 if item.get_closest_marker("real_queue") else 2

        items.sort(key=rank)


# --- Browser tests ------------------------------------------------------------------------
# Playwright drives Debian's Chromium (never a browser build of Playwright's own).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_configure(config: pytest.Config) -> None:
    """Order the slow tests (``_LongestFirst``). Clear last run's browser output once, before
    any test starts (and before xdist starts its workers), rather than in every worker, where
    one worker would delete what another has already written."""
    config.pluginmanager.register(_LongestFirst(), "tandem-longest-first")
    if hasattr(config, "workerinput"):
        return
    output = config.getoption("--output", None)
    if output and os.path.isdir(output):
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's, which clears the output folder in every worker;
    ``pytest_configure`` above does it once."""


@pytest.fixture(scope="session")
def _allow_sync_db_under_playwright():
    """Playwright's sync API keeps an event loop running in the test thread for the whole
    session, which trips Django's async-safety check even though every database call here
    is synchronous. Relaxed only once a browser test has started Playwright."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, _allow_sync_db_under_playwright):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_FLAGS,
    }


class _Server:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture(scope="session")
def _browser_server_thread(django_db_setup, django_db_blocker):
    """A live server that serves static files the way production does: through WhiteNoise
    from the collected, hashed files (``make test`` runs collectstatic first). pytest-django's
    own live server would look them up unhashed and serve pages without their CSS."""
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        thread = LiveServerThread("localhost", static_handler=lambda app: app)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
    yield thread
    thread.terminate()


@pytest.fixture
def browser_server(_browser_server_thread, transactional_db) -> _Server:
    """The running server; the test's data is committed so the server thread can see it."""
    return _Server(f"http://localhost:{_browser_server_thread.port}")


#: Hang guard for ``wait_until``: ten times what a slow, busy machine needs.
WAIT_GUARD_SECONDS = 30


def wait_until(page, predicate: str) -> None:
    """Until the JavaScript function ``predicate`` (e.g. ``"() => document.title"``) returns
    something true in the page. Playwright's ``wait_for_function`` evaluates its expression
    with ``eval`` in the page, which Tandem's Content-Security-Policy refuses; this asks the
    page through ``page.evaluate`` (the browser's DevTools protocol, outside the page's
    policy) every 100 ms instead."""
    deadline = time.monotonic() + WAIT_GUARD_SECONDS
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {WAIT_GUARD_SECONDS}s: {predicate}"
        page.wait_for_timeout(100)


#: The service worker has taken charge of the page (so the app's files are on the phone).
SERVICE_WORKER_IN_CHARGE = (
    "() => Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)"
)


def log_in(context, server, user: User) -> None:
    """Give a Playwright browser context the session of ``user`` without the login form."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )
