from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from core.forms import FilterForm
from flags.models import DEPENDENCY_KINDS, Category, Flag, Kind
from schemes.selectors import scheme_choices_for


class FlagFilter(django_filters.FilterSet):
    """The flag queue's filters; the queryset given to it is already scoped to the user.
    With no status chosen the queue shows live flags (open or acknowledged)."""

    scheme = django_filters.ModelChoiceFilter(
        queryset=scheme_choices_for, empty_label="All my schemes"
    )
    # A filter with a method and no model field of its name needs its label: without one,
    # django-filter shows "[invalid name]".
    category = django_filters.ChoiceFilter(
        label="Category",
        choices=Category.choices,
        empty_label="Stalling and dependency",
        method="filter_category",
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(
        choices=[("live", "Open or acknowledged"), *Flag.Status.choices],
        empty_label=None,
        method="filter_status",
    )

    class Meta:
        form = FilterForm
        model = Flag
        fields = ["scheme", "category", "kind", "status"]

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        values: QueryDict | dict[str, str] = data.copy() if data is not None else {}
        values.setdefault("status", "live")
        super().__init__(values, *args, **kwargs)

    def filter_category(self, queryset: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        if value == Category.DEPENDENCY:
            return queryset.filter(kind__in=DEPENDENCY_KINDS)
        return queryset.exclude(kind__in=DEPENDENCY_KINDS)

    def filter_status(self, queryset: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        if value == "live":
            return queryset.filter(status__in=Flag.LIVE_STATUSES)
        return queryset.filter(status=value)
