"""The demo's stories hold together in time: a concern is raised after the meeting it is on,
acknowledged after it was raised and closed after that, and every notification says what its
record says (a deadline the record holds, past when it has passed). Seeding sends no email:
its notifications are in the app, not printed in make run's terminal."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from concerns.models import Concern
from core.models import Notification
from relationships.models import MatchOffer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def when(moment: datetime.datetime) -> str:
    """A deadline as the concern notices write it: "1 Dec 2026 at 20:03"."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y at %H:%M}"


@pytest.fixture
def seeded(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--seed", "7")


def test_each_concern_follows_its_meeting_and_its_steps_follow_each_other(seeded):
    """A concern on a meeting was raised at or after that meeting; it was acknowledged after
    it was raised, escalated only after its time ran out, closed after it was acknowledged
    and its actions taken between; and nothing is dated after the moment of seeding."""
    now = timezone.now()
    concerns = list(Concern.objects.select_related("meeting").prefetch_related("actions"))
    assert len(concerns) == 4
    for concern in concerns:
        if concern.meeting is not None:
            assert concern.raised_at >= concern.meeting.held_at, concern.reference
        assert concern.raised_at < concern.due_at
        if concern.acknowledged_at:
            assert concern.raised_at < concern.acknowledged_at < concern.due_at
        if concern.escalated_at:
            assert concern.due_at < concern.escalated_at <= now
        if concern.closed_at:
            assert concern.acknowledged_at < concern.closed_at <= now
        for action in concern.actions.all():
            assert concern.raised_at.date() <= action.taken_on <= timezone.localdate()
            if concern.closed_at:
                assert action.taken_on <= timezone.localdate(concern.closed_at)


def test_concern_notices_name_the_deadline_the_concern_holds(seeded):
    """The coordinators' notice of each concern says to acknowledge it by the time its
    record is due, and is dated when the concern was raised."""
    for concern in Concern.objects.all():
        notices = Notification.objects.filter(
            subject__startswith=f"Concern {concern.reference} raised"
        )
        assert notices.exists()
        for notice in notices:
            assert f"by {when(concern.due_at)}." in notice.body
            assert notice.created_at == concern.raised_at
    late = Concern.objects.get(escalated_at__isnull=False)
    escalation = Notification.objects.filter(subject__contains="not acknowledged in time")
    assert escalation.exists()
    assert all(when(late.due_at) in n.body for n in escalation)


def test_the_lapsed_offer_names_a_deadline_already_past(seeded):
    """The offer that lapsed did so at a deadline days ago, and the notices about it (the
    mentor's invitation and the lapse) name that deadline, not one still to come."""
    offer = MatchOffer.objects.get(status="lapsed")
    assert offer.offered_at < offer.expires_at <= offer.answered_at < timezone.now()
    deadline = date_format(timezone.localtime(offer.expires_at), "j F Y, H:i")
    lapses = Notification.objects.filter(subject__contains="did not answer in time")
    assert lapses.exists()
    for lapse in lapses:
        assert f"deadline, {deadline}." in lapse.body
        assert lapse.created_at == offer.answered_at
    invitation = Notification.objects.get(
        subject=f"Will you mentor {offer.mentee.given_name}?", recipient=offer.mentor.user
    )
    assert deadline in invitation.body and invitation.created_at == offer.offered_at


@pytest.mark.django_db(transaction=True)
def test_seeding_sends_no_email(settings, capsys, email_queue):
    """Seeding writes the demo's notifications in the app and prints no email: with make
    run's console email, the terminal shows the seeding's progress, not a pile of emails.
    (Committed for real, as make run commits it, so the emails' turn after commit comes.)"""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo", "--seed", "7")
    printed = capsys.readouterr().out
    assert "Seeded 3 schemes" in printed
    assert Notification.objects.count() > 10
    assert "Subject:" not in printed
    assert mail.outbox == [] and email_queue.queued == []
