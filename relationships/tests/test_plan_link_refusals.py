"""A meeting sent for a plan already answered is refused in words, not counted twice; the
same form sent again is still answered "logged". And a not-held answer records honestly who
got in touch: whoever planned the meeting.
"""

import datetime

import pytest
from django.utils import timezone

from conftest import client_for
from core.outbox import HEADER
from relationships.meetings.plan_answers import plan_answer_not_held
from relationships.models import Meeting, Party, PlannedMeeting
from relationships.tests.meeting_kit import form_data, new_url
from relationships.tests.plan_factories import PlannedMeetingFactory, local

pytestmark = pytest.mark.django_db
PS = PlannedMeeting.Status


@pytest.fixture
def past_plan(rel) -> PlannedMeeting:
    """A video call planned by the mentor for 10:00 yesterday, not answered."""
    starts_at = local(timezone.localdate() - datetime.timedelta(days=1), 10)
    return PlannedMeetingFactory(relationship=rel, starts_at=starts_at, mode=Meeting.Mode.VIDEO)


def _held_data(plan: PlannedMeeting) -> dict:
    held = timezone.localtime(plan.starts_at).strftime("%Y-%m-%dT%H:%M")
    return form_data(held_at=held, mode=Meeting.Mode.VIDEO)


def test_a_meeting_for_a_plan_answered_meanwhile_is_refused_in_words(world, rel, past_plan):
    """The mentor opened "Yes, log it"; meanwhile the coordinator recorded that Dorian did
    not turn up. The mentor's form is refused on the page, saying what was recorded, and
    nothing is logged: the plan keeps its one meeting."""
    url = f"{new_url(rel)}?plan={past_plan.pk}"
    mentor = client_for(world.mentor_a)
    assert mentor.get(url).status_code == 200
    plan_answer_not_held(plan=past_plan, by=world.coordinator_a, answer=PS.DID_NOT_ATTEND)
    response = mentor.post(url, _held_data(past_plan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This planned meeting was already recorded as “The mentee did not turn up”" in page
    [meeting] = Meeting.objects.filter(relationship=rel)
    assert meeting.outcome == Meeting.Outcome.DID_NOT_ATTEND
    past_plan.refresh_from_db()
    assert (past_plan.status, past_plan.meeting) == (PS.DID_NOT_ATTEND, meeting)


def test_an_offline_form_for_an_answered_plan_is_refused_not_logged(world, rel, past_plan):
    """Kept on the phone and sent late by the outbox, after the plan was answered: refused
    (the outbox keeps it for the mentor to see), no second meeting."""
    plan_answer_not_held(plan=past_plan, by=world.mentor_a, answer=PS.CANCELLED_BY_MENTEE)
    response = client_for(world.mentor_a).post(
        f"{new_url(rel)}?plan={past_plan.pk}", _held_data(past_plan), headers={HEADER: "1"}
    )
    assert response.status_code == 200
    assert "already recorded as “Cancelled by the mentee”" in response.content.decode()
    assert Meeting.objects.filter(relationship=rel).count() == 1


@pytest.mark.parametrize("outbox", [False, True])
def test_the_same_form_sent_again_is_still_logged(world, rel, past_plan, outbox):
    """Logged from the plan, then the same form sent again (a double tap, or the outbox
    resending it): answered "logged" (the relationship's page, or 204 to the outbox), one
    meeting, linked to the plan."""
    url = f"{new_url(rel)}?plan={past_plan.pk}"
    data = _held_data(past_plan)
    mentor = client_for(world.mentor_a)
    assert mentor.post(url, data).status_code == 302
    headers = {HEADER: "1"} if outbox else {}
    again = mentor.post(url, data, headers=headers)
    assert again.status_code == (204 if outbox else 302)
    [meeting] = Meeting.objects.filter(relationship=rel)
    past_plan.refresh_from_db()
    assert (past_plan.status, past_plan.meeting) == (PS.HELD, meeting)


@pytest.mark.parametrize(
    ("planner", "party"), [("mentor_a", Party.MENTOR), ("coordinator_a", Party.COORDINATOR)]
)
def test_a_not_held_answer_records_who_planned_it_as_getting_in_touch(world, rel, planner, party):
    """The meeting logged for "did not turn up" was got in touch by whoever planned it: the
    mentor for their own plan, the coordinator for one a coordinator arranged, whoever
    answers."""
    plan = PlannedMeetingFactory(
        relationship=rel,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        planned_by=getattr(world, planner),
    )
    meeting = plan_answer_not_held(plan=plan, by=world.mentor_a, answer=PS.DID_NOT_ATTEND)
    assert meeting.initiated_by == party
