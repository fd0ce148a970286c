from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import role_required
from relationships.models import Relationship
from relationships.selectors import relationship_visible_to, relationships_for_list


@role_required(lambda r: r.is_mentor)
def my_mentees(request: HttpRequest) -> HttpResponse:
    """The mentor's home: the people they are matched with now."""
    relationships = relationships_for_list(
        relationship_visible_to(request.user)
        .filter(mentor__user=request.user)
        .exclude(status=Relationship.Status.CLOSED)
    )
    return render(request, "relationships/my_mentees.html", {"relationships": relationships})
