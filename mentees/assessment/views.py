"""The assessment's pages: informed consent (recorded and withdrawn), readiness, needs and
preferences, and safety restrictions. Each writes through mentees/assessment/services.py."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import staff_required
from core.forms import submit
from mentees.assessment import services as assessment
from mentees.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    NeedsForm,
    ReadinessForm,
    RestrictionForm,
)
from mentees.pages import done_then_next, form_page
from mentees.selectors import consent_current, mentee_for_write


@staff_required
def consent_new(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    form = ConsentForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: assessment.consent_record(by=request.user, mentee=mentee, **form.cleaned_data),
        "",
    ):
        done_then_next(request, "Consent recorded.", mentee.pk)
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(
        request,
        form,
        mentee,
        "Record informed consent",
        "Explain mentoring using the information sheet, then tick each point only if the "
        "person confirmed it in their own words.",
    )


@staff_required
def consent_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    consent = consent_current(mentee)
    if consent is None:
        messages.info(request, "There is no current consent to withdraw.")
        return redirect("mentees:detail", pk=mentee.pk)
    form = ConsentWithdrawForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: assessment.consent_withdraw(by=request.user, consent=consent, **form.cleaned_data),
        "Consent withdrawn. No new contact will be made; the open referral has ended.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(
        request,
        form,
        mentee,
        "Record withdrawal of consent",
        "Withdrawal stops all new contact and ends the open referral as withdrawn.",
    )


@staff_required
def readiness_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    form = ReadinessForm(request.POST or None, mentee=mentee)
    if submit(
        request,
        form,
        lambda: assessment.readiness_record(by=request.user, mentee=mentee, **form.cleaned_data),
        "",
    ):
        done_then_next(request, "Readiness recorded.", mentee.pk)
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(request, form, mentee, "Readiness for mentoring")


@staff_required
def needs_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    form = NeedsForm(
        request.POST or None, initial=model_to_dict(mentee, list(NeedsForm.base_fields))
    )
    if submit(
        request,
        form,
        lambda: assessment.needs_record(by=request.user, mentee=mentee, **form.cleaned_data),
        "Needs and preferences saved.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return render(request, "mentees/needs_form.html", {"form": form, "mentee": mentee})


@staff_required
def restriction_new(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    form = RestrictionForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: assessment.restriction_add(by=request.user, mentee=mentee, **form.cleaned_data),
        "Restriction added. A matched mentor sees only the instruction.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return form_page(request, form, mentee, "Add a safety restriction")


@staff_required
@require_POST
def restriction_end(request: AuthedRequest, pk: int, restriction_pk: int) -> HttpResponse:
    mentee = mentee_for_write(request.user, pk)
    restriction = get_object_or_404(mentee.restrictions.filter(ended_on=None), pk=restriction_pk)
    assessment.restriction_end(by=request.user, restriction=restriction)
    messages.success(request, "Restriction ended.")
    return redirect("mentees:detail", pk=mentee.pk)
