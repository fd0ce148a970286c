"""Offers of a match: made by a coordinator, accepted or declined by the mentor (or recorded
for them), withdrawn, with the person keeping their place on the waiting list meanwhile."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from core.models import Notification
from home.dashboard import dashboard_for
from mentees.assessment.services import consent_withdraw
from mentees.models import Referral
from relationships.matching import offer_services
from relationships.matching.ranking import ranking_for
from relationships.models import MatchOffer, Relationship
from relationships.tests.factories import RelationshipFactory
from relationships.tests.offer_kit import mentor_without_login, offer
from schemes.mentors.selectors import mentor_matchability, mentors_matchable
from schemes.models import Mentor

pytestmark = pytest.mark.django_db
OS = MatchOffer.Status


def test_an_offer_keeps_the_person_waiting_and_tells_the_mentor_only_a_first_name(world):
    """Making an offer creates no relationship: the referral stays awaiting a match, the
    deadline is the scheme's days from now, and the mentor's notification names only the
    person's first name."""
    world.scheme_a.offer_open_days = 5
    world.scheme_a.save()
    made = offer(world, note="Library,   Tuesday 2pm")
    assert made.status == OS.PENDING
    assert (made.expires_at - made.offered_at).days == 5
    assert made.note == "Library, Tuesday 2pm"
    assert made.referral.status == Referral.Status.AWAITING_MATCH
    assert not Relationship.objects.filter(mentee=made.mentee).exists()
    note = Notification.objects.get(recipient=world.mentor_a)
    assert note.subject == "Will you mentor Robin?"
    assert "Quillfeather" not in note.subject + note.body
    assert note.scheme_id == world.scheme_a.pk
    assert AuditEvent.objects.filter(action="offer.made", actor=world.coordinator_a).exists()


def test_nobody_else_can_be_offered_the_person_while_an_offer_waits(world):
    """A second offer of the same person is refused in words, and the database refuses a
    second pending offer too."""
    made = offer(world)
    other = mentor_without_login(world)
    with pytest.raises(ValidationError, match="already has an offer waiting"):
        offer(world, mentee=made.mentee, mentor=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchOffer.objects.create(
            referral=made.referral,
            mentee=made.mentee,
            mentor=other,
            offered_by=world.coordinator_a,
            offered_at=made.offered_at,
            expires_at=made.expires_at,
            first_meeting="face_to_face",
        )


def test_a_pending_offer_takes_one_of_the_mentors_places(world):
    """mentor_a has capacity 2 and one mentee: an offer pending takes the last place, so
    they can be offered nobody else, in the one-mentor check and in the pool query alike."""
    offer(world)
    mentor = Mentor.objects.get(pk=world.mentor_file_a.pk)
    today = timezone.localdate()
    assert mentor_matchability(mentor=mentor, on=today).reasons == (
        "No capacity left: 2 open matches for a capacity of 2.",
    )
    assert not mentors_matchable(Mentor.objects.filter(pk=mentor.pk), on=today).exists()
    with pytest.raises(ValidationError, match="No capacity left"):
        offer(world)


def test_accepting_makes_the_match_with_every_rule_checked_again(world):
    """The mentor's yes makes the relationship with the plan chosen; the referral moves to
    matched; the offer records who answered and links the match; the coordinators are told."""
    made = offer(world, first_meeting="phone_first")
    relationship = offer_services.offer_accept(by=world.mentor_a, offer=made)
    made.refresh_from_db()
    assert (made.status, made.answered_by, made.relationship) == (
        OS.ACCEPTED,
        world.mentor_a,
        relationship,
    )
    assert relationship.status == Relationship.Status.INTRODUCED
    assert relationship.changes.get().reason.startswith("First meeting: a phone or video call")
    assert made.referral.__class__.objects.get(pk=made.referral_id).status == "matched"
    assert Notification.objects.filter(
        recipient=world.coordinator_a, subject__contains="accepted"
    ).exists()
    assert AuditEvent.objects.filter(action="offer.accepted", actor=world.mentor_a).exists()


def test_an_accept_that_no_longer_holds_says_why_and_leaves_the_offer(world):
    """Between the offer and the answer, the mentor's last place went to another match: the
    answer is refused in plain words, nothing is matched, the offer stays for the
    coordinator, and the coordinators are told."""
    made = offer(world)
    RelationshipFactory(mentor=world.mentor_file_a, mentee__scheme=world.scheme_a)
    with pytest.raises(ValidationError) as refused:
        offer_services.offer_accept(by=world.mentor_a, offer=made)
    assert "No capacity left" in refused.value.messages[0]
    assert "stays open" in refused.value.messages[0]
    made.refresh_from_db()
    assert made.status == OS.PENDING
    assert not Relationship.objects.filter(mentee=made.mentee).exists()
    assert Notification.objects.filter(
        recipient=world.coordinator_a, subject__contains="could not be made"
    ).exists()


def test_a_coordinator_records_the_answer_of_a_mentor_without_a_login(world):
    """For a mentor with no account, the coordinator's "accepted" makes the match, and the
    audit says it was on the mentor's behalf."""
    made = offer(world, mentor=mentor_without_login(world))
    relationship = offer_services.offer_accept(by=world.coordinator_a, offer=made, on_behalf=True)
    assert relationship.mentor == made.mentor
    event = AuditEvent.objects.get(action="offer.accepted")
    assert event.detail["on_behalf_of_mentor"] is True


def test_a_decline_needs_a_reason_and_leaves_the_person_in_their_place(world):
    """Declining without a reason, or with "other" and no note, is refused; with a reason
    the person still waits from the same day, the coordinators are told with a link to the
    suggestions, and the mentor is no longer suggested for them."""
    made = offer(world)
    waiting_since = made.referral.status_changed_on
    with pytest.raises(ValidationError):
        offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="")
    with pytest.raises(ValidationError):
        offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="other")
    offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="conflict")
    made.refresh_from_db()
    assert (made.status, made.decline_reason) == (OS.DECLINED, "conflict")
    referral = Referral.objects.get(pk=made.referral_id)
    assert (referral.status, referral.status_changed_on) == ("awaiting_match", waiting_since)
    told = Notification.objects.get(recipient=world.coordinator_a, subject__contains="declined")
    assert told.url == f"/match/{made.mentee_id}/"
    assert told.scheme_id == world.scheme_a.pk
    ranking = ranking_for(made.mentee, on=timezone.localdate())
    assert world.mentor_file_a.pk not in [s.mentor.pk for s in ranking.suggestions]
    [why] = [e.reasons for e in ranking.excluded if e.mentor.pk == world.mentor_file_a.pk]
    assert why[-1].startswith("Declined the offer of Robin on ")


def test_an_answered_offer_cannot_be_answered_again(world):
    """After a decline, an accept or a withdrawal is refused: one answer per offer."""
    made = offer(world)
    offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="personal")
    with pytest.raises(ValidationError, match="already been declined"):
        offer_services.offer_accept(by=world.mentor_a, offer=made)
    with pytest.raises(ValidationError, match="already been declined"):
        offer_services.offer_withdraw(by=world.coordinator_a, offer=made)


def test_withdrawing_frees_the_person_and_tells_the_mentor(world):
    """A withdrawn offer frees the person for another offer, and the mentor is told."""
    made = offer(world)
    offer_services.offer_withdraw(by=world.coordinator_a, offer=made)
    assert MatchOffer.objects.get(pk=made.pk).status == OS.WITHDRAWN
    assert Notification.objects.filter(
        recipient=world.mentor_a, subject__contains="withdrawn"
    ).exists()
    again = offer(world, mentee=made.mentee, mentor=mentor_without_login(world))
    assert again.status == OS.PENDING


def test_an_offer_is_withdrawn_when_the_person_stops_waiting(world):
    """Consent withdrawn while the offer waits: the referral leaves the waiting list, the
    offer is withdrawn and the mentor told, so nobody is asked to take on someone who left."""
    made = offer(world)
    consent = made.mentee.consents.get()
    consent_withdraw(by=world.coordinator_a, consent=consent, withdrawn_on=timezone.localdate())
    assert MatchOffer.objects.get(pk=made.pk).status == OS.WITHDRAWN
    assert Notification.objects.filter(
        recipient=world.mentor_a, subject="The offer to mentor Robin was withdrawn"
    ).exists()


def test_the_dashboard_counts_a_pending_offer_as_a_place_taken(world):
    """The coordinator's capacity figure counts an offer waiting for an answer, as the
    matching does."""
    before = dashboard_for(world.coordinator_a).capacity_used
    offer(world)
    assert dashboard_for(world.coordinator_a).capacity_used == before + 1


def test_an_offer_past_its_deadline_cannot_be_accepted(world):
    """Once the deadline has passed the answer is refused in words (the worker lapses it)."""
    made = offer(world)
    MatchOffer.objects.filter(pk=made.pk).update(
        offered_at=made.offered_at - datetime.timedelta(days=4),
        expires_at=made.expires_at - datetime.timedelta(days=4),
    )
    with pytest.raises(ValidationError, match="The time to answer this offer ended on"):
        offer_services.offer_accept(by=world.mentor_a, offer=made)
    assert not Relationship.objects.filter(mentee=made.mentee).exists()
