"""The demo pool keeps the rules the services enforce, in believable proportions."""

from itertools import pairwise

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.selectors import coordinators_of
from core.models import Notification
from demo.management.commands.seed_demo import DEMO_LOGINS
from demo.tests.seeding import seeded_once
from relationships.models import Relationship
from schemes.mentors.selectors import (
    mentor_matchability,
    mentors_for_list,
    mentors_vetting_expiring,
    mentors_vetting_lapsed,
)
from schemes.models import Mentor, SupervisionSession

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


#: Seeded once for the module (demo/tests/seeding.py).
seeded_module = seeded_once("--seed", "5")


@pytest.fixture
def seeded(seeded_module, db) -> None:
    """The demo, for one case (in a savepoint of its own)."""


def test_the_demo_mentor_is_active_and_vetted(seeded):
    mentor = Mentor.objects.get(user__email=DEMO_LOGINS["mentor"])
    today = timezone.localdate()
    assert mentor.status == Mentor.Status.ACTIVE
    reasons = mentor_matchability(mentor=mentor, on=today, establishment=None).reasons
    assert not [r for r in reasons if "DBS" in r or "active" in r.lower()], reasons
    assert any(c.is_valid_on(today) for c in mentor.clearances.all())


def test_the_demo_mentor_has_a_check_to_renew_a_request_waiting_and_a_shared_reflection(seeded):
    """The self-service pages have something to show: the DBS check runs out within the first
    reminder, a capacity request waits for the coordinator (who was told of it, as the app
    tells them), a reflection is shared."""
    mentor = Mentor.objects.get(user__email=DEMO_LOGINS["mentor"])
    today = timezone.localdate()
    latest = mentor.dbs_checks.order_by("-expires_on").first()
    assert latest is not None
    assert 0 < (latest.expires_on - today).days <= mentor.scheme.expiry_first_reminder_days
    assert mentor.capacity_requests.filter(status="requested").count() == 1
    told = Notification.objects.filter(
        recipient__in=coordinators_of(mentor.scheme),
        subject__startswith=f"{mentor.short_name} asks to change their capacity",
    )
    assert told.exists()
    assert mentor.reflection.shared


def test_most_mentors_are_active_and_the_rest_spread_through_the_pipeline(seeded):
    statuses = set(Mentor.objects.values_list("status", flat=True))
    assert statuses == set(Mentor.Status.values)
    assert Mentor.objects.filter(status="active").count() > Mentor.objects.count() / 2


def test_some_vetting_runs_out_soon_and_a_little_has_expired(seeded):
    today = timezone.localdate()
    working = Mentor.objects.filter(status__in=["active", "paused"])
    assert mentors_vetting_expiring(working, today=today).exists()
    assert mentors_vetting_lapsed(working, today=today).exists()


def test_the_seeded_pool_keeps_the_pipelines_rules(seeded):
    """Timelines in order and ending at the current status; a DBS check valid on the day each
    mentor became active; no one over capacity; matches only after becoming active."""
    for mentor in Mentor.objects.prefetch_related("status_changes", "dbs_checks"):
        steps = list(mentor.status_changes.all())
        assert steps[0].to_status == "applied" and steps[-1].to_status == mentor.status
        assert [s.changed_on for s in steps] == sorted(s.changed_on for s in steps)
        assert all(b.from_status == a.to_status for a, b in pairwise(steps))
        if mentor.first_active_on:
            assert any(c.is_valid_on(mentor.first_active_on) for c in mentor.dbs_checks.all())
    assert all(m.open_matches <= m.capacity for m in mentors_for_list(Mentor.objects.all()))
    assert not Relationship.objects.filter(matched_on__lt=F("mentor__first_active_on")).exists()
    assert SupervisionSession.objects.exists()
