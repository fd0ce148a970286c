"""Anonymising one person: what is removed, what is kept, and why.

Removed: names, contact details, date of birth, external references (prison number), where
they live or are held, their preferences in their own words, and every free text written
about them (referral reasons, contact notes, safety notes, meeting notes, private notes, goal
and step wording, reviews' words, exit plans and final reviews, offer notes, concern words and
actions, flag notes, the words of every notification about them). A required text becomes
``REMOVED``; an optional one becomes empty. Every subject-access export of theirs is expired:
its record and PDF (held in the database, never on disk) are deleted.

Kept: the pseudonymous ``reference``, the scheme, and every code, date and number a funder
report counts (statuses, exit reasons, sources, situation, release date, needs, meeting
times, modes and outcomes, goal domains, scores, flags' kinds and dates, concerns' timings and
outcomes), so a report over a past period gives the same figures after the run as before.
The equality answers (gender, ethnicity, disability) are special-category data, and the
reference beside them can be mapped back to the person by the scheme's own spreadsheets, so
what happens to them depends on why the record is anonymised:

- **Erasure on request** (``privacy.services.person_erase``) clears them (``ANSWERS``): the
  person asked for their record to go, and their answers were only ever given by choice. In
  a past period's "Who the scheme reaches" they then count as "Not asked" (whose definition
  says so); every other figure stays the same.
- **Retention** keeps them, as the codes they are, beside every other code a funder report
  counts (the referral's source, statuses, release date, all as pseudonymous as they are), so
  a report over a past period gives the same breakdown after the run as before; the tables
  are only ever suppressed aggregates, and the name, contact details and date of birth are
  gone.

The day they answered is removed either way (no report counts it). The one figure that
changes at retention is the age band, which comes from the date of birth and is never
stored: once anonymised, a person counts as "date of birth not recorded".
The mentee is shown everywhere as "Record anonymised" (given name "Record", family name
"anonymised"), and ``anonymised_at`` says when; a person is never anonymised twice.
"""

import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse

from concerns.models import Concern, ConcernAction
from core.models import Notification
from flags.models import Flag
from mentees.models import (
    Consent,
    ContactAttempt,
    Mentee,
    Referral,
    ReferralTransition,
    SafetyRestriction,
)
from relationships.models import (
    Goal,
    MatchOffer,
    Meeting,
    Pause,
    PlannedMeeting,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)
from schemes.models import (
    CapacityRequest,
    Funding,
    Mentor,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    ReflectionNote,
    Scheme,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
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
    "equality_answered_on": None,
}

#: The equality answers, cleared when the person asks for erasure (kept at retention).
ANSWERS: dict[str, object] = {"gender": "", "ethnicity": "", "disability": ""}


#: Every other record's free text about the person: the model, its path (or paths) to the
#: person, the optional texts emptied and the required ones set to ``REMOVED``.
TEXTS: list[tuple[type[models.Model], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (Referral, ("mentee",), ("referrer_name", "referrer_organisation"), ("reason",)),
    (ReferralTransition, ("referral__mentee",), ("note",), ()),
    (ContactAttempt, ("referral__mentee",), ("note",), ()),
    (SafetyRestriction, ("mentee",), ("assessment_notes",), ("instruction",)),
    (Relationship, ("mentee",), ("exit_plan", "final_review"), ()),
    (RelationshipChange, ("relationship__mentee",), ("reason", "note"), ()),
    (Pause, ("relationship__mentee",), ("note",), ()),
    (Meeting, ("relationship__mentee",), ("note_shared", "note_private"), ()),
    (PlannedMeeting, ("relationship__mentee",), ("cancel_reason", "move_reason"), ()),
    (Goal, ("relationship__mentee",), (), ("title",)),
    (Step, ("goal__relationship__mentee",), (), ("description",)),
    (Review, ("relationship__mentee",), ("goal_changes",), ("ending_plan",)),
    (MatchOffer, ("mentee",), ("note", "decline_note"), ()),
    (Concern, ("mentee",), ("closing_note",), ("words",)),
    # An action of kind "other" must keep a note (a database rule): it says REMOVED instead.
    (ConcernAction, ("concern__mentee",), (), ("note",)),
    (Flag, ("relationship__mentee", "referral__mentee"), ("action_note", "resolution_note"), ()),
]

#: Texts kept on purpose, with why: they say nothing about who the person is.
KEPT: dict[tuple[type[models.Model], str], str] = {
    (Mentee, "reference"): "the pseudonymous id, what reports and audits name them by",
    (Consent, "information_sheet_version"): "which sheet was explained, e.g. v3",
    (Flag, "evidence"): "the watcher's words: dates and counts, never names",
}


_MENTOR = "about the mentor, a member of the scheme, not about a mentee"
#: The schemes app's texts, kept: they are about the scheme and its mentors. A mentee is not
#: tied to any of these rows, so an erasure could not find one. A supervision's notes and a
#: mentor's status change are the mentor's side; their forms ask for a mentee's reference,
#: never a name (``schemes.mentors.forms.NOT_A_MENTEE``).
ABOUT_OTHERS: dict[tuple[type[models.Model], str], str] = {
    (Scheme, "name"): "the scheme's name",
    (Scheme, "area"): "the geography the scheme serves",
    (Funding, "funder"): "who funds the scheme",
    (Funding, "reference"): "the grant or contract number",
    **{
        (Mentor, name): _MENTOR
        for name in (
            "given_name",
            "family_name",
            "reference",
            "email",
            "phone",
            "home_area",
            "gender_self_description",
            "ethnicity_self_description",
        )
    },
    (MentorStatusChange, "note"): _MENTOR + ": why their status changed",
    (PrisonClearance, "establishment"): _MENTOR + ": where they are cleared to visit",
    (TrainingRecord, "module"): _MENTOR + ": what training they did",
    (Reference, "referee"): _MENTOR + ": who vouched for them",
    (UnavailablePeriod, "reason"): _MENTOR + ": why they are away",
    (SupervisionSession, "notes"): _MENTOR + ": their supervision with a coordinator",
    # Deleted when the mentor leaves (``mentor_transition``); its form asks for a reference.
    (ReflectionNote, "text"): _MENTOR + ": their own reflection for supervision",
    (CapacityRequest, "reason"): _MENTOR + ": why they ask to change their capacity",
}


def _blank(queryset: QuerySet, fields: tuple[str, ...], required: tuple[str, ...]) -> None:
    """Empty each text field that holds words (``REMOVED`` for a required one)."""
    for name in fields:
        queryset.exclude(**{name: ""}).update(**{name: ""})
    for name in required:
        queryset.exclude(**{name: ""}).exclude(**{name: REMOVED}).update(**{name: REMOVED})


def notification_paths(
    mentee: Mentee, relationship_ids: list[int], concern_ids: list[int], offer_ids: list[int]
) -> list[str]:
    """The pages a notification about this person points to."""
    return [
        reverse("mentees:detail", args=[mentee.pk]),
        reverse("relationships:match_suggestions", args=[mentee.pk]),
        *(reverse("relationships:detail", args=[pk]) for pk in relationship_ids),
        *(reverse("concerns:detail", args=[pk]) for pk in concern_ids),
        *(reverse("relationships:offer_detail", args=[pk]) for pk in offer_ids),
    ]


def notifications_about(mentee: Mentee) -> QuerySet[Notification]:
    """Every notification about this person: those that name them (``Notification.mentee``,
    which every notice about one person carries, whatever page it links to) and, for any
    written before that existed and not filled in by its migration, those linking to one of
    their records."""
    paths = notification_paths(
        mentee,
        list(Relationship.objects.filter(mentee=mentee).values_list("pk", flat=True)),
        list(Concern.objects.filter(mentee=mentee).values_list("pk", flat=True)),
        list(MatchOffer.objects.filter(mentee=mentee).values_list("pk", flat=True)),
    )
    return Notification.objects.filter(Q(mentee=mentee) | Q(url__in=paths))


def anonymise_person(
    mentee: Mentee, *, now: datetime.datetime, clear_answers: bool = False
) -> None:
    """Remove what identifies ``mentee`` from every record about them, and their equality
    answers too when ``clear_answers`` (an erasure on request). The caller has locked the
    row, checked it is not anonymised yet, and writes the audit event."""
    person = {**PERSON, **(ANSWERS if clear_answers else {})}
    for name, value in person.items():
        setattr(mentee, name, value)
    mentee.anonymised_at = now
    mentee.save(update_fields=[*person, "anonymised_at"])

    for model, routes, fields, required in TEXTS:
        about = Q()
        for route in routes:
            about |= Q(**{route: mentee})
        _blank(model._default_manager.filter(about), fields, required)

    notifications_about(mentee).update(subject="A notice about a record since anonymised", body="")
