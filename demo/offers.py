"""Offers of a match in the demo: one of each answer in the demo coordinator's schemes, and
one waiting for the demo mentor's answer, so both logins have an offer to try.

Made and answered through the app's own services (``offer_make``, ``offer_accept``,
``offer_decline``, and the worker's ``offers_lapse_due``), as a coordinator would, with the
answers recorded by the coordinator on the mentor's behalf. The lapsed offer is then dated a
few days back, so it is past its deadline and the watcher flags it.
"""

import datetime

from django.core.exceptions import ValidationError

from accounts.models import User
from mentees.models import Referral
from relationships.matching import offer_services
from relationships.matching.services import first_meeting_plans
from relationships.models import MatchOffer
from schemes.models import Mentor, Scheme

#: What becomes of each offer, in the order they are made: the lapse runs first, while no
#: other offer is waiting, and the demo mentor's offer is made last and left for them.
ANSWERS = ("lapsed", "accepted", "declined", "pending", "pending for the demo mentor")


def seed_offers(
    *, schemes: list[Scheme], demo_mentor: Mentor, coordinator_for: dict[int, User]
) -> dict[str, int]:
    """Make and answer the demo's offers; returns how many of each."""
    waiting = list(
        Referral.objects.filter(status=Referral.Status.AWAITING_MATCH, mentee__scheme__in=schemes)
        .select_related("mentee", "mentee__scheme")
        .order_by("status_changed_on", "pk")
    )
    pool = list(
        Mentor.objects.filter(scheme__in=schemes, status=Mentor.Status.ACTIVE)
        .exclude(pk=demo_mentor.pk)
        .select_related("user")
        .order_by("pk")
    )
    counts = dict.fromkeys(ANSWERS, 0)
    for answer in ANSWERS:
        mentors = [demo_mentor] if answer.endswith("demo mentor") else pool
        made = _first_offer(waiting, mentors, coordinator_for)
        if made is None:
            continue
        offer, referral = made
        waiting.remove(referral)
        by = coordinator_for[offer.mentee.scheme_id]
        if answer == "lapsed":
            offer_services.offers_lapse_due(now=offer.expires_at)
            _date_back(offer, days=5)
        elif answer == "accepted":
            offer_services.offer_accept(by=by, offer=offer, on_behalf=True)
        elif answer == "declined":
            offer_services.offer_decline(
                by=by, offer=offer, decline_reason="no_capacity", on_behalf=True
            )
        counts[answer] += 1
    return {f"offers {answer}": n for answer, n in counts.items()}


def _first_offer(
    waiting: list[Referral], mentors: list[Mentor], coordinator_for: dict[int, User]
) -> tuple[MatchOffer, Referral] | None:
    """The first waiting person who can be offered one of ``mentors``, offered."""
    for referral in waiting:
        mentee = referral.mentee
        for mentor in mentors:
            if mentor.scheme_id != mentee.scheme_id:
                continue
            try:
                offer = offer_services.offer_make(
                    by=coordinator_for[mentee.scheme_id],
                    mentee=mentee,
                    mentor=mentor,
                    first_meeting=first_meeting_plans(mentee)[0],
                )
            except ValidationError:
                continue
            return offer, referral
    return None


def _date_back(offer: MatchOffer, *, days: int) -> None:
    """Move an answered offer's dates ``days`` into the past, keeping their spacing."""
    shift = datetime.timedelta(days=days)
    MatchOffer.objects.filter(pk=offer.pk).update(
        offered_at=offer.offered_at - shift,
        expires_at=offer.expires_at - shift,
        answered_at=offer.expires_at - shift,
    )
