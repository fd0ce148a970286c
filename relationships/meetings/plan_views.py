"""Pages that plan a meeting, move it and cancel it ahead of time.

Each finds its record through the scoped access functions (``relationship_for_write`` with
the mentor allowed, ``plan_for_write``: 404 outside the user's scope, 403 for a manager),
checks a form, calls one service and goes back to the relationship's page with a message.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required, can_write_case
from core.forms import submit
from relationships.meetings.plan_forms import PlanCancelForm, PlanForm, PlanMoveForm
from relationships.meetings.plan_selectors import plan_for_write
from relationships.meetings.plan_services import plan_cancel, plan_meeting, plan_move
from relationships.models import Meeting, PlannedMeeting, Relationship
from relationships.selectors import is_relationship_mentor, relationship_for_write


def _page(
    request: AuthedRequest,
    relationship: Relationship,
    form: forms.Form,
    *,
    title: str,
    intro: str,
    button: str,
    back: str = "Cancel",
) -> HttpResponse:
    return render(
        request,
        "relationships/relationship_form.html",
        {
            "relationship": relationship,
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
            "back": back,
            "anchor": "#plans",
        },
    )


def _sent(request: AuthedRequest) -> Any:
    """What was sent, even if nothing was (an empty POST is a form sent empty, not none)."""
    return request.POST if request.method == "POST" else None


def _prefill(query: Any) -> dict[str, str]:
    """The way of meeting from ``?mode=``: "plan the next one" after a meeting opens this
    form with how they met last (a phone or video meeting needs no place; custody is filled
    in for a custody visit)."""
    mode = query.get("mode", "")
    if mode not in Meeting.Mode.values:
        return {}
    initial = {"mode": mode}
    if mode == Meeting.Mode.CUSTODY_VISIT:
        initial["place"] = PlannedMeeting.Place.CUSTODY
    return initial


@any_role_required
def plan_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Plan a meeting: the relationship's mentor or a coordinator of its scheme."""
    relationship = relationship_for_write(request.user, pk, mentor_may_write=True)
    form = PlanForm(_sent(request), initial=_prefill(request.GET))
    plan = submit(
        request,
        form,
        lambda: plan_meeting(relationship=relationship, by=request.user, **form.service_kwargs()),
        "Meeting planned.",
    )
    if plan:
        return redirect("relationships:detail", relationship.pk)
    who = "You get" if is_relationship_mentor(request.user, relationship) else "The mentor gets"
    return _page(
        request,
        relationship,
        form,
        title="Plan a meeting",
        intro=(
            f"When and how you will next meet {relationship.mentee.short_name}. "
            f"{who} a reminder the day before."
        ),
        button="Plan the meeting",
    )


@any_role_required
def plan_move_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a waiting plan to a new time."""
    plan = plan_for_write(request.user, pk)
    form = PlanMoveForm(_sent(request), initial=PlanMoveForm.initial_for(plan.starts_at))
    moved = submit(
        request,
        form,
        lambda: plan_move(plan=plan, by=request.user, **form.service_kwargs()),
        "",
    )
    if moved:
        messages.success(request, f"Meeting moved to {_when(moved, year=False)}.")
        return redirect("relationships:detail", plan.relationship_id)
    return _page(
        request,
        plan.relationship,
        form,
        title="Move the meeting",
        intro=f"Now planned: {_when(plan)}. The reminder comes again for the new time.",
        button="Move the meeting",
    )


@any_role_required
def plan_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Cancel a waiting plan ahead of its time."""
    plan = plan_for_write(request.user, pk)
    relationship = plan.relationship
    form = PlanCancelForm(
        _sent(request),
        mentee=relationship.mentee.short_name,
        by_coordinator=can_write_case(request.user, relationship.mentee.scheme_id),
    )
    cancelled = submit(
        request,
        form,
        lambda: plan_cancel(plan=plan, by=request.user, **form.cleaned_data),
        "Meeting cancelled.",
    )
    if cancelled:
        return redirect("relationships:detail", relationship.pk)
    return _page(
        request,
        relationship,
        form,
        title="Call the meeting off",
        intro=f"Planned for {_when(plan)}. Nothing is logged as missed: it was called off.",
        button="Call the meeting off",
        back="Keep the meeting",
    )


def _when(plan: PlannedMeeting, *, year: bool = True) -> str:
    """ "Thursday 3 December 2026, 14:00" (without the year for a message just after)."""
    local = timezone.localtime(plan.starts_at)
    month = f"{local:%B %Y}" if year else f"{local:%B}"
    return f"{local:%A} {local.day} {month}, {local:%H:%M}"
