from django import template

register = template.Library()

STATUS_BADGES = {
    "applied": "text-bg-light border",
    "in_training": "text-bg-info",
    "vetting": "text-bg-warning",
    "active": "text-bg-success",
    "paused": "text-bg-secondary",
    "left": "text-bg-dark",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge classes for a mentor status, so a list reads at a glance."""
    return STATUS_BADGES.get(status, "text-bg-light border")
