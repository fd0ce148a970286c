"""The next step on the person's page and the waiting list: the one-click steps go through
the pipeline with its checks, recording consent, readiness or contact names what comes
next, and the waiting list says what is missing for people not yet ready."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for, query_count
from mentees import services
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory

Status = Referral.Status
TODAY = timezone.localdate


def _ready(mentee) -> None:
    mentee.readiness_assessed_on = TODAY()
    mentee.knows_what_mentoring_is = "yes"
    mentee.save()


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_start_assessment_is_one_click_that_moves_and_audits(world):
    """The "Start assessment" button moves a referred person to assessing, dated, audited."""
    referral = world.referral_a
    ConsentFactory(mentee=referral.mentee, explained_by=world.coordinator_a)
    client = client_for(world.coordinator_a)
    response = client.post(reverse("mentees:referral_start_assessment", args=[referral.pk]))
    assert response["Location"] == reverse("mentees:detail", args=[referral.mentee_id])
    referral.refresh_from_db()
    assert referral.status == Status.ASSESSING
    assert referral.transitions.last().by == world.coordinator_a
    assert AuditEvent.objects.filter(action="referral.moved", actor=world.coordinator_a).exists()
    assert _said(response) == ["Assessment started. Next: record their readiness."]


def test_adding_to_the_waiting_list_needs_consent(world):
    """Nobody waits for a match without consent: the one-click step refuses, in words."""
    referral = world.referral_a
    _ready(referral.mentee)
    with pytest.raises(ValidationError, match="informed consent"):
        services.referral_add_to_waiting_list(by=world.coordinator_a, referral=referral, on=TODAY())
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED


def test_adding_to_the_waiting_list_needs_readiness(world):
    """ "Ready to match" means readiness was assessed: without it the step says so."""
    referral = world.referral_a
    ConsentFactory(mentee=referral.mentee, explained_by=world.coordinator_a)
    client = client_for(world.coordinator_a)
    response = client.post(reverse("mentees:referral_add_to_waiting_list", args=[referral.pk]))
    assert _said(response) == ["Record their readiness for mentoring before they wait for a match."]
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED


def test_ready_while_referred_reaches_the_waiting_list_through_assessing(world):
    """Consent and readiness recorded while still "referred": one click puts them on the
    waiting list, and the history shows both steps."""
    referral = world.referral_a
    ConsentFactory(mentee=referral.mentee, explained_by=world.coordinator_a)
    _ready(referral.mentee)
    client = client_for(world.coordinator_a)
    response = client.post(reverse("mentees:referral_add_to_waiting_list", args=[referral.pk]))
    assert _said(response) == ["Added to the waiting list. Next: find them a mentor."]
    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_MATCH
    steps = [(t.from_status, t.to_status) for t in referral.transitions.all()]
    assert steps[-2:] == [
        (Status.REFERRED, Status.ASSESSING),
        (Status.ASSESSING, Status.AWAITING_MATCH),
    ]
    waiting = client.get(reverse("mentees:waiting")).context["rows"]
    assert [row["referral"].pk for row in waiting] == [referral.pk]


def test_adding_twice_says_where_they_already_are(world):
    """A second click (another tab) changes nothing and says why."""
    referral = ReferralFactory(
        mentee=MenteeFactory(scheme=world.scheme_a), status=Status.AWAITING_MATCH
    )
    with pytest.raises(ValidationError, match="awaiting a match"):
        services.referral_add_to_waiting_list(by=world.coordinator_a, referral=referral, on=TODAY())


def test_the_page_offers_the_next_step_not_a_generic_move(world):
    """The person's page leads with the named step; the generic form is only for stopping
    or stepping back."""
    referral = world.referral_a
    ConsentFactory(mentee=referral.mentee, explained_by=world.coordinator_a)
    client = client_for(world.coordinator_a)
    response = client.get(reverse("mentees:detail", args=[referral.mentee_id]))
    assert response.context["next_step"].label == "Start assessment"
    body = response.content.decode()
    start = reverse("mentees:referral_start_assessment", args=[referral.pk])
    assert f'<form method="post" action="{start}">' in body
    assert "Move referral" not in body
    assert "Stop or step back" in body


def test_managers_are_offered_no_next_step(world):
    """A manager reads the record but is offered no change, the next step included."""
    response = client_for(world.manager).get(
        reverse("mentees:detail", args=[world.referral_a.mentee_id])
    )
    assert reverse("mentees:contact_attempt_new", args=[world.referral_a.pk]) not in (
        response.content.decode()
    )


def test_recording_contact_consent_and_readiness_names_what_comes_next(world):
    """Each record's message names the next step, and lands on the page whose main button
    is that step."""
    referral = world.referral_a
    mentee = referral.mentee
    client = client_for(world.coordinator_a)
    detail = reverse("mentees:detail", args=[mentee.pk])

    def post(url: str, data: dict[str, str]) -> tuple[list[str], str]:
        response = client.post(url, data, follow=True)
        assert response.redirect_chain == [(detail, 302)]
        said = [str(m) for m in response.context["messages"]]
        return said, response.context["next_step"].label

    today = TODAY().isoformat()
    assert post(
        reverse("mentees:contact_attempt_new", args=[referral.pk]),
        {"attempted_on": today, "channel": "phone", "outcome": "spoke"},
    ) == (["Contact attempt logged. Next: record their consent."], "Record consent")
    assert post(
        reverse("mentees:consent_new", args=[mentee.pk]),
        {
            "given_on": today,
            "information_sheet_version": "v3",
            "confirmed_voluntary": "on",
            "confirmed_recording": "on",
        },
    ) == (["Consent recorded. Next: start the assessment."], "Start assessment")
    assert post(reverse("mentees:referral_start_assessment", args=[referral.pk]), {}) == (
        ["Assessment started. Next: record their readiness."],
        "Record readiness",
    )
    questions = [
        "knows_what_mentoring_is",
        "sees_it_as_worthwhile_now",
        "life_stable_enough",
        "recognises_lack_of_support",
    ]
    assert post(
        reverse("mentees:readiness", args=[mentee.pk]),
        {"assessed_on": today, **dict.fromkeys(questions, "yes")},
    ) == (
        ["Readiness recorded. Next: add them to the waiting list."],
        "Ready to match: add to the waiting list",
    )


def test_the_waiting_list_says_what_is_missing_for_those_not_ready(world):
    """People referred or being assessed are listed apart from those ready to match, each
    with what is still missing, in words; other schemes' people are not."""
    today = TODAY()
    fresh = ReferralFactory(
        mentee=MenteeFactory(scheme=world.scheme_a, family_name="Fresh"),
        referred_on=today - datetime.timedelta(days=3),
    )
    consented = ReferralFactory(
        mentee=MenteeFactory(scheme=world.scheme_a, family_name="Consented"),
        status=Status.ASSESSING,
        referred_on=today - datetime.timedelta(days=30),
    )
    ConsentFactory(mentee=consented.mentee, explained_by=world.coordinator_a)
    services.contact_attempt_record(
        by=world.coordinator_a,
        referral=fresh,
        attempted_on=today,
        channel="phone",
        outcome="no_answer",
    )
    ReferralFactory(mentee=MenteeFactory(scheme=world.scheme_b, family_name="Elsewhere"))
    response = client_for(world.coordinator_a).get(reverse("mentees:waiting"))
    rows = {r["referral"].mentee.family_name: r for r in response.context["not_ready_rows"]}
    assert "Elsewhere" not in rows
    assert list(rows)[:1] == ["Consented"]  # referred longest ago first
    assert rows["Consented"]["missing"] == ["readiness not assessed"]
    assert rows["Consented"]["next_step"].label == "Record readiness"
    assert rows["Fresh"]["missing"] == [
        "not reached yet (1 contact attempt)",
        "consent not recorded",
        "readiness not assessed",
    ]
    body = response.content.decode()
    assert "Still missing: readiness not assessed" in body
    assert response.context["rows"] == []  # nobody is ready to match


def test_the_not_ready_list_costs_the_same_queries_for_many_people(world):
    """The not-ready section is a fixed number of queries, however many people it lists."""
    client = client_for(world.coordinator_a)
    url = reverse("mentees:waiting")
    before = query_count(client, url)
    for i in range(8):
        referral = ReferralFactory(
            mentee=MenteeFactory(scheme=world.scheme_a),
            status=Status.ASSESSING if i % 2 else Status.REFERRED,
        )
        ConsentFactory(mentee=referral.mentee, explained_by=world.coordinator_a)
        services.contact_attempt_record(
            by=world.coordinator_a,
            referral=referral,
            attempted_on=TODAY(),
            channel="phone",
            outcome="spoke",
        )
    assert query_count(client, url) == before
