from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.models import Role
from accounts.permissions import manager_required, staff_required
from accounts.selectors import coordinator_candidates
from accounts.services import membership_add
from core.forms import submit
from mentees.selectors import mentee_visible_to
from schemes import services
from schemes.forms import CoordinatorForm, FundingForm, SchemeForm, TargetForm
from schemes.selectors import scheme_for_write, scheme_visible_to, schemes_with_counts


@staff_required
def scheme_list(request: AuthedRequest) -> HttpResponse:
    schemes = schemes_with_counts(scheme_visible_to(request.user))
    return render(request, "schemes/scheme_list.html", {"schemes": schemes})


@staff_required
def scheme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(schemes_with_counts(scheme_visible_to(request.user)), pk=pk)
    coordinators = scheme.memberships.filter(role=Role.COORDINATOR).select_related("user")
    recent_mentees = (
        mentee_visible_to(request.user).filter(scheme=scheme).order_by("-created_at")[:10]
    )
    coordinator_form = CoordinatorForm(
        people=coordinator_candidates(request.user).exclude(pk__in=coordinators.values("user_id"))
    )
    return render(
        request,
        "schemes/scheme_detail.html",
        {
            "scheme": scheme,
            "coordinators": coordinators,
            "recent_mentees": recent_mentees,
            "fundings": scheme.fundings.all(),
            "targets": scheme.targets.all(),
            "coordinator_form": coordinator_form,
            "funding_form": FundingForm(),
            "target_form": TargetForm(),
        },
    )


@manager_required
def scheme_new(request: AuthedRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None)
    scheme = submit(
        request,
        form,
        lambda: services.scheme_create(by=request.user, **form.cleaned_data),
        "Scheme created. Add its funding and targets below.",
    )
    if scheme:
        return redirect("schemes:detail", pk=scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "scheme": None})


@manager_required
def scheme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = scheme_for_write(request.user, pk)
    form = SchemeForm(
        request.POST or None, initial=model_to_dict(scheme, list(SchemeForm.base_fields))
    )
    if submit(
        request,
        form,
        lambda: services.scheme_update(scheme=scheme, by=request.user, **form.cleaned_data),
        f"Scheme “{scheme}” saved.",
    ):
        return redirect("schemes:detail", pk=scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "scheme": scheme})


def _scheme_part(request: AuthedRequest, pk: int, form, action, success: str, title: str):
    scheme = scheme_for_write(request.user, pk)
    if submit(request, form, lambda: action(scheme), success):
        return redirect("schemes:detail", pk=scheme.pk)
    return render(
        request, "schemes/scheme_part_form.html", {"form": form, "scheme": scheme, "title": title}
    )


@manager_required
def funding_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = FundingForm(request.POST or None)
    return _scheme_part(
        request,
        pk,
        form,
        lambda scheme: services.funding_add(by=request.user, scheme=scheme, **form.cleaned_data),
        "Funding added.",
        "Add funding",
    )


@manager_required
def target_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = TargetForm(request.POST or None)
    return _scheme_part(
        request,
        pk,
        form,
        lambda scheme: services.target_add(by=request.user, scheme=scheme, **form.cleaned_data),
        "Target added.",
        "Add a target",
    )


@manager_required
def coordinator_add(request: AuthedRequest, pk: int) -> HttpResponse:
    form = CoordinatorForm(request.POST or None, people=coordinator_candidates(request.user))
    return _scheme_part(
        request,
        pk,
        form,
        lambda scheme: membership_add(
            by=request.user, user=form.cleaned_data["person"], role=Role.COORDINATOR, scheme=scheme
        ),
        "Coordinator added.",
        "Add a coordinator",
    )


@manager_required
@require_POST
def funding_remove(request: AuthedRequest, pk: int, funding_pk: int) -> HttpResponse:
    scheme = scheme_for_write(request.user, pk)
    services.funding_remove(
        by=request.user, funding=get_object_or_404(scheme.fundings, pk=funding_pk)
    )
    messages.success(request, "Funding removed.")
    return redirect("schemes:detail", pk=scheme.pk)


@manager_required
@require_POST
def target_remove(request: AuthedRequest, pk: int, target_pk: int) -> HttpResponse:
    scheme = scheme_for_write(request.user, pk)
    services.target_remove(by=request.user, target=get_object_or_404(scheme.targets, pk=target_pk))
    messages.success(request, "Target removed.")
    return redirect("schemes:detail", pk=scheme.pk)
