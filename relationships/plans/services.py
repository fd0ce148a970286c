"""The goal plan and its reviews: goals in the mentee's words, small steps with an owner,
and review points that score each goal, ask both sides who is driving, and, every time,
ask how the relationship will end.

The mentor of an open relationship and the scheme's coordinators write goals and steps (the
views check who); reviews are the coordinator's. Nothing is written to a closed
relationship: reopen it first.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.queue import sweep_soon
from core.services import apply_changes
from relationships.models import Goal, GoalScore, Party, Relationship, Review, Step


def _check_open(relationship: Relationship) -> None:
    if relationship.status == Relationship.Status.CLOSED:
        raise ValidationError("This relationship is closed. Reopen it before changing its plan")


def _audit(
    by: User, action: str, target: models.Model, relationship: Relationship, **detail: Any
) -> None:
    audit_record(
        actor=by,
        action=action,
        target=target,
        scheme=relationship.mentee.scheme,
        detail={"relationship": relationship.pk, **detail},
    )


@transaction.atomic
def goal_create(
    *,
    by: User,
    relationship: Relationship,
    title: str,
    proposed_by: str,
    domain: str,
    primary_good: str,
    agreed_on: datetime.date | None = None,
) -> Goal:
    """A goal agreed together: the practical domain it sits in and the good it serves."""
    _check_open(relationship)
    agreed_on = agreed_on or timezone.localdate()
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The date cannot be in the future"})
    goal = Goal(
        relationship=relationship,
        title=title.strip(),
        proposed_by=proposed_by,
        domain=domain,
        primary_good=primary_good,
        agreed_on=agreed_on,
        created_by=by,
    )
    goal.full_clean()
    goal.save()
    _audit(by, "goal.created", goal, relationship, domain=domain)
    return goal


@transaction.atomic
def goal_update(
    *, by: User, goal: Goal, title: str, proposed_by: str, domain: str, primary_good: str
) -> Goal:
    """Reword or re-file a goal. Past review scores keep the domain they were given."""
    _check_open(goal.relationship)
    changed = apply_changes(
        goal,
        {
            "title": title.strip(),
            "proposed_by": proposed_by,
            "domain": domain,
            "primary_good": primary_good,
        },
    )
    if not changed:
        return goal
    goal.full_clean()
    goal.save(update_fields=changed)
    _audit(by, "goal.updated", goal, goal.relationship, fields=changed)
    return goal


@transaction.atomic
def goal_set_status(*, by: User, goal: Goal, status: str, on: datetime.date | None) -> Goal:
    """Achieved or dropped, with the date; or back to working on it."""
    _check_open(goal.relationship)
    if status not in Goal.Status.values:
        raise ValidationError({"status": "Choose where the goal stands"})
    if status == goal.status:
        raise ValidationError({"status": f"The goal is already “{goal.get_status_display()}”"})
    if status == Goal.Status.ACTIVE:
        on = None
    else:
        if on is None:
            raise ValidationError({"on": "Enter the date the goal was achieved or dropped"})
        if on > timezone.localdate():
            raise ValidationError({"on": "The date cannot be in the future"})
        if on < goal.agreed_on:
            raise ValidationError({"on": "The date cannot be before the goal was agreed"})
    previous = goal.status
    goal.status = status
    goal.closed_on = on
    goal.full_clean()
    goal.save(update_fields=["status", "closed_on"])
    _audit(by, "goal.status_changed", goal, goal.relationship, **{"from": previous, "to": status})
    sweep_soon(scheme_id=goal.relationship.mentee.scheme_id, relationship_id=goal.relationship_id)
    return goal


@transaction.atomic
def step_create(
    *, by: User, goal: Goal, description: str, owner: str, due_on: datetime.date | None
) -> Step:
    """A small action towards a goal, with who will do it."""
    _check_open(goal.relationship)
    if goal.status != Goal.Status.ACTIVE:
        raise ValidationError(
            f"This goal is {goal.get_status_display().lower()}. Set it back to "
            "“working on it” to add steps"
        )
    step = Step(goal=goal, description=description.strip(), owner=owner, due_on=due_on)
    step.full_clean()
    step.save()
    _audit(by, "step.created", step, goal.relationship, owner=owner)
    return step


@transaction.atomic
def step_update(
    *,
    by: User,
    step: Step,
    description: str,
    owner: str,
    due_on: datetime.date | None,
    status: str,
) -> Step:
    """Change a step's words, owner, due date or status. Done gets today's date."""
    _check_open(step.goal.relationship)
    changed = apply_changes(
        step, {"description": description.strip(), "owner": owner, "due_on": due_on}
    )
    if status != step.status:
        changed += ["status", "done_on"]
        step.status = status
        step.done_on = timezone.localdate() if status == Step.Status.DONE else None
    if not changed:
        return step
    step.full_clean()
    step.save(update_fields=changed)
    _audit(by, "step.updated", step, step.goal.relationship, fields=changed)
    return step


@transaction.atomic
def step_mark_done(*, by: User, step: Step) -> Step:
    """The one-tap "done" on the mentor's phone. Tapping twice changes nothing."""
    _check_open(step.goal.relationship)
    if step.status == Step.Status.DONE:
        return step
    step.status = Step.Status.DONE
    step.done_on = timezone.localdate()
    step.save(update_fields=["status", "done_on"])
    _audit(by, "step.done", step, step.goal.relationship)
    return step


def steps_snapshot(relationship: Relationship) -> tuple[int, int]:
    """(steps in the plan, of which the mentee owns). Counted: steps to do or done, of goals
    that were not dropped; dropped steps are not part of the plan any more. "Together" is not
    counted as the mentee's: a falling share of what the mentee does on their own is the
    dependency signal the watcher looks for."""
    steps = Step.objects.filter(
        goal__relationship=relationship, status__in=[Step.Status.TO_DO, Step.Status.DONE]
    ).exclude(goal__status=Goal.Status.DROPPED)
    return steps.count(), steps.filter(owner=Party.MENTEE).count()


@transaction.atomic
def review_record(
    *,
    by: User,
    relationship: Relationship,
    held_on: datetime.date,
    mentee_driving: str,
    mentor_driving: str,
    mentee_rating: int,
    mentor_rating: int,
    ending_plan: str,
    goal_changes: str = "",
    scores: dict[int, int],
) -> Review:
    """A review point. Every goal being worked on gets a 1-10 score (its domain copied, so
    distance travelled per domain is one query); the plan for ending is required every
    time. The review falls due where the relationship said, and the next one is set a
    review interval after this one."""
    relationship = (
        Relationship.objects.select_for_update()
        .select_related("mentee__scheme")
        .get(pk=relationship.pk)
    )
    _check_open(relationship)
    goals = _check_review(relationship, held_on=held_on, ending_plan=ending_plan, scores=scores)
    steps_total, steps_mentee = steps_snapshot(relationship)
    review = Review(
        relationship=relationship,
        held_on=held_on,
        due_on=relationship.next_review_on,
        mentee_driving=mentee_driving,
        mentor_driving=mentor_driving,
        mentee_rating=mentee_rating,
        mentor_rating=mentor_rating,
        goal_changes=goal_changes.strip(),
        ending_plan=ending_plan.strip(),
        steps_total=steps_total,
        steps_owned_by_mentee=steps_mentee,
        recorded_by=by,
    )
    review.full_clean()
    review.save()
    GoalScore.objects.bulk_create(
        GoalScore(review=review, goal=g, domain=g.domain, score=scores[g.pk]) for g in goals
    )
    next_review_on = _move_next_review(relationship, held_on=held_on)
    _audit(by, "review.recorded", review, relationship, next_review_on=next_review_on.isoformat())
    sweep_soon(scheme_id=relationship.mentee.scheme_id, relationship_id=relationship.pk)
    return review


def _check_review(
    relationship: Relationship, *, held_on: datetime.date, ending_plan: str, scores: dict[int, int]
) -> list[Goal]:
    """A plan for ending, a date from the match to today, and a score from 1 to 10 for each
    goal being worked on and no other; all the mistakes at once. Returns those goals."""
    errors: dict[str, str] = {}
    if not ending_plan.strip():
        errors["ending_plan"] = (
            "Write the plan for ending. It is needed at every review, even when the end is "
            "months away: how and when will this relationship finish?"
        )
    if held_on > timezone.localdate():
        errors["held_on"] = "The review date cannot be in the future"
    elif held_on < relationship.matched_on:
        errors["held_on"] = "The review date cannot be before the match"
    goals = list(relationship.goals.filter(status=Goal.Status.ACTIVE))
    active = {g.pk for g in goals}
    if set(scores) - active:
        errors["__all__"] = "A score was given for a goal that is not being worked on"
    for goal in goals:
        if goal.pk not in scores:
            errors[f"score_{goal.pk}"] = "Score this goal from 1 to 10"
        elif not 1 <= scores[goal.pk] <= 10:
            errors[f"score_{goal.pk}"] = "A score runs from 1 to 10"
    if errors:
        raise ValidationError(errors)
    return goals


def _move_next_review(relationship: Relationship, *, held_on: datetime.date) -> datetime.date:
    """Set and save the next review a review interval after the latest review held, so a
    review entered late never pulls the next one back."""
    latest = max([held_on, *relationship.reviews.values_list("held_on", flat=True)])
    interval = relationship.mentee.scheme.review_interval_weeks
    next_review_on = latest + datetime.timedelta(weeks=interval)
    relationship.next_review_on = next_review_on
    relationship.save(update_fields=["next_review_on"])
    return next_review_on
