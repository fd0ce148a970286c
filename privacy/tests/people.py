"""A person with every kind of record Tandem keeps, ended on a given day: what retention and
subject-access tests work on. Every free text names something the tests look for
(``WORDS``), so a test can say which words must be gone, or present."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from concerns.models import ActionKind, Category, Concern, ConcernAction, Outcome
from core.models import Notification
from flags.models import Flag, Kind, Severity
from mentees.models import (
    ContactAttempt,
    Mentee,
    Referral,
    ReferralTransition,
)
from mentees.services import mentee_record_viewed
from mentees.tests.factories import (
    ConsentFactory,
    MenteeFactory,
    ReferralFactory,
    RestrictionFactory,
)
from relationships.models import (
    GoalScore,
    MatchOffer,
    Meeting,
    Pause,
    PlannedMeeting,
    Relationship,
    RelationshipChange,
)
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    ReviewFactory,
    StepFactory,
)
from schemes.models import Mentor, Scheme

#: Words written about the person, by where they were written.
WORDS = {
    "reason": "Leaving HMP Leeds with nowhere to go",
    "attempt": "Spoke to his sister on 07700 900123",
    "restriction": "Assessment: threats to a former partner",
    "meeting": "Talked about his daughter Ellie's birthday",
    "private": "He seemed low; I worry about his drinking",
    "goal": "Get my own flat in Armley",
    "step": "Ring Leeds Housing Options together",
    "review": "Taper to fortnightly, close at month six",
    "final_review": "He is settled in his flat and working",
    "concern": "He says he is being followed home from work",
    "concern_action": "Called his probation officer Ms Khan",
    "offer": "Meet at the Armley library café",
    "flag": "Supervision booked to talk about the flat",
    "plan": "Court date moved to that morning",
}


@dataclass
class Person:
    mentee: Mentee
    referral: Referral
    relationship: Relationship
    concern: Concern


def person_with_everything(
    *, scheme: Scheme, mentor: Mentor, staff: User, ended_on: datetime.date
) -> Person:
    """Someone referred 200 days before ``ended_on``, matched, met, planned, reviewed,
    worried about and flagged, whose referral and relationship ended on ``ended_on``."""
    start = ended_on - datetime.timedelta(days=200)
    mentee = MenteeFactory(
        scheme=scheme,
        external_reference="A1234BC",
        phone="07700 900456",
        email="sam.person@example.org",
        strengths="Good with his hands; loves football",
        released_on=start + datetime.timedelta(days=5),
        home_area="LS12",
    )
    referral = ReferralFactory(
        mentee=mentee,
        referred_on=start,
        reason=WORDS["reason"],
        status=Referral.Status.ENDED,
        exit_reason=Referral.ExitReason.COMPLETED,
        status_changed_on=ended_on,
    )
    ReferralTransition.objects.create(
        referral=referral, to_status="referred", on=start, by=staff, note=WORDS["reason"]
    )
    ContactAttempt.objects.create(
        referral=referral,
        attempted_on=start,
        channel="phone",
        outcome="spoke",
        note=WORDS["attempt"],
        by=staff,
    )
    ConsentFactory(mentee=mentee, given_on=start, explained_by=staff)
    RestrictionFactory(
        mentee=mentee, recorded_by=staff, recorded_on=start, assessment_notes=WORDS["restriction"]
    )
    relationship = RelationshipFactory(
        mentee=mentee,
        mentor=mentor,
        matched_on=start + datetime.timedelta(days=10),
        status=Relationship.Status.CLOSED,
        closed_on=ended_on,
        closure_type="planned",
        closure_reason="goals_achieved",
        final_review=WORDS["final_review"],
        contact_after="none",
    )
    RelationshipChange.objects.create(
        relationship=relationship, to_status="closed", on=ended_on, note=WORDS["final_review"]
    )
    Pause.objects.create(
        relationship=relationship,
        reason="hospital",
        note=WORDS["meeting"],
        starts_on=start + datetime.timedelta(days=40),
        ends_on=start + datetime.timedelta(days=50),
    )
    held = timezone.make_aware(
        datetime.datetime.combine(start + datetime.timedelta(days=20), datetime.time(10))
    )
    meeting = MeetingFactory(
        relationship=relationship,
        held_at=held,
        note_shared=WORDS["meeting"],
        note_private=WORDS["private"],
        logged_by=mentor.user,
    )
    goal = GoalFactory(
        relationship=relationship, title=WORDS["goal"], agreed_on=held.date(), created_by=staff
    )
    meeting.goals.add(goal)
    PlannedMeeting.objects.create(
        relationship=relationship,
        starts_at=held + datetime.timedelta(days=7),
        mode=Meeting.Mode.FACE_TO_FACE,
        place=PlannedMeeting.Place.COMMUNITY_VENUE,
        planned_by=mentor.user,
        status=PlannedMeeting.Status.CANCELLED_BY_MENTEE,
        answered_at=held + datetime.timedelta(days=6),
        answered_by=mentor.user,
        cancel_reason=WORDS["plan"],
    )
    StepFactory(goal=goal, description=WORDS["step"])
    review = ReviewFactory(
        relationship=relationship,
        held_on=start + datetime.timedelta(days=90),
        ending_plan=WORDS["review"],
        recorded_by=staff,
    )
    GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=6)
    offered = held - datetime.timedelta(days=12)
    MatchOffer.objects.create(
        referral=referral,
        mentee=mentee,
        mentor=mentor,
        offered_by=staff,
        offered_at=offered,
        expires_at=offered + datetime.timedelta(days=3),
        first_meeting="face_to_face",
        note=WORDS["offer"],
        status="accepted",
        answered_at=offered + datetime.timedelta(days=1),
        relationship=relationship,
    )
    raised = held + datetime.timedelta(days=30)
    concern = Concern.objects.create(
        scheme=scheme,
        mentee=mentee,
        relationship=relationship,
        raised_by=staff,
        raised_at=raised,
        category=Category.SAFEGUARDING_MENTEE,
        words=WORDS["concern"],
        due_at=raised + datetime.timedelta(hours=24),
        status=Concern.Status.CLOSED,
        acknowledged_by=staff,
        acknowledged_at=raised + datetime.timedelta(hours=2),
        closed_by=staff,
        closed_at=raised + datetime.timedelta(days=2),
        outcome=Outcome.RESOLVED,
        closing_note=WORDS["concern_action"],
    )
    ConcernAction.objects.create(
        concern=concern,
        kind=ActionKind.OTHER,
        taken_on=raised.date(),
        note=WORDS["concern_action"],
        by=staff,
    )
    Flag.objects.create(
        kind=Kind.SILENCE,
        severity=Severity.MEDIUM,
        scheme=scheme,
        relationship=relationship,
        evidence="No meeting for 21 days",
        raised_at=raised,
        status=Flag.Status.RESOLVED,
        resolved_at=raised + datetime.timedelta(days=3),
        action_note=WORDS["flag"],
        resolution_note=WORDS["flag"],
    )
    Notification.objects.create(
        recipient=staff,
        subject=f"Concern {concern.reference} raised about {mentee.given_name}",
        url=reverse("concerns:detail", args=[concern.pk]),
        scheme=scheme,
        audience=Notification.Audience.STAFF,
    )
    mentee_record_viewed(mentee=mentee, by=staff)
    return Person(mentee=mentee, referral=referral, relationship=relationship, concern=concern)
