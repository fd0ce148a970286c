"""The mentor pool's pages. Staff only: mentors (the role) get 403 on all of them.

Every page finds the file through ``mentor_visible_to`` (404 outside the user's scope), and
every write goes through ``mentor_for_write``: for the scheme's coordinators only
(``can_write_case``: 403 for managers), and never on one's own file.
"""

import datetime

from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from accounts.http import AuthedRequest
from accounts.permissions import can_write_case, role_required, staff_required
from accounts.selectors import user_roles
from core.forms import submit
from relationships.models import Relationship
from relationships.selectors import relationship_visible_to, relationships_for_list
from schemes.mentors import (
    availability_services,
    services,
    supervision_services,
    vetting_services,
)
from schemes.mentors.filters import MentorFilter
from schemes.mentors.form_pages import mentor_form_page
from schemes.mentors.forms import (
    AvailabilityForm,
    ClearanceForm,
    DBSCheckForm,
    MentorCreateForm,
    MentorProfileForm,
    ReferenceForm,
    StatusForm,
    SupervisionForm,
    TrainingForm,
    UnavailableForm,
)
from schemes.mentors.selectors import (
    EXPIRY_WARNING_DAYS,
    mentor_for_detail,
    mentor_matchability,
    mentors_for_list,
    supervision_visible_to,
)
from schemes.mentors.self_selectors import capacity_request_waiting, reflection_shared_on
from schemes.selectors import mentor_for_write, mentor_visible_to, schemes_coordinated_by


def _expiry_dates(today: datetime.date) -> dict[str, datetime.date]:
    """For the templates: vetting expiring on or before ``soon`` is flagged."""
    return {"today": today, "soon": today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)}


@staff_required
def mentor_list(request: AuthedRequest) -> HttpResponse:
    mentors = mentors_for_list(mentor_visible_to(request.user))
    filters = MentorFilter(request.GET, queryset=mentors, request=request)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "schemes/mentor_list.html",
        {
            "filters": filters,
            "page": page,
            "can_add": user_roles(request.user).is_coordinator,
            **_expiry_dates(timezone.localdate()),
        },
    )


@role_required(lambda r: r.is_coordinator)
def mentor_new(request: AuthedRequest) -> HttpResponse:
    form = MentorCreateForm(request.POST or None, schemes=schemes_coordinated_by(request.user))
    mentor = submit(
        request,
        form,
        lambda: services.mentor_create(by=request.user, **form.cleaned_data),
        "Mentor added as an applicant.",
    )
    if mentor:
        return redirect("mentors:detail", pk=mentor.pk)
    return render(
        request, "schemes/mentor_form.html", {"form": form, "title": "New mentor", "mentor": None}
    )


@staff_required
def mentor_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_object_or_404(mentor_for_detail(mentor_visible_to(request.user)), pk=pk)
    services.mentor_record_viewed(mentor=mentor, by=request.user)
    today = timezone.localdate()
    open_matches = relationships_for_list(
        relationship_visible_to(request.user)
        .filter(mentor=mentor)
        .exclude(status=Relationship.Status.CLOSED)
    )
    return render(
        request,
        "schemes/mentor_detail.html",
        {
            "mentor": mentor,
            "can_write": can_write_case(request.user, mentor.scheme_id),
            "matchability": mentor_matchability(mentor=mentor, on=today),
            "open_matches": open_matches,
            "supervisions": supervision_visible_to(request.user)
            .filter(mentor=mentor)
            .select_related("by"),
            "capacity_request": capacity_request_waiting(mentor),
            "reflection": reflection_shared_on(mentor, viewer=request.user),
            **_expiry_dates(today),
        },
    )


@staff_required
def mentor_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    initial = model_to_dict(mentor, fields=services.PROFILE_FIELDS)
    blank_names = [name for name in ("given_name", "family_name") if not getattr(mentor, name)]
    form = MentorProfileForm(request.POST or None, initial=initial, names_optional=blank_names)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title=f"Edit {mentor}",
        save=lambda: services.mentor_update(mentor=mentor, by=request.user, **form.cleaned_data),
        done=f"{mentor}'s details saved.",
    )


@staff_required
def mentor_status(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = StatusForm(request.POST or None, mentor=mentor)
    since = date_format(mentor.status_since, "j F Y")
    intro = f"{mentor} is “{mentor.get_status_display()}” since {since}."
    if not mentor.next_statuses:
        intro += " Leaving is final: someone who comes back applies again."
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Change status",
        intro=intro,
        save=lambda: services.mentor_change_status(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done=f"{mentor}'s status changed.",
    )


@staff_required
def mentor_dbs_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = DBSCheckForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Record a DBS check",
        save=lambda: vetting_services.mentor_dbs_check_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="DBS check recorded.",
    )


@staff_required
def mentor_clearance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = ClearanceForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Record a prison clearance",
        save=lambda: vetting_services.mentor_clearance_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Prison clearance recorded.",
    )


@staff_required
def mentor_training_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = TrainingForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Record training",
        save=lambda: vetting_services.mentor_training_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Training recorded.",
    )


@staff_required
def mentor_reference_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = ReferenceForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Record a reference",
        save=lambda: vetting_services.mentor_reference_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Reference recorded.",
    )


@staff_required
def mentor_availability(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    initial = {
        "slots": [f"{s.weekday}-{s.part}" for s in mentor.slots.all()],
        "capacity": mentor.capacity,
    }
    form = AvailabilityForm(request.POST or None, initial=initial)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Availability",
        template="schemes/mentor_availability.html",
        save=lambda: availability_services.mentor_availability_set(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Availability saved.",
    )


@staff_required
def mentor_unavailable_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = UnavailableForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Time away",
        intro="Dates when they can't take on or see mentees, such as a university vacation.",
        save=lambda: availability_services.mentor_unavailable_period_add(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Time away recorded.",
    )


@staff_required
def mentor_supervision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = mentor_for_write(request.user, pk)
    form = SupervisionForm(request.POST or None)
    return mentor_form_page(
        request,
        mentor=mentor,
        form=form,
        title="Log supervision",
        save=lambda: supervision_services.mentor_supervision_log(
            mentor=mentor, by=request.user, **form.cleaned_data
        ),
        done="Supervision logged.",
    )
