"""The offer pages: what a mentor sees to decide (and never), answering on the phone page,
where coordinators see offers waiting, and the person's place kept meanwhile."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from conftest import client_for, query_count
from mentees.tests.factories import RestrictionFactory
from relationships.models import MatchOffer, Relationship
from relationships.tests.offer_kit import mentor_without_login, offer, waiting_person

pytestmark = pytest.mark.django_db


def page(offer: MatchOffer) -> str:
    return reverse("relationships:offer_detail", args=[offer.pk])


def test_the_mentor_sees_what_they_need_to_decide_and_nothing_more(world):
    """First name, home area, needs in general terms, the instruction that applies, the
    plan and the deadline; never the surname, date of birth, reference, external reference
    or the risk assessment behind the instruction. Each opening is audited."""
    mentee = waiting_person(
        world.scheme_a, home_area="LS6", needs=["accommodation"], external_reference="A1234BC"
    )
    RestrictionFactory(mentee=mentee, recorded_by=world.coordinator_a)
    made = offer(world, mentee=mentee, note="Library, Tuesday 2pm")
    body = client_for(world.mentor_a).get(page(made)).content.decode()
    assert "Will you mentor Robin?" in body
    for shown in ("LS6", "Accommodation", "Meet only in public places.", "Library, Tuesday 2pm"):
        assert shown in body
    assert "Please answer by" in body
    hidden = [
        "Quillfeather",
        mentee.reference,
        "A1234BC",
        "former partner",
        mentee.date_of_birth.strftime("%-d %b %Y"),
        mentee.date_of_birth.isoformat(),
    ]
    for secret in hidden:
        assert secret not in body, secret
    assert AuditEvent.objects.filter(action="offer.viewed", actor=world.mentor_a).count() == 1


def test_a_mentor_opens_only_their_own_offers(world):
    """Another mentor's offer, and answering it, are a 404 for mentor_a."""
    made = offer(world, mentor=mentor_without_login(world))
    client = client_for(world.mentor_a)
    assert client.get(page(made)).status_code == 404
    assert client.post(reverse("relationships:offer_accept", args=[made.pk])).status_code == 404
    assert MatchOffer.objects.get(pk=made.pk).status == MatchOffer.Status.PENDING


def test_the_mentor_answers_on_the_phone_page(world):
    """Accepting lands on the new relationship; declining without a reason is refused with a
    message in the user's words, then with one goes home with thanks."""
    client = client_for(world.mentor_a)
    made = offer(world)
    response = client.post(reverse("relationships:offer_accept", args=[made.pk]))
    relationship = Relationship.objects.get(mentee=made.mentee)
    assert response["Location"] == reverse("relationships:detail", args=[relationship.pk])

    world.mentor_file_a.capacity = 3
    world.mentor_file_a.save()
    second = offer(world, mentee=waiting_person(world.scheme_a, given_name="Sam"))
    decline = reverse("relationships:offer_decline", args=[second.pk])
    refused = client.post(decline, {"decline_reason": ""})
    assert "Select why you are declining" in refused.content.decode()
    response = client.post(decline, {"decline_reason": "not_a_fit"})
    assert response["Location"] == reverse("relationships:my_mentees")
    assert MatchOffer.objects.get(pk=second.pk).decline_reason == "not_a_fit"


def test_my_mentees_lists_offers_waiting_for_an_answer(world):
    """The mentor's home shows each pending offer by first name with its deadline, and not
    once it is answered."""
    made = offer(world)
    client = client_for(world.mentor_a)
    body = client.get(reverse("relationships:my_mentees")).content.decode()
    assert "Will you mentor Robin?" in body and page(made) in body
    assert "Quillfeather" not in body
    client.post(
        reverse("relationships:offer_decline", args=[made.pk]), {"decline_reason": "personal"}
    )
    assert page(made) not in client.get(reverse("relationships:my_mentees")).content.decode()


def test_the_waiting_list_and_the_persons_page_say_an_offer_is_out(world):
    """The person stays on the waiting list, in their place, with "Offer sent to <mentor>,
    answer due <date>", as on their page; the suggestions offer nobody else meanwhile."""
    longest = waiting_person(world.scheme_a, waiting_days=30, given_name="Ash")
    made = offer(world, mentee=waiting_person(world.scheme_a, waiting_days=10))
    newest = waiting_person(world.scheme_a, waiting_days=1, given_name="Kit")
    client = client_for(world.coordinator_a)
    waiting = client.get(reverse("mentees:waiting")).content.decode()
    sent = f"Offer sent to {escape(str(made.mentor))}, answer due"
    assert sent in waiting
    names = [m.given_name for m in (longest, made.mentee, newest)]
    assert [waiting.index(f">{n} ") for n in names] == sorted(
        waiting.index(f">{n} ") for n in names
    )
    person = client.get(reverse("mentees:detail", args=[made.mentee_id])).content.decode()
    assert sent in person
    suggestions = client.get(
        reverse("relationships:match_suggestions", args=[made.mentee_id])
    ).content.decode()
    assert sent in suggestions and "Offer to " not in suggestions


def test_the_coordinators_list_of_offers_keeps_a_flat_query_count(world):
    """The offers waiting for an answer, soonest due first, in the same number of queries
    for one offer as for four."""
    client = client_for(world.coordinator_a)
    url = reverse("relationships:offer_list")
    offer(world)
    one = query_count(client, url)
    for _ in range(3):
        offer(world, mentee=waiting_person(world.scheme_a), mentor=mentor_without_login(world))
    assert query_count(client, url) == one
    assert client.get(url).content.decode().count('class="list-group-item"') == 4


def test_the_waiting_list_query_count_stays_flat_with_offers(world):
    """Showing each person's offer costs no query per person."""
    client = client_for(world.coordinator_a)
    url = reverse("mentees:waiting")
    offer(world)
    one = query_count(client, url)
    for _ in range(3):
        offer(world, mentee=waiting_person(world.scheme_a), mentor=mentor_without_login(world))
    assert query_count(client, url) == one


def test_a_coordinator_withdraws_an_offer_and_can_offer_again(world):
    """Withdrawing goes back to the suggestions, where the person can be offered again."""
    made = offer(world)
    client = client_for(world.coordinator_a)
    response = client.post(reverse("relationships:offer_withdraw", args=[made.pk]))
    assert response["Location"] == reverse("relationships:match_suggestions", args=[made.mentee_id])
    body = client.get(response["Location"]).content.decode()
    assert "Offer to " in body


def test_a_too_long_decline_note_is_refused_in_short_words():
    """The note's limit is said in a few words, not by repeating its long label."""
    from relationships.matching.forms import OfferDeclineForm

    form = OfferDeclineForm({"decline_reason": "other", "decline_note": "x" * 201})
    assert not form.is_valid()
    assert form.errors["decline_note"] == ["Keep your note to 200 characters or fewer"]


def test_the_persons_timeline_shows_each_offer_and_its_answer(world):
    """The coordinator choosing the next mentor sees on the person's page who was offered
    and why they declined (the reason and the mentor's note)."""
    from relationships.matching.offer_services import offer_decline

    made = offer(world)
    offer_decline(
        by=world.mentor_a, offer=made, decline_reason="other", decline_note="I know his brother"
    )
    page = client_for(world.coordinator_a).get(reverse("mentees:detail", args=[made.mentee.pk]))
    titles = [(e.title, e.detail) for e in page.context["timeline"]]
    mentor = str(made.mentor)
    assert (titles[-2][0], titles[-1][0]) == (
        f"Offered to {mentor}",
        f"Offer to {mentor}: declined",
    )
    assert titles[-1][1].endswith("I know his brother")
    assert "I know his brother" in page.content.decode()
