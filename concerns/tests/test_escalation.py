"""A concern nobody acknowledges in time goes to the managers, once, with no words in the
email; an acknowledged one never does; the concern says it was escalated."""

from django.core import mail

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from concerns.models import Category, Concern
from concerns.services import concern_acknowledge, concerns_escalate_overdue
from concerns.tasks import escalate_overdue_concerns
from concerns.tests.kit import make_overdue, raised_on_a_meeting
from conftest import client_for
from core.models import Notification


def escalated_notes() -> list[Notification]:
    return list(Notification.objects.filter(subject__contains="not acknowledged in time"))


def test_an_overdue_concern_goes_to_every_manager_once_with_no_words(
    world, django_capture_on_commit_callbacks, email_queue
):
    """In the app and by email, to each manager; the email names the concern by reference
    and links to it, without its words, its kind or the mentee's name. Run again, nothing
    more is sent."""
    second = MembershipFactory(role=Role.MANAGER, scheme=None).user
    concern = make_overdue(
        raised_on_a_meeting(world.mentor_a, world.relationship_a, category=Category.RISK_TO_MENTOR)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_concerns() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert concerns_escalate_overdue() == 0  # safe to run twice
    concern.refresh_from_db()
    assert concern.escalated_at is not None and concern.status == Concern.Status.RECEIVED
    notes = escalated_notes()
    assert {n.recipient for n in notes} == {world.manager, second}
    assert all(n.scheme_id == world.scheme_a.pk and n.is_urgent for n in notes)
    assert all(n.url == concern.get_absolute_url() for n in notes)
    email_queue.send()
    [email] = mail.outbox
    assert set(email.to) == {world.manager.email, second.email}
    assert concern.reference in email.subject and concern.get_absolute_url() in email.body
    mentee = world.mentee_a
    for text in (email.subject, email.body):
        for secret in ("WORDS-GRUE", "Risk to the mentor", "risk_to_mentor", mentee.given_name):
            assert secret not in text
        assert mentee.family_name not in text and mentee.reference not in text
    assert AuditEvent.objects.filter(
        action="concern.escalated", target_id=str(concern.pk), actor=None
    ).exists()
    page = client_for(world.manager).get(concern.get_absolute_url()).content.decode()
    assert "Escalated to managers at" in page


def test_an_acknowledged_concern_never_escalates(world):
    concern = raised_on_a_meeting(world.mentor_a, world.relationship_a)
    concern_acknowledge(by=world.coordinator_a, concern=concern)
    make_overdue(concern)
    assert concerns_escalate_overdue() == 0
    concern.refresh_from_db()
    assert concern.escalated_at is None and escalated_notes() == []


def test_a_concern_within_its_time_waits(world):
    raised_on_a_meeting(world.mentor_a, world.relationship_a)
    assert concerns_escalate_overdue() == 0
    assert escalated_notes() == []


def test_the_worker_looks_for_late_concerns_on_a_schedule(settings):
    """The scheduler sends the escalation task, which takes no case data."""
    entry = settings.CELERY_BEAT_SCHEDULE["concern-escalation"]
    assert entry["task"] == escalate_overdue_concerns.name
    assert "args" not in entry and "kwargs" not in entry
