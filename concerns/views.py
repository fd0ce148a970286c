from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required, role_required
from concerns import services
from concerns.forms import AcknowledgeForm, ActionForm, CloseForm, ConcernFilter, ConcernForm
from concerns.models import Concern
from concerns.selectors import (
    concern_for_write,
    concern_visible_to,
    concerns_for_list,
    concerns_in_order,
)
from core.forms import submit
from mentees.selectors import mentee_for_write

staff_only = role_required(lambda r: r.is_coordinator or r.is_manager)


def _sent(request: AuthedRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (nothing chosen is an answer to check)."""
    return request.POST if request.method == "POST" else None


@staff_only
def concern_list(request: AuthedRequest) -> HttpResponse:
    """Concerns, open ones first by default, filtered by what is shown, scheme and kind."""
    queryset = concerns_in_order(concerns_for_list(concern_visible_to(request.user)))
    filters = ConcernFilter(request.GET, queryset=queryset, request=request)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "concerns/concern_list.html",
        {"filters": filters, "page": page, "now": timezone.now()},
    )


def _page(
    request: AuthedRequest,
    concern: Concern,
    *,
    acknowledge_form: AcknowledgeForm | None = None,
    action_form: ActionForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "concerns/concern_detail.html",
        {
            "concern": concern,
            "actions": concern.actions.select_related("by"),
            "acknowledge_form": acknowledge_form or AcknowledgeForm(),
            "action_form": action_form or ActionForm(),
            "close_form": close_form or CloseForm(),
            "now": timezone.now(),
        },
    )


# A mentor is let through the role gate so that the scope answers 404: a concern's page
# says nothing to anyone outside its scheme's staff, not even that it exists.
@any_role_required
def concern_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One concern: what was raised, by whom, and its life so far; what to do next."""
    concern = concern_for_write(request.user, pk)
    services.concern_viewed(by=request.user, concern=concern)
    return _page(request, concern)


@any_role_required
def concern_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = concern_for_write(request.user, pk)
    form = AcknowledgeForm(_sent(request))
    done = submit(
        request,
        form,
        lambda: services.concern_acknowledge(by=request.user, concern=concern),
        "Concern acknowledged: it is yours to act on. Record what you do below.",
    )
    if done:
        return redirect(concern)
    if request.method == "POST":  # refused: acknowledged or closed meanwhile, say
        return _page(request, concern, acknowledge_form=form)
    return redirect(concern)


@any_role_required
def concern_action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = concern_for_write(request.user, pk)
    form = ActionForm(_sent(request))
    done = submit(
        request,
        form,
        lambda: services.concern_action_add(
            by=request.user,
            concern=concern,
            kind=form.cleaned_data["kind"],
            taken_on=form.cleaned_data["taken_on"],
            note=form.cleaned_data["note"],
        ),
        "Action recorded.",
    )
    if done:
        return redirect(concern)
    return _page(request, concern, action_form=form)


@any_role_required
def concern_close(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = concern_for_write(request.user, pk)
    form = CloseForm(_sent(request))
    done = submit(
        request,
        form,
        lambda: services.concern_close(
            by=request.user,
            concern=concern,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
        "Concern closed.",
    )
    if done:
        return redirect(concern)
    return _page(request, concern, close_form=form)


@any_role_required
def concern_new(request: AuthedRequest, mentee_pk: int) -> HttpResponse:
    """A coordinator records a concern about one of their scheme's mentees, from the person's
    page or their relationship's (``?relationship=`` ties it to that relationship)."""
    mentee = mentee_for_write(request.user, mentee_pk)
    chosen = request.GET.get("relationship", "")
    relationship = (
        mentee.relationships.filter(pk=chosen).select_related("mentor").first()
        if chosen.isdigit()
        else None
    )
    form = ConcernForm(_sent(request))
    concern = submit(
        request,
        form,
        lambda: services.concern_raise(
            by=request.user,
            mentee=mentee,
            relationship=relationship,
            category=form.cleaned_data["category"],
            urgency=form.cleaned_data["urgency"],
            words=form.cleaned_data["words"],
        ),
        "Concern recorded. The scheme's other coordinators have been told.",
    )
    if concern:
        return redirect(concern)
    return render(
        request,
        "concerns/concern_form.html",
        {"form": form, "mentee": mentee, "relationship": relationship},
    )
