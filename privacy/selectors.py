"""Reads for retention and subject access: who is past their scheme's retention period, whose
private notes are due for deletion, and the scoped lookups every privacy page goes through."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.selectors import user_roles
from mentees.models import Mentee, Referral
from mentees.selectors import mentee_visible_to
from privacy.models import SubjectAccessExport
from relationships.models import Meeting, Relationship
from schemes.models import Scheme


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29th in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def people_past_retention(scheme: Scheme, *, today: datetime.date) -> QuerySet[Mentee]:
    """People of ``scheme`` not anonymised yet whose every referral and relationship has
    ended, the last of them more than ``scheme.retention_years`` ago (someone never referred
    counts from when their record was made). Oldest first, so a bounded run takes them in
    order."""
    cutoff = years_before(today, scheme.retention_years)
    open_referral = Referral.objects.filter(
        mentee=OuterRef("pk"), status__in=Referral.OPEN_STATUSES
    )
    open_relationship = Relationship.objects.filter(mentee=OuterRef("pk")).exclude(
        status=Relationship.Status.CLOSED
    )
    last_referral = (
        Referral.objects.filter(mentee=OuterRef("pk"))
        .order_by("-status_changed_on")
        .values("status_changed_on")[:1]
    )
    last_relationship = (
        Relationship.objects.filter(mentee=OuterRef("pk"), closed_on__isnull=False)
        .order_by("-closed_on")
        .values("closed_on")[:1]
    )
    # PostgreSQL's GREATEST ignores NULLs: the later of the two ends, whichever exist.
    ended_on = Coalesce(
        Greatest(
            Subquery(last_referral, output_field=DateField()),
            Subquery(last_relationship, output_field=DateField()),
        ),
        TruncDate("created_at"),
        output_field=DateField(),
    )
    return (
        Mentee.objects.filter(scheme=scheme, anonymised_at__isnull=True)
        .exclude(Exists(open_referral))
        .exclude(Exists(open_relationship))
        .annotate(ended_on=ended_on)
        .filter(ended_on__lt=cutoff)
        .order_by("ended_on", "pk")
    )


def meetings_with_private_notes_due(scheme: Scheme, *, today: datetime.date) -> QuerySet[Meeting]:
    """Meetings of ``scheme`` still holding private notes whose relationship closed
    ``scheme.private_notes_keep_days`` or more days ago (a reopened one is not closed)."""
    due = today - datetime.timedelta(days=scheme.private_notes_keep_days)
    return Meeting.objects.filter(
        relationship__mentee__scheme=scheme,
        relationship__status=Relationship.Status.CLOSED,
        relationship__closed_on__lte=due,
    ).exclude(note_private="")


def mentee_for_privacy(user: User | AnonymousUser, pk: int) -> Mentee:
    """The person ``pk`` for erasure or subject access: 404 unless ``user`` may open their
    record at all, 403 unless ``user`` is a manager (coordinators write the case, managers
    answer for what the organisation holds)."""
    mentee = get_object_or_404(mentee_visible_to(user).select_related("scheme"), pk=pk)
    if not user_roles(user).is_manager:
        raise PermissionDenied
    return mentee


def subject_access_visible_to(user: User | AnonymousUser) -> QuerySet[SubjectAccessExport]:
    """Subject-access exports: managers see them all; nobody else sees any (404)."""
    if not user_roles(user).is_manager:
        return SubjectAccessExport.objects.none()
    return SubjectAccessExport.objects.select_related("mentee", "mentee__scheme")


def subject_access_for(mentee: Mentee) -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.filter(mentee=mentee).select_related(
        "requested_by", "released_by"
    )


def erasable_problem(mentee: Mentee) -> str:
    """Why ``mentee`` cannot be erased now, in the manager's words, or "" if they can."""
    if mentee.anonymised_at is not None:
        return "This record has already been anonymised"
    if Referral.objects.filter(mentee=mentee, status__in=Referral.OPEN_STATUSES).exists():
        return (
            "This person's referral is still open. Ask their coordinator to stop it "
            "(withdrawn, with the reason) first, then erase the record"
        )
    if Relationship.objects.filter(mentee=mentee).filter(~Q(status="closed")).exists():
        return "This person still has an open match. Ask their coordinator to close it first"
    return ""
