from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required
from core.forms import submit
from relationships import services
from relationships.meetings.forms import MeetingForm
from relationships.meetings.selectors import MEETINGS_PER_PAGE
from relationships.meetings.services import meeting_log
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
    relationship = relationship_for_write(request.user, pk, mentor_may_write=True)
    by_mentor = is_relationship_mentor(request.user, relationship)
    detail = reverse("relationships:detail", args=[relationship.pk])
    form = MeetingForm(request.POST or None, relationship=relationship, by_mentor=by_mentor)
    if relationship.is_open:
        meeting = submit(
            request,
            form,
            lambda: meeting_log(
                by=request.user, relationship=relationship, **form.service_kwargs()
            ),
            "Meeting logged.",
        )
        if meeting:
            if request.headers.get("X-Tandem-Outbox") == "1":
                return _sent_from_the_phone(request)
            if meeting.concern:
                messages.warning(request, "Your concern has gone to the coordinator.")
            # To the top of the page, not #meeting-N: on a phone the anchor scrolls the
            # "Meeting logged." banner off-screen. The new meeting is the first one listed.
            return redirect(detail)
    return render(
        request,
        "relationships/meeting_form.html",
        {"form": form, "relationship": relationship, "by_mentor": by_mentor, "detail": detail},
    )


def _sent_from_the_phone(request: AuthedRequest) -> HttpResponse:
    """A meeting the phone kept while it had no signal, sent in the background by
    static/js/outbox.js (again, perhaps: the client id makes that one meeting). Nobody is
    looking at a page, so the answer is no page, and no "Meeting logged." waits for the next."""
    for _ in messages.get_messages(request):
        pass
    return HttpResponse(status=204)


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
        .select_related("logged_by")
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
