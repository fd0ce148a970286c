"""What the relationship page's status, goals and reviews partials need, without each
helper adding to the shared view: the cap, an overdue review, the chart, who may write."""

from typing import Any

from django import template

from relationships.models import Relationship
from relationships.plans import selectors as plan_selectors
from relationships.plans.progress import CapPart, Chart, overdue_words
from relationships.transitions import can_take

register = template.Library()

CAP_STYLES = {
    "ok": "text-bg-light border",
    "near": "text-bg-warning",
    "reached": "text-bg-danger",
    "passed": "text-bg-danger",
}


@register.simple_tag
def relationship_cap(relationship: Relationship) -> list[CapPart]:
    return plan_selectors.relationship_cap(relationship)


@register.filter
def cap_style(part: CapPart) -> str:
    return CAP_STYLES[part.level]


@register.simple_tag
def review_overdue(relationship: Relationship) -> str:
    """ "Review overdue by 9 days", or an empty string."""
    days = plan_selectors.relationship_review_overdue(relationship)
    return overdue_words(days) if days is not None else ""


@register.simple_tag
def domain_chart(relationship: Relationship) -> Chart | None:
    return plan_selectors.relationship_chart(relationship)


@register.simple_tag(takes_context=True)
def plan_writable(context: dict[str, Any], relationship: Relationship) -> bool:
    """Goals and steps can be changed here: the relationship is open and the user is its
    mentor or a coordinator of its scheme."""
    return relationship.is_open and plan_selectors.may_edit_plan(
        context["request"].user, relationship
    )


@register.filter
def can_take_step(relationship: Relationship, step: str) -> bool:
    """Offer only the steps ``lifecycle.STEPS`` allows from where the relationship is."""
    return can_take(step, relationship.status)


@register.filter
def open_pause(relationship: Relationship):
    """The pause in progress, from the prefetched pauses."""
    return next((p for p in relationship.pauses.all() if p.ends_on is None), None)
