"""Answering twice, and asking again: a double tap on a phone is a success, not an error; a
closed offer says why in its own words; a refused accept tells the coordinators once; and a
mentor who declined someone is offered them again only when a coordinator says so."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditEvent
from conftest import client_for
from core.models import Notification
from relationships.matching import offer_services
from relationships.models import MatchOffer, Relationship
from relationships.tests.factories import RelationshipFactory
from relationships.tests.offer_kit import offer

pytestmark = pytest.mark.django_db
OS = MatchOffer.Status


def _url(name: str, made: MatchOffer) -> str:
    return reverse(f"relationships:{name}", args=[made.pk])


def _form_tag(body: str, action: str) -> str:
    [tag] = re.findall(rf'<form[^>]*action="{re.escape(action)}"[^>]*>', body)
    return tag


def test_a_double_tap_on_accept_lands_on_the_match_both_times(world):
    """The mentor's accept sent twice: both land on the relationship, one match is made,
    and the coordinators are told once."""
    made = offer(world)
    client = client_for(world.mentor_a)
    first = client.post(_url("offer_accept", made))
    second = client.post(_url("offer_accept", made))
    relationship = Relationship.objects.get(mentee=made.mentee)
    where = reverse("relationships:detail", args=[relationship.pk])
    assert (first.status_code, first["Location"]) == (302, where)
    assert (second.status_code, second["Location"]) == (302, where)
    assert (
        Notification.objects.filter(
            recipient=world.coordinator_a, subject__contains="accepted"
        ).count()
        == 1
    )


def test_a_double_tap_on_decline_thanks_the_mentor_both_times(world):
    """The decline sent twice: both go home, where the mentor is thanked and sees no
    error, and the coordinators are told once."""
    made = offer(world)
    client = client_for(world.mentor_a)
    for _ in range(2):
        response = client.post(_url("offer_decline", made), {"decline_reason": "personal"})
        assert response["Location"] == reverse("relationships:my_mentees")
    home = client.get(response["Location"]).content.decode()
    assert "Thank you for letting us know. Your coordinator has been told." in home
    assert "There is a problem" not in home and "already" not in home
    assert (
        Notification.objects.filter(
            recipient=world.coordinator_a, subject__contains="declined"
        ).count()
        == 1
    )


def test_someone_elses_answer_is_not_taken_for_a_double_tap(world):
    """After the coordinator recorded a decline for the mentor, the mentor's accept is still
    refused: only the same person giving the same answer again is a success."""
    made = offer(world)
    offer_services.offer_decline(
        by=world.coordinator_a, offer=made, decline_reason="personal", on_behalf=True
    )
    with pytest.raises(ValidationError, match="already been declined"):
        offer_services.offer_accept(by=world.mentor_a, offer=made)
    with pytest.raises(ValidationError, match="already been declined"):
        offer_services.offer_accept(by=world.coordinator_a, offer=made, on_behalf=True)


def test_the_mentor_accepting_what_a_coordinator_recorded_lands_on_the_match(world):
    """The coordinator recorded the mentor's yes (they said it on the phone); the mentor then
    taps Accept too: they land on the match, and no second match is made."""
    made = offer(world)
    match = offer_services.offer_accept(by=world.coordinator_a, offer=made, on_behalf=True)
    again = offer_services.offer_accept(by=world.mentor_a, offer=made)
    assert again == match
    assert Relationship.objects.filter(mentee=made.mentee).count() == 1


def test_the_answer_forms_are_sent_once(world):
    """The accept form on the offer page and the decline form carry data-submit-once, so a
    double tap sends nothing the second time."""
    made = offer(world)
    client = client_for(world.mentor_a)
    page = client.get(_url("offer_detail", made)).content.decode()
    assert "data-submit-once" in _form_tag(page, _url("offer_accept", made))
    decline = client.get(_url("offer_decline", made)).content.decode()
    assert '<form method="post" novalidate data-submit-once>' in decline


@pytest.mark.parametrize(
    ("close", "words"),
    [
        ("withdraw", "This offer was withdrawn by the coordinator."),
        ("lapse", "The time to answer this offer ended on "),
    ],
)
def test_a_closed_offer_says_how_it_closed(world, close, words):
    """Opening the decline page of a withdrawn or lapsed offer goes back to the offer with
    the status's own words, not "already answered"."""
    made = offer(world)
    if close == "withdraw":
        offer_services.offer_withdraw(by=world.coordinator_a, offer=made)
    else:
        offer_services.offers_lapse_due(now=made.expires_at)
    response = client_for(world.mentor_a).get(_url("offer_decline", made))
    assert response["Location"] == _url("offer_detail", made)
    [said] = [str(m) for m in get_messages(response.wsgi_request)]
    assert said.startswith(words)
    assert "answered" not in said


def test_a_refused_accept_tells_the_coordinators_once_however_often_it_is_tried(world):
    """The mentor's last place went meanwhile: each accept is refused and audited, and the
    coordinators are told the first time only."""
    made = offer(world)
    RelationshipFactory(mentor=world.mentor_file_a, mentee__scheme=world.scheme_a)
    client = client_for(world.mentor_a)
    for _ in range(3):
        refused = client.post(_url("offer_accept", made))
        assert "The match could not be made" in refused.content.decode()
    assert (
        Notification.objects.filter(
            recipient=world.coordinator_a, subject__contains="could not be made"
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="offer.accept_refused").count() == 3
    assert MatchOffer.objects.get(pk=made.pk).status == OS.PENDING


def _declined(world) -> MatchOffer:
    made = offer(world)
    offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="no_capacity")
    made.refresh_from_db()
    return made


def test_a_mentor_who_declined_is_not_offered_the_same_person_again_unasked(world):
    """The service refuses, naming who declined whom and when; asked again on purpose, the
    offer is made and the audit says so."""
    made = _declined(world)
    on = date_format(timezone.localtime(made.answered_at), "j F Y")
    with pytest.raises(ValidationError) as refused:
        offer(world, mentee=made.mentee)
    assert refused.value.messages == [f"{world.mentor_file_a} declined the offer of Robin on {on}"]
    again = offer(world, mentee=made.mentee, ask_again=True)
    assert again.status == OS.PENDING
    event = AuditEvent.objects.get(action="offer.made", target_id=str(again.pk))
    assert event.detail["asked_again"] is True


def test_the_confirm_page_asks_before_offering_a_mentor_who_declined(world):
    """The suggestions link to asking the mentor again; the confirm page shows their answer
    and a box to ask again. Sent without the box ticked, nothing is offered and the page says
    why; ticked, the offer is made."""
    made = _declined(world)
    client = client_for(world.coordinator_a)
    confirm = reverse("relationships:match_confirm", args=[made.mentee_id, made.mentor_id])
    suggestions = client.get(reverse("relationships:match_suggestions", args=[made.mentee_id]))
    assert confirm in suggestions.content.decode()
    page = client.get(confirm).content.decode()
    assert "Declined the offer of Robin on" in page
    mentor = world.mentor_file_a
    assert f"Ask {mentor.given_name} {mentor.family_name} again, knowing they declined" in page
    assert 'name="ask_again"' in page
    refused = client.post(confirm, {"first_meeting": "face_to_face"})
    assert refused.status_code == 200
    assert f"{world.mentor_file_a} declined the offer of Robin on" in refused.content.decode()
    assert MatchOffer.objects.filter(mentee=made.mentee).count() == 1
    sent = client.post(confirm, {"first_meeting": "face_to_face", "ask_again": "on"})
    again = MatchOffer.objects.get(mentee=made.mentee, status=OS.PENDING)
    assert sent["Location"] == _url("offer_detail", again)


def test_the_confirm_page_has_no_ask_again_box_for_a_mentor_never_asked(world):
    """Offering a mentor who never declined this person shows no such box."""
    made = offer(world)
    offer_services.offer_withdraw(by=world.coordinator_a, offer=made)
    confirm = reverse("relationships:match_confirm", args=[made.mentee_id, made.mentor_id])
    page = client_for(world.coordinator_a).get(confirm).content.decode()
    assert 'name="ask_again"' not in page
