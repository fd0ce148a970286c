"""Writing an audit event takes no lock held to the end of the request (issue 15, item 5):
writers on separate connections never wait for each other, and the chainer, run beside
them and beside itself, still makes one unbroken chain with no event skipped.

Each test uses real PostgreSQL connections (one per thread). The waits are hang guards
only, with ten times the room an insert needs on a slow, busy machine.
"""

import datetime
import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.services import audit_chain_pending, audit_record, audit_record_many
from audit.tasks import chain_pending
from core.tests.security.test_audit_chain import verify
from mentees.imports import mentees_import
from mentees.tests.test_import import GOOD

HANG_GUARD = 60  # seconds: a hang guard only
LOCK_GUARD = "10s"  # an insert waits for no lock; any lock wait longer than this fails


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    """Run ``work`` on its own database connection; collect what it raises."""

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def seqs() -> list[int]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_writers_do_not_wait_for_each_other(world):
    """A request's transaction that has written an event and is still open (rendering its
    page) does not hold up another request writing its own: the second commits while the
    first is still open. (The chain's old lock would have made it wait until the first
    committed: here that wait fails after LOCK_GUARD.)"""
    assert connection.vendor == "postgresql"
    first_written, second_done, errors = threading.Event(), threading.Event(), []

    def first() -> None:
        with transaction.atomic():
            audit_record(actor=world.manager, action="first", target=world.scheme_a)
            first_written.set()
            assert second_done.wait(timeout=HANG_GUARD), "the second writer never finished"

    def second() -> None:
        assert first_written.wait(timeout=HANG_GUARD)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_GUARD}'")
            audit_record(actor=world.coordinator_a, action="second", target=world.scheme_a)
            audit_record_many(actor=None, action="second", targets=[world.scheme_b] * 3)
        second_done.set()

    threads = [in_thread(first, errors), in_thread(second, errors)]
    for thread in threads:
        thread.join(timeout=HANG_GUARD)
    assert errors == []
    assert AuditEvent.objects.filter(action__in=["first", "second"]).count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_chainer_beside_writers_and_beside_itself_makes_one_unbroken_chain(world):
    """Web processes write while two chainers run at once (the worker's schedule can
    overlap): every event is placed exactly once, 1, 2, 3... with no gap, and every link and
    MAC holds."""
    assert connection.vendor == "postgresql"
    barrier, writing, errors = threading.Barrier(4), threading.Event(), []
    writing.set()

    def write() -> None:
        barrier.wait(timeout=HANG_GUARD)
        for _ in range(15):
            with transaction.atomic():
                audit_record(actor=world.manager, action="t", target=world.scheme_a)
                audit_record_many(actor=None, action="t", targets=[world.scheme_b] * 5)

    def chain() -> None:
        barrier.wait(timeout=HANG_GUARD)
        while writing.is_set():
            audit_chain_pending(batch=7)

    writers = [in_thread(write, errors) for _ in range(2)]
    chainers = [in_thread(chain, errors) for _ in range(2)]
    for thread in writers:
        thread.join(timeout=HANG_GUARD)
    writing.clear()
    for thread in chainers:
        thread.join(timeout=HANG_GUARD)
    audit_chain_pending()
    assert errors == []
    assert AuditEvent.objects.filter(action="t").count() == 2 * 15 * 6
    assert seqs() == list(range(1, AuditEvent.objects.count() + 1))
    status, output = verify()
    assert status == 0 and "0 not yet chained" in output, output


@pytest.mark.django_db(transaction=True)
def test_events_of_a_transaction_still_open_are_chained_by_a_later_run(world):
    """The chainer cannot see an event whose transaction is still open. It places what has
    committed and, on a later run, the late event after them, though its id is lower."""
    written, commit, errors = threading.Event(), threading.Event(), []

    def slow_request() -> None:
        with transaction.atomic():
            audit_record(actor=world.manager, action="slow", target=world.scheme_a)
            written.set()
            assert commit.wait(timeout=HANG_GUARD)

    thread = in_thread(slow_request, errors)
    assert written.wait(timeout=HANG_GUARD)
    quick = audit_record(actor=world.manager, action="quick", target=world.scheme_a)
    audit_chain_pending()
    assert AuditEvent.objects.filter(action="quick", seq__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="slow").exists()  # not committed yet
    commit.set()
    thread.join(timeout=HANG_GUARD)
    assert errors == []
    audit_chain_pending()
    slow = AuditEvent.objects.get(action="slow")
    assert slow.pk < quick.pk and slow.seq == AuditEvent.objects.get(pk=quick.pk).seq + 1
    assert verify()[0] == 0


def test_an_event_rolled_back_leaves_no_gap_in_the_chain(world):
    """A transaction that fails after writing its event leaves nothing for the chainer."""
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=world.manager, action="t", target=world.scheme_a)
        raise RuntimeError
    audit_record(actor=world.manager, action="t", target=world.scheme_a)
    audit_chain_pending()
    assert seqs() == list(range(1, AuditEvent.objects.count() + 1))
    assert verify()[0] == 0


def test_a_bulk_imports_events_are_chained_in_order_in_batches(world):
    """An import writes its events in one statement; the chainer places them in the order
    written, a batch per transaction, after what was there."""
    report = mentees_import(by=world.coordinator_a, scheme=world.scheme_a, data=GOOD.encode())
    assert report.ok
    audit_record_many(actor=world.manager, action="t", targets=[world.scheme_a] * 500)
    assert audit_chain_pending(batch=100) == AuditEvent.objects.count()
    imported = list(
        AuditEvent.objects.filter(action="mentee.imported").order_by("id").values_list("seq")
    )
    assert imported == sorted(imported)
    assert seqs() == list(range(1, AuditEvent.objects.count() + 1))
    assert verify()[0] == 0


def test_the_worker_chains_every_minute_and_verify_warns_when_it_has_stopped(world):
    """The chainer is on the worker's schedule; an event left unchained for over ten
    minutes makes audit_verify warn that the chainer is not running and exit 2, so
    monitoring that reads only the exit status alarms too."""
    entry = settings.CELERY_BEAT_SCHEDULE["audit-chain"]
    assert entry == {"task": "audit.tasks.chain_pending", "schedule": 60}
    audit_record(actor=world.manager, action="t", target=world.scheme_a)
    later = AuditEvent.objects.get().created_at + datetime.timedelta(minutes=11)
    with mock.patch("audit.verify.timezone.now", return_value=later):
        status, output = verify()
    assert status == 2
    assert "1 event(s) not chained yet, the oldest 11 minute(s) old" in output
    assert "Warning" in output and "chain_pending" in output
    chain_pending()
    status, output = verify()
    assert status == 0 and "Warning" not in output


@pytest.mark.django_db(transaction=True)
def test_events_of_the_first_chain_are_signed_by_the_migration_and_a_forged_one_reported():
    """Upgrading a database chained the first way (migrations 0004-0006): its events keep
    their places and verify; one slipped in by hand then is reported, not laundered."""
    from django.db.migrations.executor import MigrationExecutor

    from audit.chain import chain_key
    from audit.migrations import _chain_v1 as v1

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([("audit", "0006_login_log_kept")])
    previous, key = v1.GENESIS, chain_key()
    with connection.cursor() as cursor:
        for seq in (1, 2, 3):
            cursor.execute(
                "INSERT INTO audit_auditevent (action, target_type, target_id, created_at, "
                "detail, seq, chain_hash) VALUES ('mentee.viewed', 'mentees.mentee', %s, "
                "now(), '{}', %s, %s) RETURNING created_at",
                [str(seq), seq, "0" * 64],
            )
    rows = AuditEvent.objects.order_by("seq").values_list("seq", "created_at", "target_id")
    links = []
    for seq, created_at, target_id in rows:
        fields = [seq, created_at, None, "mentee.viewed", "mentees.mentee", target_id, None, {}]
        previous = v1.link(previous, fields, key) if seq != 2 else "ab" * 32  # 2 is forged
        links.append((previous, seq))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.executemany("UPDATE audit_auditevent SET chain_hash = %s WHERE seq = %s", links)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    assert seqs() == [1, 2, 3]
    status, output = verify()
    assert status == 1
    assert "Bad MAC at event id" in output and "(seq 2," in output and "1 bad MAC(s)" in output
    assert "Broken link" not in output


@pytest.mark.django_db(transaction=True)
def test_events_written_before_any_chain_are_signed_and_chained_by_the_migrations():
    """Upgrading a database that holds events from before the first chain: they are
    chained in the order written and signed, so the trail verifies from its first event."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([("audit", "0002_append_only_trigger")])
    with connection.cursor() as cursor:
        for day in (1, 2, 3):
            cursor.execute(
                "INSERT INTO audit_auditevent (action, target_type, target_id, created_at, "
                "detail) VALUES ('mentee.viewed', 'mentees.mentee', %s, %s, '{\"n\": [1]}')",
                [str(day), f"2026-01-0{day} 10:00:00+00"],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "target_id")) == [
        (1, "1"), (2, "2"), (3, "3"),
    ]  # fmt: skip
    status, output = verify()
    assert status == 0 and "Checked 3 chained audit events and 0 not yet chained" in output
