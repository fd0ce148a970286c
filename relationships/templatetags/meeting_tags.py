"""The timeline partial caps its own list, so the relationship page's query count stays
fixed however many meetings a relationship has."""

from typing import Any

from django import template
from django.db.models import QuerySet

from relationships.meetings.selectors import TIMELINE_LIMIT, meetings_for_timeline
from relationships.models import Meeting

register = template.Library()


@register.simple_tag
def recent_meetings(meetings: QuerySet[Meeting], limit: int = TIMELINE_LIMIT) -> dict[str, Any]:
    items, more = meetings_for_timeline(meetings, limit)
    return {"items": items, "more": more}
