"""seed_demo builds believable, deterministic data for every model that exists."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from demo.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor, Scheme

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_scale_builds_the_documented_sizes_and_logins():
    call_command("seed_demo", "--scale", "demo", "--seed", "7")
    assert Scheme.objects.count() == 3
    assert Mentor.objects.count() == 60
    assert Mentee.objects.count() == 300
    assert Relationship.objects.exists()
    for email in DEMO_LOGINS.values():
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None
    demo_mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    assert Relationship.objects.filter(mentor__user=demo_mentor, status="active").count() >= 3


class _Rollback(Exception):
    pass


def _snapshot() -> list[tuple]:
    from mentees.models import Referral

    return list(
        Referral.objects.order_by("mentee__reference").values_list(
            "mentee__reference", "mentee__given_name", "mentee__family_name", "status", "source"
        )
    )


def test_the_same_seed_gives_the_same_people_and_cases():
    with pytest.raises(_Rollback), transaction.atomic():
        call_command("seed_demo", "--seed", "11")
        first = _snapshot()
        raise _Rollback
    call_command("seed_demo", "--seed", "11")
    assert _snapshot() == first
    assert len(first) == 300


def test_seeding_refuses_to_mix_with_existing_data():
    call_command("seed_demo")
    with pytest.raises(CommandError, match="only fills an empty one"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")  # make run's form: a quiet no-op
    assert Scheme.objects.count() == 3


def test_demo_logins_are_printed_only_when_demo_data_exists(capsys):
    call_command("seed_demo", "--logins")
    assert "no demo logins" in capsys.readouterr().out
    call_command("seed_demo")
    call_command("seed_demo", "--logins")
    out = capsys.readouterr().out
    assert DEMO_LOGINS["coordinator"] in out and DEMO_PASSWORD in out


def test_seeded_referrals_obey_the_same_rules_as_the_app():
    """Demo data never shows what the app forbids: nobody waits for a match without
    consent, every referral's steps are in date order, and a matched person's referral
    moved with their relationship."""
    from mentees.models import Referral

    call_command("seed_demo", "--seed", "3")
    referrals = Referral.objects.prefetch_related("transitions", "mentee__consents")
    statuses = set()
    for referral in referrals:
        statuses.add(referral.status)
        dates = [t.on for t in referral.transitions.all()]
        assert dates == sorted(dates), referral
        assert dates[0] == referral.referred_on and dates[-1] == referral.status_changed_on
        if referral.status == Referral.Status.AWAITING_MATCH:
            assert any(c.withdrawn_on is None for c in referral.mentee.consents.all())
    assert statuses >= {"referred", "awaiting_match", "active", "lost_contact", "declined"}
    for relationship in Relationship.objects.select_related("mentee"):
        referral = relationship.mentee.referrals.get()
        assert referral.status in {"matched", "active", "ended"}


def test_every_seeded_step_is_audited_as_the_app_audits_it():
    """The demo's statuses are set by the transition functions' batch forms, so each step
    after the first of a relationship, a referral and a mentor has its audit event, by the
    coordinator of the person's scheme."""
    from audit.models import AuditEvent
    from mentees.models import ReferralTransition
    from relationships.models import RelationshipChange
    from schemes.models import MentorStatusChange

    call_command("seed_demo", "--seed", "3")
    events = AuditEvent.objects.filter(detail__has_key="from")
    steps = {
        "relationships.relationship": RelationshipChange.objects.exclude(from_status=""),
        "mentees.referral": ReferralTransition.objects.exclude(from_status=""),
        "schemes.mentor": MentorStatusChange.objects.exclude(from_status=""),
    }
    for target_type, rows in steps.items():
        assert rows.exists()
        assert events.filter(target_type=target_type).count() == rows.count(), target_type
    coordinators = set(
        User.objects.filter(memberships__role="coordinator").values_list("pk", flat=True)
    )
    # The one thing the worker does rather than a person: an offer lapsing at its deadline.
    # A planned meeting's answer is the mentor's (demo/planned.py), as in the app.
    by_people = events.exclude(action="offer.lapsed").exclude(action__startswith="plan.")
    assert set(by_people.values_list("actor_id", flat=True)) <= coordinators
    assert not RelationshipChange.objects.exclude(by__in=coordinators).exists()


def test_the_demo_has_offers_of_every_answer_and_one_for_the_demo_mentor():
    """Pending, accepted, declined and lapsed offers, made through the services; the demo
    mentor's login has one waiting for their answer; the accepted one made its match."""
    from relationships.models import MatchOffer

    call_command("seed_demo", "--seed", "3")
    statuses = set(MatchOffer.objects.values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "declined", "lapsed"}
    demo_mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    assert MatchOffer.objects.filter(mentor__user=demo_mentor, status="pending").count() == 1
    accepted = MatchOffer.objects.get(status="accepted")
    assert accepted.relationship is not None
    assert accepted.referral.__class__.objects.get(pk=accepted.referral_id).status == "matched"
    lapsed = MatchOffer.objects.get(status="lapsed")
    assert lapsed.offered_at < lapsed.expires_at <= lapsed.answered_at < timezone.now()


def test_some_demo_people_gave_equality_answers_and_most_were_not_asked():
    """The demo shows "Who the scheme reaches" with something in it: fewer than half of the
    people answered, some of those preferred not to say, and the rest were never asked."""
    call_command("seed_demo", "--scale", "demo", "--seed", "7")
    people = Mentee.objects.all()
    asked = people.exclude(equality_answered_on=None)
    assert 0.3 < asked.count() / people.count() < 0.6
    assert asked.filter(gender="not_said").exists()
    assert asked.filter(ethnicity="not_said").exists() or asked.filter(disability="not_said")
    assert not people.filter(equality_answered_on=None).exclude(gender="").exists()
