"""Making and undoing a match: the service checks the rules again, the referral follows, the
mentor is told (with only a first name), and the history stays."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from core.models import Notification
from mentees.models import Referral, RestrictionKind, Situation
from mentees.services import referral_move
from mentees.tests.factories import (
    ConsentFactory,
    MenteeFactory,
    ReferralFactory,
    RestrictionFactory,
)
from relationships.matching.services import (
    FirstMeeting,
    relationship_match,
    relationship_unmatch,
)
from relationships.models import Relationship, RelationshipChange
from relationships.tests.factories import RelationshipFactory
from schemes.tests.factories import MentorFactory, PrisonClearanceFactory, days_ago

pytestmark = pytest.mark.django_db

CR = Relationship.ClosureReason


def waiting_mentee(scheme, **kw):
    kw.setdefault("given_name", "Robin")
    mentee = MenteeFactory(scheme=scheme, family_name="Quillfeather", **kw)
    ConsentFactory(mentee=mentee)
    ReferralFactory(
        mentee=mentee, status=Referral.Status.AWAITING_MATCH, status_changed_on=days_ago(3)
    )
    return mentee


def mentor_with_login(scheme, family_name="Matchett"):
    user = MembershipFactory(role=Role.MENTOR, scheme=scheme, user__full_name="Pat Matchett").user
    return MentorFactory(
        scheme=scheme, user=user, active=True, given_name="Pat", family_name=family_name
    )


def open_referral(mentee) -> Referral:
    return mentee.referrals.get(status__in=Referral.OPEN_STATUSES)


def test_a_match_is_recorded_with_its_plan_and_the_referral_follows(
    world, django_capture_on_commit_callbacks
):
    scheme = world.scheme_a
    scheme.review_interval_weeks = 4
    scheme.save()
    mentee = waiting_mentee(scheme, situation=Situation.IN_CUSTODY, establishment="HMP Leeds")
    mentor = mentor_with_login(scheme)
    PrisonClearanceFactory(mentor=mentor, establishment="HMP Leeds")
    with django_capture_on_commit_callbacks(execute=True):
        relationship = relationship_match(
            by=world.coordinator_a,
            mentee=mentee,
            mentor=mentor,
            first_meeting=FirstMeeting.CUSTODY_VISIT,
            note="Visit booked for Thursday.",
        )
    today = timezone.localdate()
    assert relationship.status == Relationship.Status.INTRODUCED
    assert relationship.matched_by == world.coordinator_a
    assert relationship.matched_in_custody is True
    assert relationship.next_review_on == today + datetime.timedelta(weeks=4)
    [change] = relationship.changes.all()
    assert change.to_status == Relationship.Status.INTRODUCED
    assert change.reason == (
        "First meeting: a visit in custody, before release (recommended). "
        "Visit booked for Thursday."
    )
    referral = open_referral(mentee)
    assert referral.status == Referral.Status.MATCHED
    assert referral.transitions.last().note == "Matched with Pat Matchett"
    assert AuditEvent.objects.filter(
        action="relationship.created", target_id=str(relationship.pk)
    ).exists()


def test_the_mentor_is_told_in_the_app_and_by_email_with_only_a_first_name(
    world, django_capture_on_commit_callbacks, email_queue
):
    mentee = waiting_mentee(
        world.scheme_a, given_name="Robin", situation=Situation.ON_BAIL, home_area="LS6"
    )
    mentor = mentor_with_login(world.scheme_a)
    with django_capture_on_commit_callbacks(execute=True):
        relationship = relationship_match(
            by=world.coordinator_a,
            mentee=mentee,
            mentor=mentor,
            first_meeting=FirstMeeting.FACE_TO_FACE,
        )
    [notification] = Notification.objects.filter(recipient=mentor.user)
    assert notification.subject == "You have been matched with Robin"
    assert notification.url == f"/relationships/{relationship.pk}/"
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [mentor.user.email]
    assert f"/relationships/{relationship.pk}/" in email.body
    text = email.subject + email.body
    assert "Robin" in text
    for detail in ["Quillfeather", mentee.reference, "bail", "LS6", world.scheme_a.name]:
        assert detail not in text


@pytest.mark.parametrize("what", ["capacity", "dbs", "restriction", "away"])
def test_the_service_checks_the_rules_again(world, what):
    """Eligible when the page was drawn, not when the coordinator pressed the button: the
    match is refused with the reason, and nothing changes."""
    mentee = waiting_mentee(world.scheme_a)
    mentor = mentor_with_login(world.scheme_a)
    if what == "capacity":
        mentor.capacity = 1
        mentor.save()
        RelationshipFactory(mentor=mentor, mentee=MenteeFactory(scheme=world.scheme_a))
        expected = "No capacity left"
    elif what == "dbs":
        mentor.dbs_checks.update(issued_on=days_ago(1200), expires_on=days_ago(1))
        expected = "DBS check expired"
    elif what == "restriction":
        mentor.gender_self_description = "woman"
        mentor.save()
        RestrictionFactory(mentee=mentee, kind=RestrictionKind.NO_FEMALE_MENTOR)
        expected = "Safety restriction: not with a female mentor."
    else:
        mentor.unavailable_periods.create(starts_on=days_ago(1), ends_on=days_ago(-9))
        expected = "Unavailable from"
    with pytest.raises(ValidationError, match=expected):
        relationship_match(
            by=world.coordinator_a,
            mentee=mentee,
            mentor=mentor,
            first_meeting=FirstMeeting.FACE_TO_FACE,
        )
    assert not mentee.relationships.exists()
    assert open_referral(mentee).status == Referral.Status.AWAITING_MATCH


def test_only_a_mentee_waiting_for_a_match_can_be_matched(world):
    """referral_a is only referred: no consent yet, so nobody may be matched with them."""
    with pytest.raises(ValidationError, match="not waiting for a match \\(referred\\)"):
        relationship_match(
            by=world.coordinator_a,
            mentee=world.mentee_a_unmatched,
            mentor=mentor_with_login(world.scheme_a),
            first_meeting=FirstMeeting.FACE_TO_FACE,
        )


def test_the_first_meeting_plan_fits_where_the_mentee_is(world):
    mentee = waiting_mentee(world.scheme_a, situation=Situation.COMMUNITY)
    with pytest.raises(ValidationError) as exc:
        relationship_match(
            by=world.coordinator_a,
            mentee=mentee,
            mentor=mentor_with_login(world.scheme_a),
            first_meeting=FirstMeeting.CUSTODY_VISIT,
        )
    assert "first_meeting" in exc.value.error_dict


def test_unmatching_closes_the_relationship_and_the_person_waits_again(
    world, django_capture_on_commit_callbacks
):
    mentee = waiting_mentee(world.scheme_a)
    mentor = mentor_with_login(world.scheme_a)
    relationship = relationship_match(
        by=world.coordinator_a, mentee=mentee, mentor=mentor, first_meeting="face_to_face"
    )
    with django_capture_on_commit_callbacks(execute=True):
        relationship_unmatch(
            by=world.coordinator_a, relationship=relationship, reason=CR.MENTOR_LEFT
        )
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.CLOSED
    assert relationship.closure_type == Relationship.ClosureType.UNPLANNED
    assert relationship.closure_reason == CR.MENTOR_LEFT
    assert relationship.changes.last().reason == "Un-matched: Mentor left."
    referral = open_referral(mentee)
    assert referral.status == Referral.Status.AWAITING_MATCH
    assert [t.to_status for t in referral.transitions.order_by("id")][-2:] == [
        "matched",
        "awaiting_match",
    ]
    assert AuditEvent.objects.filter(action="relationship.unmatched").count() == 1
    assert Notification.objects.filter(
        recipient=mentor.user, subject="Your match with Robin has ended"
    ).exists()


def test_a_rematch_keeps_the_old_relationship_in_the_history(world):
    mentee = waiting_mentee(world.scheme_a)
    first = relationship_match(
        by=world.coordinator_a,
        mentee=mentee,
        mentor=mentor_with_login(world.scheme_a, "Firstmate"),
        first_meeting="face_to_face",
    )
    relationship_unmatch(by=world.coordinator_a, relationship=first, reason=CR.REMATCHED)
    second = relationship_match(
        by=world.coordinator_a,
        mentee=mentee,
        mentor=MentorFactory(scheme=world.scheme_a, active=True, family_name="Secondmate"),
        first_meeting="phone_first",
    )
    statuses = dict(mentee.relationships.values_list("pk", "status"))
    assert statuses == {first.pk: "closed", second.pk: "introduced"}
    assert open_referral(mentee).status == Referral.Status.MATCHED


def test_an_active_relationship_can_be_unmatched_when_the_mentor_leaves(world):
    """world.mentee_a's relationship is active; the referral moves to active first."""
    referral = open_referral(world.mentee_a)
    referral_move(
        by=world.coordinator_a,
        referral=referral,
        to_status=Referral.Status.ACTIVE,
        on=timezone.localdate(),
        by_relationship=True,
    )
    relationship_unmatch(
        by=world.coordinator_a, relationship=world.relationship_a, reason=CR.MENTOR_LEFT
    )
    assert open_referral(world.mentee_a).status == Referral.Status.AWAITING_MATCH


def test_unmatching_for_another_reason_needs_a_note(world):
    with pytest.raises(ValidationError) as exc:
        relationship_unmatch(
            by=world.coordinator_a, relationship=world.relationship_a, reason=CR.OTHER
        )
    assert "note" in exc.value.error_dict
    with pytest.raises(ValidationError):
        relationship_unmatch(
            by=world.coordinator_a, relationship=world.relationship_a, reason=CR.GOALS_ACHIEVED
        )


def test_a_closed_relationship_cannot_be_unmatched_again(world):
    relationship_unmatch(
        by=world.coordinator_a, relationship=world.relationship_a, reason=CR.REMATCHED
    )
    with pytest.raises(ValidationError, match="already closed"):
        relationship_unmatch(
            by=world.coordinator_a, relationship=world.relationship_a, reason=CR.REMATCHED
        )


def test_moving_a_matched_referral_back_by_hand_closes_the_relationship_the_same_way(world):
    """The referral page's own way back to waiting records the closure like an un-match."""
    referral_move(
        by=world.coordinator_a,
        referral=open_referral(world.mentee_a),
        to_status=Referral.Status.AWAITING_MATCH,
        on=timezone.localdate(),
    )
    relationship = Relationship.objects.get(pk=world.relationship_a.pk)
    assert relationship.status == Relationship.Status.CLOSED
    assert relationship.closure_type == Relationship.ClosureType.UNPLANNED
    assert relationship.closure_reason == CR.REMATCHED
    assert RelationshipChange.objects.filter(
        relationship=relationship, to_status="closed", by=world.coordinator_a
    ).exists()
