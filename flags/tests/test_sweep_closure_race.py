"""A closure racing a sweep: the sweep has read a relationship's facts while it was open, the
closure then commits (resolving the flags it had), and only then does the sweep raise. The
sweep checks again, just before inserting, that each relationship is still open and each
referral still waiting for a match, so a closed relationship never gets a live flag.

The interleaving is simulated in one transaction: the fact loader is wrapped so the closure
(or the referral's withdrawal) happens right after the facts are read."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from flags import sweep as sweep_module
from flags.models import Flag, Kind
from flags.sweep import sweep, sweep_relationship
from mentees.models import Referral
from mentees.services import referral_move
from mentees.tests.factories import ReferralFactory
from relationships.life import services as life_services
from relationships.models import Relationship
from relationships.tests.test_life import close_args

pytestmark = pytest.mark.django_db


def _then(monkeypatch, name: str, after: Callable[[], None]) -> None:
    """Wrap the sweep's fact loader ``name`` so ``after`` runs once the facts are read."""
    real = getattr(sweep_module, name)

    def read_then(*args: Any, **kwargs: Any) -> Any:
        facts = real(*args, **kwargs)
        after()
        return facts

    monkeypatch.setattr(sweep_module, name, read_then)


def _live(relationship: Relationship) -> list[str]:
    return list(
        Flag.objects.filter(relationship=relationship, status__in=Flag.LIVE_STATUSES).values_list(
            "kind", flat=True
        )
    )


def _close(world) -> Callable[[], None]:
    def close() -> None:
        life_services.relationship_close(
            by=world.coordinator_a, relationship=world.relationship_a, **close_args()
        )

    return close


def test_a_relationship_closed_after_the_facts_were_read_gets_no_flag(world, monkeypatch):
    """The full sweep reads world.relationship_a open and never met (its condition for 'No
    first meeting' holds); the coordinator closes it before the sweep raises: no live flag
    on the closed relationship, and none reported raised. The scheme's other relationship,
    still open, is flagged as usual."""
    _then(monkeypatch, "relationship_facts", _close(world))
    result = sweep()
    world.relationship_a.refresh_from_db()
    assert world.relationship_a.status == Relationship.Status.CLOSED
    assert _live(world.relationship_a) == []
    assert world.relationship_a.pk not in {f.relationship_id for f in result.raised}
    assert Kind.NO_FIRST_MEETING in _live(world.relationship_a_other)


def test_the_sweep_of_one_relationship_raises_nothing_on_it_once_closed(world, monkeypatch):
    """The sweep of one relationship (run after a write) reads it open; the closure commits
    before it raises: no live flag. Without the closure the same sweep raises 'No first
    meeting', so the condition did hold."""
    _then(monkeypatch, "relationship_facts", _close(world))
    result = sweep_relationship(
        scheme_id=world.scheme_a.pk, relationship_id=world.relationship_a.pk
    )
    assert result is not None and result.raised == []
    assert _live(world.relationship_a) == []
    monkeypatch.undo()
    other = sweep_relationship(
        scheme_id=world.scheme_a.pk, relationship_id=world.relationship_a_other.pk
    )
    assert other is not None
    assert [f.kind for f in other.raised] == [Kind.NO_FIRST_MEETING]


def test_a_referral_withdrawn_after_the_facts_were_read_gets_no_flag(world, monkeypatch):
    """A referral awaiting a match for 40 days is read by the sweep; it is withdrawn before
    the sweep raises: no live 'Waiting for a match' flag on it. Another referral waiting as
    long is flagged."""
    waited = timezone.localdate() - datetime.timedelta(days=40)
    kw = {"status": Referral.Status.AWAITING_MATCH, "referred_on": waited}
    withdrawn = ReferralFactory(mentee__scheme=world.scheme_a, **kw)
    waiting = ReferralFactory(mentee__scheme=world.scheme_a, **kw)

    def withdraw() -> None:
        referral_move(
            by=world.coordinator_a,
            referral=withdrawn,
            to_status=Referral.Status.WITHDRAWN,
            exit_reason=Referral.ExitReason.CONSENT_WITHDRAWN,
            on=timezone.localdate(),
        )

    _then(monkeypatch, "referral_facts", withdraw)
    sweep(scheme_id=world.scheme_a.pk)
    live = Flag.objects.filter(status__in=Flag.LIVE_STATUSES, kind=Kind.WAITING_FOR_MATCH)
    assert not live.filter(referral=withdrawn).exists()
    assert live.filter(referral=waiting).exists()
