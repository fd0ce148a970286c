"""An offer of a match left unanswered past its deadline raises a flag on the referral, and
the worker's lapse closes it; time is fixed at ``TODAY`` (flags/tests/timeline.py)."""

import datetime

import pytest
from django.conf import settings

from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from core.models import Notification
from flags.models import Kind
from flags.sweep import sweep
from flags.tests.timeline import TODAY, assert_resolved, at, evidence, live
from mentees.models import Referral
from relationships.matching.offer_services import offers_lapse_due
from relationships.models import MatchOffer
from relationships.tasks import lapse_offers
from relationships.tests.factories import MatchOfferFactory

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def due(expires_at: datetime.datetime, **kw) -> MatchOffer:
    """An offer made three days before ``expires_at``."""
    return MatchOfferFactory(
        offered_at=expires_at - datetime.timedelta(days=3), expires_at=expires_at, **kw
    )


def test_an_offer_past_its_deadline_raises_a_flag_and_one_due_today_does_not(scheme):
    """Due at noon yesterday: flagged today, with the deadline in words. Due at noon today:
    not flagged today (just under the threshold), flagged tomorrow."""
    late = due(at(1), mentee__scheme=scheme)
    today = due(at(0), mentee__scheme=scheme)
    assert evidence(Kind.OFFER_NOT_ANSWERED, late.referral) == (
        "The offer of a match was not answered by its deadline, 1 Mar 2026 (1 day ago): "
        "offer another mentor."
    )
    assert live(Kind.OFFER_NOT_ANSWERED, today.referral) is None
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert evidence(Kind.OFFER_NOT_ANSWERED, today.referral, today=tomorrow) is not None


def test_the_flag_stays_once_the_offer_lapsed_and_clears_with_a_new_offer_or_a_match(scheme):
    """A lapsed offer with nothing since keeps the flag; a new offer pending resolves it; a
    declined latest offer raises none; a person matched is no longer checked."""
    lapsed = due(at(2), mentee__scheme=scheme)
    offers_lapse_due(now=at(1))
    assert MatchOffer.objects.get(pk=lapsed.pk).status == MatchOffer.Status.LAPSED
    assert evidence(Kind.OFFER_NOT_ANSWERED, lapsed.referral) is not None
    MatchOfferFactory(
        mentee=lapsed.mentee,
        referral=lapsed.referral,
        offered_at=at(0),
        expires_at=at(0) + datetime.timedelta(days=3),
    )
    assert_resolved(Kind.OFFER_NOT_ANSWERED, lapsed.referral)

    other = due(at(5), mentee__scheme=scheme)
    sweep(today=TODAY)
    assert live(Kind.OFFER_NOT_ANSWERED, other.referral) is not None
    Referral.objects.filter(pk=other.referral_id).update(status=Referral.Status.MATCHED)
    assert_resolved(Kind.OFFER_NOT_ANSWERED, other.referral)


def test_an_offer_lapses_at_its_deadline_not_a_minute_before(scheme):
    """The lapse closes an offer at its deadline, audits it with no actor, tells the
    coordinators (with the suggestions) and the mentor, and leaves the person waiting.
    Running it again changes nothing."""
    coordinator = MembershipFactory(scheme=scheme).user
    offer = due(at(0), mentee__scheme=scheme, mentee__given_name="Robin")
    assert offers_lapse_due(now=at(0) - MINUTE) == 0
    assert MatchOffer.objects.get(pk=offer.pk).status == MatchOffer.Status.PENDING
    assert offers_lapse_due(now=at(0)) == 1
    assert offers_lapse_due(now=at(0)) == 0
    offer.refresh_from_db()
    assert (offer.status, offer.answered_at, offer.answered_by) == ("lapsed", at(0), None)
    assert offer.referral.status == Referral.Status.AWAITING_MATCH
    event = AuditEvent.objects.get(action="offer.lapsed")
    assert event.actor is None and event.scheme_id == scheme.pk
    told = Notification.objects.get(recipient=coordinator)
    assert told.url == f"/match/{offer.mentee_id}/" and told.scheme_id == scheme.pk
    assert "did not answer in time about Robin" in told.subject


def test_the_worker_lapses_offers_on_its_schedule():
    """The beat schedule runs the lapse task, which takes no case data."""
    schedule = settings.CELERY_BEAT_SCHEDULE["offers-lapse"]
    assert schedule["task"] == lapse_offers.name == "relationships.tasks.lapse_offers"
    assert lapse_offers.run() == 0
