"""Two taps on "Did it happen?" at once (two phones, or a double tap on a slow network):
one answer wins under the row locks, the other is refused in words, and one meeting is
logged."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from conftest import build_world
from relationships.meetings.plan_answers import plan_answer_not_held
from relationships.models import Meeting, PlannedMeeting
from relationships.tests.plan_factories import PlannedMeetingFactory, local

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_two_answers_at_once_log_one_meeting():
    """The mentor says "did not turn up" while the coordinator says "cancelled by the
    mentee": exactly one is recorded, with its meeting; the other is told it was answered."""
    world = build_world()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=local(yesterday, 10))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(by, status: str) -> None:
        try:
            start.wait(timeout=30)  # hang guard
            plan_answer_not_held(plan=PlannedMeeting.objects.get(pk=plan.pk), by=by, answer=status)
            outcomes.append("recorded")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(world.mentor_a, "did_not_attend")),
        threading.Thread(target=answer, args=(world.coordinator_a, "cancelled_by_mentee")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[1] == "recorded"
    assert sorted(outcomes)[0].startswith("This meeting was already answered")
    [meeting] = Meeting.objects.filter(relationship=world.relationship_a)
    plan.refresh_from_db()
    assert plan.meeting == meeting and plan.status == meeting.outcome
