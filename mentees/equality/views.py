"""Equality monitoring on a person's record: their own answers, only if they choose to give
them. Only the scheme's coordinators, who ask the questions, open this page. A manager sees
the answers counted (and suppressed) in the funder report, and one person's answers only in
that person's subject-access record, which the manager reviews before releasing it (it holds
every field); a mentor never sees them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import staff_required
from core.forms import submit
from mentees.equality import services
from mentees.equality.forms import EqualityForm
from mentees.selectors import mentee_for_write


@staff_required
def equality_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Read and record the answers: 404 outside the user's schemes, 403 for anyone but the
    person's coordinators (``mentee_for_write``), reading included."""
    mentee = mentee_for_write(request.user, pk)
    form = EqualityForm.for_mentee(request.POST or None, mentee)
    if request.method == "GET":
        services.mentee_equality_viewed(mentee=mentee, by=request.user)
    if submit(
        request,
        form,
        lambda: services.mentee_equality_record(
            by=request.user, mentee=mentee, **form.cleaned_data
        ),
        "Equality answers saved.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return render(request, "mentees/equality_form.html", {"form": form, "mentee": mentee})


@staff_required
@require_POST
def equality_clear(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove every answer, as the person asked: one button, no form."""
    mentee = mentee_for_write(request.user, pk)
    try:
        services.mentee_equality_clear(by=request.user, mentee=mentee)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages) + ".")
    else:
        messages.success(request, "Their equality answers have been removed.")
    return redirect("mentees:detail", pk=mentee.pk)
