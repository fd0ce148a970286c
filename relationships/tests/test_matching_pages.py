"""The matching pages as a coordinator uses them: from the mentee's page or the waiting list
to ranked suggestions whose explanation is exactly what decided, then a match."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import client_for, query_count
from mentees.models import Referral, RestrictionKind, Situation
from mentees.tests.factories import (
    ConsentFactory,
    MenteeFactory,
    ReferralFactory,
    RestrictionFactory,
)
from relationships.models import MatchOffer, Relationship
from relationships.tests.factories import RelationshipFactory
from schemes.models import AvailabilitySlot
from schemes.tests.factories import (
    AvailabilitySlotFactory,
    MentorFactory,
    PrisonClearanceFactory,
    UnavailablePeriodFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def waiting_mentee(scheme, **kw):
    mentee = MenteeFactory(scheme=scheme, given_name="Robin", family_name="Quillfeather", **kw)
    ConsentFactory(mentee=mentee)
    ReferralFactory(
        mentee=mentee, status=Referral.Status.AWAITING_MATCH, status_changed_on=days_ago(3)
    )
    return mentee


def suggestions_url(mentee) -> str:
    return reverse("relationships:match_suggestions", kwargs={"mentee_pk": mentee.pk})


def cards(html: str) -> list[str]:
    """Each suggestion's card, in the order shown."""
    listed = html.split('id="suggestions"', 1)[1].split('id="excluded"', 1)[0]
    return listed.split('class="card mb-3 suggestion"')[1:]


def test_the_page_shows_exactly_the_criteria_that_decided(world):
    """Every card shows each criterion's points and sentence as the ranking computed them;
    the points shown add up to the score shown, and the order is the ranking's."""
    mentee = waiting_mentee(world.scheme_a, home_area="LS6", availability=["1:evening"])
    near = MentorFactory(
        scheme=world.scheme_a, active=True, family_name="Nearby", home_area="LS6", capacity=3
    )
    AvailabilitySlotFactory(mentor=near, weekday=1, part=AvailabilitySlot.Part.EVENING)
    MentorFactory(
        scheme=world.scheme_a, active=True, family_name="Faraway", home_area="M1", capacity=3
    )
    response = client_for(world.coordinator_a).get(suggestions_url(mentee))
    assert response.status_code == 200
    ranking = response.context["ranking"]
    html = response.content.decode()
    shown = cards(html)
    assert len(shown) == len(ranking.suggestions) == 4  # with world's two mentors
    for card, suggestion in zip(shown, ranking.suggestions, strict=True):
        assert f'data-mentor="{suggestion.mentor.pk}"' in card
        assert re.findall(r'data-key="(\w+)"', card) == [
            c.key for c in suggestion.scoring + suggestion.not_scoring
        ]
        badges = [int(p) for p in re.findall(r">\+(\d+)</span>", card)]
        assert badges == [c.points for c in suggestion.scoring]
        assert f">{sum(badges)} point" in card
        for criterion in suggestion.criteria:
            assert escape(criterion.sentence) in card
        if suggestion.ahead_of_next:
            assert escape(suggestion.ahead_of_next) in card
    assert ranking.suggestions[0].mentor == near
    assert (
        "Both live in LS6." in shown[0] and "Both free 1 time a week: Tuesday evening." in shown[0]
    )


def test_excluded_mentors_are_listed_below_with_their_reasons(world):
    mentee = waiting_mentee(world.scheme_a)
    away = MentorFactory(scheme=world.scheme_a, active=True, family_name="Awayford")
    UnavailablePeriodFactory(mentor=away, reason="Exams")
    html = client_for(world.coordinator_a).get(suggestions_url(mentee)).content.decode()
    excluded = html.split('id="excluded"', 1)[1]
    assert "<details" in html.split('id="excluded"', 1)[0][-40:]  # collapsed by default
    assert "Awayford" in excluded and "(Exams)." in excluded
    assert "Awayford" not in html.split('id="excluded"', 1)[0].split('id="suggestions"')[1]


def test_a_mentee_in_custody_is_encouraged_to_meet_before_release(world):
    mentee = waiting_mentee(
        world.scheme_a, situation=Situation.IN_CUSTODY, establishment="HMP Leeds"
    )
    mentor = MentorFactory(scheme=world.scheme_a, active=True, family_name="Clearwater")
    PrisonClearanceFactory(mentor=mentor, establishment="HMP Leeds")
    client = client_for(world.coordinator_a)
    html = client.get(suggestions_url(mentee)).content.decode()
    assert "Only mentors cleared for that prison are suggested" in html
    confirm = reverse(
        "relationships:match_confirm", kwargs={"mentee_pk": mentee.pk, "mentor_pk": mentor.pk}
    )
    page = client.get(confirm)
    assert "a visit in custody is recommended" in page.content.decode()
    first_meeting = page.context["form"]["first_meeting"]
    assert next(c.data["value"] for c in first_meeting) == "custody_visit"
    assert first_meeting.initial is None, "the coordinator chooses; nothing is preselected"


def test_other_restrictions_are_flagged_to_check_by_hand_on_the_page(world):
    mentee = waiting_mentee(world.scheme_a)
    RestrictionFactory(mentee=mentee, kind=RestrictionKind.OTHER, instruction="Not in LS9.")
    html = client_for(world.coordinator_a).get(suggestions_url(mentee)).content.decode()
    assert "Check by hand: safety restriction “Not in LS9.”." in html


def test_the_mentee_page_and_waiting_list_lead_to_the_suggestions(world):
    mentee = waiting_mentee(world.scheme_a)
    client = client_for(world.coordinator_a)
    url = suggestions_url(mentee)
    assert url in client.get(reverse("mentees:detail", args=[mentee.pk])).content.decode()
    assert url in client.get(reverse("mentees:waiting")).content.decode()
    # Someone not waiting has no such button on their page.
    page = client.get(reverse("mentees:detail", args=[world.mentee_a_unmatched.pk]))
    assert suggestions_url(world.mentee_a_unmatched) not in page.content.decode()


def test_a_manager_reads_the_suggestions_but_has_no_match_buttons(world):
    mentee = waiting_mentee(world.scheme_a)
    response = client_for(world.manager).get(suggestions_url(mentee))
    assert response.status_code == 200
    assert response.context["ranking"].suggestions
    assert "Match with" not in response.content.decode()


def test_confirming_a_match_sends_an_offer_and_the_match_exists_once_accepted(world):
    """Confirming makes an offer (the person still waits, no relationship yet) and lands on
    the offer; the relationship exists once the offer is accepted, and the page goes there."""
    mentee = waiting_mentee(world.scheme_a)
    mentor = MentorFactory(scheme=world.scheme_a, active=True, family_name="Confirmby")
    url = reverse(
        "relationships:match_confirm", kwargs={"mentee_pk": mentee.pk, "mentor_pk": mentor.pk}
    )
    client = client_for(world.coordinator_a)
    response = client.post(url, {"first_meeting": "face_to_face"})
    offer = MatchOffer.objects.get(mentee=mentee)
    assert response.status_code == 302
    assert response["Location"] == reverse("relationships:offer_detail", args=[offer.pk])
    assert not Relationship.objects.filter(mentee=mentee).exists()
    assert mentee.referrals.get().status == Referral.Status.AWAITING_MATCH
    # The mentor has no login, so the coordinator records their yes.
    response = client.post(reverse("relationships:offer_accept", args=[offer.pk]))
    relationship = Relationship.objects.get(mentee=mentee)
    assert response["Location"] == reverse("relationships:detail", args=[relationship.pk])
    assert relationship.mentor == mentor


def test_a_stale_page_cannot_match_a_mentor_who_is_no_longer_eligible(world):
    """The coordinator opened the confirm page; meanwhile the mentor's last place went."""
    mentee = waiting_mentee(world.scheme_a)
    mentor = MentorFactory(scheme=world.scheme_a, active=True, family_name="Lastplace", capacity=1)
    url = reverse(
        "relationships:match_confirm", kwargs={"mentee_pk": mentee.pk, "mentor_pk": mentor.pk}
    )
    client = client_for(world.coordinator_a)
    assert "Send the offer" in client.get(url).content.decode()
    RelationshipFactory(mentor=mentor, mentee=MenteeFactory(scheme=world.scheme_a))
    response = client.post(url, {"first_meeting": "face_to_face"})
    assert response.status_code == 200
    assert "No capacity left: 1 open match for a capacity of 1." in response.content.decode()
    assert not Relationship.objects.filter(mentee=mentee).exists()
    assert not MatchOffer.objects.filter(mentee=mentee).exists()


def test_rematching_from_the_mentee_page_goes_on_to_the_suggestions(world):
    client = client_for(world.coordinator_a)
    detail = client.get(reverse("mentees:detail", args=[world.mentee_a.pk])).content.decode()
    unmatch = reverse("relationships:unmatch", args=[world.relationship_a.pk])
    assert f"{unmatch}?reason=rematched" in detail
    response = client.post(unmatch, {"reason": "rematched"})
    assert response["Location"] == suggestions_url(world.mentee_a)
    # The old relationship stays on the mentee's page, closed, with why.
    detail = client.get(reverse("mentees:detail", args=[world.mentee_a.pk])).content.decode()
    assert "Closed" in detail and "(re-matched with another mentor)" in detail
    assert "Find a mentor" in detail


def test_the_needs_form_records_free_times_and_interests(world):
    mentee = world.mentee_a
    response = client_for(world.coordinator_a).post(
        reverse("mentees:needs", args=[mentee.pk]),
        {
            "strengths": "",
            "interests": "football, Cooking, football",
            "availability": ["4:evening", "1:morning"],
            "preferred_language": "Polish",
            "needs_preferred_language": "on",
            "preferred_mentor_gender": "",
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.availability == ["1:morning", "4:evening"]
    assert mentee.interests == ["football", "Cooking"]
    assert mentee.needs_preferred_language is True


def test_the_suggestions_page_costs_the_same_queries_however_many_mentors(world):
    """Vetting, periods, slots and load are prefetched or annotated for the whole pool."""
    mentee = waiting_mentee(world.scheme_a, situation=Situation.IN_CUSTODY, establishment="HMP X")
    RestrictionFactory(mentee=mentee, kind=RestrictionKind.NO_MALE_MENTOR)
    client = client_for(world.coordinator_a)

    def add_mentors(n: int) -> None:
        for i in range(n):
            mentor = MentorFactory(
                scheme=world.scheme_a, active=True, gender_self_description="woman", capacity=3
            )
            PrisonClearanceFactory(mentor=mentor, establishment="HMP X")
            AvailabilitySlotFactory(mentor=mentor)
            UnavailablePeriodFactory(mentor=mentor, starts_on=days_ago(90), ends_on=days_ago(80))
            if i % 2:
                RelationshipFactory(mentor=mentor, mentee=MenteeFactory(scheme=world.scheme_a))

    add_mentors(2)
    few = query_count(client, suggestions_url(mentee))
    add_mentors(8)
    many = query_count(client, suggestions_url(mentee))
    assert many == few
