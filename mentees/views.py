from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import any_role_required, staff_required
from mentees.selectors import mentee_visible_to, mentees_for_list, mentees_matching
from mentees.services import mentee_record_viewed
from relationships.selectors import relationship_visible_to, relationships_for_list
from schemes.selectors import scheme_visible_to


@staff_required
def mentee_list(request: HttpRequest) -> HttpResponse:
    mentees = mentees_for_list(mentee_visible_to(request.user))
    schemes = scheme_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        mentees = mentees_matching(mentees, query)
    scheme_id = request.GET.get("scheme", "")
    scheme_id = int(scheme_id) if scheme_id.isascii() and scheme_id.isdecimal() else None
    if scheme_id:
        mentees = mentees.filter(scheme_id=scheme_id)
    page = Paginator(mentees, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "mentees/mentee_list.html",
        {"page": page, "query": query, "schemes": schemes, "scheme_id": scheme_id},
    )


@any_role_required
def mentee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(mentee_visible_to(request.user).select_related("scheme"), pk=pk)
    mentee_record_viewed(mentee=mentee, by=request.user)
    relationships = relationships_for_list(
        relationship_visible_to(request.user).filter(mentee=mentee)
    )
    return render(
        request, "mentees/mentee_detail.html", {"mentee": mentee, "relationships": relationships}
    )
