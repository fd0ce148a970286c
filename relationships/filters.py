import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.forms import FilterForm
from flags.selectors import REVIEW_DUE_DAYS, Health
from relationships.models import Relationship
from schemes.selectors import scheme_choices_for


class RelationshipFilter(django_filters.FilterSet):
    """The relationship list's filters; the queryset is already scoped and has ``health``."""

    q = django_filters.CharFilter(label="Mentee or mentor", method="filter_name")
    scheme = django_filters.ModelChoiceFilter(
        field_name="mentee__scheme", queryset=scheme_choices_for, empty_label="All my schemes"
    )
    # ``health`` is an annotation, not a model field: without a label django-filter shows
    # "[invalid name]".
    health = django_filters.ChoiceFilter(
        label="Health", choices=Health.choices, empty_label="Any health"
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in Relationship.Status.choices if c[0] != Relationship.Status.CLOSED],
        empty_label="Any open status",
    )
    review = django_filters.ChoiceFilter(
        label="Review",
        choices=[("due", f"Due within {REVIEW_DUE_DAYS} days or overdue"), ("overdue", "Overdue")],
        empty_label="Any review date",
        method="filter_review",
    )

    class Meta:
        form = FilterForm
        model = Relationship
        fields = ["q", "scheme", "health", "status", "review"]

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        q = Q()
        for word in value.split():
            q &= (
                Q(mentee__given_name__icontains=word)
                | Q(mentee__family_name__icontains=word)
                | Q(mentee__reference__iexact=word)
                | Q(mentor__given_name__icontains=word)
                | Q(mentor__family_name__icontains=word)
                | Q(mentor__reference__iexact=word)
            )
        return queryset.filter(q)

    def filter_review(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        queryset = queryset.exclude(status=Relationship.Status.PAUSED)  # no review while paused
        if value == "overdue":
            return queryset.filter(next_review_on__lt=today)
        return queryset.filter(next_review_on__lte=today + datetime.timedelta(days=REVIEW_DUE_DAYS))
