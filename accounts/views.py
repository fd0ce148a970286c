from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from accounts.forms import InviteForm, MembershipForm
from accounts.http import AuthedRequest
from accounts.models import User
from accounts.permissions import manager_required
from accounts.second_factor.forms import ResetForm
from accounts.second_factor.policy import second_factor_required
from accounts.second_factor.services import second_factor_reset
from accounts.selectors import (
    Roles,
    membership_visible_to,
    user_roles,
    user_visible_to,
    users_with_memberships,
)
from accounts.services import membership_add, membership_remove, user_invite, user_set_active
from core.forms import show_service_errors
from schemes.selectors import scheme_visible_to


@manager_required
def people_list(request: AuthedRequest) -> HttpResponse:
    people = users_with_memberships(user_visible_to(request.user))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people_list.html", {"page": page})


@manager_required
def person_invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, schemes=scheme_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            person = user_invite(
                by=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                scheme=form.cleaned_data["scheme"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"{person} has been invited. They will get an email to set a password."
            )
            return redirect("accounts:detail", pk=person.pk)
    return render(request, "accounts/person_invite.html", {"form": form})


@manager_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(users_with_memberships(user_visible_to(request.user)), pk=pk)
    form = MembershipForm(request.POST or None, schemes=scheme_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            membership_add(
                by=request.user,
                user=person,
                role=form.cleaned_data["role"],
                scheme=form.cleaned_data["scheme"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Role added for {person}.")
            return redirect("accounts:detail", pk=person.pk)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "form": form,
            "has_second_factor": user_has_device(person),
            "second_factor_required": second_factor_required(person),
        },
    )


@manager_required
@require_POST
def membership_delete(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = get_object_or_404(
        membership_visible_to(request.user).select_related("user"), pk=membership_pk, user_id=pk
    )
    person = membership.user
    try:
        membership_remove(by=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Role removed from {person}.")
    return redirect("accounts:detail", pk=person.pk)


@manager_required
@require_POST
def person_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(user_visible_to(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(by=request.user, user=person, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, f"{person}'s account is open again, with the same roles.")
        else:
            messages.success(request, f"{person}'s account is closed. They can no longer log in.")
    return redirect("accounts:detail", pk=person.pk)


def _may_reset_second_factor(roles: Roles, user: User) -> bool:
    return roles.is_manager or user.is_superuser


@login_required
def second_factor_reset_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A manager (or the admin) removes the app and recovery codes of someone who lost them,
    after checking it is really them asking; they set up a new one when they next log in."""
    if not _may_reset_second_factor(user_roles(request.user), request.user):
        raise PermissionDenied
    people = User.objects.all() if request.user.is_superuser else user_visible_to(request.user)
    person = get_object_or_404(people, pk=pk)
    form = ResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_reset(by=request.user, user=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            next_step = (
                "They will set up a new one when they next log in."
                if second_factor_required(person)
                else "They can set up a new one from their account page if they want one."
            )
            messages.success(
                request,
                f"{person}'s second factor is reset and they have been emailed. {next_step}",
            )
            if user_roles(request.user).is_manager:
                return redirect("accounts:detail", pk=person.pk)
            return redirect("admin:accounts_user_change", person.pk)
    return render(
        request,
        "accounts/second_factor_reset.html",
        {"person": person, "form": form, "has_device": user_has_device(person, confirmed=None)},
    )
