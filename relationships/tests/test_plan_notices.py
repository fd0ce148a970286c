"""A plan keeps who moved it and why, and a mentor hears when a coordinator plans, moves or
calls off one of their meetings: the mentor arranges their own week around these."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from core.models import Notification
from relationships.meetings.plan_services import plan_cancel, plan_meeting, plan_move
from relationships.models import Meeting, PlannedMeeting
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon

pytestmark = pytest.mark.django_db


def _notices(world) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.mentor_a).order_by("pk"))


def test_a_move_keeps_who_moved_it_when_and_why_and_the_page_says_so(world):
    """Moving a plan records who moved it and why in a few words; the relationship page shows
    it beside the new time, for the mentor and the coordinator alike."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(2))
    plan_move(plan=plan, by=world.coordinator_a, starts_at=soon(3), reason="Room double booked")
    plan.refresh_from_db()
    assert plan.moved_by == world.coordinator_a
    assert plan.moved_at is not None
    assert plan.move_reason == "Room double booked"
    detail = reverse("relationships:detail", args=[world.relationship_a.pk])
    for user in (world.mentor_a, world.coordinator_a):
        page = client_for(user).get(detail).content.decode()
        assert "Moved by" in page and "Room double booked" in page


def test_the_move_form_takes_an_optional_reason_and_refuses_a_long_one(world):
    """The move page asks why it is moving (optional); more than 200 characters is refused in
    the user's words and nothing moves."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(2))
    url = reverse("relationships:plan_move", args=[plan.pk])
    when = soon(4)
    data = {"date": when.date().isoformat(), "time": "14:00", "reason": "x" * 201}
    response = client_for(world.mentor_a).post(url, data)
    assert response.status_code == 200
    assert "Keep the reason to 200 characters or fewer" in response.content.decode()
    plan.refresh_from_db()
    assert plan.starts_at == soon(2)
    response = client_for(world.mentor_a).post(url, {**data, "reason": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.starts_at == when and plan.move_reason == ""


def test_a_coordinators_plan_move_and_cancel_are_each_told_to_the_mentor(
    world, django_capture_on_commit_callbacks, email_queue
):
    """A coordinator plans a meeting, moves it, then calls it off: the mentor has a
    notification for each (about the mentee, linking to the relationship), and an email that
    says the time and kind of place but no notes or surname."""
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_meeting(
            relationship=world.relationship_a,
            by=world.coordinator_a,
            starts_at=soon(2),
            mode=Meeting.Mode.FACE_TO_FACE,
            place=PlannedMeeting.Place.PROBATION_OFFICE,
        )
        plan_move(plan=plan, by=world.coordinator_a, starts_at=soon(3), reason="Office shut")
        plan_cancel(
            plan=plan,
            by=world.coordinator_a,
            cancelled_by=PlannedMeeting.Status.CANCELLED_BY_COORDINATOR,
            reason="Mentor ill",
        )
    email_queue.send()
    notices = _notices(world)
    mentee = world.relationship_a.mentee
    assert [n.subject for n in notices] == [
        f"Your coordinator planned a meeting with {mentee.short_name}",
        f"Your coordinator moved a meeting with {mentee.short_name}",
        f"Your coordinator called off a meeting with {mentee.short_name}",
    ]
    assert all(n.mentee_id == mentee.pk for n in notices)
    assert all(
        n.url == reverse("relationships:detail", args=[world.relationship_a.pk]) for n in notices
    )
    emails = [m for m in mail.outbox if world.mentor_a.email in m.to]
    assert [m.subject for m in emails] == [n.subject for n in notices]
    bodies = " ".join(m.subject + m.body for m in emails)
    assert mentee.family_name not in bodies
    assert "probation" not in bodies.lower()  # the kind of place stays in the app
    assert "Office shut" not in bodies and "Mentor ill" not in bodies


def test_the_mentors_own_plans_need_no_notice(world):
    """A mentor who plans, moves and cancels their own meeting is not told about it."""
    plan = plan_meeting(
        relationship=world.relationship_a,
        by=world.mentor_a,
        starts_at=soon(2),
        mode=Meeting.Mode.PHONE,
        place=PlannedMeeting.Place.PHONE,
    )
    plan_move(plan=plan, by=world.mentor_a, starts_at=soon(3))
    plan_cancel(
        plan=plan,
        by=world.mentor_a,
        cancelled_by=PlannedMeeting.Status.CANCELLED_BY_MENTOR,
        reason="Exam",
    )
    assert _notices(world) == []


def test_a_passed_plan_cannot_be_moved_on(world):
    """A plan whose time has passed is answered, not moved: moving it on would erase a missed
    meeting and keep the watcher quiet. The page offers "Did it happen?" instead of Move."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(-1))
    with pytest.raises(ValidationError) as refused:
        plan_move(plan=plan, by=world.mentor_a, starts_at=soon(3))
    assert "answer “Did it happen?”" in refused.value.messages[0]
    plan.refresh_from_db()
    assert plan.starts_at == soon(-1) and plan.moved_at is None
    page = client_for(world.mentor_a).get(
        reverse("relationships:detail", args=[world.relationship_a.pk])
    )
    html = page.content.decode()
    assert reverse("relationships:plan_answer", args=[plan.pk]) in html
    assert reverse("relationships:plan_move", args=[plan.pk]) not in html


def test_closing_calls_off_the_waiting_plans_and_a_reopening_starts_without_them(world):
    """Closing a relationship calls off its waiting plans in the same transaction, saying why;
    answered plans stay as they were; after a reopening nothing old is reminded or asked."""
    from relationships.life import services as life_services
    from relationships.meetings.plan_worker import plans_ask_due, plans_remind_due
    from relationships.tests.test_life import close_args

    relationship = world.relationship_a
    waiting = PlannedMeetingFactory(relationship=relationship, starts_at=soon(-2))
    upcoming = PlannedMeetingFactory(relationship=relationship, starts_at=soon(1))
    life_services.relationship_close(
        by=world.coordinator_a, relationship=relationship, **close_args()
    )
    for plan in (waiting, upcoming):
        plan.refresh_from_db()
        assert plan.status == PlannedMeeting.Status.CANCELLED_BY_COORDINATOR
        assert plan.cancel_reason == "The relationship closed."
        assert plan.answered_by == world.coordinator_a
    relationship.refresh_from_db()
    life_services.relationship_reopen(
        relationship=relationship,
        by=world.coordinator_a,
        reason="Asked to start again",
        reopened_on=timezone.localdate(),
    )
    assert plans_remind_due() == 0
    assert plans_ask_due() == 0


def test_a_plan_moved_within_twelve_hours_of_its_new_time_is_not_reminded(world):
    """A mentor who has just moved a meeting to this evening knows about it: no reminder. A
    plan moved days ago to tomorrow is reminded as usual."""
    from relationships.meetings.plan_worker import plans_remind_due

    now = timezone.now()
    just_moved = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(3))
    moved_long_ago = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(4))
    PlannedMeeting.objects.filter(pk=just_moved.pk).update(
        starts_at=now + datetime.timedelta(hours=10), moved_at=now
    )
    PlannedMeeting.objects.filter(pk=moved_long_ago.pk).update(
        starts_at=now + datetime.timedelta(hours=20), moved_at=now - datetime.timedelta(days=2)
    )
    assert plans_remind_due(now=now) == 1
    just_moved.refresh_from_db()
    moved_long_ago.refresh_from_db()
    assert just_moved.reminded_at is None
    assert moved_long_ago.reminded_at is not None


def test_a_missed_meeting_reads_as_arranged_not_started_and_has_no_purpose(world):
    """In the timeline a meeting that did not happen says who arranged it, not who "started"
    it, and shows no "For: Not recorded" line; a meeting held still says who started it."""
    from relationships.meetings.plan_answers import plan_answer_not_held

    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(-1))
    plan_answer_not_held(plan=plan, by=world.mentor_a, answer=PlannedMeeting.Status.DID_NOT_ATTEND)
    page = client_for(world.mentor_a).get(
        reverse("relationships:detail", args=[world.relationship_a.pk])
    )
    html = page.content.decode()
    assert "arranged by the mentor" in html
    assert "Not recorded" not in html
