"""How useful each rule is: what became of its flags over the last 90 days (flags.usefulness).
For managers, over every scheme or one; for coordinators, over their own schemes."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.permissions import role_required
from core.forms import FilterForm
from flags.models import Kind, Severity
from flags.rules.facts import SEVERITY
from flags.selectors import flag_visible_to
from flags.usefulness import (
    COUNT_LABELS,
    MEANING,
    WINDOW_DAYS,
    RuleCounts,
    counts_by_kind,
    rule_counts,
    thresholds_by_scheme,
    window_start,
)
from schemes.models import Scheme
from schemes.selectors import scheme_visible_to

staff_only = role_required(lambda r: r.is_coordinator or r.is_manager)


class SchemeFilter(FilterForm):
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.none(), required=False, empty_label="All my schemes"
    )

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes  # type: ignore[attr-defined]


def _scope(request: AuthedRequest) -> tuple[SchemeFilter, QuerySet[Scheme]]:
    """The scheme filter, and the schemes the counts cover: those the reader may see, or the
    one chosen among them."""
    schemes = scheme_visible_to(request.user)
    form = SchemeFilter(request.GET or None, schemes=schemes)
    if form.is_valid() and form.cleaned_data["scheme"] is not None:
        schemes = schemes.filter(pk=form.cleaned_data["scheme"].pk)
    return form, schemes


@staff_only
def rule_list(request: AuthedRequest) -> HttpResponse:
    """Every rule with what became of its flags over the last 90 days."""
    form, schemes = _scope(request)
    flags = flag_visible_to(request.user).filter(scheme__in=schemes)
    totals = counts_by_kind(rule_counts(flags, since=window_start()))
    rows = [(Kind(kind), totals[kind]) for kind in Kind.values]
    return render(
        request,
        "flags/rule_list.html",
        {
            "form": form,
            "rows": rows,
            "labels": COUNT_LABELS,
            "days": WINDOW_DAYS,
            "query": request.GET.urlencode(),
        },
    )


@staff_only
def rule_detail(request: AuthedRequest, kind: str) -> HttpResponse:
    """One rule: what it means, its threshold in each scheme, and what became of its flags
    over the last 90 days, in each scheme."""
    if kind not in Kind.values:
        raise Http404
    form, schemes = _scope(request)
    flags = flag_visible_to(request.user).filter(scheme__in=schemes, kind=kind)
    by_scheme = {s: c for (_k, s), c in rule_counts(flags, since=window_start()).items()}
    total = RuleCounts()
    for counts in by_scheme.values():
        total.add(counts)
    schemes_rows = [
        (scheme, thresholds, by_scheme.get(scheme.pk, RuleCounts()))
        for scheme, thresholds in thresholds_by_scheme(kind, schemes)
    ]
    return render(
        request,
        "flags/rule_detail.html",
        {
            "form": form,
            "kind": Kind(kind),
            "meaning": MEANING.get(kind, ""),
            "severity": Severity(SEVERITY[kind]).label if kind in SEVERITY else "",
            "total": total,
            "schemes": schemes_rows,
            "labels": COUNT_LABELS,
            "days": WINDOW_DAYS,
        },
    )
