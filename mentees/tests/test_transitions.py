"""The referral pipeline's batch form: referrals already saved and referrals it creates take
the same steps and leave the same rows and audit events."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentees.models import Referral, ReferralTransition
from mentees.tests.factories import MenteeFactory
from mentees.transitions import ReferralStep, referrals_transition_many

pytestmark = pytest.mark.django_db
S = Referral.Status


def _referral(world, reference: str, **fields) -> Referral:
    referred_on = timezone.localdate() - datetime.timedelta(days=30)
    mentee = MenteeFactory(scheme=world.scheme_a, reference=reference)
    return Referral(
        mentee=mentee,
        source=Referral.Source.PROBATION,
        reason="Leaving custody soon.",
        referred_on=referred_on,
        status_changed_on=referred_on,
        **fields,
    )


def _steps(referral: Referral) -> list[ReferralStep]:
    day = referral.referred_on
    return [
        ReferralStep(referral, S.REFERRED, day, first=True),
        ReferralStep(referral, S.ASSESSING, day + datetime.timedelta(days=3)),
        ReferralStep(
            referral,
            S.NOT_SUITABLE,
            day + datetime.timedelta(days=9),
            exit_reason=Referral.ExitReason.RISK_TOO_HIGH,
        ),
    ]


def _history(referral: Referral) -> dict:
    referral = Referral.objects.get(mentee=referral.mentee)
    events = AuditEvent.objects.filter(
        target_type="mentees.referral", target_id=str(referral.pk)
    ).order_by("pk")
    return {
        "referral": (referral.status, referral.exit_reason, referral.status_changed_on),
        "rows": list(
            ReferralTransition.objects.filter(referral=referral)
            .order_by("pk")
            .values_list("from_status", "to_status", "on", "exit_reason", "by")
        ),
        "events": [(e.action, e.actor_id, e.scheme_id, e.detail) for e in events],
    }


def test_a_batch_creates_new_referrals_with_what_it_writes_for_saved_ones(world):
    """A referral the batch creates (its id given in advance or not) ends where its steps
    leave it, with the same change rows and audit events as one saved beforehand."""
    saved = _referral(world, "S-1")
    saved.save()
    new = _referral(world, "N-1")
    taken = Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counted = _referral(world, "N-2", id=taken + 50)
    referrals_transition_many(
        by=world.coordinator_a, steps=[*_steps(saved), *_steps(new), *_steps(counted)]
    )
    assert counted.pk == taken + 50
    assert _history(new) == _history(saved) == _history(counted)
    assert _history(new)["referral"][:2] == (S.NOT_SUITABLE, Referral.ExitReason.RISK_TOO_HIGH)
    assert [e[0] for e in _history(new)["events"]] == ["referral.moved", "referral.moved"]


def test_a_refused_step_creates_nothing(world):
    new = _referral(world, "N-3")
    steps = [*_steps(new)[:1], ReferralStep(new, S.MATCHED, new.referred_on)]
    with pytest.raises(ValidationError, match="cannot move to"):
        referrals_transition_many(by=world.coordinator_a, steps=steps)
    assert not Referral.objects.filter(mentee=new.mentee).exists()
