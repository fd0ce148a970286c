"""Offers of a match: made by a coordinator, answered by the mentor (or recorded for them),
withdrawn, or lapsed by the worker at their deadline.

Making an offer checks every hard constraint, as a match does; the person stays "awaiting a
match", so their place on the waiting list is kept, and nobody else can be offered them
until this one is answered. Accepting runs the match (``relationship_match``), which checks
the constraints again against the records of that moment. A decline or a lapse tells the
coordinators, with a link to the suggestions, where the mentor who said no is shown as such.

An offer is open for an answer until its deadline (``MatchOffer.awaiting_answer``): past it,
it is closed everywhere at once, whether or not the worker has lapsed it yet. A second tap
on the answer a user already gave is a success, not an error: phones double-send.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.models import Notification
from core.services import notify
from mentees.models import Mentee, Referral
from mentees.selectors import referral_open_for
from relationships.matching.offer_notices import (
    closed_words,
    due_words,
    offer_url,
    suggestions_url,
    tell_coordinators,
    tell_coordinators_not_matched,
    tell_mentor,
)
from relationships.matching.offer_transitions import OS, offer_transition
from relationships.matching.services import check_match, relationship_match
from relationships.models import DeclineReason, MatchOffer, Relationship
from schemes.models import Mentor


def answered_by(offer: MatchOffer, user: User, status: str) -> bool:
    """Did ``user`` already give this answer? A second tap of it is then a success."""
    return offer.status == status and offer.answered_by_id == user.pk


def declined_before(*, mentee: Mentee, mentor: Mentor) -> MatchOffer | None:
    """The latest offer of ``mentee`` that ``mentor`` declined, if they ever did."""
    return (
        MatchOffer.objects.filter(mentee=mentee, mentor=mentor, status=OS.DECLINED)
        .order_by("-answered_at", "-pk")
        .first()
    )


def _locked(offer: MatchOffer) -> MatchOffer:
    """The offer as it stands now, locked. The person's referral is locked first, as making
    an offer and matching lock it first: one order for every path, so an accept racing a
    new offer or a referral moved by hand waits instead of deadlocking."""
    list(Referral.objects.select_for_update().filter(pk=offer.referral_id).values_list("pk"))
    return (
        MatchOffer.objects.select_for_update(of=("self",))
        .select_related("mentee", "mentee__scheme", "mentor", "mentor__user", "referral")
        .get(pk=offer.pk)
    )


@transaction.atomic
def offer_make(
    *,
    by: User,
    mentee: Mentee,
    mentor: Mentor,
    first_meeting: str,
    note: str = "",
    ask_again: bool = False,
) -> MatchOffer:
    """Offer ``mentee`` to ``mentor``, due back in the scheme's ``offer_open_days``.

    Every hard constraint is checked as for a match (a place left counts offers still open),
    and the person must have no other offer open. An offer of them past its deadline that
    the worker has not lapsed yet is lapsed here first. A mentor who declined this person
    before is asked again only when the coordinator says so (``ask_again``). The mentor is
    told in the app and by email, with nothing about the case but the person's first name."""
    now = timezone.now()
    mentor = check_match(
        mentee=mentee, mentor=mentor, first_meeting=first_meeting, on=timezone.localdate()
    )
    referral = referral_open_for(mentee.pk)  # locked by check_match, and waiting
    if referral is None:  # ruled out by check_match
        raise ValidationError(f"{mentee.short_name} has no open referral")
    declined = declined_before(mentee=mentee, mentor=mentor)
    if declined is not None and not ask_again:
        on = date_format(timezone.localtime(declined.answered_at), "j F Y")
        raise ValidationError(f"{mentor} declined the offer of {mentee.short_name} on {on}")
    _lapse_overdue(referral_id=referral.pk, now=now)
    waiting = (
        MatchOffer.objects.filter(MatchOffer.awaiting_answer(now), referral=referral)
        .select_related("mentor")
        .first()
    )
    if waiting is not None:
        raise ValidationError(
            f"{mentee.short_name} already has an offer waiting for an answer from "
            f"{waiting.mentor}, due {due_words(waiting.expires_at)}: withdraw it first"
        )
    offer = MatchOffer.objects.create(
        referral=referral,
        mentee=mentee,
        mentor=mentor,
        offered_by=by,
        offered_at=now,
        expires_at=now + datetime.timedelta(days=mentee.scheme.offer_open_days),
        first_meeting=first_meeting,
        note=" ".join(note.split()),
    )
    audit_record(
        actor=by,
        action="offer.made",
        target=offer,
        scheme=mentee.scheme,
        detail={"mentee": mentee.pk, "mentor": mentor.pk, "referral": referral.pk}
        | ({"asked_again": True} if declined is not None else {}),
    )
    if mentor.user_id and mentor.user is not None:
        notify(
            recipients=[mentor.user],
            audience=Notification.Audience.MENTOR,
            subject=f"Will you mentor {mentee.short_name}?",
            body=(
                f"Your coordinator would like you to mentor {mentee.short_name}. Open Tandem "
                "to see what you need to know to decide, and accept or decline by "
                f"{due_words(offer.expires_at)}."
            ),
            url=offer_url(offer),
            scheme_id=mentee.scheme_id,
            mentee_id=mentee.pk,
        )
    return offer


def offer_accept(*, by: User, offer: MatchOffer, on_behalf: bool = False) -> Relationship:
    """The mentor says yes (or a coordinator records that they did, ``on_behalf``): the
    match is made, with every hard constraint checked again now.

    A second accept by the same user (a double tap) returns the match already made, and
    tells nobody again. If the match can no longer be made (their vetting lapsed, a place
    went, the person stopped waiting), nothing changes, the offer stays for the coordinator
    to decide, the coordinators are told (once per offer, however often the mentor tries
    again), and the error says why in plain words."""
    try:
        with transaction.atomic():
            locked = _locked(offer)
            # A double tap, or the mentor accepting what a coordinator recorded for them.
            mentor_again = locked.status == OS.ACCEPTED and locked.mentor.user_id == by.pk
            already = answered_by(locked, by, OS.ACCEPTED) or mentor_again
            if already and locked.relationship is not None:
                return locked.relationship
            _check_open(locked)
            offer_transition(
                offer=locked, to=OS.ACCEPTED, by=by, at=timezone.now(), on_behalf=on_behalf
            )
            relationship = relationship_match(
                by=by,
                mentee=locked.mentee,
                mentor=locked.mentor,
                first_meeting=locked.first_meeting,
                note=locked.note,
                tell_mentor=on_behalf,
            )
            locked.relationship = relationship
            locked.save(update_fields=["relationship"])
    except ValidationError as error:
        why = " ".join(error.messages)
        still = MatchOffer.objects.select_related("mentee__scheme", "mentor").get(pk=offer.pk)
        if not still.is_open:
            raise
        _record_refused_accept(offer=still, by=by, why=why, on_behalf=on_behalf)
        raise ValidationError(
            f"The match could not be made: {why} The offer stays open for the coordinator to decide"
        ) from error
    offer = locked
    if not on_behalf:
        tell_coordinators(
            offer=offer,
            subject=f"{offer.mentor} accepted {offer.mentee.short_name}",
            body=(
                f"{offer.mentor} accepted the offer to mentor {offer.mentee.short_name}. "
                "The match is made."
            ),
            url=reverse("relationships:detail", args=[relationship.pk]),
        )
    return relationship


@transaction.atomic
def offer_decline(
    *,
    by: User,
    offer: MatchOffer,
    decline_reason: str,
    decline_note: str = "",
    on_behalf: bool = False,
) -> MatchOffer:
    """The mentor says no, with a reason. The person stays waiting in their place, and the
    coordinators are told, with a link to the suggestions. A second decline by the same user
    (a double tap) changes nothing and tells nobody again."""
    offer = _locked(offer)
    if answered_by(offer, by, OS.DECLINED):
        return offer
    _check_open(offer)
    offer_transition(
        offer=offer,
        to=OS.DECLINED,
        by=by,
        at=timezone.now(),
        decline_reason=decline_reason,
        decline_note=decline_note,
        on_behalf=on_behalf,
    )
    why = DeclineReason(decline_reason).label.lower()
    tell_coordinators(
        offer=offer,
        subject=f"{offer.mentor} declined {offer.mentee.short_name}",
        body=(
            f"{offer.mentor} declined the offer to mentor {offer.mentee.short_name} ({why}). "
            f"{offer.mentee.short_name} is still on the waiting list in their place: open the "
            "suggestions to offer another mentor."
        ),
        url=suggestions_url(offer),
    )
    return offer


@transaction.atomic
def offer_withdraw(*, by: User, offer: MatchOffer) -> MatchOffer:
    """A coordinator takes the offer back; the mentor is told."""
    offer = _locked(offer)
    _check_open(offer)
    offer_transition(offer=offer, to=OS.WITHDRAWN, by=by, at=timezone.now())
    tell_mentor(
        offer=offer,
        subject=f"The offer to mentor {offer.mentee.short_name} was withdrawn",
        body=(
            f"Your coordinator withdrew the offer to mentor {offer.mentee.short_name}. "
            "There is nothing you need to do."
        ),
    )
    return offer


def offers_lapse_due(*, now: datetime.datetime | None = None) -> int:
    """Lapse every offer still unanswered at its deadline, one at a time (an offer answered
    meanwhile is skipped), telling the coordinators and the mentor. Safe to run twice.
    Returns how many lapsed."""
    now = now or timezone.now()
    due = list(
        MatchOffer.objects.filter(status=OS.PENDING, expires_at__lte=now)
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)
    )
    lapsed = 0
    for pk in due:
        with transaction.atomic():
            offer = (
                MatchOffer.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("mentee", "mentee__scheme", "mentor", "mentor__user")
                .filter(pk=pk, status=OS.PENDING)
                .first()
            )
            if offer is None:
                continue
            _lapse(offer=offer, now=now)
            lapsed += 1
    return lapsed


def _lapse_overdue(*, referral_id: int, now: datetime.datetime) -> None:
    """Lapse the offer of this referral left pending past its deadline, if the worker has
    not yet: the one transition, under the offer's lock, and the mentor is told. (The
    coordinator is making a new offer of the person, so the coordinators are not asked to.)
    Only an overdue offer is locked: an open one may be in the middle of its answer."""
    overdue = MatchOffer.objects.filter(
        referral_id=referral_id, status=OS.PENDING, expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        offer = (
            MatchOffer.objects.select_for_update(of=("self",))
            .select_related("mentee", "mentee__scheme", "mentor", "mentor__user")
            .filter(pk=pk, status=OS.PENDING)
            .first()
        )
        if offer is not None:
            _lapse(offer=offer, now=now, to_coordinators=False)


def _lapse(*, offer: MatchOffer, now: datetime.datetime, to_coordinators: bool = True) -> None:
    """Close a locked offer left unanswered at its deadline, and tell who needs to know."""
    offer_transition(offer=offer, to=OS.LAPSED, by=None, at=now)
    given = offer.mentee.short_name
    if to_coordinators:
        tell_coordinators(
            offer=offer,
            subject=f"{offer.mentor} did not answer in time about {given}",
            body=(
                f"The offer to {offer.mentor} to mentor {given} was not answered by its "
                f"deadline, {due_words(offer.expires_at)}. {given} is still on the waiting "
                "list in their place: open the suggestions to offer another mentor."
            ),
            url=suggestions_url(offer),
        )
    tell_mentor(
        offer=offer,
        subject=f"The offer to mentor {given} has closed",
        body=(
            f"The time to answer the offer to mentor {given} has passed, so it has "
            "closed. Talk to your coordinator if you still want to."
        ),
    )


def offer_viewed(*, offer: MatchOffer, by: User) -> None:
    """Opening an offer shows part of a case record, so it is logged."""
    audit_record(actor=by, action="offer.viewed", target=offer, scheme=offer.mentee.scheme)


def _check_open(offer: MatchOffer) -> None:
    if not offer.is_open:
        raise ValidationError(closed_words(offer))


def _record_refused_accept(*, offer: MatchOffer, by: User, why: str, on_behalf: bool) -> None:
    """An accept refused because the match no longer holds: audited every time; the
    coordinators are told the first time only (a mentor may well tap again)."""
    told_before = (
        AuditEvent.objects.filter(
            action="offer.accept_refused",
            target_type=offer._meta.label_lower,
            target_id=str(offer.pk),
        )
        .exclude(detail__has_key="on_behalf_of_mentor")
        .exists()
    )
    audit_record(
        actor=by,
        action="offer.accept_refused",
        target=offer,
        scheme=offer.mentee.scheme,
        detail={"mentor": offer.mentor_id} | ({"on_behalf_of_mentor": True} if on_behalf else {}),
    )
    if not on_behalf and not told_before:
        tell_coordinators_not_matched(offer=offer, why=why)
