"""Answering "Did it happen?" in one tap, and a meeting logged for a plan answering it.

A not-held answer is logged as a meeting with that outcome, linked to the plan, and shows in
the timeline once; "Yes, log it" opens the meeting form filled from the plan and links the
meeting it logs; a meeting logged on the plan's day without going through it is linked too;
an answer is given once.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from core.models import Notification
from relationships.meetings.plan_worker import plans_ask_due
from relationships.models import Meeting, Party, PlannedMeeting
from relationships.tests.meeting_kit import form_data, log, new_url
from relationships.tests.plan_factories import PlannedMeetingFactory, local

pytestmark = pytest.mark.django_db
PS = PlannedMeeting.Status


@pytest.fixture
def past_plan(rel) -> PlannedMeeting:
    """A video call planned for 10:00 yesterday, not answered."""
    starts_at = local(timezone.localdate() - datetime.timedelta(days=1), 10)
    return PlannedMeetingFactory(relationship=rel, starts_at=starts_at, mode=Meeting.Mode.VIDEO)


def answer_url(plan: PlannedMeeting, answer: str) -> str:
    return reverse("relationships:plan_answer_not_held", args=[plan.pk, answer])


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (PS.DID_NOT_ATTEND, "Recorded: Dorian did not turn up."),
        (PS.CANCELLED_BY_MENTEE, "Recorded: Dorian cancelled."),
        (PS.CANCELLED_BY_MENTOR, "Recorded: you cancelled."),
    ],
)
def test_a_not_held_answer_is_one_tap_and_shows_in_the_timeline_once(
    world, rel, past_plan, answer, said
):
    """One POST: a meeting with that outcome (the plan's time and mode, no length, "Not
    recorded" as its purpose, got in touch by the mentor) is logged and linked, the plan
    takes the answer, and the relationship's timeline shows it once."""
    client = client_for(world.mentor_a)
    response = client.post(answer_url(past_plan, answer), follow=True)
    assert response.redirect_chain[-1][0] == reverse("relationships:detail", args=[rel.pk])
    [meeting] = Meeting.objects.filter(relationship=rel)
    assert (meeting.outcome, meeting.purpose, meeting.duration_minutes) == (
        answer,
        Meeting.Purpose.NOT_RECORDED,
        0,
    )
    assert (meeting.held_at, meeting.mode) == (past_plan.starts_at, Meeting.Mode.VIDEO)
    assert (meeting.initiated_by, meeting.logged_by) == (Party.MENTOR, world.mentor_a)
    past_plan.refresh_from_db()
    assert (past_plan.status, past_plan.meeting, past_plan.answered_by) == (
        answer,
        meeting,
        world.mentor_a,
    )
    page = response.content.decode()
    assert said in page
    assert page.count(f'id="meeting-{meeting.pk}"') == 1
    assert meeting.get_outcome_display() in page
    assert "0 min" not in page  # a meeting that did not happen has no length to show
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"meeting.logged", f"plan.{answer}"} <= actions


def test_answering_twice_is_refused_in_words_and_changes_nothing(world, rel, past_plan):
    """A second tap, or another answer afterwards: "already answered", no second meeting,
    and the answer page says plainly what was recorded."""
    client = client_for(world.mentor_a)
    client.post(answer_url(past_plan, PS.DID_NOT_ATTEND))
    response = client.post(answer_url(past_plan, PS.CANCELLED_BY_MENTOR), follow=True)
    page = response.content.decode()
    assert "This meeting was already answered" in page
    assert "Recorded: Dorian did not turn up." in page
    assert "Cancelled by me" not in page  # no buttons left to tap
    assert Meeting.objects.filter(relationship=rel).count() == 1
    past_plan.refresh_from_db()
    assert past_plan.status == PS.DID_NOT_ATTEND


def test_a_plan_not_yet_due_cannot_be_answered(world, rel):
    """Before its time the page says so and offers no answer; a POST is refused."""
    plan = PlannedMeetingFactory(relationship=rel)
    client = client_for(world.mentor_a)
    page = client.get(reverse("relationships:plan_answer", args=[plan.pk])).content.decode()
    assert "has not happened yet" in page
    assert "did not turn up" not in page
    response = client.post(answer_url(plan, PS.DID_NOT_ATTEND), follow=True)
    assert "answer once its time has passed" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_answer_page_offers_the_four_answers(world, rel, past_plan):
    """Yes (a link to the meeting form with the plan), and three one-tap forms."""
    page = (
        client_for(world.mentor_a)
        .get(reverse("relationships:plan_answer", args=[past_plan.pk]))
        .content.decode()
    )
    assert f'href="{new_url(rel)}?plan={past_plan.pk}"' in page
    for answer in PlannedMeeting.NOT_HELD_ANSWERS:
        assert f'action="{answer_url(past_plan, answer)}"' in page
    assert "Dorian did not turn up" in page and "Cancelled by me" in page


def test_yes_opens_the_meeting_form_filled_from_the_plan_and_links_the_meeting(
    world, rel, past_plan
):
    """The form starts at the plan's time and mode, and "we met"; once logged, the plan is
    held with the meeting linked."""
    client = client_for(world.mentor_a)
    url = f"{new_url(rel)}?plan={past_plan.pk}"
    form = client.get(url).context["form"]
    assert form["held_at"].value() == timezone.localtime(past_plan.starts_at).strftime(
        "%Y-%m-%dT%H:%M"
    )
    assert (form["mode"].value(), form["outcome"].value()) == (Meeting.Mode.VIDEO, "met")
    # The mentor changed the time: the meeting was an hour later, still this plan's.
    held = timezone.localtime(past_plan.starts_at + datetime.timedelta(hours=1))
    data = form_data(held_at=held.strftime("%Y-%m-%dT%H:%M"), mode=Meeting.Mode.VIDEO)
    response = client.post(url, data)
    assert response.status_code == 302
    past_plan.refresh_from_db()
    assert past_plan.status == PS.HELD
    assert past_plan.meeting == Meeting.objects.get(relationship=rel)
    assert AuditEvent.objects.filter(action="plan.held", actor=world.mentor_a).exists()


def test_a_meeting_logged_on_the_plans_day_answers_the_plan(world, rel, past_plan):
    """Logged without going through the plan, a meeting the same local day is linked to it
    (held), so the plan is never counted again; a second meeting that day finds no plan."""
    meeting = log(world.mentor_a, rel, held_at=past_plan.starts_at + datetime.timedelta(hours=1))
    past_plan.refresh_from_db()
    assert (past_plan.status, past_plan.meeting) == (PS.HELD, meeting)
    log(world.mentor_a, rel, held_at=past_plan.starts_at + datetime.timedelta(hours=2))
    past_plan.refresh_from_db()
    assert past_plan.meeting == meeting


def test_a_not_held_meeting_logged_on_the_day_gives_the_plan_its_outcome(world, rel, past_plan):
    """ "Dorian cancelled", logged on the day from the ordinary form: the plan is cancelled by
    the mentee, with that meeting."""
    meeting = log(world.mentor_a, rel, held_at=past_plan.starts_at, outcome="cancelled_by_mentee")
    past_plan.refresh_from_db()
    assert (past_plan.status, past_plan.meeting) == (PS.CANCELLED_BY_MENTEE, meeting)


def test_a_meeting_on_another_day_leaves_the_plan_waiting(world, rel, past_plan):
    """A meeting two days before the plan is not its answer."""
    log(world.mentor_a, rel, held_at=past_plan.starts_at - datetime.timedelta(days=2))
    past_plan.refresh_from_db()
    assert past_plan.status == PS.PLANNED and past_plan.meeting is None


def test_my_mentees_asks_about_past_unanswered_plans_only(world, rel, past_plan):
    """The mentor's home has a "Did it happen?" card for the plan whose time passed; none
    for tomorrow's, and none once it is answered."""
    tomorrow = PlannedMeetingFactory(relationship=rel)
    client = client_for(world.mentor_a)
    page = client.get(reverse("relationships:my_mentees")).content.decode()
    assert reverse("relationships:plan_answer", args=[past_plan.pk]) in page
    assert reverse("relationships:plan_answer", args=[tomorrow.pk]) not in page
    client.post(answer_url(past_plan, PS.CANCELLED_BY_MENTEE))
    page = client.get(reverse("relationships:my_mentees")).content.decode()
    assert "Did it happen?" not in page


def test_a_coordinator_answers_in_their_own_words(world, rel, past_plan):
    """A coordinator who took the call answers for the mentor: "the mentor cancelled"."""
    client = client_for(world.coordinator_a)
    page = client.get(reverse("relationships:plan_answer", args=[past_plan.pk])).content.decode()
    assert "Cancelled by the mentor" in page
    response = client.post(answer_url(past_plan, PS.CANCELLED_BY_MENTOR), follow=True)
    assert "Recorded: the mentor cancelled." in response.content.decode()
    assert Meeting.objects.get(relationship=rel).logged_by == world.coordinator_a


def test_the_question_is_marked_read_once_the_plan_is_answered(world, rel, past_plan):
    """The "Did it happen?" notification stops waiting to be read when the answer is given,
    here by logging the meeting from the ordinary form."""
    plans_ask_due()
    notice = Notification.objects.get(recipient=world.mentor_a)
    assert notice.read_at is None
    log(world.mentor_a, rel, held_at=past_plan.starts_at)
    notice.refresh_from_db()
    assert notice.read_at is not None
