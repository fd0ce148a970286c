"""Pages that write the goal plan, reviews and the relationship's life.

Every page finds its record through an access function built on the user's scope
(``relationship_for_write``, ``goal_for_write``, ``step_for_write``: 404 outside it). Goals
and steps are for the relationship's mentor and the scheme's coordinators; reviews, pauses,
endings, closures and reopening are for the coordinators alone (403 for the mentor and for
managers, who only read).
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required
from core.forms import submit
from relationships.life import services as life_services
from relationships.models import Goal, Relationship
from relationships.plans import services as plan_services
from relationships.plans.forms import (
    CloseForm,
    EndingForm,
    GoalForm,
    GoalStatusForm,
    PauseForm,
    ReopenForm,
    ResumeForm,
    ReviewForm,
    StepEditForm,
    StepForm,
)
from relationships.plans.selectors import goal_for_write, step_for_write
from relationships.selectors import relationship_for_write


def _page(
    request: AuthedRequest,
    *,
    relationship: Relationship,
    form: forms.Form,
    title: str,
    save: Callable[[], Any],
    done: str,
    intro: str = "",
    anchor: str = "",
    button: str = "Save",
) -> HttpResponse:
    if submit(request, form, save, done):
        # No #anchor after saving: on a phone it would scroll the confirmation off-screen.
        # The sections are near the top of the page ("On this page"); ``anchor`` only takes
        # Cancel back to where the user was.
        return redirect("relationships:detail", relationship.pk)
    return render(
        request,
        "relationships/relationship_form.html",
        {
            "relationship": relationship,
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
            "anchor": anchor,
        },
    )


# --- Goals and steps: the mentor and the coordinators ------------------------------------


@any_role_required
def goal_add(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk, mentor_may_write=True)
    form = GoalForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Add a goal",
        intro="Goals are agreed together. Write the goal the way the mentee put it.",
        save=lambda: plan_services.goal_create(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Goal added.",
        anchor="#goals",
    )


@any_role_required
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = goal_for_write(request.user, pk)
    fields = ["title", "proposed_by", "domain", "primary_good"]
    form = GoalForm(request.POST or None, initial={f: getattr(goal, f) for f in fields})
    return _page(
        request,
        relationship=goal.relationship,
        form=form,
        title="Edit the goal",
        save=lambda: plan_services.goal_update(by=request.user, goal=goal, **form.cleaned_data),
        done="Goal saved.",
        anchor="#goals",
    )


@any_role_required
def goal_status(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = goal_for_write(request.user, pk)
    initial = {"status": Goal.Status.ACHIEVED if goal.status == Goal.Status.ACTIVE else "active"}
    form = GoalStatusForm(request.POST or None, initial=initial)
    return _page(
        request,
        relationship=goal.relationship,
        form=form,
        title="Goal achieved or dropped",
        intro=f"“{goal.title}” is {goal.get_status_display().lower()}.",
        save=lambda: plan_services.goal_set_status(by=request.user, goal=goal, **form.cleaned_data),
        done="Goal updated.",
        anchor="#goals",
    )


@any_role_required
def step_add(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = goal_for_write(request.user, pk)
    form = StepForm(request.POST or None)
    return _page(
        request,
        relationship=goal.relationship,
        form=form,
        title="Add a step",
        intro=f"Towards “{goal.title}”.",
        save=lambda: plan_services.step_create(by=request.user, goal=goal, **form.cleaned_data),
        done="Step added.",
        anchor="#goals",
    )


@any_role_required
def step_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    step = step_for_write(request.user, pk)
    relationship = step.goal.relationship
    fields = ["description", "owner", "due_on", "status"]
    form = StepEditForm(request.POST or None, initial={f: getattr(step, f) for f in fields})
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Edit the step",
        intro=f"Towards “{step.goal.title}”.",
        save=lambda: plan_services.step_update(by=request.user, step=step, **form.cleaned_data),
        done="Step saved.",
        anchor="#goals",
    )


@any_role_required
@require_POST
def step_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """The one-tap "done" button beside each step."""
    step = step_for_write(request.user, pk)
    relationship = step.goal.relationship
    if submit(
        request,
        forms.Form(request.POST),
        lambda: plan_services.step_mark_done(by=request.user, step=step),
        "",
    ):
        # Back at the goals, not the top of the page: ticking several steps needs no
        # scrolling back. The confirmation shows inside the goals section (_goals.html).
        messages.success(request, f"Done: {step.description}", extra_tags="goals")
    return redirect(reverse("relationships:detail", args=[relationship.pk]) + "#goals")


# --- Reviews and the relationship's life: the coordinators -------------------------------


@any_role_required
def review_add(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    goals = list(relationship.goals.filter(status=Goal.Status.ACTIVE))
    form = ReviewForm(request.POST or None, goals=goals)
    intro = (
        "Score each goal being worked on, ask both sides who is driving, and agree how it will end."
    )
    if relationship.next_review_on:
        intro += f" This review was due on {relationship.next_review_on:%-d %B %Y}."
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Record a review",
        intro=intro,
        save=lambda: plan_services.review_record(
            by=request.user, relationship=relationship, **form.service_data()
        ),
        done="Review recorded.",
        anchor="#reviews",
    )


@any_role_required
def relationship_pause(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    form = PauseForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Pause the relationship",
        intro="Paused time does not count as silence, and no review falls due while paused.",
        save=lambda: life_services.relationship_pause(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Relationship paused.",
        button="Pause",
    )


@any_role_required
def relationship_resume(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    form = ResumeForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Resume the relationship",
        save=lambda: life_services.relationship_resume(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Relationship resumed.",
        button="Resume",
    )


@any_role_required
def relationship_ending(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    form = EndingForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Agree the ending",
        intro="Record the exit plan both sides agreed. The relationship then shows as ending.",
        save=lambda: life_services.relationship_agree_ending(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Exit plan recorded.",
    )


@any_role_required
def relationship_close(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    form = CloseForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Close the relationship",
        intro="The mentor will no longer see this person, and the referral ends with it.",
        save=lambda: life_services.relationship_close(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Relationship closed.",
        button="Close relationship",
    )


@any_role_required
def relationship_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = relationship_for_write(request.user, pk)
    form = ReopenForm(request.POST or None)
    return _page(
        request,
        relationship=relationship,
        form=form,
        title="Reopen the relationship",
        intro="It comes back as active, with the same mentor. The closure stays in its history.",
        save=lambda: life_services.relationship_reopen(
            by=request.user, relationship=relationship, **form.cleaned_data
        ),
        done="Relationship reopened.",
        button="Reopen",
    )
