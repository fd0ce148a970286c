from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import staff_required
from flags.selectors import relationships_with_health
from relationships.filters import RelationshipFilter
from relationships.models import Meeting
from relationships.selectors import relationship_visible_to, relationships_for_list


@staff_required
def relationship_list(request: AuthedRequest) -> HttpResponse:
    """Open relationships, filtered by scheme, health, status and review date: the list
    behind every relationship figure on the dashboard."""
    today = timezone.localdate()
    relationships = relationships_with_health(
        relationships_for_list(relationship_visible_to(request.user)), today=today
    ).annotate(
        last_met_at=Max("meetings__held_at", filter=Q(meetings__outcome=Meeting.Outcome.MET))
    )
    filters = RelationshipFilter(request.GET, queryset=relationships, request=request)
    page = Paginator(filters.qs.order_by("next_review_on", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "relationships/relationship_list.html",
        {"filters": filters, "page": page, "today": today},
    )
