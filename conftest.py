"""Fixtures shared by every app: one per kind of user, and a small world to scope against.

The world has two schemes. Scheme A has a coordinator, a mentor (active, vetted) matched with
one mentee, and a second mentee the mentor is *not* matched with; scheme B has its own
coordinator, mentee, and an applicant mentor without a login.
Every access rule can be checked against an object inside and outside the user's scope.
"""

import copy
import functools
import json
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import django.test
import factory.random
import pytest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test.client import ClientHandler

from accounts.models import Role, User
from accounts.tests.factories import MembershipFactory, UserFactory
from mentees.models import Mentee, Referral, SafetyRestriction
from mentees.tests.factories import (
    ConsentFactory,
    MenteeFactory,
    ReferralFactory,
    RestrictionFactory,
)
from relationships.models import Relationship
from relationships.tests.factories import RelationshipFactory
from schemes.models import Mentor, Scheme
from schemes.tests.factories import MentorFactory, SchemeFactory

#: How the suite runs (slow tests first, the browser): core/tests/running.py; how a test that
#: commits is cleaned up after: core/tests/emptying.py.
pytest_plugins = ["core.tests.running", "core.tests.emptying"]


# --- Parallel runs (pytest-xdist) -----------------------------------------------------------
# pytest-django gives each worker its own test database (test_tandem_gw0, ...). Redis is
# shared, so each worker also gets Redis databases of its own: a worker's Celery queue and
# cache are never read, purged or filled by another worker (a test that starts a real Celery
# worker would otherwise run the other test process's tasks against the wrong database).
# Django has read its settings by the time this file is imported, so the URLs are changed
# in the settings, in the environment (for the Celery workers and servers tests start) and
# before the Celery app or the cache have read them, which is checked.
def _redis_url_with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def _own_redis_databases_per_xdist_worker() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return  # not under xdist: databases 0 and 1, as scripts/with-services sets them
    from django.conf import settings
    from django.core.cache import caches

    from mentoring.celery import app

    index = int(worker.removeprefix("gw"))
    # 0 and 1 are the serial run's; worker N gets 2+2N (broker) and 3+2N (cache).
    broker_db, cache_db = 2 + 2 * index, 3 + 2 * index
    assert not app.configured, "the Celery app read its settings before conftest.py"
    assert "settings" not in caches.__dict__, "the cache was set up before conftest.py"
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        settings.CELERY_BROKER_URL = _redis_url_with_db(settings.CELERY_BROKER_URL, broker_db)
        os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    if settings.REDIS_URL:
        settings.REDIS_URL = _redis_url_with_db(settings.REDIS_URL, cache_db)
        os.environ["REDIS_URL"] = settings.REDIS_URL
        settings.CACHES = {**settings.CACHES}
        settings.CACHES["default"] = {**settings.CACHES["default"], "LOCATION": settings.REDIS_URL}


_own_redis_databases_per_xdist_worker()


# --- Test clients ---------------------------------------------------------------------------
# Django's test client loads the middleware afresh for every client it makes, and WhiteNoise
# then reads every collected static file: tens of milliseconds, thousands of times a run. The
# clients here share one handler per process instead, loaded again whenever a test changes a
# setting that middleware might read when it starts.
_handlers: dict[bool, ClientHandler] = {}
#: Settings that tests change which no middleware reads when it starts.
SETTINGS_MIDDLEWARE_IGNORES = frozenset({"PASSWORD_HASHERS"})


@receiver(setting_changed)
def _reload_middleware(*, setting: str, **kwargs: object) -> None:
    if setting not in SETTINGS_MIDDLEWARE_IGNORES:
        _handlers.clear()


class Client(django.test.Client):
    """``django.test.Client`` with the process's shared request handler, whose
    ``force_login`` also gives the second factor (``second_factor=False`` to leave it out)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        csrf = self.handler.enforce_csrf_checks
        self.handler = _handlers.setdefault(csrf, ClientHandler(enforce_csrf_checks=csrf))

    def force_login(self, user, backend=None, *, second_factor: bool = True) -> None:
        super().force_login(user, backend)
        if second_factor:
            verify_second_factor(self, user)


def verify_second_factor(client: django.test.Client, user: User) -> None:
    """Mark the client's session as having given a code from a confirmed app of ``user``'s
    (made if they have none), as the code step does: a test of a page need not type a code.
    Only the test client does this; the site's own code step is unchanged."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client() -> Client:
    """pytest-django's ``client``, with the shared handler."""
    return Client()


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _same_fake_data_every_run(request):
    """The factories' fake names and dates depend on the test alone, not on which tests ran
    before it in the same process (which differs from run to run with parallel workers):
    two random names that happen to clash fail every run, or never."""
    factory.random.reseed_random(request.node.nodeid)


class EmailQueue:
    """What ``core.mail.email_later`` queued for the worker in one test, each task's arguments
    as the broker carries them (through JSON, so a model instance could not pass). ``send()``
    runs the worker's task on each, as the worker would, into ``mail.outbox``."""

    def __init__(self) -> None:
        self.queued: list[dict[str, object]] = []

    def enqueue(self, task: str, **kwargs: object) -> bool:
        from core.mail import SEND_EMAIL_TASK

        assert task == SEND_EMAIL_TASK, task
        self.queued.append(json.loads(json.dumps(kwargs)))
        return True

    def send(self) -> None:
        from core.tasks import send_email

        queued, self.queued = self.queued, []
        for kwargs in queued:
            send_email.apply(kwargs=kwargs, throw=True)


_email_queues: list[EmailQueue] = []


@pytest.fixture(autouse=True)
def email_queue(request, monkeypatch):
    """Email is queued here instead of on the broker, where no worker would take it (the test
    reads it with ``email_queue.queued`` or sends it with ``email_queue.send()``). A test
    marked ``real_queue`` runs a real worker and sends through the real broker instead."""
    queue = EmailQueue()
    if not request.node.get_closest_marker("real_queue"):
        monkeypatch.setattr("core.mail.enqueue", queue.enqueue)
    _email_queues.append(queue)
    yield queue
    _email_queues.remove(queue)


def current_email_queue() -> EmailQueue:
    """The running test's ``email_queue``, for helpers that are not fixtures."""
    return _email_queues[-1]


def run_on_commit_callbacks() -> None:
    """Run what waits for the test's own transaction to commit, which it never does (the
    permission matrix's checks run inside it): e.g. queueing an email."""
    from django.db import connection

    waiting = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _, callback, _ in waiting:
        callback()


@dataclass
class World:
    scheme_a: Scheme
    scheme_b: Scheme
    manager: User
    coordinator_a: User
    coordinator_b: User
    mentor_a: User
    no_role: User
    mentee_a: Mentee  # matched with mentor_a
    mentee_a_unmatched: Mentee  # same scheme, not mentor_a's
    mentee_b: Mentee
    relationship_a: Relationship
    relationship_a_other: Relationship  # scheme A, another mentor's: mentor_a must get 404
    referral_a: Referral  # of mentee_a_unmatched: referred, no consent yet
    referral_b: Referral  # of mentee_b
    restriction_a: SafetyRestriction  # on mentee_a, who has consent and is matched
    mentor_file_a: Mentor  # mentor_a's file in scheme A
    mentor_file_b: Mentor  # an applicant in scheme B
    # Logged-in sessions by role, kept for a shared world (``module_world``): a client for a
    # case then needs no login of its own.
    sessions: dict[str, str] = field(default_factory=dict)

    def users(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "mentor": self.mentor_a,
            "coordinator_a": self.coordinator_a,
            "coordinator_b": self.coordinator_b,
            "manager": self.manager,
        }

    def client(self, role: str) -> Client:
        """A client logged in as ``role`` (anonymous: not logged in)."""
        if role not in self.sessions:
            return client_for(self.users()[role])
        from django.conf import settings

        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def build_world() -> World:
    """Create the world's records (the caller provides the database and the transaction)."""
    scheme_a = SchemeFactory(name="Northgate Resettlement")
    scheme_b = SchemeFactory(name="Riverside Bail Support", kind=Scheme.Kind.BAIL_SUPPORT)
    manager = MembershipFactory(role=Role.MANAGER, scheme=None, user__full_name="Mo Manager").user
    coordinator_a = MembershipFactory(scheme=scheme_a, user__full_name="Cat Coordinator").user
    coordinator_b = MembershipFactory(scheme=scheme_b, user__full_name="Bea Coordinator").user
    mentor_a = MembershipFactory(
        role=Role.MENTOR, scheme=scheme_a, user__full_name="Max Mentor"
    ).user
    mentor_file = MentorFactory(scheme=scheme_a, user=mentor_a, active=True)
    mentee_a = MenteeFactory(scheme=scheme_a)
    relationship_a = RelationshipFactory(mentee=mentee_a, mentor=mentor_file)
    ReferralFactory(mentee=mentee_a, status=Referral.Status.MATCHED)
    ConsentFactory(mentee=mentee_a, explained_by=coordinator_a)
    mentee_a_unmatched = MenteeFactory(scheme=scheme_a)
    mentee_b = MenteeFactory(scheme=scheme_b)
    return World(
        scheme_a=scheme_a,
        scheme_b=scheme_b,
        manager=manager,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        mentor_a=mentor_a,
        no_role=UserFactory(full_name="Nell Norole"),
        mentee_a=mentee_a,
        mentee_a_unmatched=mentee_a_unmatched,
        mentee_b=mentee_b,
        relationship_a=relationship_a,
        relationship_a_other=RelationshipFactory(
            mentee__scheme=scheme_a,
            mentor=MentorFactory(scheme=scheme_a, active=True, family_name="Otherwood"),
        ),
        referral_a=ReferralFactory(mentee=mentee_a_unmatched),
        referral_b=ReferralFactory(mentee=mentee_b),
        restriction_a=RestrictionFactory(mentee=mentee_a, recorded_by=coordinator_a),
        mentor_file_a=mentor_file,
        mentor_file_b=MentorFactory(scheme=scheme_b, given_name="Bo", family_name="Applicant"),
    )


@pytest.fixture
def world(request, db) -> World:
    assert not getattr(request.module, "_module_world", False), (
        "this module shares one world (shared_world): use it rather than world"
    )
    return build_world()


# --- One world for a whole module -----------------------------------------------------------
# Building the world takes a few dozen inserts. A module of many short cases (the permission
# matrix) builds it once, inside a transaction that is rolled back when the module ends, and
# runs every case in a savepoint of its own (the ``db`` fixture), rolled back after the case.


@functools.cache
def _fingerprint_query(exclude: frozenset[str]) -> tuple[str, list[str]]:
    from django.db import connection

    assert connection.vendor == "postgresql", "the fingerprint query is PostgreSQL's"
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - exclude)
    # Table names come from Django's own introspection, quoted; nothing here is user input.
    quote = connection.ops.quote_name
    digest = "SELECT %s, (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
    return " UNION ALL ".join(f"{digest} FROM {quote(table)} t)" for table in tables), tables


def database_fingerprint(exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """A digest of every row of every table, by table, in one query: equal fingerprints mean
    no row was added, changed or removed in between."""
    from django.db import connection

    sql, tables = _fingerprint_query(exclude)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The world, built once for the module in a transaction that is never committed. A
    module uses either this (through ``shared_world``) or ``world``, never both: the two
    worlds would collide."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        transaction.atomic(),
    ):
        request.module._module_world = True
        factory.random.reseed_random(request.node.nodeid)
        world = build_world()
        for role, user in world.users().items():
            if user is not None:
                world.sessions[role] = client_for(user).session.session_key
        yield world, database_fingerprint()
        transaction.set_rollback(True)
        request.module._module_world = False


@pytest.fixture
def shared_world(module_world, db) -> World:
    """The module's world for one case. The case runs in its own savepoint (``db``), rolled
    back when it ends; before it starts, the database must be exactly as the world left it,
    so a case that leaked a write fails the next case rather than silently changing it. The
    records are copies, so a case cannot leak through Python objects either."""
    world, fingerprint = module_world
    now = database_fingerprint()
    changed = sorted(table for table in fingerprint if now.get(table) != fingerprint[table])
    assert not changed, f"an earlier case left writes behind in: {', '.join(changed)}"
    return copy.deepcopy(world)


@pytest.fixture
def manager(world) -> User:
    return world.manager


@pytest.fixture
def coordinator(world) -> User:
    return world.coordinator_a


@pytest.fixture
def mentor(world) -> User:
    return world.mentor_a


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def query_count(client: Client, url: str) -> int:
    """How many database queries one GET of ``url`` costs (after a warm-up request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)
