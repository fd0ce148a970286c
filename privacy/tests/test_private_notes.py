"""Mentors' private notes: deleted the scheme's number of days after the relationship closes,
and the mentor told at closure when that will be."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent
from core.models import Notification
from privacy.services import retention_run
from relationships.life.services import relationship_close
from relationships.matching.services import relationship_unmatch
from relationships.tests.factories import MeetingFactory

SECRET = "He told me about his brother; keep an eye on it"


def test_closing_tells_the_mentor_when_their_private_notes_go(world):
    """The closure notice (in the app and by email) gives the date: closed on + the days."""
    world.scheme_a.private_notes_keep_days = 14
    world.scheme_a.save()
    today = timezone.localdate()
    relationship_close(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        closed_on=today,
        closure_type="planned",
        closure_reason="goals_achieved",
        final_review="Settled and working.",
        contact_after="none",
    )
    notice = Notification.objects.get(recipient=world.mentor_a)
    due = today + datetime.timedelta(days=14)
    assert f"deleted on {due:%-d %B %Y}" in notice.body


def test_the_run_deletes_private_notes_only_after_the_scheme_days(world):
    """Thirty days (the default) after closing the notes go; the day before they stay. The
    run's audit event counts them."""
    relationship = world.relationship_a
    meeting = MeetingFactory(relationship=relationship, note_private=SECRET, note_shared="Met.")
    relationship.status = "closed"
    relationship.closed_on = timezone.localdate() - datetime.timedelta(days=29)
    relationship.save()
    retention_run()
    meeting.refresh_from_db()
    assert meeting.note_private == SECRET
    later = timezone.now() + datetime.timedelta(days=1)
    run = retention_run(now=later)
    meeting.refresh_from_db()
    assert (meeting.note_private, meeting.note_shared) == ("", "Met.")
    assert run.private_notes_deleted == 1
    event = AuditEvent.objects.filter(action="retention.run").latest("pk")
    assert event.detail["private_notes_deleted"] == 1


def test_an_unmatch_also_tells_the_mentor_when_their_notes_go(world):
    """Un-matching closes the relationship too: its notice gives the same date."""
    relationship_unmatch(
        by=world.coordinator_a, relationship=world.relationship_a, reason="other", note="Moved"
    )
    notice = Notification.objects.get(recipient=world.mentor_a)
    due = timezone.localdate() + datetime.timedelta(days=world.scheme_a.private_notes_keep_days)
    assert f"deleted on {due:%-d %B %Y}" in notice.body
