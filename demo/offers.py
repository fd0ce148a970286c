"""Offers of a match in the demo: one of each answer in the demo coordinator's schemes, and
one waiting for the demo mentor's answer, so both logins have an offer to try.

Made and answered through the app's own services (``offer_make``, ``offer_accept``,
``offer_decline``, and the worker's ``offers_lapse_due``), as a coordinator would, with the
answers recorded by the coordinator on the mentor's behalf. The lapsed offer was made days
ago and lapsed at its deadline, both run as of then (demo/clock.py), so the mentor's "will
you mentor" and the lapse notices name the deadline the record holds, a past one, and the
watcher flags the person as not answered.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from demo.clock import as_of
from mentees.models import Referral
from relationships.matching import offer_services
from relationships.matching.services import first_meeting_plans
from relationships.models import MatchOffer
from schemes.models import Mentor, Scheme

#: What becomes of each offer, in the order they are made: the lapse runs first, while no
#: other offer is waiting, and the demo mentor's offer is made last and left for them.
ANSWERS = ("lapsed", "accepted", "declined", "pending", "pending for the demo mentor")
#: How long ago the lapsed offer's deadline passed.
LAPSED_AGO = datetime.timedelta(days=2)
#: How soon after a deadline the worker lapses the offer (within OFFER_LAPSE_SECONDS).
LAPSE_SWEEP = datetime.timedelta(minutes=10)


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
    now = timezone.now()
    open_days = max(scheme.offer_open_days for scheme in schemes)
    # The lapsed offer was made in office hours, long enough ago for its deadline to be at
    # least LAPSED_AGO past; the others now.
    made_then = _office_hours(now - datetime.timedelta(days=open_days) - LAPSED_AGO)
    for answer in ANSWERS:
        mentors = [demo_mentor] if answer.endswith("demo mentor") else pool
        at = made_then if answer == "lapsed" else now
        made = _first_offer(waiting, mentors, coordinator_for, at=at)
        if made is None:
            continue
        offer, referral = made
        waiting.remove(referral)
        by = coordinator_for[offer.mentee.scheme_id]
        if answer == "lapsed":
            with as_of(offer.expires_at + LAPSE_SWEEP) as lapsed_at:
                offer_services.offers_lapse_due(now=lapsed_at)
        elif answer == "accepted":
            offer_services.offer_accept(by=by, offer=offer, on_behalf=True)
        elif answer == "declined":
            offer_services.offer_decline(
                by=by, offer=offer, decline_reason="no_capacity", on_behalf=True
            )
        counts[answer] += 1
    return {f"{'offer' if n == 1 else 'offers'} {answer}": n for answer, n in counts.items()}


def _first_offer(
    waiting: list[Referral],
    mentors: list[Mentor],
    coordinator_for: dict[int, User],
    *,
    at: datetime.datetime,
) -> tuple[MatchOffer, Referral] | None:
    """The first person already waiting ``at`` who could be offered one of ``mentors`` then,
    offered as of then."""
    for referral in waiting:
        if referral.status_changed_on > timezone.localdate(at):
            continue
        mentee = referral.mentee
        for mentor in mentors:
            if mentor.scheme_id != mentee.scheme_id:
                continue
            try:
                with as_of(at):
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


def _office_hours(moment: datetime.datetime) -> datetime.datetime:
    """Eleven in the morning of the day of ``moment``, or of the day before if that is later."""
    day = timezone.localdate(moment)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    return at if at <= moment else at - datetime.timedelta(days=1)
