"""Referral to waiting list: the coordinator's daily work before any match exists."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for, query_count
from mentees import services
from mentees.assessment import services as assessment
from mentees.models import Mentee, Referral
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory

TODAY = timezone.localdate
Status = Referral.Status


def referral_post(world, **overrides):
    data = {
        "scheme": world.scheme_a.pk,
        "given_name": "Dee",
        "family_name": "Quillfeather",
        "date_of_birth": "1990-04-01",
        "phone": "07700 900123",
        "situation": "in_custody",
        "establishment": "HMP Northgate",
        "expected_release_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "home_area": "LS6",
        "source": "prison",
        "referrer_name": "Sam Officer",
        "referrer_organisation": "HMP Northgate resettlement team",
        "referred_on": TODAY().isoformat(),
        "reason": "Release in a month, no family contact.",
    }
    data.update(overrides)
    return client_for(world.coordinator_a).post(reverse("mentees:referral_new"), data)


def test_taking_a_referral_records_the_person_and_the_first_step(world):
    response = referral_post(world)
    mentee = Mentee.objects.get(family_name="Quillfeather")
    assert response["Location"] == reverse("mentees:detail", args=[mentee.pk])
    assert re.fullmatch(r"T\d{7}", mentee.reference)
    referral = mentee.referrals.get()
    assert referral.status == Status.REFERRED
    assert [t.to_status for t in referral.transitions.all()] == [Status.REFERRED]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"mentee.created", "referral.created"} <= actions


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"establishment": ""}, "establishment", "Say which prison"),
        (
            {"situation": "community"},
            "expected_release_on",
            "A release date applies only to someone in custody",
        ),
        (
            {"next_court_date": "2027-01-05"},
            "next_court_date",
            "A court date applies only to someone on bail",
        ),
        ({"referred_on": "2099-01-01"}, "referred_on", "cannot be in the future"),
        ({"reason": ""}, "reason", "Enter why they were referred"),
        ({"source": ""}, "source", "Select where the referral came from"),
    ],
)
def test_a_referral_with_bad_input_says_what_to_fix_and_saves_nothing(
    world, overrides, field, message
):
    response = referral_post(world, **overrides)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors.get(field))
    assert not Mentee.objects.filter(family_name="Quillfeather").exists()


def test_a_coordinator_can_only_refer_into_their_own_schemes(world):
    response = referral_post(world, scheme=world.scheme_b.pk)
    assert "Choose one of the options given for “Scheme”" in str(
        response.context["form"].errors["scheme"]
    )


def test_nobody_waits_for_a_match_without_recorded_consent(world):
    """The consent gate: assessing → awaiting match is refused until consent is on record."""
    referral = world.referral_a
    services.referral_move(
        by=world.coordinator_a, referral=referral, to_status=Status.ASSESSING, on=TODAY()
    )
    with pytest.raises(ValidationError, match="Record the person's informed consent"):
        services.referral_move(
            by=world.coordinator_a,
            referral=referral,
            to_status=Status.AWAITING_MATCH,
            on=TODAY(),
        )
    ConsentFactory(mentee=referral.mentee)
    services.referral_move(
        by=world.coordinator_a, referral=referral, to_status=Status.AWAITING_MATCH, on=TODAY()
    )
    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_MATCH


def test_the_consent_gate_shows_on_the_page_in_words(world):
    client = client_for(world.coordinator_a)
    url = reverse("mentees:referral_move", args=[world.referral_a.pk])
    client.post(url, {"to_status": "assessing", "on": TODAY().isoformat()})
    response = client.post(url, {"to_status": "awaiting_match", "on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "informed consent" in response.content.decode()


def test_a_referral_cannot_skip_steps(world):
    with pytest.raises(ValidationError, match="cannot move to"):
        services.referral_move(
            by=world.coordinator_a,
            referral=world.referral_a,
            to_status=Status.AWAITING_MATCH,
            on=TODAY(),
        )


def test_a_referral_that_stops_early_needs_a_coded_reason(world):
    with pytest.raises(ValidationError, match="Say why"):
        services.referral_move(
            by=world.coordinator_a, referral=world.referral_a, to_status=Status.DECLINED, on=TODAY()
        )
    services.referral_move(
        by=world.coordinator_a,
        referral=world.referral_a,
        to_status=Status.DECLINED,
        on=TODAY(),
        exit_reason=Referral.ExitReason.BAD_TIMING,
    )
    step = world.referral_a.transitions.last()
    assert (step.to_status, step.exit_reason, step.by) == (
        Status.DECLINED,
        Referral.ExitReason.BAD_TIMING,
        world.coordinator_a,
    )


def test_a_step_cannot_be_dated_before_the_last_one(world):
    with pytest.raises(ValidationError, match="before the last step"):
        services.referral_move(
            by=world.coordinator_a,
            referral=world.referral_a,
            to_status=Status.ASSESSING,
            on=world.referral_a.referred_on - datetime.timedelta(days=1),
        )


def test_contact_attempts_are_logged_on_the_referral(world):
    response = client_for(world.coordinator_a).post(
        reverse("mentees:contact_attempt_new", args=[world.referral_a.pk]),
        {"attempted_on": TODAY().isoformat(), "channel": "phone", "outcome": "left_message"},
    )
    assert response.status_code == 302
    attempt = world.referral_a.contact_attempts.get()
    assert (attempt.channel, attempt.outcome, attempt.by) == (
        "phone",
        "left_message",
        world.coordinator_a,
    )


def test_a_person_has_one_open_referral_and_can_be_referred_again_later(world):
    with pytest.raises(ValidationError, match="already has an open referral"):
        services.referral_open(
            by=world.coordinator_a,
            mentee=world.mentee_a_unmatched,
            source="self",
            referred_on=TODAY(),
            reason="Again",
        )
    services.referral_move(
        by=world.coordinator_a,
        referral=world.referral_a,
        to_status=Status.LOST_CONTACT,
        on=TODAY(),
        exit_reason=Referral.ExitReason.NO_RESPONSE,
    )
    again = services.referral_open(
        by=world.coordinator_a,
        mentee=world.mentee_a_unmatched,
        source="self",
        referred_on=TODAY(),
        reason="Got back in touch.",
    )
    assert again.status == Status.REFERRED
    assert world.mentee_a_unmatched.referrals.count() == 2


def test_the_waiting_list_puts_the_longest_wait_first(world):
    today = TODAY()
    for days, name in [(5, "Recent"), (40, "Longest"), (12, "Middle")]:
        mentee = MenteeFactory(
            scheme=world.scheme_a,
            family_name=name,
            situation="in_custody",
            establishment="HMP Northgate",
            expected_release_on=today + datetime.timedelta(days=20),
        )
        ReferralFactory(
            mentee=mentee,
            status=Status.AWAITING_MATCH,
            referred_on=today - datetime.timedelta(days=days),
        )
    MenteeFactory(scheme=world.scheme_b, family_name="OtherScheme")
    response = client_for(world.coordinator_a).get(reverse("mentees:waiting"))
    names = [row["referral"].mentee.family_name for row in response.context["rows"]]
    assert names == ["Longest", "Middle", "Recent"]
    assert [row["days_waiting"] for row in response.context["rows"]] == [40, 12, 5]
    assert "in 20 days" in response.content.decode()


def test_the_waiting_list_costs_the_same_queries_for_many_people(world):
    client = client_for(world.coordinator_a)
    url = reverse("mentees:waiting")
    ReferralFactory(mentee=MenteeFactory(scheme=world.scheme_a), status=Status.AWAITING_MATCH)
    before = query_count(client, url)
    for _ in range(8):
        referral = ReferralFactory(
            mentee=MenteeFactory(scheme=world.scheme_a), status=Status.AWAITING_MATCH
        )
        services.contact_attempt_record(
            by=world.coordinator_a,
            referral=referral,
            attempted_on=TODAY(),
            channel="phone",
            outcome="spoke",
        )
    assert query_count(client, url) == before


def test_a_mentor_does_not_see_case_details_they_do_not_need(world):
    world.mentee_a.external_reference = "A1234BC"
    world.mentee_a.save()
    body = (
        client_for(world.mentor_a)
        .get(reverse("mentees:detail", args=[world.mentee_a.pk]))
        .content.decode()
    )
    assert "A1234BC" not in body
    assert world.mentee_a.referrals.get().reason not in body
    assert "Timeline" not in body


def test_managers_read_case_records_but_are_offered_no_changes(world):
    body = (
        client_for(world.manager)
        .get(reverse("mentees:detail", args=[world.mentee_a.pk]))
        .content.decode()
    )
    assert world.restriction_a.assessment_notes in body
    assert reverse("mentees:edit", args=[world.mentee_a.pk]) not in body


def test_the_timeline_shows_every_step_in_order(world):
    referral = world.referral_a
    services.referral_move(
        by=world.coordinator_a, referral=referral, to_status=Status.ASSESSING, on=TODAY()
    )
    assessment.consent_record(
        by=world.coordinator_a,
        mentee=referral.mentee,
        given_on=TODAY(),
        information_sheet_version="v3",
        confirmed_voluntary=True,
        confirmed_recording=True,
    )
    response = client_for(world.coordinator_a).get(
        reverse("mentees:detail", args=[referral.mentee.pk])
    )
    titles = [e.title for e in response.context["timeline"]]
    assert titles[0] == "Referred"
    assert {"Assessing", "Consent given"} <= set(titles)


def test_filters_narrow_the_mentee_list(world):
    ReferralFactory(mentee=MenteeFactory(scheme=world.scheme_a), status=Status.AWAITING_MATCH)
    client = client_for(world.coordinator_a)
    waiting = client.get(reverse("mentees:list"), {"status": "awaiting_match"})
    assert waiting.context["page"].paginator.count == 1
    custody = client.get(reverse("mentees:list"), {"situation": "in_custody"})
    assert custody.context["page"].paginator.count == 0


def test_a_matched_referral_that_stops_closes_its_relationship(world):
    referral = world.mentee_a.referrals.get()
    services.referral_move(
        by=world.coordinator_a,
        referral=referral,
        to_status=Status.LOST_CONTACT,
        on=TODAY(),
        exit_reason=Referral.ExitReason.NO_RESPONSE,
    )
    world.relationship_a.refresh_from_db()
    assert world.relationship_a.status == "closed"


def test_matched_active_and_ended_come_from_the_relationship_not_by_hand(world):
    ConsentFactory(mentee=world.referral_b.mentee)
    for step in (Status.ASSESSING, Status.AWAITING_MATCH):
        services.referral_move(
            by=world.coordinator_b, referral=world.referral_b, to_status=step, on=TODAY()
        )
    with pytest.raises(ValidationError, match="through its relationship"):
        services.referral_move(
            by=world.coordinator_b, referral=world.referral_b, to_status=Status.MATCHED, on=TODAY()
        )


def test_each_way_of_stopping_takes_only_its_own_reasons(world):
    with pytest.raises(ValidationError, match="the reason is one of"):
        services.referral_move(
            by=world.coordinator_a,
            referral=world.referral_a,
            to_status=Status.DECLINED,
            on=TODAY(),
            exit_reason=Referral.ExitReason.COMPLETED,
        )


def test_a_mentor_never_sees_the_date_of_birth(world):
    body = (
        client_for(world.mentor_a)
        .get(reverse("mentees:detail", args=[world.mentee_a.pk]))
        .content.decode()
    )
    assert "Born" not in body


def test_the_status_filter_uses_where_the_person_is_now(world):
    """Someone declined last year and waiting now shows under 'awaiting', not 'declined'."""
    mentee = MenteeFactory(scheme=world.scheme_a)
    ReferralFactory(
        mentee=mentee,
        status=Status.DECLINED,
        exit_reason="bad_timing",
        referred_on=TODAY() - datetime.timedelta(days=400),
    )
    ReferralFactory(mentee=mentee, status=Status.AWAITING_MATCH)
    client = client_for(world.coordinator_a)
    declined = client.get(reverse("mentees:list"), {"status": "declined"})
    assert mentee not in list(declined.context["page"])
    waiting = client.get(reverse("mentees:list"), {"status": "awaiting_match"})
    assert mentee in list(waiting.context["page"])


def test_the_mentee_list_shows_every_referrals_status_ended_ones_too(world):
    """Someone whose referral ended shows "Ended" on the list, not a blank; someone declined
    last year and waiting now shows both, newest first."""
    ended = MenteeFactory(scheme=world.scheme_a, given_name="Ossian")
    ReferralFactory(mentee=ended, status=Status.ENDED)
    again = MenteeFactory(scheme=world.scheme_a, given_name="Perpetua")
    ReferralFactory(
        mentee=again,
        status=Status.DECLINED,
        exit_reason="bad_timing",
        referred_on=TODAY() - datetime.timedelta(days=400),
    )
    ReferralFactory(mentee=again, status=Status.AWAITING_MATCH)
    page = client_for(world.coordinator_a).get(reverse("mentees:list")).content.decode()
    row = {name: page.split(name, 1)[1].split("</a>", 1)[0] for name in ("Ossian", "Perpetua")}
    assert ">Ended</span>" in row["Ossian"]
    assert row["Perpetua"].index(">Awaiting a match<") < row["Perpetua"].index(">Declined<")
