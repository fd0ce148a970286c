"""Offer pages: the mentor's phone page to accept or decline, the coordinator's view of an
offer (to record a mentor's answer for them, or withdraw it) and the list of offers waiting
for an answer. Every opening of an offer and every answer is audited."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required, can_write_case, staff_required
from core.forms import submit
from relationships.matching import offer_notices, offer_services
from relationships.matching.forms import OfferAnswerForm, OfferDeclineForm
from relationships.matching.offer_selectors import (
    is_offer_mentor,
    offer_for_answer,
    offer_for_withdraw,
    offer_visible_to,
    offers_for_list,
    offers_pending,
)
from relationships.models import MatchOffer


def _context(request: AuthedRequest, offer: MatchOffer) -> dict:
    mentee = offer.mentee
    is_mentor = is_offer_mentor(request.user, offer)
    return {
        "offer": offer,
        "mentee": mentee,
        "is_mentor": is_mentor,
        "can_write": can_write_case(request.user, mentee.scheme_id),
        "due": offer_notices.due_words(offer.expires_at),
        "is_open": offer.is_open,
        "closed": "" if offer.is_open else offer_notices.closed_words(offer),
        # What a mentor is told: the plain instruction, never the assessment behind it.
        "instructions": [r.instruction for r in mentee.restrictions.all() if r.ended_on is None],
    }


@staff_required
def offer_list(request: AuthedRequest) -> HttpResponse:
    """Offers waiting for a mentor's answer, the soonest due first."""
    offers = list(offers_pending(offer_visible_to(request.user)))
    return render(request, "relationships/offer_list.html", {"offers": offers})


@any_role_required
def offer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One offer. Its mentor sees what they need to decide, and answers; a coordinator sees
    where it stands and may record the mentor's answer or withdraw it."""
    offer = get_object_or_404(offers_for_list(offer_visible_to(request.user)), pk=pk)
    offer_services.offer_viewed(offer=offer, by=request.user)
    context = _context(request, offer)
    context["accept_form"] = OfferAnswerForm()
    return render(request, "relationships/offer_detail.html", context)


@any_role_required
def offer_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept: the match is made. A coordinator accepting records the mentor's answer."""
    offer = offer_for_answer(request.user, pk)
    if request.method != "POST":
        return redirect("relationships:offer_detail", pk=offer.pk)
    on_behalf = not is_offer_mentor(request.user, offer)
    form = OfferAnswerForm(request.POST)
    given = offer.mentee.short_name
    relationship = submit(
        request,
        form,
        lambda: offer_services.offer_accept(by=request.user, offer=offer, on_behalf=on_behalf),
        f"Recorded: {offer.mentor} accepted. The match with {given} is made."
        if on_behalf
        else f"Thank you. You are matched with {given}: here is how to start.",
    )
    if relationship:
        return redirect("relationships:detail", pk=relationship.pk)
    offer_services.offer_viewed(offer=offer, by=request.user)
    context = _context(request, offer)
    context["accept_form"] = form
    return render(request, "relationships/offer_detail.html", context)


@any_role_required
def offer_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    """Decline, with a reason. The person stays on the waiting list in their place."""
    offer = offer_for_answer(request.user, pk)
    again = request.method == "POST" and offer_services.answered_by(
        offer, request.user, MatchOffer.Status.DECLINED
    )  # a double tap: the service answers it as a success, and tells nobody twice
    if not (offer.is_open or again):
        messages.info(request, f"{offer_notices.closed_words(offer)}.")
        return redirect("relationships:offer_detail", pk=offer.pk)
    on_behalf = not is_offer_mentor(request.user, offer)
    form = OfferDeclineForm(request.POST or None)
    given = offer.mentee.short_name
    done = submit(
        request,
        form,
        lambda: offer_services.offer_decline(
            by=request.user, offer=offer, on_behalf=on_behalf, **form.cleaned_data
        ),
        f"Recorded: {offer.mentor} declined. {given} is still on the waiting list in their place."
        if on_behalf
        else "Thank you for letting us know. Your coordinator has been told.",
    )
    if done:
        if on_behalf:
            return redirect("relationships:match_suggestions", mentee_pk=offer.mentee_id)
        return redirect("relationships:my_mentees")
    context = _context(request, offer)
    context["form"] = form
    return render(request, "relationships/offer_decline.html", context)


@staff_required
def offer_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """A coordinator takes an offer back; the mentor is told."""
    offer = offer_for_withdraw(request.user, pk)
    if not offer.is_open:
        messages.info(request, f"{offer_notices.closed_words(offer)}.")
        return redirect("relationships:offer_detail", pk=offer.pk)
    form = OfferAnswerForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda: offer_services.offer_withdraw(by=request.user, offer=offer),
        f"Offer withdrawn. {offer.mentee.short_name} is waiting for a mentor in their place.",
    )
    if done:
        return redirect("relationships:match_suggestions", mentee_pk=offer.mentee_id)
    return render(request, "relationships/offer_withdraw.html", _context(request, offer))
