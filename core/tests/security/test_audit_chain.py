"""The audit trail is tamper-evident (issue 15, item 5): the attacks of the probe, replayed.

The application's database role could insert events with a forged actor and a 2020 time,
and delete the login log. Now the database stamps each event's time, each event carries a
keyed MAC from the moment it is written and is then chained to the one before by the
chainer, ``audit_verify`` finds a row slipped in by hand before and after it is chained, and
the login log refuses deletion. (The chainer's concurrency: test_audit_chainer.py.)
"""

import datetime
import io
import uuid

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_chain_pending, audit_record


def verify(*args: str) -> tuple[int, str]:
    """Run ``audit_verify``: its exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def insert_by_hand(*, actor_id: int, mac: str = "ab" * 32, uid: str | None = None) -> int:
    """What someone holding only the database role can do: an INSERT with any values, here
    dated 2020."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (uuid, mac, actor_id, action, target_type, "
            "target_id, created_at, detail) VALUES (%s, %s, %s, 'mentee.viewed', "
            "'mentees.mentee', '1', '2020-01-01 09:00:00+00', '{}') RETURNING id",
            [uid or str(uuid.uuid4()), mac, actor_id],
        )
        return cursor.fetchone()[0]


def test_a_trail_written_by_the_app_verifies_before_and_after_it_is_chained(world):
    """Events written through the services are signed at once (verify passes, saying how
    many wait for the chainer) and, once chained, form an unbroken chain."""
    for _ in range(3):
        audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    total = AuditEvent.objects.count()
    status, output = verify()
    assert status == 0, output
    assert f"{total} not yet chained" in output
    assert audit_chain_pending() == total
    status, output = verify()
    assert status == 0, output
    assert f"Checked {total} chained audit events and 0 not yet chained" in output
    assert "the chain is unbroken" in output


def test_a_row_inserted_by_raw_sql_with_a_forged_actor_is_reported_before_and_after_chaining(
    world,
):
    """The probe's attack: a forged 'coordinator viewed' dated 2020, inserted by hand. Its
    MAC cannot be right without the key: reported at once, and still after the chainer has
    placed it (the chain records the order; the link itself holds)."""
    audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    forged = insert_by_hand(actor_id=world.coordinator_a.pk)
    audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    assert AuditEvent.objects.get(pk=forged).created_at.year == timezone.now().year
    status, output = verify()
    assert status == 1
    assert f"Bad MAC at event id {forged} (not chained yet" in output
    assert "1 bad MAC(s)" in output
    audit_chain_pending()
    seq = AuditEvent.objects.get(pk=forged).seq
    status, output = verify()
    assert status == 1
    assert f"Bad MAC at event id {forged} (seq {seq}," in output
    assert "Broken link" not in output


def test_a_genuine_row_copied_or_altered_by_hand_is_refused_or_reported(world):
    """A valid event copied (same uuid and MAC) is refused by the database; copied with a
    new uuid, or with another actor, its MAC no longer matches."""
    event = audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_by_hand(actor_id=world.manager.pk, mac=event.mac, uid=str(event.uuid))
    copied = insert_by_hand(actor_id=world.coordinator_a.pk, mac=event.mac)
    status, output = verify()
    assert status == 1 and f"Bad MAC at event id {copied} " in output


def test_a_removed_chained_event_breaks_the_chain_where_it_was(world):
    """Even the table's owner, who can lift the append-only trigger, cannot delete a chained
    event unseen: the next one no longer links."""
    events = [audit_record(actor=world.manager, action="t", target=world.scheme_a) for _ in "abc"]
    audit_chain_pending()
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
    audit_chain_pending()
    event.refresh_from_db()
    assert verify(f"--anchor={event.seq}:{event.chain_hash}")[0] == 0
    status, output = verify(f"--anchor={event.seq + 5}:{event.chain_hash}")
    assert status == 1 and "no such event" in output


def test_the_database_sets_the_time_whatever_the_insert_says(world):
    """A raw INSERT dated 2020, and an ORM insert dated 2020, are both stamped with the
    database's time (the transaction's start), not the one given."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        db_now = cursor.fetchone()[0]
    forged = insert_by_hand(actor_id=world.coordinator_a.pk)
    assert AuditEvent.objects.get(pk=forged).created_at == db_now
    event = AuditEvent(
        action="t", target_type="schemes.scheme", target_id="1", mac="cd" * 32,
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    AuditEvent.objects.bulk_create([event])
    assert AuditEvent.objects.get(pk=event.pk).created_at == db_now
    genuine = audit_record(actor=world.manager, action="t", target=world.scheme_a)
    assert AuditEvent.objects.get(pk=genuine.pk).created_at == genuine.created_at == db_now


def test_an_unsigned_or_self_placed_event_is_refused_before_it_reaches_the_database(world):
    """Code that skips the services (create, bulk_create) cannot write an unsigned event,
    nor one that places itself in the chain."""
    with pytest.raises(AppendOnlyError, match="through audit"):
        AuditEvent.objects.create(action="t", target_type="schemes.scheme", target_id="1")
    with pytest.raises(AppendOnlyError, match="through audit"):
        AuditEvent.objects.bulk_create([AuditEvent(action="t", target_type="x", target_id="1")])
    with pytest.raises(AppendOnlyError, match="by the chainer"):
        AuditEvent.objects.bulk_create(
            [AuditEvent(action="t", target_type="x", target_id="1", mac="ab" * 32, seq=1)]
        )


def test_the_database_allows_only_the_chainers_one_update_and_no_delete(world):
    """By hand: an insert that places itself, any change to a signed field, re-placing a
    chained event and deleting a chained or unchained event are all refused; setting an
    unchained event's place, once, is the one update allowed."""
    event = audit_record(actor=world.manager, action="t", target=world.scheme_a)
    refused = [
        ("INSERT INTO audit_auditevent (uuid, mac, action, target_type, target_id, detail, "
         "seq, chain_hash) VALUES (%s, %s, 't', 'x', '1', '{}', 99, %s)",
         [str(uuid.uuid4()), "ab" * 32, "ab" * 32], "placed in the chain after"),
        ("UPDATE audit_auditevent SET action = 'x', seq = 7, chain_hash = %s WHERE id = %s",
         ["ab" * 32, event.pk], "append-only"),
        ("UPDATE audit_auditevent SET seq = 7 WHERE id = %s", [event.pk], "append-only"),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk], "append-only"),
    ]  # fmt: skip
    for sql, params, message in refused:
        with (
            pytest.raises(DatabaseError, match=message),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    audit_chain_pending()
    for sql, params in (
        ("UPDATE audit_auditevent SET seq = 9, chain_hash = %s WHERE id = %s", ["cd" * 32]),
        ("DELETE FROM audit_auditevent WHERE id = %s", []),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [*params, event.pk])
    assert verify()[0] == 0


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
