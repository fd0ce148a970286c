import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import manager_required, staff_required
from mentees.selectors import mentee_visible_to
from schemes.forms import SchemeForm
from schemes.selectors import scheme_visible_to, schemes_with_counts
from schemes.services import scheme_create, scheme_update


@staff_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = schemes_with_counts(scheme_visible_to(request.user))
    return render(request, "schemes/scheme_list.html", {"schemes": schemes})


@staff_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(schemes_with_counts(scheme_visible_to(request.user)), pk=pk)
    coordinators = scheme.memberships.filter(role="coordinator").select_related("user")
    recent_mentees = (
        mentee_visible_to(request.user).filter(scheme=scheme).order_by("-created_at")[:10]
    )
    return render(
        request,
        "schemes/scheme_detail.html",
        {"scheme": scheme, "coordinators": coordinators, "recent_mentees": recent_mentees},
    )


@manager_required
def scheme_new(request: HttpRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = scheme_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Scheme “{scheme}” created.")
            return redirect("schemes:detail", pk=scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "scheme": None})


@manager_required
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(scheme_visible_to(request.user), pk=pk)
    # The form validates against a copy: a ModelForm writes into its instance while
    # validating, and the service must see the scheme as it was to audit what changed.
    form = SchemeForm(request.POST or None, instance=copy.copy(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            scheme_update(scheme=scheme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Scheme “{scheme}” saved.")
            return redirect("schemes:detail", pk=scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "scheme": scheme})
