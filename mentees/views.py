from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import any_role_required, can_write_case, role_required, staff_required
from core.forms import submit
from mentees import services
from mentees.forms import (
    ContactAttemptForm,
    MenteeFilter,
    NewReferralForm,
    PersonForm,
    ReferralDetailsForm,
    ReferralMoveForm,
    missing_names,
)
from mentees.models import ContactAttempt, Referral
from mentees.next_step import missing_for_match, next_step
from mentees.pages import done_then_next, form_page
from mentees.selectors import (
    can_see_case_details,
    consent_current,
    latest_withdrawn_consent,
    mentee_for_write,
    mentee_timeline,
    mentee_visible_to,
    mentees_for_list,
    referral_facts,
    referral_facts_listed,
    referral_for_write,
    referral_visible_to,
    referrals_not_ready,
    waiting_list,
)
from relationships.selectors import (
    offer_pending_for,
    relationship_visible_to,
    relationships_for_list,
)
from schemes.selectors import scheme_visible_to, schemes_coordinated_by

coordinator_required = role_required(lambda r: r.is_coordinator)


@staff_required
def mentee_list(request: AuthedRequest) -> HttpResponse:
    schemes = scheme_visible_to(request.user)
    mentees = mentees_for_list(mentee_visible_to(request.user))
    filterset = MenteeFilter(request.GET or None, queryset=mentees, schemes=schemes)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    if used := [name for name in filterset.filters if request.GET.get(name, "").strip()]:
        services.mentees_searched(
            by=request.user,
            filters=used,
            scheme=filterset.form.cleaned_data.get("scheme"),  # the form was cleaned for qs
            results=page.paginator.count,
        )
    return render(request, "mentees/mentee_list.html", {"filter": filterset, "page": page})


@any_role_required
def mentee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(mentee_visible_to(request.user).select_related("scheme"), pk=pk)
    services.mentee_record_viewed(mentee=mentee, by=request.user)
    relationships = relationships_for_list(
        relationship_visible_to(request.user).filter(mentee=mentee)
    )
    context = {
        "mentee": mentee,
        "relationships": relationships,
        "restrictions": mentee.restrictions.filter(ended_on=None),
        "full_record": can_see_case_details(request.user, mentee),
    }
    if context["full_record"]:
        referrals = referral_visible_to(request.user).filter(mentee=mentee)
        referral = referrals.filter(status__in=Referral.OPEN_STATUSES).first()
        # An anonymised record is not written again (``mentee_for_write``).
        can_write = can_write_case(request.user, mentee.scheme_id) and not mentee.anonymised_at
        context.update(
            referral=referral,
            past_referrals=referrals.exclude(status__in=Referral.OPEN_STATUSES),
            consent=consent_current(mentee),
            withdrawn_consent=latest_withdrawn_consent(mentee),
            timeline=mentee_timeline(mentee),
            ended_restrictions=mentee.restrictions.exclude(ended_on=None),
            can_write=can_write,
            next_step=next_step(referral_facts(referral)) if referral and can_write else None,
        )
        context["pending_offer"] = offer_pending_for(referral)
    return render(request, "mentees/mentee_detail.html", context)


@coordinator_required
def referral_new(request: AuthedRequest) -> HttpResponse:
    """Take a referral of someone new: the coordinator's first step with a person."""
    form = NewReferralForm(request.POST or None, schemes=schemes_coordinated_by(request.user))
    referral = submit(
        request,
        form,
        lambda: services.referral_create(
            by=request.user,
            scheme=form.cleaned_data["scheme"],
            person=form.person(),
            **form.referral(),
        ),
        "",
    )
    if referral:
        done_then_next(request, "Referral taken.", referral.mentee_id)
        return redirect("mentees:detail", pk=referral.mentee_id)
    return render(request, "mentees/referral_new.html", {"form": form})


@staff_required
def mentee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    form = PersonForm(
        request.POST or None,
        initial=model_to_dict(mentee, list(PersonForm.base_fields)),
        names_optional=missing_names(mentee),
    )
    if request.method == "GET":
        services.mentee_edit_form_viewed(mentee=mentee, by=request.user)
    if submit(
        request,
        form,
        lambda: services.mentee_update(by=request.user, mentee=mentee, **form.cleaned_data),
        "Details saved.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(request, form, mentee, "Edit details")


@staff_required
def referral_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refer someone again, after an earlier referral ended."""
    mentee = mentee_for_write(request.user, pk)
    form = ReferralDetailsForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.referral_open(by=request.user, mentee=mentee, **form.cleaned_data),
        "New referral taken.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(request, form, mentee, "Refer again")


@staff_required
def referral_move(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = referral_for_write(request.user, pk)
    form = ReferralMoveForm(request.POST or None, referral=referral)
    if submit(
        request,
        form,
        lambda: services.referral_move(by=request.user, referral=referral, **form.cleaned_data),
        "Referral updated.",
    ):
        return redirect("mentees:detail", pk=referral.mentee_id)
    return form_page(
        request,
        form,
        referral.mentee,
        "Move the referral",
        f"Now: {referral.get_status_display()} since {referral.status_changed_on:%d %b %Y}.",
    )


@staff_required
@require_POST
def referral_start_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    """The named next step "Start assessment": one click, no form."""
    referral = referral_for_write(request.user, pk)
    try:
        services.referral_start_assessment(
            by=request.user, referral=referral, on=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + ".")
    else:
        done_then_next(request, "Assessment started.", referral.mentee_id)
    return redirect("mentees:detail", pk=referral.mentee_id)


@staff_required
@require_POST
def referral_add_to_waiting_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """The named next step "Ready to match: add to the waiting list": one click, no form."""
    referral = referral_for_write(request.user, pk)
    try:
        services.referral_add_to_waiting_list(
            by=request.user, referral=referral, on=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + ".")
    else:
        done_then_next(request, "Added to the waiting list.", referral.mentee_id)
    return redirect("mentees:detail", pk=referral.mentee_id)


@staff_required
def contact_attempt_new(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = referral_for_write(request.user, pk)
    form = ContactAttemptForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: services.contact_attempt_record(
            by=request.user, referral=referral, **form.cleaned_data
        ),
        "",
    ):
        done_then_next(request, "Contact attempt logged.", referral.mentee_id)
        return redirect("mentees:detail", pk=referral.mentee_id)
    return form_page(request, form, referral.mentee, "Log a contact attempt")


def _last_attempt(referral: Referral) -> ContactAttempt | None:
    # Set by Prefetch(to_attr=...) in waiting_list; the stubs cannot follow it.
    attempts: list[ContactAttempt] = referral.attempts_newest_first  # type: ignore[attr-defined]
    return attempts[0] if attempts else None


@staff_required
def waiting(request: AuthedRequest) -> HttpResponse:
    """Who is waiting for a mentor, longest first: the research found most never met one.
    Below them, who is not ready yet and what is still missing for each."""
    today = timezone.localdate()
    referrals = waiting_list(referral_visible_to(request.user), today=today)
    schemes = scheme_visible_to(request.user)
    asked = request.GET.get("scheme", "")
    scheme_id = int(asked) if asked.isascii() and asked.isdecimal() else None
    not_ready = referrals_not_ready(referral_visible_to(request.user))
    if scheme_id:
        referrals = referrals.filter(mentee__scheme_id=scheme_id)
        not_ready = not_ready.filter(mentee__scheme_id=scheme_id)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    not_ready_page = Paginator(not_ready, 50).get_page(request.GET.get("not_ready_page"))
    not_ready_rows = []
    for r in not_ready_page:
        facts = referral_facts_listed(r)
        not_ready_rows.append(
            {
                "referral": r,
                "days_since_referral": (today - r.referred_on).days,
                "missing": missing_for_match(facts),
                "next_step": next_step(facts),
            }
        )
    rows = [
        {
            "referral": r,
            "days_waiting": (today - r.status_changed_on).days,
            "days_since_referral": (today - r.referred_on).days,
            "days_to_release": (r.mentee.expected_release_on - today).days
            if r.mentee.expected_release_on
            else None,
            "last_attempt": _last_attempt(r),
            # Set by Prefetch(to_attr=...) in waiting_list; the stubs cannot follow it.
            "offer": next(iter(r.offers_pending), None),  # type: ignore[attr-defined]
        }
        for r in page
    ]
    return render(
        request,
        "mentees/waiting_list.html",
        {
            "page": page,
            "rows": rows,
            "not_ready_page": not_ready_page,
            "not_ready_rows": not_ready_rows,
            "schemes": schemes,
            "scheme_id": scheme_id,
        },
    )
