from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.permissions import manager_required
from accounts.selectors import user_visible_to
from audit.forms import AuditFilterForm
from audit.selectors import audit_events_described, audit_events_filtered, auditevent_visible_to
from audit.services import audit_trail_viewed
from mentees.selectors import mentee_visible_to


@manager_required
def audit_list(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None,
        people=user_visible_to(request.user),
        mentees=mentee_visible_to(request.user),
    )
    events = auditevent_visible_to(request.user)
    if not form.is_bound:
        events = audit_events_filtered(events)
    elif form.is_valid():
        events = audit_events_filtered(events, **form.cleaned_data)
    else:  # show the errors, not an unfiltered list that looks like an answer
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = audit_events_described(list(page))
    # Recorded after the page is read: browsing the trail is itself on the trail.
    audit_trail_viewed(
        by=request.user,
        filters=[name for name in form.fields if request.GET.get(name, "").strip()],
        page=page.number,
    )
    return render(request, "audit/audit_list.html", {"form": form, "page": page, "rows": rows})
