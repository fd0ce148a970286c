"""The audit trail is tamper-evident (issue 15, item 5): the attacks of the probe, replayed.

The application's database role could insert events with a forged actor and a 2020 time,
and delete the login log. Now the database stamps each event's time, each event carries a
keyed hash chained to the one before, ``audit_verify`` finds a row slipped in by hand, and
the login log refuses deletion.
"""

import datetime
import io
import threading

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record, audit_record_many
from mentees.imports import mentees_import
from mentees.tests.test_import import GOOD

HANG_GUARD = 60  # seconds: a hang guard only


def verify(*args: str) -> tuple[int, str]:
    """Run ``audit_verify``: its exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def insert_by_hand(*, actor_id: int, seq: int, when: str = "2020-01-01 09:00:00+00") -> int:
    """What someone holding only the database role can do: an INSERT with any values."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (actor_id, action, target_type, target_id, "
            "created_at, detail, seq, chain_hash) "
            "VALUES (%s, 'mentee.viewed', 'mentees.mentee', '1', %s, '{}', %s, %s) RETURNING id",
            [actor_id, when, seq, "ab" * 32],
        )
        return cursor.fetchone()[0]


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_a_trail_written_by_the_app_verifies_and_says_how_many_events_it_checked(world):
    """Events written through the services form an unbroken chain; the check says so."""
    for _ in range(3):
        audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    status, output = verify()
    assert status == 0
    assert f"Checked {AuditEvent.objects.count()} audit events" in output
    assert "unbroken" in output


def test_a_row_inserted_by_raw_sql_with_a_forged_actor_breaks_the_chain_at_that_row(world):
    """The probe's attack: a forged 'coordinator viewed' dated 2020, inserted by hand. The
    next genuine event chains after it, but verification stops at the forged row."""
    audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    forged = insert_by_hand(actor_id=world.coordinator_a.pk, seq=last_seq() + 1)
    audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    status, output = verify()
    assert status == 1
    assert f"Broken link at event id {forged} " in output
    assert "hash does not match" in output
    assert "1 broken link(s)" in output  # the genuine event after it links on correctly


def test_a_removed_event_breaks_the_chain_where_it_was(world):
    """Even the table's owner, who can lift the append-only trigger, cannot delete an event
    unseen: the next one no longer links."""
    events = [audit_record(actor=world.manager, action="t", target=world.scheme_a) for _ in "abc"]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # so the table may be altered
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    status, output = verify()
    assert status == 1
    assert f"Broken link at event id {events[2].pk} " in output
    assert "1 event(s) missing before it" in output


def test_an_anchor_noted_earlier_shows_events_cut_from_the_end(world):
    """A chain cut short still links; the place and hash noted from an earlier run do not."""
    event = audit_record(actor=world.manager, action="t", target=world.scheme_a)
    assert verify(f"--anchor={event.seq}:{event.chain_hash}")[0] == 0
    status, output = verify(f"--anchor={event.seq + 5}:{event.chain_hash}")
    assert status == 1 and "no such event" in output


def test_the_database_sets_the_time_whatever_the_insert_says(world):
    """A raw INSERT dated 2020, and an ORM insert dated 2020, are both stamped with the
    database's time (the transaction's start), not the one given."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        db_now = cursor.fetchone()[0]
    forged = insert_by_hand(actor_id=world.coordinator_a.pk, seq=last_seq() + 1)
    assert AuditEvent.objects.get(pk=forged).created_at == db_now
    event = AuditEvent(
        action="t", target_type="schemes.scheme", target_id="1", seq=last_seq() + 1,
        chain_hash="cd" * 32, created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    AuditEvent.objects.bulk_create([event])
    assert AuditEvent.objects.get(pk=event.pk).created_at == db_now
    genuine = audit_record(actor=world.manager, action="t", target=world.scheme_a)
    assert AuditEvent.objects.get(pk=genuine.pk).created_at == genuine.created_at == db_now


def test_an_unchained_event_is_refused_before_it_reaches_the_database(world):
    """Code that skips the services (create, bulk_create) cannot write an unchained event."""
    with pytest.raises(AppendOnlyError, match="through audit"):
        AuditEvent.objects.create(action="t", target_type="schemes.scheme", target_id="1")
    with pytest.raises(AppendOnlyError, match="through audit"):
        AuditEvent.objects.bulk_create([AuditEvent(action="t", target_type="x", target_id="1")])


def _log_in_row() -> AccessLog:
    return AccessLog.objects.create(
        user_agent="Firefox", ip_address="192.0.2.1", username="coordinator@example.org",
        http_accept="text/html", path_info="/accounts/login/",
    )  # fmt: skip


def test_the_login_log_cannot_be_deleted_or_rewritten_by_the_apps_role(db):
    """The probe deleted the login log. Now the database refuses, and refuses a rewrite of
    who logged in from where, while axes can still fill in the logout time once."""
    row = _log_in_row()
    for sql in (
        "DELETE FROM axes_accesslog WHERE id = %s",
        "UPDATE axes_accesslog SET ip_address = '198.51.100.7' WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="login log"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    with pytest.raises(DatabaseError, match="kept for a year"), transaction.atomic():
        AccessLog.objects.all().delete()  # what axes_reset_logs does
    AccessLog.objects.filter(pk=row.pk).update(logout_time=timezone.now())  # axes at logout
    with pytest.raises(DatabaseError, match="only its logout time"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(logout_time=timezone.now())
    assert AccessLog.objects.get(pk=row.pk).ip_address == "192.0.2.1"


def test_login_log_rows_over_a_year_old_can_still_be_cleared(db):
    """Retention still works: axes' own clean-up may remove rows older than a year."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO axes_accesslog (user_agent, ip_address, username, http_accept, "
            "path_info, attempt_time, session_hash) VALUES "
            "('x', '192.0.2.1', 'u', 'h', '/', now() - interval '400 days', '')"
        )
    kept = _log_in_row()
    AccessLog.objects.filter(
        attempt_time__lt=timezone.now() - datetime.timedelta(days=366)
    ).delete()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_bulk_imports_events_are_chained_in_one_run(world):
    """An import writes its thousands of events in a batch; they take consecutive places in
    the chain after what was there, and the whole chain verifies."""
    before = last_seq()
    report = mentees_import(by=world.coordinator_a, scheme=world.scheme_a, data=GOOD.encode())
    assert report.ok
    seqs = list(
        AuditEvent.objects.filter(action="mentee.imported").order_by("seq").values_list("seq")
    )
    assert seqs[0][0] > before and seqs[1][0] == seqs[0][0] + 1
    audit_record_many(actor=world.manager, action="t", targets=[world.scheme_a] * 500)
    assert last_seq() == AuditEvent.objects.count()
    assert verify()[0] == 0


def test_an_event_rolled_back_leaves_no_gap_in_the_chain(world):
    """A transaction that fails after writing its event gives its place back."""
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=world.manager, action="t", target=world.scheme_a)
        raise RuntimeError
    audit_record(actor=world.manager, action="t", target=world.scheme_a)
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_still_make_one_unbroken_chain(world):
    """Web processes and the worker write at once (here two connections, singles and a
    batch each): they queue on the chain's head, so no two events share a place and every
    link holds."""
    assert connection.vendor == "postgresql", "the chain's lock is PostgreSQL's"
    barrier, errors = threading.Barrier(2), []

    def write(rounds: int) -> None:
        try:
            barrier.wait(timeout=HANG_GUARD)
            for _ in range(rounds):
                with transaction.atomic():
                    audit_record(actor=world.manager, action="t", target=world.scheme_a)
                    audit_record_many(actor=None, action="t", targets=[world.scheme_b] * 5)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(15,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HANG_GUARD)
    assert errors == []
    assert AuditEvent.objects.filter(action="t").count() == 2 * 15 * 6
    status, output = verify()
    assert status == 0, output


@pytest.mark.django_db(transaction=True)
def test_events_written_before_the_chain_are_chained_once_by_the_migration():
    """Upgrading a database that already holds events: migration 0004 chains them in the
    order they were written, so the trail verifies from its first event."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([("audit", "0002_append_only_trigger")])
    with connection.cursor() as cursor:
        for day in (1, 2, 3):
            cursor.execute(
                "INSERT INTO audit_auditevent (action, target_type, target_id, created_at, "
                "detail) VALUES ('mentee.viewed', 'mentees.mentee', %s, %s, '{}')",
                [str(day), f"2026-01-0{day} 10:00:00+00"],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "target_id")) == [
        (1, "1"), (2, "2"), (3, "3"),
    ]  # fmt: skip
    status, output = verify()
    assert status == 0 and "Checked 3 audit events" in output
