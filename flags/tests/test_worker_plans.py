"""'Outcome not recorded' through a real Celery worker and a real Redis: the scheduled sweep
task raises it for a plan left unanswered past the scheme's days, and answering the plan
queues the sweep that resolves it."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from flags.models import Flag, Kind
from flags.tasks import sweep_flags
from flags.tests.test_worker import wait_for, worker
from mentoring.celery import app
from relationships.meetings.plan_transitions import plan_transition
from relationships.models import Meeting, PlannedMeeting, Relationship
from relationships.tests.factories import MeetingFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs the Redis that `make test` starts",
    ),
]


def outcome_flag(relationship: Relationship) -> Flag | None:
    return Flag.objects.filter(
        relationship=relationship,
        kind=Kind.PLAN_OUTCOME_NOT_RECORDED,
        status__in=Flag.LIVE_STATUSES,
    ).first()


def test_a_plan_left_unanswered_is_flagged_by_the_worker_and_cleared_by_the_answer(
    world, monkeypatch
):
    """mentor_a met their mentee 6 days ago and planned a meeting 5 days ago that nobody
    answered (the scheme allows 3 days). The sweep task, run by a real worker, raises
    'outcome not recorded' naming the plan's day; the mentor's answer (the mentee did not
    turn up, logged as a meeting) queues a sweep on commit that the worker runs and that
    resolves it. The request's own sweep of the relationship is switched off here
    (``_not_now``), so only the worker can clear the flag."""
    monkeypatch.setattr("core.queue.SWEEP_RELATIONSHIP", "flags.tests.test_worker._not_now")
    relationship = world.relationship_a
    now = timezone.now()
    MeetingFactory(relationship=relationship, held_at=now - datetime.timedelta(days=6))
    plan = PlannedMeeting.objects.create(
        relationship=relationship,
        starts_at=now - datetime.timedelta(days=5),
        mode=Meeting.Mode.FACE_TO_FACE,
        place=PlannedMeeting.Place.PROBATION_OFFICE,
        planned_by=world.mentor_a,
    )
    app.control.purge()  # nothing left over from other tests
    with worker(settings.CELERY_BROKER_URL) as process:
        sweep_flags.delay()  # what the scheduler sends every 15 minutes
        assert wait_for(lambda: outcome_flag(relationship) is not None), "no flag raised"
        flag = outcome_flag(relationship)
        planned_on = timezone.localtime(plan.starts_at).date()
        assert flag.figures["planned_on"] == planned_on.isoformat()
        assert "has had no outcome recorded for 5 days (flagged after 3)" in flag.evidence

        with transaction.atomic():
            meeting = MeetingFactory(
                relationship=relationship,
                held_at=plan.starts_at,
                outcome=Meeting.Outcome.DID_NOT_ATTEND,
                purpose=Meeting.Purpose.NOT_RECORDED,
                duration_minutes=0,
            )
            plan_transition(
                plan=PlannedMeeting.objects.select_for_update().get(pk=plan.pk),
                to=PlannedMeeting.Status.DID_NOT_ATTEND,
                by=world.mentor_a,
                at=now,
                meeting=meeting,
            )
        assert wait_for(lambda: outcome_flag(relationship) is None), "the answer was not swept"
        assert process.poll() is None
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED and flag.resolved_by is None
