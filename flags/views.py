from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.http import AuthedRequest
from accounts.permissions import can_write_case, case_scheme_ids, role_required
from core.forms import submit
from flags import services
from flags.filters import FlagFilter
from flags.forms import AcknowledgeForm, ResolveForm
from flags.models import Action
from flags.selectors import flag_for_write, flag_visible_to, flags_for_queue
from flags.sweep import HAND_RESOLVED_QUIET_DAYS

staff_only = role_required(lambda r: r.is_coordinator or r.is_manager)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@staff_only
def flag_list(request: AuthedRequest) -> HttpResponse:
    """The flag queue: most severe and oldest first, filtered by scheme, kind and status."""
    filters = FlagFilter(
        request.GET, queryset=flags_for_queue(flag_visible_to(request.user)), request=request
    )
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    coordinated = case_scheme_ids(request.user)
    return render(
        request,
        "flags/flag_list.html",
        {"filters": filters, "page": page, "coordinated": coordinated},
    )


@staff_only
def flag_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One flag: why it was raised, and what to do about it."""
    flag = get_object_or_404(flags_for_queue(flag_visible_to(request.user)), pk=pk)
    services.flag_viewed(flag=flag, by=request.user)
    can_act = can_write_case(request.user, flag.scheme_id)
    return render(
        request,
        "flags/flag_detail.html",
        {
            "flag": flag,
            "can_act": can_act,
            "acknowledge_form": AcknowledgeForm(),
            "resolve_form": ResolveForm(),
        },
    )


def _acknowledged_message(action: str) -> str:
    if action == Action.NOT_USEFUL:
        return (
            "Flag dismissed as not useful. It will not be raised again for "
            f"{HAND_RESOLVED_QUIET_DAYS} days; the rule's page counts it."
        )
    return "Flag acknowledged. It stays on the queue, marked, until the condition clears."


@staff_only
def flag_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    flag = flag_for_write(request.user, pk)
    form = AcknowledgeForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.flag_acknowledge(
            by=request.user,
            flag=flag,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
        ),
        _acknowledged_message(form.data.get("acknowledge-action", "")),
    )
    if done:
        return redirect(_back(request, flag.get_absolute_url()))
    return render(
        request,
        "flags/flag_detail.html",
        {"flag": flag, "can_act": True, "acknowledge_form": form, "resolve_form": ResolveForm()},
    )


@staff_only
def flag_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    flag = flag_for_write(request.user, pk)
    form = ResolveForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.flag_resolve(by=request.user, flag=flag, note=form.cleaned_data["note"]),
        "Flag resolved.",
    )
    if done:
        return redirect(_back(request, flag.get_absolute_url()))
    return render(
        request,
        "flags/flag_detail.html",
        {
            "flag": flag,
            "can_act": True,
            "acknowledge_form": AcknowledgeForm(),
            "resolve_form": form,
        },
    )
