"""A person's whole record for a subject-access request: every field of every record about
them, in sections, as plain data (the JSON file is this; the review page and the PDF render
it).

Each section is a list of items; each item a title and its fields as ``[label, value]`` pairs,
every value already text, so the record reads the same on screen, in the PDF and in the JSON.
One person's record is small (tens to a few hundred rows), so it is built in the request.
Mentors' private notes are not copied: only their mentor ever reads them and they are deleted
after the relationship closes; the record says where a meeting has them. What is about other
people is left out: a mentor's note on declining an offer, and who each notification went to
and its body. Sections that may still hold others' information (``THIRD_PARTY``) are marked
on the review page for the manager to check before release; the files say nothing of it.
"""

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from concerns.models import Concern, ConcernAction
from flags.models import Flag
from mentees.models import (
    Consent,
    ContactAttempt,
    Mentee,
    Referral,
    ReferralTransition,
    SafetyRestriction,
)
from privacy.access_log import access_log
from privacy.anonymise import notifications_about
from relationships.models import (
    Goal,
    GoalScore,
    MatchOffer,
    Meeting,
    Pause,
    PlannedMeeting,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)

FORMAT = "tandem.subject_access/1"
PRIVATE_NOTES_HELD = "Yes: kept by the mentor only, not included here"

#: Left out because they are about other people: a mentor's reasons for declining an offer,
#: and a notification's reader and its body (which names the colleague who acted).
OFFER_SKIP = ("mentee", "decline_note")
NOTIFICATION_SKIP = ("recipient", "body", "mentee", "audience", "read_at")

#: Sections whose words may be about other people (victims, family, staff): the review page
#: warns the manager to check and redact them before release.
THIRD_PARTY = frozenset(
    {
        "referrals",
        "referral_steps",
        "contact_attempts",
        "restrictions",
        "relationships",
        "relationship_changes",
        "pauses",
        "meetings",
        "planned_meetings",
        "reviews",
        "offers",
        "concerns",
        "concern_actions",
        "flags",
    }
)

Fields = list[list[str]]
Item = dict[str, Any]


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %b %Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, decimal.Decimal | int | float):
        return str(value)
    return str(value)


def fields_of(obj: models.Model, *, skip: Iterable[str] = ()) -> Fields:
    """Every concrete field of ``obj`` as [label, text], choices as their labels and links to
    other records by name (a person by their full name)."""
    skipped = {"client_id", *skip}
    pairs = []
    for field in obj._meta.concrete_fields:
        if field.name in skipped:
            continue
        label = str(field.verbose_name)
        label = label[:1].upper() + label[1:]
        if field.is_relation:
            value: object = getattr(obj, field.name)
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.attname)
        if field.name == "note_private":
            value = PRIVATE_NOTES_HELD if value else ""
        pairs.append([label, _text(value)])
    return pairs


def _item(title: str, obj: models.Model, *, skip: Iterable[str] = ()) -> Item:
    return {"title": title, "fields": fields_of(obj, skip=skip)}


def _section(key: str, title: str, items: list[Item]) -> dict[str, Any]:
    return {"key": key, "title": title, "items": items}


def _meeting_item(meeting: Meeting) -> Item:
    item = _item(f"Meeting on {_text(meeting.held_at)}", meeting, skip=("relationship",))
    goals = ", ".join(goal.title for goal in meeting.goals.all())
    item["fields"].append(["Goals worked on", goals])
    return item


def subject_access_record(mentee: Mentee, *, now: datetime.datetime) -> dict[str, Any]:
    """The whole record of ``mentee``, as plain data, in sections."""
    referrals = list(Referral.objects.filter(mentee=mentee).order_by("referred_on", "pk"))
    referral_ids = [r.pk for r in referrals]
    relationships = list(
        Relationship.objects.filter(mentee=mentee)
        .select_related("mentor", "matched_by")
        .order_by("matched_on", "pk")
    )
    relationship_ids = [r.pk for r in relationships]
    on_rel = {"relationship_id__in": relationship_ids}
    goals = list(Goal.objects.filter(**on_rel).select_related("created_by"))
    concerns = list(
        Concern.objects.filter(mentee=mentee).select_related(
            "raised_by", "acknowledged_by", "closed_by"
        )
    )
    offers = list(MatchOffer.objects.filter(mentee=mentee).select_related("mentor", "offered_by"))
    flags = Flag.objects.filter(
        Q(relationship_id__in=relationship_ids) | Q(referral_id__in=referral_ids)
    ).order_by("raised_at", "pk")
    notifications = notifications_about(mentee).order_by("created_at", "pk")
    by_rel = " (match {})".format
    sections = [
        _section("person", "Their details", [_item("The person", mentee)]),
        _section(
            "referrals",
            "Referrals",
            [_item(f"Referral of {_text(r.referred_on)}", r, skip=("mentee",)) for r in referrals],
        ),
        _section(
            "referral_steps",
            "Each step of their referrals",
            [
                _item(f"Step on {_text(t.on)}", t)
                for t in ReferralTransition.objects.filter(referral__mentee=mentee)
            ],
        ),
        _section(
            "contact_attempts",
            "Attempts to reach them",
            [_item(str(a), a) for a in ContactAttempt.objects.filter(referral__mentee=mentee)],
        ),
        _section(
            "consent",
            "Consent",
            [
                _item(
                    f"Consent given {_text(c.given_on)}"
                    if c.given_on
                    else "Consent recorded before Tandem (date not recorded)",
                    c,
                    skip=("mentee",),
                )
                for c in Consent.objects.filter(mentee=mentee)
            ],
        ),
        _section(
            "restrictions",
            "Safety restrictions",
            [
                _item(r.get_kind_display(), r, skip=("mentee",))
                for r in SafetyRestriction.objects.filter(mentee=mentee)
            ],
        ),
        _section(
            "relationships",
            "Matches with a mentor",
            [_item(f"Match with {r.mentor}", r, skip=("mentee",)) for r in relationships],
        ),
        _section(
            "relationship_changes",
            "Each step of their matches",
            [
                _item(f"{c}{by_rel(c.relationship_id)}", c)
                for c in RelationshipChange.objects.filter(**on_rel).select_related("by")
            ],
        ),
        _section(
            "pauses",
            "Pauses",
            [_item(str(p), p) for p in Pause.objects.filter(**on_rel)],
        ),
        _section(
            "meetings",
            "Meetings",
            [
                _meeting_item(m)
                for m in Meeting.objects.filter(**on_rel)
                .select_related("logged_by")
                .prefetch_related("goals")
                .order_by("held_at", "pk")
            ],
        ),
        _section(
            "planned_meetings",
            "Planned meetings",
            [
                _item(f"Meeting planned for {_text(p.starts_at)}", p, skip=("relationship",))
                for p in PlannedMeeting.objects.filter(**on_rel)
                .select_related("planned_by", "answered_by", "meeting")
                .order_by("starts_at", "pk")
            ],
        ),
        _section("goals", "Goals", [_item(f"Goal: {g.title}", g) for g in goals]),
        _section(
            "steps",
            "Steps towards their goals",
            [_item(f"Step: {s.description}", s) for s in Step.objects.filter(goal__in=goals)],
        ),
        _section(
            "reviews",
            "Reviews",
            [
                _item(f"Review on {_text(r.held_on)}", r)
                for r in Review.objects.filter(**on_rel).select_related("recorded_by")
            ],
        ),
        _section(
            "goal_scores",
            "Scores at reviews",
            [
                _item(f"{s.goal.title}: {s.score}", s)
                for s in GoalScore.objects.filter(goal__in=goals).select_related("goal", "review")
            ],
        ),
        _section(
            "offers",
            "Offers of a match",
            [_item(f"Offer to {o.mentor}", o, skip=OFFER_SKIP) for o in offers],
        ),
        _section(
            "concerns",
            "Concerns about them",
            [_item(f"Concern {c.reference}", c, skip=("mentee",)) for c in concerns],
        ),
        _section(
            "concern_actions",
            "What was done about each concern",
            [
                _item(f"{a} (concern C-{a.concern_id})", a)
                for a in ConcernAction.objects.filter(concern__in=concerns).select_related("by")
            ],
        ),
        _section(
            "flags",
            "Flags the watcher raised",
            [_item(f"{f.get_kind_display()}", f, skip=("figures",)) for f in flags],
        ),
        _section(
            "notifications",
            "Notifications about their record",
            [_item(n.subject, n, skip=NOTIFICATION_SKIP) for n in notifications],
        ),
        _section(
            "access_log",
            "Who opened or changed the record, and when",
            access_log(mentee),
        ),
    ]
    return {
        "format": FORMAT,
        "reference": mentee.reference,
        "scheme": mentee.scheme.name,
        "generated_at": now.isoformat(),
        "generated": _text(now),
        "sections": sections,
    }
