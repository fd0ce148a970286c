"""Who opened or changed a person's record, and when, for their subject-access record: every
audit event whose target is one of their records (the person, their referrals, consent,
contact attempts, safety restrictions, matches, meetings, goals, steps, reviews, pauses,
offers, concerns and what was done about them, flags, and their subject-access exports),
found by those records' ids. Bounded: the newest ``MOST_EVENTS``, and the record says when
older ones were left out."""

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from concerns.models import Concern, ConcernAction
from flags.models import Flag
from mentees.models import Consent, ContactAttempt, Mentee, Referral, SafetyRestriction
from privacy.models import SubjectAccessExport
from relationships.models import (
    Goal,
    MatchOffer,
    Meeting,
    Pause,
    Relationship,
    Review,
    Step,
)

#: The most events one record lists: one person's history is far smaller in practice.
MOST_EVENTS = 2_000

Item = dict[str, Any]


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M")


def record_ids(mentee: Mentee) -> dict[type[models.Model], list[int]]:
    """The ids of every record of this person that the audit may name as a target."""
    rel = Q(relationship__mentee=mentee)
    found: dict[type[models.Model], Any] = {
        Mentee: Mentee.objects.filter(pk=mentee.pk),
        Referral: Referral.objects.filter(mentee=mentee),
        ContactAttempt: ContactAttempt.objects.filter(referral__mentee=mentee),
        Consent: Consent.objects.filter(mentee=mentee),
        SafetyRestriction: SafetyRestriction.objects.filter(mentee=mentee),
        Relationship: Relationship.objects.filter(mentee=mentee),
        Meeting: Meeting.objects.filter(rel),
        Goal: Goal.objects.filter(rel),
        Step: Step.objects.filter(goal__relationship__mentee=mentee),
        Review: Review.objects.filter(rel),
        Pause: Pause.objects.filter(rel),
        MatchOffer: MatchOffer.objects.filter(mentee=mentee),
        Concern: Concern.objects.filter(mentee=mentee),
        ConcernAction: ConcernAction.objects.filter(concern__mentee=mentee),
        Flag: Flag.objects.filter(rel | Q(referral__mentee=mentee)),
        SubjectAccessExport: SubjectAccessExport.objects.filter(mentee=mentee),
    }
    return {model: list(rows.values_list("pk", flat=True)) for model, rows in found.items()}


def access_log(mentee: Mentee) -> list[Item]:
    """The audit's events about the person's records, oldest first (the newest
    ``MOST_EVENTS`` of them)."""
    about = Q(pk__in=[])
    for model, ids in record_ids(mentee).items():
        if ids:
            about |= Q(target_type=model._meta.label_lower, target_id__in=[str(i) for i in ids])
    newest = list(
        AuditEvent.objects.filter(about)
        .select_related("actor")
        .order_by("-created_at", "-pk")[: MOST_EVENTS + 1]
    )
    items: list[Item] = []
    if len(newest) > MOST_EVENTS:
        newest = newest[:MOST_EVENTS]
        items.append(
            {
                "title": "Older events",
                "fields": [["Left out", f"Only the newest {MOST_EVENTS} events are listed"]],
            }
        )
    items.extend(
        {
            "title": f"{_when(event.created_at)}: {event.action}",
            "fields": [
                ["When", _when(event.created_at)],
                ["Who", event.actor.full_name if event.actor else "Tandem itself (the worker)"],
                ["What", event.action],
                ["Record", f"{event.target_type} {event.target_id}"],
            ],
        }
        for event in reversed(newest)
    )
    return items
