"""What each person sees of a concern: the mentor its dates on their meeting, staff its page
and the list; open concerns head the coordinator's dashboard; lists cost flat queries."""

from django.urls import reverse
from django.utils import timezone

from concerns.models import ActionKind, Category, Concern, Outcome
from concerns.services import concern_acknowledge, concern_action_add, concern_close
from concerns.tests.kit import (
    ACTION_NOTE,
    CLOSING_NOTE,
    WORDS,
    make_overdue,
    raised_by_coordinator,
    raised_on_a_meeting,
)
from conftest import client_for, query_count
from mentees.tests.factories import MenteeFactory

DASH = reverse("home:dashboard")
LIST = reverse("concerns:list")


def test_the_mentor_sees_received_and_closed_but_never_the_actions(world):
    """On the meeting in their timeline the mentor sees their words and when the concern was
    received, acknowledged and closed: never what was done, the outcome or its note."""
    concern = raised_on_a_meeting(world.mentor_a, world.relationship_a)
    concern_action_add(
        by=world.coordinator_a,
        concern=concern,
        kind=ActionKind.POLICE,
        taken_on=timezone.localdate(),
        note=ACTION_NOTE,
    )
    concern_close(
        by=world.coordinator_a, concern=concern, outcome=Outcome.REFERRED, note=CLOSING_NOTE
    )
    mentor = client_for(world.mentor_a)
    for url in (
        reverse("relationships:detail", args=[world.relationship_a.pk]),
        reverse("relationships:meetings", args=[world.relationship_a.pk]),
    ):
        body = mentor.get(url).content.decode()
        assert WORDS in body and "Received " in body and "Acknowledged " in body
        assert "Closed " in body
        for hidden in ("ZORKMID", "FLATHEAD", "Told the police", "Referred to another agency"):
            assert hidden not in body, (url, hidden)
        assert concern.get_absolute_url() not in body
    assert mentor.get(concern.get_absolute_url()).status_code == 404


def test_a_mentor_never_sees_a_concern_a_coordinator_raised_on_their_meeting(world):
    """A coordinator's concern on a meeting they logged may be about the mentor: the mentor's
    timeline shows the meeting but not the concern, its words or its dates; the coordinator
    still sees it there."""
    concern = raised_on_a_meeting(
        world.coordinator_a, world.relationship_a, category=Category.RISK_TO_MENTOR
    )
    url = reverse("relationships:meetings", args=[world.relationship_a.pk])
    body = client_for(world.mentor_a).get(url).content.decode()
    assert f'id="meeting-{concern.meeting_id}"' in body
    assert WORDS not in body and "Concern raised" not in body and "meeting-concern" not in body
    staff = client_for(world.coordinator_a).get(url).content.decode()
    assert WORDS in staff and concern.get_absolute_url() in staff


def test_the_concern_page_shows_staff_the_whole_life(world):
    concern = raised_on_a_meeting(world.mentor_a, world.relationship_a)
    concern_action_add(
        by=world.coordinator_a,
        concern=concern,
        kind=ActionKind.POLICE,
        taken_on=timezone.localdate(),
        note=ACTION_NOTE,
    )
    concern_close(
        by=world.coordinator_a, concern=concern, outcome=Outcome.REFERRED, note=CLOSING_NOTE
    )
    for user in (world.coordinator_a, world.manager):
        body = client_for(user).get(concern.get_absolute_url()).content.decode()
        for shown in (WORDS, ACTION_NOTE, CLOSING_NOTE, "Told the police", "Acknowledged by"):
            assert shown in body, (user, shown)
        assert "Close the concern" not in body  # closed: nothing more to do


def test_open_concerns_head_the_coordinators_dashboard_above_the_flags(world):
    """The oldest due first, with how many wait and how many are past their time."""
    late = make_overdue(raised_by_coordinator(world.coordinator_b, world.mentee_a))
    raised_by_coordinator(world.coordinator_a, world.mentee_a_unmatched)
    concern_acknowledge(
        by=world.coordinator_a,
        concern=raised_by_coordinator(world.coordinator_a, world.mentee_a),
    )
    closed = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    concern_close(by=world.coordinator_a, concern=closed, outcome=Outcome.RESOLVED, note="Done")
    raised_by_coordinator(world.coordinator_b, world.mentee_b)  # another scheme's
    response = client_for(world.coordinator_a).get(DASH)
    figures = response.context["board"].concerns
    assert (figures.open, figures.waiting, figures.overdue) == (3, 2, 1)
    assert figures.shown[0] == late
    assert closed not in figures.shown
    body = response.content.decode()
    assert body.index("Open concerns") < body.index("Relationships by health")
    assert body.index("Open concerns") < body.index("Flags to look at")
    assert "1 not acknowledged in time" in body
    assert WORDS not in body  # the dashboard lists, it does not read out


def test_the_list_filters_by_what_is_shown_scheme_and_kind(world):
    late = make_overdue(raised_by_coordinator(world.coordinator_b, world.mentee_a))
    other = raised_by_coordinator(world.coordinator_a, world.mentee_a, category=Category.OTHER)
    closed = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    concern_close(by=world.coordinator_a, concern=closed, outcome=Outcome.RESOLVED, note="Done")
    theirs = raised_by_coordinator(world.coordinator_b, world.mentee_b)

    def shown(user, **params) -> list[Concern]:
        return list(client_for(user).get(LIST, params).context["page"])

    assert shown(world.coordinator_a) == [late, other]
    assert shown(world.coordinator_a, show="overdue") == [late]
    assert shown(world.coordinator_a, show="closed") == [closed]
    assert shown(world.coordinator_a, category=Category.OTHER) == [other]
    assert theirs not in shown(world.coordinator_a, show="all")
    assert set(shown(world.manager, scheme=world.scheme_b.pk)) == {theirs}
    assert client_for(world.mentor_a).get(LIST).status_code == 403


def test_the_list_and_the_dashboard_cost_the_same_queries_however_many_concerns(world):
    coordinator = client_for(world.coordinator_a)
    raised_by_coordinator(world.coordinator_a, world.mentee_a)
    few = (query_count(coordinator, LIST), query_count(coordinator, DASH))
    for _ in range(6):
        mentee = MenteeFactory(scheme=world.scheme_a)
        make_overdue(raised_by_coordinator(world.coordinator_b, mentee))
        concern_acknowledge(
            by=world.coordinator_a, concern=raised_by_coordinator(world.coordinator_b, mentee)
        )
    assert (query_count(coordinator, LIST), query_count(coordinator, DASH)) == few


def test_the_timeline_costs_no_query_per_concern(world):
    """The concern of each meeting comes with the meeting."""
    mentor = client_for(world.mentor_a)
    url = reverse("relationships:meetings", args=[world.relationship_a.pk])
    raised_on_a_meeting(world.mentor_a, world.relationship_a)
    few = query_count(mentor, url)
    for _ in range(4):
        raised_on_a_meeting(world.mentor_a, world.relationship_a)
    assert query_count(mentor, url) == few


def test_the_list_puts_waiting_then_urgent_then_earliest_due_first(world):
    """Waiting before acknowledged before closed; among the waiting, the earliest due: one
    already late, then an urgent one (due within hours), then a routine one."""
    late = make_overdue(raised_by_coordinator(world.coordinator_b, world.mentee_a))
    routine = raised_by_coordinator(world.coordinator_b, world.mentee_a)
    urgent = raised_by_coordinator(world.coordinator_b, world.mentee_a, urgency="today")
    acknowledged = raised_by_coordinator(world.coordinator_b, world.mentee_a, urgency="today")
    concern_acknowledge(by=world.coordinator_a, concern=acknowledged)
    closed = raised_by_coordinator(world.coordinator_b, world.mentee_a)
    concern_close(by=world.coordinator_a, concern=closed, outcome=Outcome.RESOLVED, note="Done")
    page = client_for(world.coordinator_a).get(LIST, {"show": "all"}).context["page"]
    assert list(page) == [late, urgent, routine, acknowledged, closed]


def test_old_carried_over_concerns_never_push_a_new_one_off_the_dashboard(world):
    """Six concerns carried over from before Tandem tracked them (their time long past) and a
    new urgent one: the new one heads the dashboard, and the old ones are not called late."""
    import datetime

    old = [raised_by_coordinator(world.coordinator_b, world.mentee_a) for _ in range(6)]
    long_ago = datetime.timedelta(days=400)
    for concern in old:
        Concern.objects.filter(pk=concern.pk).update(
            carried_over=True,
            raised_at=concern.raised_at - long_ago,
            due_at=concern.due_at - long_ago,
        )
    urgent = raised_by_coordinator(world.coordinator_b, world.mentee_a, urgency="today")
    page = client_for(world.coordinator_a).get(reverse("home:dashboard"))
    shown = page.context["board"].concerns.shown
    assert shown[0] == urgent
    body = page.content.decode()
    assert "Not acknowledged in time</span>" not in body
    assert "Carried over, not yet looked at" in body
