"""Concerns that reach the coordinators at once, notes read only by the audience the form names,
the mentor's home and the notifications."""

import datetime

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from concerns.models import Concern
from conftest import client_for, query_count
from core.models import Notification
from relationships.models import Goal, Meeting, Party, Relationship
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    StepFactory,
)
from relationships.tests.meeting_kit import (
    CONCERN,
    PRIVATE,
    SHARED,
    detail_url,
    form_data,
    log,
    new_url,
)
from schemes.tests.factories import MentorFactory

# --- Concerns and private notes -------------------------------------------------------------


def test_a_concern_reaches_every_coordinator_of_the_scheme_at_once(
    world, rel, django_capture_on_commit_callbacks, email_queue
):
    """Urgent in-app notifications (the mentor marked it urgent) and an email to each
    coordinator of the scheme (not another scheme's); the subject names the mentee by
    reference and first name only, and neither the concern nor any note leaves Tandem by
    email."""
    second = MembershipFactory(scheme=world.scheme_a, user__full_name="Cy Coordinator").user
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.mentor_a).post(
            new_url(rel),
            form_data(
                concern=CONCERN,
                concern_urgency="today",
                note_private=PRIVATE,
                note_shared=SHARED,
            ),
        )
    assert response.status_code == 302
    notes = Notification.objects.all()
    assert {n.recipient for n in notes} == {world.coordinator_a, second}
    assert all(n.is_urgent for n in notes)
    meeting = Meeting.objects.get()
    concern = meeting.concern
    assert concern.words == CONCERN and concern.status == Concern.Status.RECEIVED
    assert all(n.url == reverse("concerns:detail", args=[concern.pk]) for n in notes)
    assert all(n.scheme_id == world.scheme_a.pk for n in notes)
    email_queue.send()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert set(email.to) == {world.coordinator_a.email, second.email}
    assert world.mentee_a.reference in email.subject
    assert "Dorian" in email.subject and "Quillfeather" not in email.subject
    for text in (email.subject, email.body, *(n.subject + n.body for n in notes)):
        assert "PRIVATE-XYZZY" not in text
        assert "CONCERN-FROBOZZ" not in text
        assert "Quillfeather" not in text
    assert AuditEvent.objects.filter(action="concern.raised", target_id=str(concern.pk)).exists()


def test_a_concerns_notification_opens_the_concern_which_leads_to_its_meeting(
    world, rel, django_capture_on_commit_callbacks
):
    """The notification opens the concern's own page (what to do about it); that page links
    to the meeting in the list of every meeting, where the concern is still there for the
    coordinator to read after the mentor has logged more meetings since."""
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.mentor_a).post(new_url(rel), form_data(concern=CONCERN))
    meeting = Meeting.objects.get()
    later = meeting.held_at + datetime.timedelta(hours=1)
    for n in range(8):
        MeetingFactory(relationship=rel, held_at=later + datetime.timedelta(minutes=n))
    note = Notification.objects.get(recipient=world.coordinator_a)
    coordinator = client_for(world.coordinator_a)
    page = coordinator.get(note.url).content.decode()
    assert CONCERN in page and "Acknowledge the concern" in page
    to_meeting = reverse("relationships:meetings", args=[rel.pk]) + f"#meeting-{meeting.pk}"
    assert to_meeting in page
    body = coordinator.get(to_meeting).content.decode()
    assert f'id="meeting-{meeting.pk}"' in body
    assert CONCERN in body


def test_a_concern_in_a_scheme_with_no_coordinator_reaches_the_managers(
    world, rel, django_capture_on_commit_callbacks, email_queue
):
    """A scheme between coordinators must not swallow a concern."""
    world.coordinator_a.memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        log(world.mentor_a, rel, concern=CONCERN)
    assert [n.recipient for n in Notification.objects.all()] == [world.manager]
    assert [e["to"] for e in email_queue.queued] == [[world.manager.email]]


def test_no_concern_no_notification(world, rel, django_capture_on_commit_callbacks, email_queue):
    with django_capture_on_commit_callbacks(execute=True):
        log(world.mentor_a, rel, note_shared=SHARED)
    assert not Notification.objects.exists()
    assert email_queue.queued == []


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
    """The timeline shows the latest 5 with their goals and a link to all of them, which
    says how many there are; the page's query count does not grow with the history, nor
    does the page of all meetings' from one page to the next."""
    goal = GoalFactory(relationship=rel)
    first = MeetingFactory(relationship=rel)
    first.goals.add(goal)
    viewers = {u: client_for(u) for u in (world.mentor_a, world.coordinator_a, world.manager)}
    before = {u: query_count(c, detail_url(rel)) for u, c in viewers.items()}
    assert "Show all" not in client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    for meeting in MeetingFactory.create_batch(60, relationship=rel, logged_by=world.mentor_a):
        meeting.goals.add(goal, GoalFactory(relationship=rel))
    assert {u: query_count(c, detail_url(rel)) for u, c in viewers.items()} == before
    body = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    assert body.count('class="card mb-2 meeting') == 5
    all_url = reverse("relationships:meetings", args=[rel.pk])
    assert f'href="{all_url}">Show all 61 meetings</a>' in body
    assert 'href="#meetings">Meetings (61)</a>' in body
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
