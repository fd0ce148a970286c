"""Consent, readiness and safety restrictions: what a coordinator records while assessing
someone (``mentees.assessment``)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from mentees import services
from mentees.assessment import services as assessment
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory, ReferralFactory

TODAY = timezone.localdate
Status = Referral.Status


def test_consent_needs_both_confirmations(world):
    response = client_for(world.coordinator_a).post(
        reverse("mentees:consent_new", args=[world.mentee_a_unmatched.pk]),
        {"given_on": TODAY().isoformat(), "information_sheet_version": "v3"},
    )
    errors = response.context["form"].errors
    # Each message says which confirmation is missing, so the summary's two lines differ.
    assert errors["confirmed_voluntary"] == [
        "Confirm they know mentoring is voluntary and separate from their sentence"
    ]
    assert errors["confirmed_recording"] == [
        "Confirm they know what their mentor records and who sees it"
    ]
    assert not world.mentee_a_unmatched.consents.exists()


def test_consent_records_who_explained_it_and_the_sheet_version(world):
    client_for(world.coordinator_a).post(
        reverse("mentees:consent_new", args=[world.mentee_a_unmatched.pk]),
        {
            "given_on": TODAY().isoformat(),
            "information_sheet_version": "v3.1",
            "confirmed_voluntary": "on",
            "confirmed_recording": "on",
        },
    )
    consent = world.mentee_a_unmatched.consents.get()
    assert (consent.explained_by, consent.information_sheet_version) == (
        world.coordinator_a,
        "v3.1",
    )


def test_withdrawing_consent_ends_the_referral_and_stops_new_contact(world):
    referral = world.referral_a
    consent = ConsentFactory(mentee=referral.mentee)
    assessment.consent_withdraw(by=world.coordinator_a, consent=consent, withdrawn_on=TODAY())
    referral.refresh_from_db()
    assert (referral.status, referral.exit_reason) == (
        Status.WITHDRAWN,
        Referral.ExitReason.CONSENT_WITHDRAWN,
    )
    reopened = ReferralFactory(mentee=referral.mentee)
    with pytest.raises(ValidationError, match="withdrawn their consent"):
        services.contact_attempt_record(
            by=world.coordinator_a,
            referral=reopened,
            attempted_on=TODAY(),
            channel="phone",
            outcome="no_answer",
        )


def test_withdrawing_consent_closes_the_match_and_the_mentor_loses_sight(world):
    """Withdrawal stops all contact: the mentor can no longer open the person's record."""
    url = reverse("mentees:detail", args=[world.mentee_a.pk])
    assert client_for(world.mentor_a).get(url).status_code == 200
    consent = world.mentee_a.consents.get()
    assessment.consent_withdraw(by=world.coordinator_a, consent=consent, withdrawn_on=TODAY())
    world.relationship_a.refresh_from_db()
    assert world.relationship_a.status == "closed"
    assert client_for(world.mentor_a).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        action="relationship.closed", detail__reason="consent_withdrawn"
    ).exists()


def test_readiness_cannot_be_assessed_in_the_future(world):
    """A readiness assessment dated after today is refused, naming the date that is wrong."""
    response = client_for(world.coordinator_a).post(
        reverse("mentees:readiness", args=[world.mentee_a.pk]),
        {
            "assessed_on": "2099-01-01",
            "knows_what_mentoring_is": "yes",
            "sees_it_as_worthwhile_now": "yes",
            "life_stable_enough": "yes",
            "recognises_lack_of_support": "yes",
        },
    )
    assert "Date assessed must be today or in the past" in response.content.decode()


def test_a_matched_mentor_sees_the_instruction_never_the_assessment(world):
    """Restrictions have two audiences: the mentor gets only what applies to them."""
    mentor_page = client_for(world.mentor_a).get(
        reverse("mentees:detail", args=[world.mentee_a.pk])
    )
    body = mentor_page.content.decode()
    assert world.restriction_a.instruction in body
    assert world.restriction_a.assessment_notes not in body
    coordinator_page = (
        client_for(world.coordinator_a)
        .get(reverse("mentees:detail", args=[world.mentee_a.pk]))
        .content.decode()
    )
    assert world.restriction_a.assessment_notes in coordinator_page


def test_ending_a_restriction_twice_is_a_not_found_not_an_error(world):
    client = client_for(world.coordinator_a)
    url = reverse("mentees:restriction_end", args=[world.mentee_a.pk, world.restriction_a.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404
