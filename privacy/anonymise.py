"""Anonymising one person: what is removed, what is kept, and why.

Removed: names, contact details, date of birth, external references (prison number), where
they live or are held, their preferences in their own words, and every free text written
about them (referral reasons, contact notes, safety notes, meeting notes, private notes, goal
and step wording, reviews' words, exit plans and final reviews, offer notes, concern words and
actions, flag notes, the words of notifications about their record). A required text becomes
``REMOVED``; an optional one becomes empty.

Kept: the pseudonymous ``reference``, the scheme, and every code, date and number a funder
report counts (statuses, exit reasons, sources, situation, release date, needs, meeting
times, modes and outcomes, goal domains, scores, flags' kinds and dates, concerns' timings and
outcomes), so a report over a past period gives the same figures after the run as before.
The mentee is shown everywhere as "Record anonymised" (given name "Record", family name
"anonymised"), and ``anonymised_at`` says when; a person is never anonymised twice.
"""

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse

from concerns.models import Concern, ConcernAction
from core.models import Notification
from flags.models import Flag
from mentees.models import ContactAttempt, Mentee, Referral, ReferralTransition, SafetyRestriction
from relationships.models import (
    Goal,
    MatchOffer,
    Meeting,
    Pause,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)

#: What a required free-text field says once its words are gone.
REMOVED = "Removed when the record was anonymised."
GIVEN_NAME = "Record"
FAMILY_NAME = "anonymised"

#: The person's own fields, and what each becomes.
PERSON: dict[str, object] = {
    "given_name": GIVEN_NAME,
    "family_name": FAMILY_NAME,
    "date_of_birth": None,
    "external_reference": "",
    "phone": "",
    "email": "",
    "establishment": "",
    "expected_release_on": None,
    "next_court_date": None,
    "home_area": "",
    "strengths": "",
    "preferred_mentor_gender": "",
    "preferred_language": "",
    "needs_preferred_language": False,
    "availability": [],
    "interests": [],
}


def _blank(queryset: QuerySet, *fields: str, required: tuple[str, ...] = ()) -> int:
    """Empty each text field that holds words (``REMOVED`` for a required one); returns how
    many rows had words."""
    changed = 0
    for name in fields:
        changed += queryset.exclude(**{name: ""}).update(**{name: ""})
    for name in required:
        changed += (
            queryset.exclude(**{name: ""}).exclude(**{name: REMOVED}).update(**{name: REMOVED})
        )
    return changed


def notification_paths(
    mentee: Mentee, relationship_ids: list[int], concern_ids: list[int], offer_ids: list[int]
) -> list[str]:
    """The pages a notification about this person points to."""
    return [
        reverse("mentees:detail", args=[mentee.pk]),
        *(reverse("relationships:detail", args=[pk]) for pk in relationship_ids),
        *(reverse("concerns:detail", args=[pk]) for pk in concern_ids),
        *(reverse("relationships:offer_detail", args=[pk]) for pk in offer_ids),
    ]


def anonymise_person(mentee: Mentee, *, now: datetime.datetime) -> None:
    """Remove what identifies ``mentee`` from every record about them. The caller has locked
    the row, checked it is not anonymised yet, and writes the audit event."""
    for name, value in PERSON.items():
        setattr(mentee, name, value)
    mentee.anonymised_at = now
    mentee.save(update_fields=[*PERSON, "anonymised_at"])

    referrals = Referral.objects.filter(mentee=mentee)
    _blank(referrals, "referrer_name", "referrer_organisation", required=("reason",))
    _blank(ReferralTransition.objects.filter(referral__mentee=mentee), "note")
    _blank(ContactAttempt.objects.filter(referral__mentee=mentee), "note")
    _blank(
        SafetyRestriction.objects.filter(mentee=mentee),
        "assessment_notes",
        required=("instruction",),
    )

    relationships = Relationship.objects.filter(mentee=mentee)
    _blank(relationships, "exit_plan", "final_review")
    _blank(RelationshipChange.objects.filter(relationship__mentee=mentee), "reason", "note")
    _blank(Pause.objects.filter(relationship__mentee=mentee), "note")
    _blank(Meeting.objects.filter(relationship__mentee=mentee), "note_shared", "note_private")
    _blank(Goal.objects.filter(relationship__mentee=mentee), required=("title",))
    _blank(Step.objects.filter(goal__relationship__mentee=mentee), required=("description",))
    _blank(
        Review.objects.filter(relationship__mentee=mentee),
        "goal_changes",
        required=("ending_plan",),
    )
    offers = MatchOffer.objects.filter(mentee=mentee)
    _blank(offers, "note", "decline_note")

    concerns = Concern.objects.filter(mentee=mentee)
    _blank(concerns, "closing_note", required=("words",))
    # An action of kind "other" must keep a note (a database rule): it says REMOVED instead.
    _blank(ConcernAction.objects.filter(concern__mentee=mentee), required=("note",))
    _blank(
        Flag.objects.filter(Q(relationship__mentee=mentee) | Q(referral__mentee=mentee)),
        "action_note",
        "resolution_note",
    )

    paths = notification_paths(
        mentee,
        list(relationships.values_list("pk", flat=True)),
        list(concerns.values_list("pk", flat=True)),
        list(offers.values_list("pk", flat=True)),
    )
    Notification.objects.filter(url__in=paths).update(
        subject="A notice about a record since anonymised", body=""
    )
