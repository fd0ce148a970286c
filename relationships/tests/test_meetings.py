"""Logging meetings on the mentor's phone: one form, one meeting however often it is sent;
notes read only by the audience the form names; concerns that reach the coordinators at once."""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from core.models import Notification
from mentees.models import Referral, ReferralTransition
from relationships.meetings import services as meeting_services
from relationships.models import Goal, Meeting, Party, Relationship, RelationshipChange
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
)
from relationships.tests.meeting_kit import (
    CONCERN,
    detail_url,
    form_data,
    log,
    new_url,
)

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
    assert response["Location"] == detail_url(rel)  # no #anchor: the banner stays in view
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
    world, rel, django_capture_on_commit_callbacks, email_queue
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
    email_queue.send()
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
