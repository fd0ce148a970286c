"""The concerns written on meetings before concerns had a life of their own are carried over,
word for word, into concerns waiting to be acknowledged; then the meeting's column goes, so
the words are kept in one place only."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("concerns", "0001_concerns"), ("relationships", "0004_relationship_change_note")]
AFTER = None  # every app's latest migration, so the database is left as the other tests need it


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_meetings_concern_becomes_a_concern_waiting_to_be_acknowledged(world):
    """An old meeting's concern words become a received Concern on that meeting, and the
    column goes; it is marked carried over, so the worker does not send every old concern to
    the managers at once."""
    old = migrate(BEFORE)
    try:
        Meeting = old.get_model("relationships", "Meeting")
        logged = timezone.now() - datetime.timedelta(days=2)
        with_concern = Meeting.objects.create(
            relationship_id=world.relationship_a.pk,
            held_at=logged,
            mode="phone",
            initiated_by="mentee",
            purpose="goals",
            concern="  Said he is sleeping rough again  ",
            logged_by_id=world.mentor_a.pk,
        )
        Meeting.objects.filter(pk=with_concern.pk).update(created_at=logged)
        Meeting.objects.create(
            relationship_id=world.relationship_a.pk,
            held_at=logged,
            mode="phone",
            initiated_by="mentee",
            purpose="goals",
            concern="",
        )
    finally:
        new = migrate(AFTER)
    Concern = new.get_model("concerns", "Concern")
    concern = Concern.objects.get()
    assert concern.meeting_id == with_concern.pk
    assert concern.relationship_id == world.relationship_a.pk
    assert concern.mentee_id == world.mentee_a.pk and concern.scheme_id == world.scheme_a.pk
    assert concern.words == "Said he is sleeping rough again"
    assert concern.status == "received" and concern.raised_by_id == world.mentor_a.pk
    assert concern.raised_at == logged
    # Nobody could acknowledge it before: it is carried over, and never sent to the managers
    # (every old concern would go at once) though its time has long passed.
    assert concern.carried_over
    from concerns.services import concerns_escalate_overdue, concerns_overdue_ids

    assert concerns_overdue_ids(now=timezone.now()) == []
    assert concerns_escalate_overdue() == 0
    columns = [c.name for c in connection.introspection.get_table_description(
        connection.cursor(), "relationships_meeting"
    )]  # fmt: skip
    assert "concern" not in columns
