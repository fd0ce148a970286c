"""The "Did it happen?" page of a planned meeting, reached from the mentor's notification and
from My mentees: one tap for each answer. "Yes, log it" opens the meeting form filled from
the plan; each other answer is a small form of its own, so no JavaScript is needed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required
from relationships import services
from relationships.meetings.plan_answers import plan_answer_not_held, plan_recorded_words
from relationships.meetings.plan_selectors import plan_for_write
from relationships.models import PlannedMeeting
from relationships.selectors import is_relationship_mentor


def _answers(mentee: str, *, by_mentor: bool) -> list[tuple[str, str]]:
    """The one-tap answers other than "yes", in the asker's words."""
    PS = PlannedMeeting.Status
    return [
        (PS.DID_NOT_ATTEND, f"{mentee} did not turn up"),
        (PS.CANCELLED_BY_MENTEE, f"Cancelled by {mentee}"),
        (PS.CANCELLED_BY_MENTOR, "Cancelled by me" if by_mentor else "Cancelled by the mentor"),
    ]


@any_role_required
def plan_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Did the planned meeting happen? The mentor of the relationship, or a coordinator of
    its scheme, answers; once answered, the page says what was recorded."""
    plan = plan_for_write(request.user, pk)
    relationship = plan.relationship
    services.relationship_viewed(relationship=relationship, by=request.user)
    by_mentor = is_relationship_mentor(request.user, relationship)
    mentee = relationship.mentee.short_name
    context = {
        "plan": plan,
        "relationship": relationship,
        "by_mentor": by_mentor,
        "due": plan.starts_at <= timezone.now(),
        "recorded": plan_recorded_words(plan, by_mentor=by_mentor),
        "answers": _answers(mentee, by_mentor=by_mentor),
        "log_url": reverse("relationships:meeting_new", args=[relationship.pk])
        + f"?plan={plan.pk}",
    }
    return render(request, "relationships/plan_answer.html", context)


@any_role_required
@require_POST
def plan_answer_not_held_view(request: AuthedRequest, pk: int, answer: str) -> HttpResponse:
    """One tap: the meeting did not happen, and why. Logged as a meeting with that outcome,
    so the timeline shows it; a second tap is refused in words."""
    plan = plan_for_write(request.user, pk)
    if answer not in PlannedMeeting.NOT_HELD_ANSWERS:
        raise Http404
    try:
        plan_answer_not_held(plan=plan, by=request.user, answer=answer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("relationships:plan_answer", pk=plan.pk)
    plan.refresh_from_db()
    by_mentor = is_relationship_mentor(request.user, plan.relationship)
    messages.success(request, plan_recorded_words(plan, by_mentor=by_mentor))
    return redirect("relationships:detail", plan.relationship_id)
