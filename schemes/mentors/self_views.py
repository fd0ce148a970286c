"""A mentor's own profile: the pages where they keep their file up to date (weekly free times,
time away, contact details), ask for a change of capacity, see their vetting and supervision
dates, and keep a reflection for their next supervision.

Every page finds the file through ``own_mentor_file``: 404 for anyone else's file, whatever
their role; the pages that change it through ``own_mentor_file_for_write``, which refuses a
mentor who has left the scheme (403, in words). The coordinator's answer to a capacity
request is on the mentor's file (``capacity_decide``, through ``mentor_for_write``)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import staff_required
from schemes.mentors import availability_services, self_services
from schemes.mentors.form_pages import mentor_form_page
from schemes.mentors.self_forms import (
    CapacityDecisionForm,
    CapacityRequestForm,
    ContactForm,
    OwnAvailabilityForm,
    OwnUnavailableForm,
    ReflectionForm,
)
from schemes.mentors.self_selectors import latest_capacity_request, own_dates, reflection_of
from schemes.models import CapacityRequest, Mentor
from schemes.selectors import (
    mentor_for_write,
    own_mentor_file,
    own_mentor_file_for_write,
    own_mentor_files,
)

FORM = "schemes/own/form.html"


@login_required
def own_profile(request: AuthedRequest) -> HttpResponse:
    """The nav's "Your profile": the user's first mentor file (a person mentoring in two
    schemes has a file in each, linked from the page)."""
    first = own_mentor_files(request.user).first()
    if first is None:
        raise Http404
    return redirect("mentors:own_detail", pk=first.pk)


@login_required
def own_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The mentor's profile. A mentor who has left still reads it, with nothing to change."""
    mentor = own_mentor_file(request.user, pk)
    today = timezone.localdate()
    others = own_mentor_files(request.user).exclude(pk=mentor.pk)
    return render(
        request,
        "schemes/own/profile.html",
        {
            "mentor": mentor,
            "others": others,
            "dates": own_dates(mentor, today),
            "slots": list(mentor.slots.all()),
            "periods": list(mentor.unavailable_periods.filter(ends_on__gte=today)),
            "capacity_request": latest_capacity_request(mentor),
            "reflection": reflection_of(mentor),
            "today": today,
            "writable": mentor.status != Mentor.Status.LEFT,
        },
    )


def _own_form(
    request: AuthedRequest,
    *,
    mentor: Mentor,
    form: forms.Form,
    save: Callable[[], object],
    done: str,
    title: str,
    intro: str = "",
    template: str = FORM,
) -> HttpResponse:
    """A page of the mentor's own profile: back to the profile when saved."""
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        save=save,
        done=done,
        title=title,
        intro=intro,
        template=template,
        back="mentors:own_detail",
    )


@login_required
def own_availability(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    initial = {"slots": [f"{s.weekday}-{s.part}" for s in mentor.slots.all()]}
    form = OwnAvailabilityForm(request.POST or None, initial=initial)
    return _own_form(
        request,
        mentor=mentor,
        form=form,
        title="When you are free",
        intro="Tick the parts of the week you are usually free to meet a mentee.",
        template="schemes/own/availability.html",
        save=lambda: availability_services.mentor_availability_set(
            mentor=mentor, by=request.user, slots=form.cleaned_data["slots"]
        ),
        done="Your weekly times are saved.",
    )


@login_required
def own_away_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    form = OwnUnavailableForm(request.POST or None)
    return _own_form(
        request,
        mentor=mentor,
        form=form,
        title="Add time away",
        intro="Dates you can't take on or see mentees, such as exam season or a holiday.",
        save=lambda: availability_services.mentor_unavailable_period_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Your time away is saved.",
    )


@require_POST
@login_required
def own_away_remove(request: AuthedRequest, pk: int, period_pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    period = get_object_or_404(mentor.unavailable_periods.all(), pk=period_pk)
    availability_services.mentor_unavailable_period_remove(period=period, by=request.user)
    messages.success(request, "That time away is removed.")
    return redirect("mentors:own_detail", pk=mentor.pk)


@login_required
def own_capacity(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    form = CapacityRequestForm(request.POST or None, initial={"requested": mentor.capacity})
    return _own_form(
        request,
        mentor=mentor,
        form=form,
        title="Ask to change how many mentees you have",
        intro=f"You can have {mentor.capacity} mentee{'s' * (mentor.capacity != 1)} at one "
        "time. Your coordinator decides on a change; you will see their answer here.",
        save=lambda: self_services.capacity_request_make(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Your request is sent to your coordinator.",
    )


@login_required
def own_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    initial = {"email": mentor.email, "phone": mentor.phone}
    form = ContactForm(request.POST or None, initial=initial)
    return _own_form(
        request,
        mentor=mentor,
        form=form,
        title="Your contact details",
        intro="How your coordinator reaches you. Reminders about your vetting go to this email.",
        save=lambda: availability_services.mentor_contact_update(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Your contact details are saved.",
    )


@login_required
def own_reflection(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = own_mentor_file_for_write(request.user, pk)
    note = reflection_of(mentor)
    initial = {"text": note.text, "shared": note.shared} if note else {}
    form = ReflectionForm(request.POST or None, initial=initial)
    return _own_form(
        request,
        mentor=mentor,
        form=form,
        title="Your reflection for supervision",
        intro="Notes for your next supervision. Only you can read them, unless you share them "
        "with your coordinator. They are deleted if you leave the scheme.",
        save=lambda: self_services.reflection_note_save(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Your reflection is saved.",
    )


@require_POST
@staff_required
def capacity_decide(request: AuthedRequest, pk: int, request_pk: int) -> HttpResponse:
    """A coordinator's one-tap answer to a mentor's capacity request, on the mentor's file. A
    request answered already (a double tap, or another coordinator got there first) is said
    so in words, not a 404 or an error."""
    mentor = mentor_for_write(request.user, pk)
    asked = get_object_or_404(CapacityRequest.objects.filter(mentor=mentor), pk=request_pk)
    form = CapacityDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or decline.")
        return redirect("mentors:detail", pk=mentor.pk)
    approve = form.cleaned_data["decision"] == "approve"
    answered = asked.status != CapacityRequest.Status.REQUESTED
    if not answered:
        try:
            self_services.capacity_request_decide(
                capacity_request=asked, by=request.user, approve=approve
            )
        except ValidationError:  # answered between the page and the service's lock
            asked.refresh_from_db(fields=["status"])
            answered = True
    if answered:
        messages.info(request, f"This request was already {asked.get_status_display().lower()}.")
        return redirect("mentors:detail", pk=mentor.pk)
    if approve:
        done = f"Approved: {mentor.short_name} can now have {asked.requested} at one time."
    else:
        done = f"Declined: {mentor.short_name}'s capacity stays at {mentor.capacity}."
    messages.success(request, done)
    return redirect("mentors:detail", pk=mentor.pk)
