from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required, case_scheme_ids, role_required
from flags.models import Flag, Kind
from flags.rules.prompts import FALLBACK_PROMPTS, mentor_prompt
from flags.selectors import flag_visible_to, flags_for_queue, mentor_prompts_for
from relationships import services
from relationships.matching.offer_selectors import offer_visible_to, offers_pending
from relationships.meetings.plan_answers import plans_awaiting_answer
from relationships.meetings.selectors import meetings_for_timeline, mentor_home, plans_for_page
from relationships.models import PlannedMeeting, Relationship
from relationships.selectors import (
    can_write_relationship,
    is_relationship_mentor,
    meetings_visible_to,
    relationship_for_detail,
    relationship_visible_to,
)


@role_required(lambda r: r.is_mentor)
def my_mentees(request: AuthedRequest) -> HttpResponse:
    """The mentor's home: the people they are matched with now, what comes next with each,
    and a way to log a meeting in one tap."""
    cards = mentor_home(
        relationship_visible_to(request.user)
        .filter(mentor__user=request.user)
        .exclude(status=Relationship.Status.CLOSED)
    )
    prompts = mentor_prompts_for([card.relationship.pk for card in cards])
    to_answer = list(plans_awaiting_answer(request.user))
    for card in cards:
        card.prompts = _linked(prompts.get(card.relationship.pk, []), card.relationship, to_answer)
    # Offers waiting for this mentor's answer come first: they have a deadline.
    offers = offers_pending(offer_visible_to(request.user).filter(mentor__user=request.user))
    context = {
        "relationships": cards,
        "offers": list(offers),
        "today": timezone.localdate(),
        "to_answer": to_answer,
    }
    return render(request, "relationships/my_mentees.html", context)


def _linked(
    prompts: list[str], relationship: Relationship, to_answer: list[PlannedMeeting]
) -> list[tuple[str, str]]:
    """Each prompt with where to act on it: "Did your meeting on 26 November happen?" opens
    that plan's "Did it happen?" page (found among the plans already loaded for the page,
    by its day; the flag holds only the day), or the relationship's plans if it is not
    there. Other prompts link nowhere."""
    kind = Kind.PLAN_OUTCOME_NOT_RECORDED
    waiting = [p for p in to_answer if p.relationship_id == relationship.pk]
    by_text = {
        mentor_prompt(kind, {"planned_on": timezone.localdate(p.starts_at).isoformat()}): p
        for p in reversed(waiting)  # the earliest of a day wins
    }
    linked = []
    for text in prompts:
        url = ""
        if (plan := by_text.get(text)) is not None:
            url = reverse("relationships:plan_answer", args=[plan.pk])
        elif text == FALLBACK_PROMPTS[kind] and waiting:
            url = reverse("relationships:plan_answer", args=[waiting[0].pk])
        elif text.startswith("Did your") and text.endswith("Tell us in one tap."):
            url = reverse("relationships:detail", args=[relationship.pk]) + "#plans"
        linked.append((text, url))
    return linked


@any_role_required
def relationship_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One relationship: where it stands, the goal plan, the latest meetings (the rest are a
    page of their own) and the reviews, so that on a phone nothing is a long scroll away."""
    relationship = get_object_or_404(
        relationship_for_detail(relationship_visible_to(request.user)), pk=pk
    )
    services.relationship_viewed(relationship=relationship, by=request.user)
    meetings, meetings_total = meetings_for_timeline(
        meetings_visible_to(request.user, relationship).prefetch_related("goals")
    )
    context = {
        "relationship": relationship,
        "mentee": relationship.mentee,
        "is_mentor": is_relationship_mentor(request.user, relationship),
        "can_write": can_write_relationship(request.user, relationship),
        "meetings": meetings,
        "meetings_total": meetings_total,
        "plans": plans_for_page(relationship),
    }
    staff_flags = flags_for_queue(flag_visible_to(request.user)).filter(
        relationship=relationship, status__in=Flag.LIVE_STATUSES
    )
    if staff_flags.exists():
        context["flags"] = list(staff_flags)
        context["coordinated"] = case_scheme_ids(request.user)
    elif context["is_mentor"]:
        context["prompts"] = mentor_prompts_for([relationship.pk]).get(relationship.pk, [])
    return render(request, "relationships/relationship_detail.html", context)
