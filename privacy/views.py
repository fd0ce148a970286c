"""Erasure on request and subject access: managers' pages, each on a person reached through
``mentee_for_privacy`` (404 outside the user's sight, 403 for anyone but a manager)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import manager_required
from core.forms import submit
from privacy import services
from privacy.forms import ErasureForm
from privacy.record import THIRD_PARTY
from privacy.render import record_json
from privacy.selectors import (
    erasable_problem,
    mentee_for_privacy,
    subject_access_for,
    subject_access_visible_to,
)

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


@login_required
def person_erase(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, then anonymise the person's record now."""
    mentee = mentee_for_privacy(request.user, pk)
    problem = erasable_problem(mentee)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if not problem and submit(
        request,
        form,
        lambda: services.person_erase(by=request.user, mentee=mentee, **form.cleaned_data),
        f"Record {mentee.reference} was erased: it now shows as “Record anonymised”.",
    ):
        return redirect("mentees:detail", pk=mentee.pk)
    return render(
        request, "privacy/erase.html", {"mentee": mentee, "form": form, "problem": problem}
    )


@login_required
def subject_access(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's subject-access exports, and the button that drafts a new one."""
    mentee = mentee_for_privacy(request.user, pk)
    return render(
        request,
        "privacy/access.html",
        {
            "mentee": mentee,
            "exports": subject_access_for(mentee),
            "hours": settings.REPORT_FILE_HOURS,
        },
    )


@login_required
@require_POST
def subject_access_generate(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = mentee_for_privacy(request.user, pk)
    try:
        export = services.subject_access_generate(by=request.user, mentee=mentee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("privacy:access", pk=mentee.pk)
    messages.success(request, "Draft made. Read it through, then release it.")
    return redirect("privacy:access_review", pk=export.pk)


@manager_required
def subject_access_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """The draft (or released) record on screen, with the release button or the files."""
    export = get_object_or_404(subject_access_visible_to(request.user), pk=pk)
    if export.record is not None:
        services.subject_access_reviewed(by=request.user, export=export)
    return render(
        request,
        "privacy/review.html",
        {
            "export": export,
            "mentee": export.mentee,
            "record": export.record,
            "third_party": THIRD_PARTY,
        },
    )


@manager_required
@require_POST
def subject_access_release(request: AuthedRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(subject_access_visible_to(request.user), pk=pk)
    try:
        services.subject_access_release(
            by=request.user, export=export, withhold=request.POST.getlist("withhold")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Released. The files can now be downloaded and sent.")
    return redirect("privacy:access_review", pk=export.pk)


@manager_required
def subject_access_download(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """A released record's file. A draft, an expired one or an unknown format: 404."""
    export = get_object_or_404(subject_access_visible_to(request.user), pk=pk)
    if fmt not in FORMATS or not export.is_downloadable or export.expires_at <= timezone.now():
        raise Http404("This file is not available: it is not released yet, or it expired.")
    services.subject_access_downloaded(by=request.user, export=export, format=fmt)
    assert export.record is not None  # noqa: S101 (is_downloadable says so)
    body = record_json(export.record) if fmt == "json" else bytes(export.pdf or b"")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"subject-access-{export.mentee.reference}-{export.created_at:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
