"""The planning pages: plan, move and cancel a meeting from the relationship page, errors in
the user's words, the plans listed on the relationship page and the next one on My mentees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, query_count
from relationships.meetings.plan_services import plan_cancel
from relationships.models import Meeting, PlannedMeeting
from relationships.tests.factories import MeetingFactory, RelationshipFactory
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon

PS = PlannedMeeting.Status
pytestmark = pytest.mark.django_db


def _when(at: datetime.datetime) -> dict[str, str]:
    local = timezone.localtime(at)
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M")}


def test_the_mentor_plans_a_meeting_from_the_relationship_page(world):
    """Sent valid, the plan is made and the relationship page says so and lists it."""
    client = client_for(world.mentor_a)
    url = reverse("relationships:plan_new", args=[world.relationship_a.pk])
    body = {**_when(soon(3)), "mode": Meeting.Mode.PHONE, "place": PlannedMeeting.Place.PHONE}
    response = client.post(url, body, follow=True)
    plan = PlannedMeeting.objects.get(relationship=world.relationship_a)
    assert plan.starts_at == soon(3) and plan.mode == Meeting.Mode.PHONE
    page = response.content.decode()
    assert "Meeting planned." in page
    assert f'id="plan-{plan.pk}"' in page
    assert reverse("relationships:plan_move", args=[plan.pk]) in page


def test_a_plan_form_sent_wrong_answers_in_the_users_words(world):
    """Empty, the form asks for each answer by name; a time gone says it must be to come."""
    client = client_for(world.mentor_a)
    url = reverse("relationships:plan_new", args=[world.relationship_a.pk])
    page = client.post(url, {}).content.decode()
    for words in (
        "Enter the date of the meeting",
        "Enter the time of the meeting, like 14:30",
        "Select how you will meet",
    ):
        assert words in page
    yesterday = timezone.now() - datetime.timedelta(days=1)
    body = {**_when(yesterday), "mode": "phone", "place": "phone"}
    assert "planned for a time still to come" in client.post(url, body).content.decode()
    assert not PlannedMeeting.objects.exists()


def test_plan_the_next_one_opens_with_how_they_met_last(world):
    """After a meeting, the relationship page offers "Plan the next meeting" with the way
    they met filled in (a video meeting needs no place)."""
    MeetingFactory(relationship=world.relationship_a, mode=Meeting.Mode.VIDEO)
    client = client_for(world.mentor_a)
    page = client.get(reverse("relationships:detail", args=[world.relationship_a.pk]))
    link = reverse("relationships:plan_new", args=[world.relationship_a.pk]) + "?mode=video"
    assert link in page.content.decode()
    form = client.get(link).context["form"]
    assert form.initial == {"mode": "video"}


def test_moving_a_plan_from_its_page(world):
    """The move form starts at the planned time and takes a new one."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(2))
    client = client_for(world.mentor_a)
    url = reverse("relationships:plan_move", args=[plan.pk])
    assert client.get(url).context["form"]["date"].value() == soon(2).date()
    response = client.post(url, _when(soon(6, hour=10)))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.starts_at == soon(6, hour=10)


def test_a_second_cancel_is_answered_in_words_on_the_page(world):
    """Cancelling a plan someone already cancelled shows why not, at the top of the form."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    plan_cancel(
        plan=plan, by=world.coordinator_a, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="ill"
    )
    client = client_for(world.mentor_a)
    url = reverse("relationships:plan_cancel", args=[plan.pk])
    body = {"cancelled_by": PS.CANCELLED_BY_MENTOR, "reason": "Car broke down"}
    page = client.post(url, body).content.decode()
    assert "already recorded as “cancelled by the mentee”" in page
    plan.refresh_from_db()
    assert plan.cancel_reason == "ill"


def test_the_relationship_page_shows_a_cancellation_by_whom_and_why(world):
    """An answered plan shows its outcome, its reason and who recorded it."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    plan_cancel(
        plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="Hospital"
    )
    page = client_for(world.coordinator_a).get(
        reverse("relationships:detail", args=[world.relationship_a.pk])
    )
    text = page.content.decode()
    assert "Cancelled by the mentee: “Hospital”" in text
    assert f"Recorded by {world.mentor_a}" in text
    assert reverse("relationships:plan_cancel", args=[plan.pk]) not in text


def test_a_manager_sees_plans_but_no_move_or_cancel(world):
    """Managers read the plans, without the buttons that change them."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    page = client_for(world.manager).get(
        reverse("relationships:detail", args=[world.relationship_a.pk])
    )
    text = page.content.decode()
    assert f'id="plan-{plan.pk}"' in text
    assert reverse("relationships:plan_move", args=[plan.pk]) not in text


def test_my_mentees_shows_each_next_meeting(world):
    """Each card shows the next plan still to come (not a past one, nor a cancelled one),
    with its day, time, mode and kind of place."""
    rel = world.relationship_a
    PlannedMeetingFactory(relationship=rel, starts_at=timezone.now() - datetime.timedelta(hours=2))
    gone = PlannedMeetingFactory(relationship=rel, starts_at=soon(1))
    plan_cancel(plan=gone, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTOR, reason="ill")
    PlannedMeetingFactory(
        relationship=rel, starts_at=soon(5, hour=11), place=PlannedMeeting.Place.PROBATION_OFFICE
    )
    PlannedMeetingFactory(relationship=rel, starts_at=soon(9))
    page = client_for(world.mentor_a).get(reverse("relationships:my_mentees")).content.decode()
    local = timezone.localtime(soon(5, hour=11))
    assert f"{local:%a} {local.day} {local:%b %Y}, 11:00" in page
    mode = Meeting.Mode(Meeting.Mode.FACE_TO_FACE).label
    assert f"{mode} · Probation office" in page


def test_my_mentees_costs_the_same_queries_however_many_mentees_and_plans(world):
    """The next meeting comes with each card's own query: more mentees with plans cost no
    more queries."""
    client = client_for(world.mentor_a)
    url = reverse("relationships:my_mentees")
    mentor = world.relationship_a.mentor
    PlannedMeetingFactory(relationship=world.relationship_a)
    few = query_count(client, url)
    for _ in range(4):
        rel = RelationshipFactory(mentor=mentor, mentee__scheme=world.scheme_a)
        PlannedMeetingFactory(relationship=rel)
        PlannedMeetingFactory(relationship=rel, starts_at=soon(8))
    many = query_count(client, url)
    assert many == few
