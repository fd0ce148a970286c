"""Matching pages: ranked suggestions for a waiting mentee, confirming a match, and undoing
one. Coordinators of the mentee's scheme write; managers may read the suggestions."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import can_write_case, staff_required
from core.forms import submit
from mentees.models import Mentee, Referral, Situation
from mentees.selectors import (
    mentee_for_write,
    mentee_visible_to,
    referral_open_for,
    referral_visible_to,
)
from mentees.services import mentee_record_viewed
from relationships.matching import offer_services
from relationships.matching import services as matching_services
from relationships.matching.forms import MatchForm, UnmatchForm
from relationships.matching.offer_selectors import offer_visible_to, offers_pending
from relationships.matching.ranking import declined_by, matching_candidates, rank, ranking_for
from relationships.models import Relationship
from relationships.selectors import relationship_for_write, relationship_visible_to
from schemes.selectors import mentor_visible_to


def _context(request: AuthedRequest, mentee: Mentee) -> dict:
    referral = referral_open_for(mentee.pk, within=referral_visible_to(request.user))
    waiting = referral is not None and referral.status == Referral.Status.AWAITING_MATCH
    # While an offer waits for its answer, nobody else can be offered this person.
    pending = (
        offers_pending(offer_visible_to(request.user).filter(referral=referral)).first()
        if waiting
        else None
    )
    return {
        "mentee": mentee,
        "referral": referral,
        "waiting": waiting,
        "pending_offer": pending,
        "can_match": waiting and pending is None and can_write_case(request.user, mentee.scheme_id),
        "in_custody": mentee.situation == Situation.IN_CUSTODY,
    }


@staff_required
def match_suggestions(request: AuthedRequest, mentee_pk: int) -> HttpResponse:
    """Ranked mentors for one mentee, each with its reasons; the excluded below, with why."""
    mentee = get_object_or_404(
        mentee_visible_to(request.user).select_related("scheme"), pk=mentee_pk
    )
    mentee_record_viewed(mentee=mentee, by=request.user)
    context = _context(request, mentee)
    context["ranking"] = ranking_for(mentee, on=timezone.localdate())
    context["restrictions"] = [r for r in mentee.restrictions.all() if r.ended_on is None]
    context["open_relationship"] = (
        relationship_visible_to(request.user)
        .filter(mentee=mentee)
        .exclude(status=Relationship.Status.CLOSED)
        .select_related("mentor")
        .first()
    )
    return render(request, "relationships/match_suggestions.html", context)


@staff_required
def match_confirm(request: AuthedRequest, mentee_pk: int, mentor_pk: int) -> HttpResponse:
    """Confirm one suggestion: choose the first meeting, then offer the match to the mentor,
    who accepts or declines (``offer_views``)."""
    mentee = mentee_for_write(request.user, mentee_pk)
    mentor = get_object_or_404(
        mentor_visible_to(request.user).filter(scheme_id=mentee.scheme_id), pk=mentor_pk
    )
    declined = declined_by(mentee)
    # A mentor who declined this person is offered them again only if the coordinator says
    # so: the confirm page shows their answer and a box to ask again (``offer_make`` checks).
    asked_before = str(mentor) if mentor.pk in declined else ""
    form = MatchForm(request.POST or None, mentee=mentee, asked_before=asked_before)
    offer = submit(
        request,
        form,
        lambda: offer_services.offer_make(
            by=request.user, mentee=mentee, mentor=mentor, **form.cleaned_data
        ),
        f"Offer sent to {mentor}. "
        + (
            "They have been told, and have until the date below to accept or decline."
            if mentor.user_id
            else "They have no login yet: ask them, and record their answer here."
        ),
    )
    if offer:
        return redirect("relationships:offer_detail", pk=offer.pk)
    today = timezone.localdate()
    ranking = rank(
        mentee=mentee,
        mentors=list(matching_candidates(mentee).filter(pk=mentor.pk)),
        restrictions=list(mentee.restrictions.filter(ended_on=None)),
        on=today,
    )
    context = _context(request, mentee)
    context.update(
        mentor=mentor,
        form=form,
        suggestion=ranking.suggestions[0] if ranking.suggestions else None,
        exclusion=ranking.excluded[0] if ranking.excluded else None,
        notes=([declined[mentor.pk]] if asked_before else []) + ranking.notes,
    )
    return render(request, "relationships/match_confirm.html", context)


@staff_required
def relationship_unmatch(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo a match. With "re-matched" the coordinator goes straight on to the suggestions."""
    relationship = relationship_for_write(request.user, pk)
    mentee = relationship.mentee
    if relationship.status == Relationship.Status.CLOSED:
        messages.info(request, "This relationship has already closed.")
        return redirect("mentees:detail", pk=mentee.pk)
    initial = {"reason": request.GET.get("reason", "")}
    form = UnmatchForm(request.POST or None, initial=initial)
    done = submit(
        request,
        form,
        lambda: matching_services.relationship_unmatch(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        f"Un-matched. {mentee.short_name} is waiting for a mentor again.",
    )
    if done:
        if form.cleaned_data["reason"] == Relationship.ClosureReason.REMATCHED:
            return redirect("relationships:match_suggestions", mentee_pk=mentee.pk)
        return redirect("mentees:detail", pk=mentee.pk)
    return render(
        request,
        "relationships/unmatch.html",
        {"relationship": relationship, "mentee": mentee, "form": form},
    )
