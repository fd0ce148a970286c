"""Logging meetings on the mentor's phone: one form, one meeting however often it is sent;
notes read only by the audience the form names; concerns that reach the coordinators at once."""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from conftest import client_for, query_count
from core.models import Notification
from mentees.models import Referral, ReferralTransition
from relationships.meetings import services as meeting_services
from relationships.meetings.services import meeting_log
from relationships.models import Goal, Meeting, Party, Relationship, RelationshipChange
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    StepFactory,
)
from schemes.tests.factories import MentorFactory

PRIVATE = "Talked about his brother's trial: PRIVATE-XYZZY"
SHARED = "Went through the housing form together: SHARED-PLUGH"
CONCERN = "Said someone is threatening him at the hostel: CONCERN-FROBOZZ"


@pytest.fixture
def rel(world) -> Relationship:
    """mentor_a's relationship, with a mentee whose name no Faker draw produces."""
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    return world.relationship_a


def form_data(**overrides) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": Meeting.Outcome.MET,
        "mode": Meeting.Mode.FACE_TO_FACE,
        "duration": "45",
        "initiated_by": Party.MENTEE,
        "purpose": Meeting.Purpose.GOALS,
        "note_shared": "",
        "note_private": "",
        "concern": "",
        "expenses": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def log(user, relationship: Relationship, **kwargs) -> Meeting:
    defaults = {
        "client_id": uuid.uuid4(),
        "held_at": timezone.now() - datetime.timedelta(hours=1),
        "duration_minutes": 60,
        "mode": Meeting.Mode.PHONE,
        "initiated_by": Party.MENTEE,
        "outcome": Meeting.Outcome.MET,
        "purpose": Meeting.Purpose.GOALS,
    }
    return meeting_log(by=user, relationship=relationship, **{**defaults, **kwargs})


def new_url(relationship: Relationship) -> str:
    return reverse("relationships:meeting_new", args=[relationship.pk])


def detail_url(relationship: Relationship) -> str:
    return reverse("relationships:detail", args=[relationship.pk])


# --- Logging --------------------------------------------------------------------------------


def test_a_mentor_logs_a_meeting_with_the_goals_it_touched(world, rel):
    """The meeting lands on the relationship with both goals, the mentor as its author, the
    chosen length, and an audit event; the mentor is sent to it on the timeline."""
    housing = GoalFactory(relationship=rel, title="Somewhere settled to live")
    work = GoalFactory(relationship=rel, title="Back into work")
    client = client_for(world.mentor_a)
    assert client.get(new_url(rel)).status_code == 200
    data = form_data(goals=[housing.pk, work.pk], duration="other", duration_other="120")
    response = client.post(new_url(rel), data)
    meeting = Meeting.objects.get(relationship=rel)
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(rel)}#meeting-{meeting.pk}"
    assert set(meeting.goals.all()) == {housing, work}
    assert meeting.logged_by == world.mentor_a
    assert meeting.duration_minutes == 120
    assert str(meeting.client_id) == data["client_id"]
    assert AuditEvent.objects.filter(action="meeting.logged", target_id=str(meeting.pk)).exists()


def test_the_form_starts_at_now_with_a_fresh_client_id_each_time(world, rel):
    """Each time the form is opened it carries a new id, so two real meetings are never
    mistaken for one; the time starts at now, local time."""
    client = client_for(world.mentor_a)
    first = client.get(new_url(rel)).context["form"]
    second = client.get(new_url(rel)).context["form"]
    assert first["client_id"].value() != second["client_id"].value()
    uuid.UUID(str(first["client_id"].value()))
    shown = datetime.datetime.strptime(first["held_at"].value(), "%Y-%m-%dT%H:%M")
    now = timezone.localtime().replace(tzinfo=None)
    assert abs(now - shown) < datetime.timedelta(minutes=2)


def test_the_same_form_sent_twice_is_one_meeting_and_one_notification(
    world, rel, django_capture_on_commit_callbacks
):
    """A double tap or a retry on a flaky network: same redirect, same message, no second
    meeting, no second notification or email."""
    client = client_for(world.mentor_a)
    data = form_data(concern=CONCERN)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(new_url(rel), data, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(new_url(rel), data, follow=True)
    assert Meeting.objects.filter(relationship=rel).count() == 1
    assert Notification.objects.filter(recipient=world.coordinator_a).count() == 1
    assert len(mail.outbox) == 1
    assert first.redirect_chain == second.redirect_chain
    assert [str(m) for m in first.context["messages"]] == [
        str(m) for m in second.context["messages"]
    ]
    assert "Meeting logged." in second.content.decode()
    assert AuditEvent.objects.filter(action="meeting.logged").count() == 1


def test_a_lost_race_is_caught_by_the_unique_client_id(world, rel):
    """When two sends both pass the first look-up, the database's unique client_id lets one
    in and the other gets the same meeting back, inside a savepoint so nothing else breaks."""
    client_id = uuid.uuid4()
    earlier = MeetingFactory(relationship=rel, client_id=client_id)
    calls = []
    real_existing = meeting_services._existing

    def miss_first_time(cid):
        calls.append(cid)
        return None if len(calls) == 1 else real_existing(cid)

    meeting_services._existing = miss_first_time
    try:
        again = log(world.mentor_a, rel, client_id=client_id)
    finally:
        meeting_services._existing = real_existing
    assert again.pk == earlier.pk
    assert len(calls) == 2  # the insert was tried and the constraint answered
    assert Meeting.objects.count() == 1
    assert Relationship.objects.filter(pk=rel.pk).exists()  # the transaction still works


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_make_one_meeting(world, rel):
    """Two requests with one client_id at the same moment, on two database connections."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    client_id = uuid.uuid4()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(log(world.mentor_a, rel, client_id=client_id, concern=CONCERN).pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    assert Notification.objects.filter(recipient=world.coordinator_a).count() == 1


def test_a_client_id_from_another_relationships_meeting_is_refused(world, rel):
    """A reused id never returns (or reveals) a meeting of another relationship."""
    other = MeetingFactory(relationship=world.relationship_a_other)
    with pytest.raises(ValidationError, match="already used"):
        log(world.mentor_a, rel, client_id=other.client_id)


def test_goals_touched_must_be_this_relationships(world, rel):
    """The form offers only this relationship's active goals, and the service refuses any
    other, so a crafted post cannot tie a meeting to someone else's plan."""
    foreign = GoalFactory(relationship=world.relationship_a_other)
    dropped = GoalFactory(
        relationship=rel, status=Goal.Status.DROPPED, closed_on=timezone.localdate()
    )
    response = client_for(world.mentor_a).post(
        new_url(rel), form_data(goals=[foreign.pk, dropped.pk])
    )
    assert response.status_code == 200
    assert "goals" in response.context["form"].errors
    with pytest.raises(ValidationError, match="this relationship"):
        log(world.mentor_a, rel, goals=[foreign])
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_in_the_future_or_before_the_match(world, rel):
    with pytest.raises(ValidationError, match="future"):
        log(world.mentor_a, rel, held_at=timezone.now() + datetime.timedelta(hours=2))
    with pytest.raises(ValidationError, match="before the match"):
        log(world.mentor_a, rel, held_at=timezone.now() - datetime.timedelta(days=400))
    response = client_for(world.mentor_a).post(
        new_url(rel),
        form_data(
            held_at=(timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        ),
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_length_must_be_given(world, rel):
    response = client_for(world.mentor_a).post(new_url(rel), form_data(duration=""))
    assert "How long was it?" in response.content.decode()
    assert not Meeting.objects.exists()


# --- Who may log ----------------------------------------------------------------------------


def test_a_mentor_cannot_log_for_another_mentors_relationship(world, rel):
    """Another mentor's relationship does not exist for them: 404, nothing written."""
    client = client_for(world.mentor_a)
    url = new_url(world.relationship_a_other)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Meeting.objects.exists()


def test_no_meeting_is_logged_on_a_closed_relationship(world, rel):
    """The mentor loses sight of a closed relationship (404); the coordinator sees why the
    form is not there; the service refuses whoever asks."""
    Relationship.objects.filter(pk=rel.pk).update(
        status=Relationship.Status.CLOSED, closed_on=timezone.localdate()
    )
    rel.refresh_from_db()
    assert client_for(world.mentor_a).post(new_url(rel), form_data()).status_code == 404
    coordinator = client_for(world.coordinator_a)
    page = coordinator.get(new_url(rel))
    assert "no more meetings can be logged" in page.content.decode()
    assert coordinator.post(new_url(rel), form_data()).status_code == 200
    with pytest.raises(ValidationError, match="closed"):
        log(world.coordinator_a, rel)
    assert not Meeting.objects.exists()


def test_a_coordinator_logs_a_phone_call_and_the_timeline_says_so(world, rel):
    """Coordinators of the scheme may log a contact; it is marked as theirs, and they are
    not offered private notes, which belong to the mentor."""
    client = client_for(world.coordinator_a)
    form_page = client.get(new_url(rel)).content.decode()
    assert "only you can read these" not in form_page
    client.post(new_url(rel), form_data(mode=Meeting.Mode.PHONE, initiated_by=Party.COORDINATOR))
    meeting = Meeting.objects.get()
    assert meeting.logged_by == world.coordinator_a
    timeline = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    assert "Logged by Cat Coordinator (coordinator)" in timeline


def test_a_manager_reads_but_does_not_log(world, rel):
    client = client_for(world.manager)
    assert client.get(new_url(rel)).status_code == 403
    assert client.post(new_url(rel), form_data()).status_code == 403
    with pytest.raises(PermissionDenied):  # the service checks too, not only the view
        log(world.manager, rel)
    assert not Meeting.objects.exists()


# --- What a meeting changes -----------------------------------------------------------------


def test_the_first_meeting_held_makes_an_introduced_relationship_active(world, rel):
    """Introduced → active with a dated, attributed change and audit; the referral moves
    from matched to active with it. A missed meeting changes nothing."""
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.INTRODUCED)
    rel.refresh_from_db()
    log(world.mentor_a, rel, outcome=Meeting.Outcome.DID_NOT_ATTEND)
    rel.refresh_from_db()
    assert rel.status == Relationship.Status.INTRODUCED
    referral = world.mentee_a.referrals.get()
    assert referral.status == Referral.Status.MATCHED

    log(world.mentor_a, rel)
    rel.refresh_from_db()
    assert rel.status == Relationship.Status.ACTIVE
    change = RelationshipChange.objects.get(relationship=rel)
    assert (change.from_status, change.to_status, change.by) == (
        "introduced",
        "active",
        world.mentor_a,
    )
    assert AuditEvent.objects.filter(
        action="relationship.activated", target_id=str(rel.pk)
    ).exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACTIVE
    assert ReferralTransition.objects.filter(referral=referral, to_status="active").exists()

    log(world.mentor_a, rel)  # a second meeting changes nothing more
    assert RelationshipChange.objects.filter(relationship=rel).count() == 1


def test_a_meeting_on_a_paused_relationship_is_logged_and_the_pause_stands(world, rel):
    """Decided: logging is allowed while paused (the meeting happened), and only the
    coordinator resumes a relationship. The form says so."""
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.PAUSED)
    rel.refresh_from_db()
    client = client_for(world.mentor_a)
    assert "This relationship is paused" in client.get(new_url(rel)).content.decode()
    client.post(new_url(rel), form_data())
    rel.refresh_from_db()
    assert Meeting.objects.filter(relationship=rel).count() == 1
    assert rel.status == Relationship.Status.PAUSED


def test_a_first_meeting_while_paused_counts_for_the_referral(world, rel):
    """Paused before the two ever met, then they meet: the pause stands, but the person has
    met their mentor, so the referral moves from matched to active (the funnel's 'first
    meeting')."""
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.PAUSED)
    rel.refresh_from_db()
    referral = world.mentee_a.referrals.get()
    assert referral.status == Referral.Status.MATCHED
    log(world.mentor_a, rel)
    rel.refresh_from_db()
    referral.refresh_from_db()
    assert (rel.status, referral.status) == (Relationship.Status.PAUSED, Referral.Status.ACTIVE)


# --- Concerns and private notes -------------------------------------------------------------


def test_a_concern_reaches_every_coordinator_of_the_scheme_at_once(
    world, rel, django_capture_on_commit_callbacks
):
    """Urgent in-app notifications and an email to each coordinator of the scheme (not
    another scheme's); the subject names the mentee by reference and first name only, and
    neither the concern nor any note leaves Tandem by email."""
    second = MembershipFactory(scheme=world.scheme_a, user__full_name="Cy Coordinator").user
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.mentor_a).post(
            new_url(rel), form_data(concern=CONCERN, note_private=PRIVATE, note_shared=SHARED)
        )
    assert response.status_code == 302
    notes = Notification.objects.all()
    assert {n.recipient for n in notes} == {world.coordinator_a, second}
    assert all(n.is_urgent for n in notes)
    meeting = Meeting.objects.get()
    assert all(n.url.endswith(f"#meeting-{meeting.pk}") for n in notes)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert set(email.to) == {world.coordinator_a.email, second.email}
    assert world.mentee_a.reference in email.subject
    assert "Dorian" in email.subject and "Quillfeather" not in email.subject
    for text in (email.subject, email.body, *(n.subject + n.body for n in notes)):
        assert "PRIVATE-XYZZY" not in text
        assert "CONCERN-FROBOZZ" not in text
        assert "Quillfeather" not in text
    assert AuditEvent.objects.filter(
        action="meeting.concern_raised", target_id=str(meeting.pk)
    ).exists()


def test_a_concern_in_a_scheme_with_no_coordinator_reaches_the_managers(
    world, rel, django_capture_on_commit_callbacks
):
    """A scheme between coordinators must not swallow a concern."""
    world.coordinator_a.memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        log(world.mentor_a, rel, concern=CONCERN)
    assert [n.recipient for n in Notification.objects.all()] == [world.manager]
    assert mail.outbox[0].to == [world.manager.email]


def test_no_concern_no_notification(world, rel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        log(world.mentor_a, rel, note_shared=SHARED)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_private_notes_are_read_by_the_mentor_alone(world, rel):
    """On every page that shows meetings, the private note is there for the relationship's
    mentor (labelled as theirs alone) and absent for the coordinator and the manager; the
    shared note and the concern are there for all three."""
    meeting = log(world.mentor_a, rel, note_private=PRIVATE, note_shared=SHARED, concern=CONCERN)
    pages = [detail_url(rel), reverse("relationships:meetings", args=[rel.pk])]
    staff_pages = [*pages, reverse("core:notifications")]
    for url in pages:
        body = client_for(world.mentor_a).get(url).content.decode()
        assert "PRIVATE-XYZZY" in body, url
        assert "Only you can see this" in body, url
    for user in (world.coordinator_a, world.manager):
        for url in staff_pages:
            body = client_for(user).get(url).content.decode()
            assert "PRIVATE-XYZZY" not in body, (user, url)
            assert "Only you can see this" not in body, (user, url)
        body = client_for(user).get(detail_url(rel)).content.decode()
        assert "SHARED-PLUGH" in body and "CONCERN-FROBOZZ" in body
        assert f'id="meeting-{meeting.pk}"' in body
    audit = client_for(world.manager).get(reverse("audit:list")).content.decode()
    assert "PRIVATE-XYZZY" not in audit


def test_a_coordinators_page_never_loads_the_private_note(world, rel):
    """Not just hidden: the column is not read for anyone but the mentor."""
    from django.test.utils import CaptureQueriesContext

    log(world.mentor_a, rel, note_private=PRIVATE)
    client = client_for(world.coordinator_a)
    with CaptureQueriesContext(connection) as ctx:
        client.get(detail_url(rel))
    meeting_queries = [
        q["sql"] for q in ctx.captured_queries if "relationships_meeting" in q["sql"]
    ]
    assert meeting_queries
    assert not any("note_private" in sql for sql in meeting_queries)


def test_the_timeline_shows_what_the_meeting_was(world, rel):
    """Newest first, with how, who started it, what for, the goals touched, and a concern
    set apart."""
    goal = GoalFactory(relationship=rel, title="Open a bank account")
    older = MeetingFactory(
        relationship=rel, held_at=timezone.now() - datetime.timedelta(days=9), mode="video"
    )
    newer = log(
        world.mentor_a,
        rel,
        goals=[goal],
        purpose=Meeting.Purpose.HELP_FOR,
        initiated_by=Party.MENTOR,
        concern=CONCERN,
    )
    body = client_for(world.coordinator_a).get(detail_url(rel)).content.decode()
    assert body.index(f"meeting-{newer.pk}") < body.index(f"meeting-{older.pk}")
    assert "Practical help done for the mentee" in body
    assert "started by the mentor" in body
    assert "Open a bank account" in body
    assert "Concern raised" in body and "meeting-concern" in body


# --- The mentor's home ----------------------------------------------------------------------


def test_the_mentor_home_shows_next_step_review_and_last_meeting(world, rel):
    """The next step is the earliest open one across active goals (done steps and dropped
    goals do not count), with its owner; a past review date says overdue in words."""
    today = timezone.localdate()
    goal = GoalFactory(relationship=rel)
    StepFactory(goal=goal, description="Later step", due_on=today + datetime.timedelta(days=9))
    StepFactory(
        goal=goal,
        description="Done already",
        due_on=today - datetime.timedelta(days=9),
        status="done",
        done_on=today,
    )
    dropped = GoalFactory(relationship=rel, status=Goal.Status.DROPPED, closed_on=today)
    StepFactory(goal=dropped, description="Of a dropped goal", due_on=today)
    StepFactory(
        goal=GoalFactory(relationship=rel),
        description="Ring the job centre",
        owner=Party.MENTOR,
        due_on=today + datetime.timedelta(days=2),
    )
    Relationship.objects.filter(pk=rel.pk).update(next_review_on=today - datetime.timedelta(days=3))
    MeetingFactory(relationship=rel, held_at=timezone.now() - datetime.timedelta(days=4))
    MeetingFactory(
        relationship=rel,
        held_at=timezone.now() - datetime.timedelta(days=1),
        outcome=Meeting.Outcome.DID_NOT_ATTEND,
    )
    response = client_for(world.mentor_a).get(reverse("relationships:my_mentees"))
    row = response.context["relationships"][0]
    assert row.next_step.description == "Ring the job centre"
    body = response.content.decode()
    assert "Ring the job centre" in body and "You" in body
    assert "Overdue since" in body and "text-danger" in body
    last_met = (timezone.localtime() - datetime.timedelta(days=4)).strftime("%a %-d %b")
    assert last_met in body
    assert body.count(">Log a meeting</a>") == 1
    assert new_url(rel) in body
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.PAUSED)
    paused = client_for(world.mentor_a).get(reverse("relationships:my_mentees")).content.decode()
    assert "On hold while paused" in paused and "Overdue since" not in paused


def test_the_mentor_home_costs_the_same_however_long_the_history(world, rel):
    """One relationship with one meeting and step, then five relationships with many."""
    url = reverse("relationships:my_mentees")
    client = client_for(world.mentor_a)
    StepFactory(goal=GoalFactory(relationship=rel))
    MeetingFactory(relationship=rel)
    before = query_count(client, url)
    for _ in range(4):
        other = RelationshipFactory(
            mentee__scheme=world.scheme_a, mentor=world.mentor_file_a, next_review_on=None
        )
        for _ in range(3):
            StepFactory.create_batch(3, goal=GoalFactory(relationship=other))
        MeetingFactory.create_batch(6, relationship=other)
    MeetingFactory.create_batch(10, relationship=rel)
    assert query_count(client, url) == before
    assert client.get(url).content.decode().count("Log a meeting<") == 5


def test_the_relationship_page_costs_the_same_however_many_meetings(world, rel):
    """The timeline shows the latest 50 with their goals and a link to all of them; the
    page's query count does not grow with the history."""
    goal = GoalFactory(relationship=rel)
    first = MeetingFactory(relationship=rel)
    first.goals.add(goal)
    viewers = {u: client_for(u) for u in (world.mentor_a, world.coordinator_a, world.manager)}
    before = {u: query_count(c, detail_url(rel)) for u, c in viewers.items()}
    for meeting in MeetingFactory.create_batch(60, relationship=rel, logged_by=world.mentor_a):
        meeting.goals.add(goal, GoalFactory(relationship=rel))
    assert {u: query_count(c, detail_url(rel)) for u, c in viewers.items()} == before
    body = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    assert body.count('class="card mb-2 meeting') == 50
    assert reverse("relationships:meetings", args=[rel.pk]) in body
    all_url = reverse("relationships:meetings", args=[rel.pk])
    client = client_for(world.coordinator_a)
    assert query_count(client, all_url) == query_count(client, all_url + "?page=2")
    assert client.get(all_url + "?page=2").content.decode().count('class="card mb-2 meeting') == 11


# --- Notifications --------------------------------------------------------------------------


def test_notifications_list_marks_read_and_counts_in_the_navbar(world):
    """Each person sees only their own; the navbar badge counts the unread; marking read
    works for one's own notifications only."""
    mine = Notification.objects.create(
        recipient=world.coordinator_a, subject="Concern raised about T1 (Al)", is_urgent=True
    )
    Notification.objects.create(recipient=world.coordinator_a, subject="A new match")
    theirs = Notification.objects.create(recipient=world.coordinator_b, subject="Not yours")
    client = client_for(world.coordinator_a)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Concern raised about T1 (Al)" in page and "Not yours" not in page
    assert "Urgent" in page
    home = client.get(reverse("home:dashboard")).content.decode()
    assert '2<span class="visually-hidden"> unread, 1 urgent' in home

    url = reverse("core:notifications_read")
    assert client.post(url, {"notification": theirs.pk}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(url, {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(url, {"all": "1"})
    assert not Notification.objects.filter(recipient=world.coordinator_a, read_at=None).exists()
    home = client.get(reverse("home:dashboard")).content.decode()
    assert "unread" not in home


def test_the_navbar_badge_is_one_query(world):
    client = client_for(world.coordinator_a)
    url = reverse("home:dashboard")
    before = query_count(client, url)
    for i in range(5):
        Notification.objects.create(recipient=world.coordinator_a, subject=f"N{i}")
    assert query_count(client, url) == before


def test_a_mentor_in_a_second_scheme_is_still_only_theirs(world):
    """Guard: a mentor holding the role in another scheme does not gain a coordinator's
    power to log on relationships that are not theirs."""
    MembershipFactory(user=world.mentor_a, role=Role.MENTOR, scheme=world.scheme_b)
    other = RelationshipFactory(
        mentee__scheme=world.scheme_b, mentor=MentorFactory(scheme=world.scheme_b, active=True)
    )
    assert client_for(world.mentor_a).get(new_url(other)).status_code == 404
