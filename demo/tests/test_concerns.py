"""seed_demo holds a concern in every state, built through the app's services."""

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from concerns.models import Concern
from core.models import Notification
from demo.management.commands.seed_demo import DEMO_LOGINS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_a_concern_in_every_state():
    """Waiting, acknowledged with actions, closed with an outcome, and one past its time
    escalated to the managers; each step audited as the app audits it; the demo mentor
    raised some on their own meetings, so their timeline shows them."""
    call_command("seed_demo", "--scale", "demo", "--seed", "7")
    concerns = Concern.objects.order_by("pk")
    assert {c.status for c in concerns} == set(Concern.Status.values)
    assert concerns.filter(status="acknowledged", actions__isnull=False).exists()
    closed = concerns.get(status="closed")
    assert closed.outcome and closed.closing_note and closed.actions.count() == 2
    late = concerns.get(escalated_at__isnull=False)
    assert late.status == "received" and late.due_at < late.escalated_at
    assert concerns.filter(status="received", escalated_at__isnull=True).exists()
    assert Notification.objects.filter(subject__contains="not acknowledged in time").exists()
    assert concerns.filter(raised_by__email=DEMO_LOGINS["mentor"], meeting__isnull=False).exists()
    for action in ("concern.raised", "concern.acknowledged", "concern.closed", "concern.escalated"):
        assert AuditEvent.objects.filter(action=action).exists(), action
    assert all(c.raised_at <= c.due_at for c in concerns)
