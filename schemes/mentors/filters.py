import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import FilterForm
from schemes.mentors.selectors import (
    mentors_matching,
    mentors_supervision_due,
    mentors_vetting_expiring,
    mentors_vetting_lapsed,
)
from schemes.models import Mentor
from schemes.selectors import scheme_choices_for


class MentorFilter(django_filters.FilterSet):
    """The mentor list's filters. The queryset given to it is already scoped to the user."""

    q = django_filters.CharFilter(label="Name or reference", method="filter_name")
    scheme = django_filters.ModelChoiceFilter(
        queryset=scheme_choices_for, empty_label="All my schemes"
    )
    status = django_filters.ChoiceFilter(choices=Mentor.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Mentor.Kind.choices, empty_label="Any kind")
    vetting = django_filters.ChoiceFilter(
        label="Vetting",
        choices=[("expiring", "Expires within 30 days"), ("lapsed", "No valid DBS check")],
        empty_label="Any vetting",
        method="filter_vetting",
    )

    supervision = django_filters.ChoiceFilter(
        label="Supervision",
        choices=[("due", "Due within a week or overdue")],
        empty_label="Any supervision",
        method="filter_supervision",
    )

    class Meta:
        form = FilterForm
        model = Mentor
        fields = ["q", "scheme", "status", "kind", "vetting", "supervision"]

    def filter_supervision(
        self, queryset: QuerySet[Mentor], name: str, value: str
    ) -> QuerySet[Mentor]:
        return mentors_supervision_due(queryset, today=timezone.localdate())

    def filter_name(self, queryset: QuerySet[Mentor], name: str, value: str) -> QuerySet[Mentor]:
        return mentors_matching(queryset, value)

    def filter_vetting(self, queryset: QuerySet[Mentor], name: str, value: str) -> QuerySet[Mentor]:
        today = timezone.localdate()
        if value == "expiring":
            return mentors_vetting_expiring(queryset, today=today)
        return mentors_vetting_lapsed(queryset, today=today)
