"""What a newcomer's walk through planning found: the way of meeting and the kind of place
never contradict each other ("Phone" in "Custody"), pages say "Phone call" once, the cancel
page has one "Cancel", a move says to when, the "Did it happen?" page speaks to whoever
reads it, and the mentor's prompt about a plan opens its answer page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from flags.models import Flag, Kind, Severity
from relationships.meetings.plan_services import plan_meeting
from relationships.models import Meeting, PlannedMeeting
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon

Mode, Place = Meeting.Mode, PlannedMeeting.Place
pytestmark = pytest.mark.django_db


def _when(at: datetime.datetime) -> dict[str, str]:
    local = timezone.localtime(at)
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M")}


def _post(client, world, **body: str):
    url = reverse("relationships:plan_new", args=[world.relationship_a.pk])
    return client.post(url, {**_when(soon(3)), **body})


@pytest.mark.parametrize(
    ("mode", "place"),
    [(Mode.PHONE, Place.PHONE), (Mode.VIDEO, Place.VIDEO), (Mode.CUSTODY_VISIT, Place.CUSTODY)],
)
def test_a_phone_video_or_custody_meeting_needs_no_place_and_gets_its_own(world, mode, place):
    """Planned by phone, video or custody visit with no kind of place given, the plan holds
    the place the way implies."""
    response = _post(client_for(world.mentor_a), world, mode=mode)
    assert response.status_code == 302
    assert PlannedMeeting.objects.get().place == place


@pytest.mark.parametrize(
    ("mode", "place", "words"),
    [
        (Mode.PHONE, Place.CUSTODY, "A phone meeting is a phone call"),
        (Mode.VIDEO, Place.COMMUNITY_VENUE, "A video meeting is a video call"),
        (Mode.CUSTODY_VISIT, Place.PROBATION_OFFICE, "A custody visit is in custody"),
        (Mode.FACE_TO_FACE, Place.PHONE, "A call is not a place to meet in person"),
        (Mode.FACE_TO_FACE, "", "Select the kind of place where you will meet"),
    ],
)
def test_a_contradicting_or_missing_place_is_refused_in_words(world, mode, place, words):
    """A place that contradicts the way of meeting (or none, to meet in person) is refused
    on the form, saying what to do, and nothing is planned."""
    page = _post(client_for(world.mentor_a), world, mode=mode, place=place).content.decode()
    assert words in page
    assert not PlannedMeeting.objects.exists()


def test_the_service_refuses_a_contradiction_too(world):
    """Whoever calls ``plan_meeting``, phone in custody is refused on the place."""
    with pytest.raises(ValidationError) as refused:
        plan_meeting(
            relationship=world.relationship_a,
            by=world.mentor_a,
            starts_at=soon(2),
            mode=Mode.PHONE,
            place=Place.CUSTODY,
        )
    assert "A phone meeting is a phone call" in refused.value.message_dict["place"][0]
    assert not PlannedMeeting.objects.exists()


def test_the_form_offers_only_places_to_meet_in_person(world):
    """The kind-of-place question lists venues, not calls: a call is a way of meeting."""
    url = reverse("relationships:plan_new", args=[world.relationship_a.pk])
    page = client_for(world.mentor_a).get(url).content.decode()
    assert "Probation office" in page
    assert "Phone call" not in page and "Video call" not in page


def test_pages_say_phone_call_once(world):
    """A phone plan reads "Phone call" on the relationship page and My mentees, never
    "Phone · Phone call"; a face-to-face one names its place."""
    rel = world.relationship_a
    PlannedMeetingFactory(relationship=rel, starts_at=soon(2), mode=Mode.PHONE, place=Place.PHONE)
    PlannedMeetingFactory(relationship=rel, starts_at=soon(4))
    client = client_for(world.mentor_a)
    for url in (
        reverse("relationships:detail", args=[rel.pk]),
        reverse("relationships:my_mentees"),
    ):
        page = client.get(url).content.decode()
        assert "Phone call" in page and "Phone · " not in page
    detail = client.get(reverse("relationships:detail", args=[rel.pk])).content.decode()
    assert "Face to face · Probation office" in detail


def test_the_cancel_page_calls_the_meeting_off_or_keeps_it(world):
    """The cancel page is titled "Call the meeting off" and its way back reads "Keep the
    meeting": one "Cancel" nowhere to confuse."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    url = reverse("relationships:plan_cancel", args=[plan.pk])
    page = client_for(world.mentor_a).get(url).content.decode()
    assert '<h1 class="h4">Call the meeting off</h1>' in page
    assert ">Keep the meeting</a>" in page
    assert ">Cancel</a>" not in page


def test_a_move_says_to_when(world):
    """Moved, the message names the new day and time."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(2))
    url = reverse("relationships:plan_move", args=[plan.pk])
    page = client_for(world.mentor_a).post(url, _when(soon(6, hour=15)), follow=True)
    local = timezone.localtime(soon(6, hour=15))
    assert f"Meeting moved to {local:%A} {local.day} {local:%B}, 15:00." in page.content.decode()


def test_the_answer_page_speaks_to_the_mentor_or_the_coordinator(world):
    """The mentor reads that their coordinator will see the answer; a coordinator answering
    for them is not told about "your coordinator"."""
    plan = PlannedMeetingFactory(
        relationship=world.relationship_a, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    url = reverse("relationships:plan_answer", args=[plan.pk])
    assert "your coordinator sees it" in client_for(world.mentor_a).get(url).content.decode()
    page = client_for(world.coordinator_a).get(url).content.decode()
    assert "your coordinator" not in page
    assert "timeline" in page


def test_the_mentors_prompt_about_a_plan_opens_its_answer_page(world):
    """ "Did your meeting on … happen?" on the My mentees card links to that plan's "Did it
    happen?" page; other prompts stay plain words."""
    rel = world.relationship_a
    at = timezone.now() - datetime.timedelta(days=5)
    plan = PlannedMeetingFactory(relationship=rel, starts_at=at)
    for kind, figures in (
        (Kind.PLAN_OUTCOME_NOT_RECORDED, {"planned_on": timezone.localdate(at).isoformat()}),
        (Kind.REVIEW_OVERDUE, {}),
    ):
        Flag.objects.create(
            kind=kind,
            severity=Severity.LOW,
            scheme=rel.mentee.scheme,
            relationship=rel,
            evidence="…",
            figures=figures,
            raised_at=timezone.now(),
        )
    page = client_for(world.mentor_a).get(reverse("relationships:my_mentees")).content.decode()
    answer = reverse("relationships:plan_answer", args=[plan.pk])
    local = timezone.localtime(at)
    assert f'<a href="{answer}">Did your meeting on {local.day} {local:%B} happen?' in page
    assert 'role="note">A review is due.' in page
