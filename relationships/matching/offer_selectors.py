"""Reads of offers: who may open which, and the lists that show them.

A mentor sees only the offers made to them; coordinators see their schemes' offers and
managers all. An offer outside a user's scope answers 404, as a missing one does.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import can_write_case
from accounts.selectors import user_roles
from relationships.models import MatchOffer


def offer_visible_to(user: User | AnonymousUser) -> QuerySet[MatchOffer]:
    """Offers ``user`` may open: all for managers, their schemes' for coordinators, and the
    offers made to them for a mentor (in schemes where they still hold the mentor role)."""
    roles = user_roles(user)
    if roles.is_manager:
        return MatchOffer.objects.all()
    scope = Q(mentee__scheme_id__in=roles.coordinator_scheme_ids)
    if roles.is_mentor:
        scope |= Q(mentor__user=user, mentor__scheme_id__in=roles.mentor_scheme_ids)
    return MatchOffer.objects.filter(scope)


def offers_for_list(offers: QuerySet[MatchOffer]) -> QuerySet[MatchOffer]:
    """The one place an offer list is given its related rows."""
    return offers.select_related(
        "mentee", "mentee__scheme", "mentor", "mentor__user", "offered_by", "answered_by"
    )


def is_offer_mentor(user: User | AnonymousUser, offer: MatchOffer) -> bool:
    """Is ``user`` the mentor the offer was made to?"""
    return bool(user.is_authenticated and offer.mentor.user_id == user.pk)


def offer_for_answer(user: User, pk: int) -> MatchOffer:
    """The offer ``pk``, to answer it: 404 outside the user's scope, 403 unless they are its
    mentor or a coordinator of its scheme (who records a mentor's answer for them)."""
    offer = get_object_or_404(offers_for_list(offer_visible_to(user)), pk=pk)
    if not (is_offer_mentor(user, offer) or can_write_case(user, offer.mentee.scheme_id)):
        raise PermissionDenied
    return offer


def offer_for_withdraw(user: User, pk: int) -> MatchOffer:
    """The offer ``pk``, to withdraw it: its scheme's coordinators only (404 outside scope)."""
    offer = get_object_or_404(offers_for_list(offer_visible_to(user)), pk=pk)
    if not can_write_case(user, offer.mentee.scheme_id):
        raise PermissionDenied
    return offer


def offers_pending(offers: QuerySet[MatchOffer]) -> QuerySet[MatchOffer]:
    """Offers waiting for an answer, the soonest due first; one past its deadline is not
    waiting any more, even before the worker lapses it."""
    return offers_for_list(offers.filter(MatchOffer.awaiting_answer())).order_by("expires_at", "pk")
