"""What a mentor asks for and keeps on their own file: a change of capacity (a coordinator of
their scheme decides) and a reflection for their next supervision (theirs alone unless they
share it). Their availability, time away and contact details go through
``availability_services``, which let a mentor write those parts of their own file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_write_case
from accounts.selectors import coordinators_of
from audit.services import audit_record
from core.models import Notification
from core.services import notify
from schemes.mentors.availability_services import mentor_availability_set
from schemes.mentors.capacity_transitions import capacity_request_transition
from schemes.models import CapacityRequest, Mentor, ReflectionNote
from schemes.selectors import is_own_mentor_file, refuse_left_mentor

WAITING = "You already have a request waiting for your coordinator"


@transaction.atomic
def capacity_request_make(
    *, mentor: Mentor, by: User, requested: int, reason: str = ""
) -> CapacityRequest:
    """The mentor asks to mentor ``requested`` people at one time. Their coordinators are told
    and decide on the mentor's file; a mentor has one request waiting at a time."""
    if not is_own_mentor_file(by, mentor):
        raise PermissionDenied
    # The mentor's row is locked first: a second request sent at the same time (a double tap,
    # two tabs) waits here, then finds the first and is answered in words, rather than
    # meeting the one-waiting-request constraint as a server error.
    mentor = Mentor.objects.select_for_update().select_related("scheme").get(pk=mentor.pk)
    refuse_left_mentor(mentor)
    if not 1 <= requested <= 20:
        raise ValidationError({"requested": "Ask for between 1 and 20 mentees"})
    if requested == mentor.capacity:
        raise ValidationError(
            {"requested": f"Your capacity is already {mentor.capacity}: choose another number"}
        )
    if mentor.capacity_requests.filter(status=CapacityRequest.Status.REQUESTED).exists():
        raise ValidationError(WAITING)
    capacity_request = CapacityRequest(
        mentor=mentor, requested=requested, reason=" ".join(reason.split())
    )
    capacity_request.full_clean()
    try:
        with transaction.atomic():
            capacity_request.save()
    except IntegrityError:  # only if a request was made without the lock
        raise ValidationError(WAITING) from None
    audit_record(
        actor=by,
        action="mentor.capacity_requested",
        target=mentor,
        scheme=mentor.scheme,
        detail={"request": capacity_request.pk, "capacity": [mentor.capacity, requested]},
    )
    notify(
        recipients=coordinators_of(mentor.scheme),
        audience=Notification.Audience.STAFF,
        subject=f"{mentor.short_name} asks to change their capacity to {requested}",
        body="Approve or decline it on their file.",
        url=reverse("mentors:detail", args=[mentor.pk]),
        scheme_id=mentor.scheme_id,
        mentee_id=None,
    )
    return capacity_request


@transaction.atomic
def capacity_request_decide(
    *, capacity_request: CapacityRequest, by: User, approve: bool
) -> CapacityRequest:
    """A coordinator of the mentor's scheme approves (the capacity changes, with them as its
    author) or declines the request; the mentor is told either way."""
    capacity_request = CapacityRequest.objects.select_for_update().get(pk=capacity_request.pk)
    mentor = capacity_request.mentor
    if not can_write_case(by, mentor.scheme_id) or is_own_mentor_file(by, mentor):
        raise PermissionDenied
    to = CapacityRequest.Status.APPROVED if approve else CapacityRequest.Status.DECLINED
    capacity_request_transition(capacity_request=capacity_request, to=to, by=by, at=timezone.now())
    if approve:
        slots = [(s.weekday, s.part) for s in mentor.slots.all()]
        mentor_availability_set(
            mentor=mentor, by=by, slots=slots, capacity=capacity_request.requested
        )
    if mentor.user is not None:
        outcome = "approved" if approve else "declined"
        notify(
            recipients=[mentor.user],
            audience=Notification.Audience.MENTOR,
            subject=f"Your request for a capacity of {capacity_request.requested} was {outcome}",
            url=reverse("mentors:own_detail", args=[mentor.pk]),
            scheme_id=mentor.scheme_id,
            mentee_id=None,
        )
    return capacity_request


@transaction.atomic
def reflection_note_save(*, mentor: Mentor, by: User, text: str, shared: bool) -> ReflectionNote:
    """Keep the mentor's own reflection for their next supervision. Only the mentor writes it;
    the audit holds whether it is shared, never its words."""
    if not is_own_mentor_file(by, mentor):
        raise PermissionDenied
    refuse_left_mentor(mentor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your reflection"})
    note, _ = ReflectionNote.objects.update_or_create(
        mentor=mentor, defaults={"text": text, "shared": shared}
    )
    audit_record(
        actor=by,
        action="mentor.reflection_saved",
        target=mentor,
        scheme=mentor.scheme,
        detail={"shared": shared},
    )
    return note
