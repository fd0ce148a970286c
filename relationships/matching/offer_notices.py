"""What an offer says to people: its deadline and closing in words, and the notices to the
mentor and the coordinators (in the app and by email, with nothing about the case but the
person's first name). Used by the offer services and pages."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.selectors import coordinators_of
from core.models import Notification
from core.services import notify
from relationships.matching.offer_transitions import OS
from relationships.models import MatchOffer


def due_words(moment: datetime.datetime) -> str:
    """When an answer is due, as people say it: "3 December 2026, 14:05"."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def offer_url(offer: MatchOffer) -> str:
    return reverse("relationships:offer_detail", args=[offer.pk])


def suggestions_url(offer: MatchOffer) -> str:
    return reverse("relationships:match_suggestions", args=[offer.mentee_id])


def closed_words(offer: MatchOffer) -> str:
    """Why an offer can no longer be answered, in its status's own words."""
    if offer.status == OS.WITHDRAWN:
        return "This offer was withdrawn by the coordinator"
    if offer.status in (OS.LAPSED, OS.PENDING):  # pending here: past its deadline
        return f"The time to answer this offer ended on {due_words(offer.expires_at)}"
    return f"This offer has already been {offer.get_status_display().lower()}"


def tell_coordinators(*, offer: MatchOffer, subject: str, body: str, url: str) -> None:
    notify(
        recipients=coordinators_of(offer.mentee.scheme),
        audience=Notification.Audience.STAFF,
        subject=subject,
        body=body,
        url=url,
        scheme_id=offer.mentee.scheme_id,
        mentee_id=offer.mentee_id,
    )


def tell_coordinators_not_matched(*, offer: MatchOffer, why: str) -> None:
    given = offer.mentee.short_name
    tell_coordinators(
        offer=offer,
        subject=f"{offer.mentor} accepted {given}, but the match could not be made",
        body=f"{offer.mentor} accepted the offer to mentor {given}, but: {why} "
        "The offer is still open: decide what to do next.",
        url=offer_url(offer),
    )


def tell_mentor(*, offer: MatchOffer, subject: str, body: str) -> None:
    if offer.mentor.user_id and offer.mentor.user is not None:
        notify(
            recipients=[offer.mentor.user],
            audience=Notification.Audience.MENTOR,
            subject=subject,
            body=body,
            url=reverse("relationships:my_mentees"),
            scheme_id=offer.mentee.scheme_id,
            mentee_id=offer.mentee_id,
        )
