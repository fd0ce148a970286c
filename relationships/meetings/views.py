import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required
from core.forms import submit
from core.outbox import from_the_outbox, outbox_logged_tell
from relationships import services
from relationships.meetings.forms import MeetingForm
from relationships.meetings.plan_selectors import plans_visible_to
from relationships.meetings.selectors import MEETINGS_PER_PAGE, meeting_already_logged
from relationships.meetings.services import meeting_log
from relationships.models import Meeting, PlannedMeeting, Relationship
from relationships.selectors import (
    is_relationship_mentor,
    meetings_visible_to,
    relationship_for_write,
    relationship_visible_to,
    relationships_for_list,
)


@any_role_required
def meeting_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log a meeting: the relationship's mentor, or a coordinator of its scheme (a call they
    took). Managers read relationships but log nothing."""
    outbox = from_the_outbox(request)
    if request.method == "POST":
        # A form sent again is answered "logged" before anything is checked: since it was
        # logged, the relationship may have closed or a ticked goal ended.
        already = meeting_already_logged(
            by=request.user, relationship_id=pk, client_id=request.POST.get("client_id", "")
        )
        if already is not None:
            return _logged(request, already, outbox=outbox, again=True)
    relationship = relationship_for_write(request.user, pk, mentor_may_write=True)
    by_mentor = is_relationship_mentor(request.user, relationship)
    detail = reverse("relationships:detail", args=[relationship.pk])
    plan = _plan_asked_for(request, relationship)
    form = MeetingForm(
        request.POST or None,
        relationship=relationship,
        by_mentor=by_mentor,
        initial=_filled_from(plan),
    )
    if relationship.is_open:
        meeting = submit(
            request,
            form,
            lambda: meeting_log(
                by=request.user,
                relationship=relationship,
                # The plan named, waiting or not: one answered meanwhile is refused.
                plan_id=_plan_id_named(request),
                **form.service_kwargs(),
            ),
            # Sent in the background, nobody sees a page: no "Meeting logged." waits for one.
            "" if outbox else "Meeting logged.",
        )
        if meeting:
            return _logged(request, meeting, outbox=outbox)
    return render(
        request,
        "relationships/meeting_form.html",
        {
            "form": form,
            "relationship": relationship,
            "by_mentor": by_mentor,
            "detail": detail,
            "plan": plan,
        },
    )


def _plan_id_named(request: AuthedRequest) -> int | None:
    """The plan ``?plan=`` names, whatever its status: ``meeting_log`` links the meeting to it
    if it is this relationship's and waiting, and refuses it once it has been answered."""
    raw = request.GET.get("plan", "")
    return int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else None


def _plan_asked_for(request: AuthedRequest, relationship: Relationship) -> PlannedMeeting | None:
    """The waiting plan named by ``?plan=`` ("Yes, log it"), if it is this relationship's."""
    raw = request.GET.get("plan", "")
    if not raw.isdigit():
        return None
    return (
        plans_visible_to(request.user)
        .filter(relationship=relationship, status=PlannedMeeting.Status.PLANNED, pk=int(raw))
        .first()
    )


def _filled_from(plan: PlannedMeeting | None) -> dict[str, object]:
    """The meeting form's answers taken from the plan: when, how, and that they met."""
    if plan is None:
        return {}
    return {
        "held_at": timezone.localtime(plan.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "mode": plan.mode,
        "outcome": Meeting.Outcome.MET,
    }


def _logged(
    request: AuthedRequest, meeting: Meeting, *, outbox: bool, again: bool = False
) -> HttpResponse:
    """The answer to a meeting form that is logged. To the phone's outbox (static/js/outbox.js,
    which may send a kept form more than once): "204 No Content", no page. To the form sent
    the usual way: the relationship's page, whose outbox.js is told to delete the phone's copy
    of this form rather than send it again."""
    if outbox:
        return HttpResponse(status=204)
    outbox_logged_tell(request, meeting.client_id)
    if again:  # a double tap: the same page and messages as for the first tap
        messages.success(request, "Meeting logged.")
    if hasattr(meeting, "concern"):  # a Concern of its own, raised with the meeting
        messages.warning(request, "Your concern has gone to the coordinator.")
    if not relationship_visible_to(request.user).filter(pk=meeting.relationship_id).exists():
        return redirect("home")  # closed since: the mentor no longer opens it
    # To the top of the page, not #meeting-N: on a phone the anchor scrolls the
    # "Meeting logged." banner off-screen. The new meeting is the first one listed.
    return redirect("relationships:detail", meeting.relationship_id)


@any_role_required
def meeting_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every meeting of one relationship, newest first, a page at a time: for the long
    relationships whose page shows only the latest."""
    relationship = get_object_or_404(
        relationships_for_list(relationship_visible_to(request.user)).select_related(
            "mentor__user"
        ),
        pk=pk,
    )
    services.relationship_viewed(relationship=relationship, by=request.user)
    meetings = (
        meetings_visible_to(request.user, relationship)
        .select_related("logged_by", "concern")
        .prefetch_related("goals")
    )
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/meeting_list.html",
        {
            "relationship": relationship,
            "mentee": relationship.mentee,
            "page": page,
            "is_mentor": is_relationship_mentor(request.user, relationship),
        },
    )
