"""Escalation through a real Celery worker and a real Redis, as in production: the task the
scheduler sends finds the concern nobody acknowledged in time and tells the managers; the
email the worker sends carries no concern text; the acknowledged concern stays put."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from concerns.models import Category, Concern
from concerns.services import concern_acknowledge
from concerns.tasks import escalate_overdue_concerns
from concerns.tests.kit import WORDS, make_overdue
from conftest import client_for
from core.models import Notification
from flags.tests.test_worker import wait_for, worker
from mentoring.celery import app
from relationships.tests.meeting_kit import form_data, new_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs the Redis that `make test` starts",
    ),
]


def escalated(concern: Concern) -> bool:
    concern.refresh_from_db()
    return concern.escalated_at is not None


def test_the_worker_escalates_a_late_concern_and_its_email_has_no_concern_text(
    world, tmp_path, monkeypatch
):
    """A mentor raises a concern on the meeting form; a day and more later nobody has
    acknowledged it. The worker, sent the scheduled task, escalates it to the manager in the
    app and by email (written by the worker's own mail backend to files here): the email
    has the reference and the link, not the words or the kind. A concern acknowledged in
    time is left alone."""
    mentor = client_for(world.mentor_a)
    response = mentor.post(
        new_url(world.relationship_a),
        form_data(concern=WORDS, concern_category=Category.RISK_TO_OTHERS),
    )
    assert response.status_code == 302
    late = make_overdue(Concern.objects.get())
    answered = make_overdue(
        Concern.objects.get(
            pk=concern_acknowledge(
                by=world.coordinator_a,
                concern=Concern.objects.create(
                    scheme=late.scheme,
                    mentee=late.mentee,
                    raised_by=world.coordinator_b,
                    raised_at=late.raised_at,
                    category=Category.OTHER,
                    words="Acknowledged in time: ANSWERED-PLOVER",
                    due_at=late.due_at,
                ),
            ).pk
        )
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    # django-environ reads the path after "filemail://" less its first slash.
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{mail_dir}")
    app.control.purge()  # nothing left over from other tests
    with worker(settings.CELERY_BROKER_URL) as process:
        escalate_overdue_concerns.delay()  # what the scheduler sends every few minutes
        assert wait_for(lambda: escalated(late)), "the worker did not escalate the concern"
        assert wait_for(lambda: any(mail_dir.iterdir())), "the worker sent no email"
        assert process.poll() is None
    assert not escalated(answered)
    notes = Notification.objects.filter(subject__contains="not acknowledged in time")
    assert [n.recipient for n in notes] == [world.manager]
    emails = [Path(f).read_text() for f in mail_dir.iterdir()]
    text = "\n".join(emails)
    assert late.reference in text and reverse("concerns:detail", args=[late.pk]) in text
    assert world.manager.email in text
    for secret in ("WORDS-GRUE", "PLOVER", "Risk to others", "risk_to_others"):
        assert secret not in text
    assert world.mentee_a.given_name not in text and world.mentee_a.reference not in text
