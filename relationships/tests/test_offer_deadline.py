"""An offer past its deadline is closed from that minute, everywhere it is read, whether or
not the worker has lapsed it yet: time is held still (``Clock``) and moved to either side of
the deadline, and the worker is never run unless a test says so."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from conftest import client_for
from core.models import Notification
from home.dashboard import dashboard_for
from relationships.matching import offer_services
from relationships.matching.ranking import ranking_for
from relationships.models import MatchOffer
from relationships.tests.offer_kit import Clock, mentor_without_login, offer
from schemes.mentors.selectors import mentor_matchability, mentors_matchable
from schemes.models import Mentor

pytestmark = pytest.mark.django_db
OS = MatchOffer.Status
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _mentor_a(world) -> Mentor:
    return Mentor.objects.get(pk=world.mentor_file_a.pk)


def test_an_offer_a_minute_before_its_deadline_is_still_open_everywhere(world, clock):
    """One minute before the deadline the mentor's home lists the offer, it takes the
    mentor's last place, and the person cannot be offered to anyone else."""
    made = offer(world)
    clock.set(made.expires_at - MINUTE)
    home = client_for(world.mentor_a).get(reverse("relationships:my_mentees")).content.decode()
    assert reverse("relationships:offer_detail", args=[made.pk]) in home
    today = clock.now.date()
    assert mentor_matchability(mentor=_mentor_a(world), on=today).reasons
    with pytest.raises(ValidationError, match="already has an offer waiting"):
        offer(world, mentee=made.mentee, mentor=mentor_without_login(world))


def test_past_its_deadline_the_mentor_no_longer_sees_it_as_waiting(world, clock):
    """A minute after the deadline, before the worker runs: the offer is gone from the
    mentor's "waiting for your answer", its page says the time to answer ended (with no
    buttons), and the coordinators' list of offers waiting no longer shows it."""
    made = offer(world)
    clock.set(made.expires_at + MINUTE)
    mentor = client_for(world.mentor_a)
    home = mentor.get(reverse("relationships:my_mentees")).content.decode()
    assert reverse("relationships:offer_detail", args=[made.pk]) not in home
    page = mentor.get(reverse("relationships:offer_detail", args=[made.pk])).content.decode()
    assert "The time to answer this offer ended on" in page
    assert reverse("relationships:offer_accept", args=[made.pk]) not in page
    listed = client_for(world.coordinator_a).get(reverse("relationships:offer_list"))
    assert reverse("relationships:offer_detail", args=[made.pk]) not in listed.content.decode()
    assert MatchOffer.objects.get(pk=made.pk).status == OS.PENDING  # the worker has not run


def test_past_its_deadline_the_offer_no_longer_takes_a_place(world, clock):
    """mentor_a's last place, held by the offer, is free again a minute after the deadline:
    in the one-mentor check, the pool query, the ranking and the dashboard alike."""
    made = offer(world)
    used = dashboard_for(world.coordinator_a).capacity_used
    clock.set(made.expires_at + MINUTE)
    today = clock.now.date()
    assert mentor_matchability(mentor=_mentor_a(world), on=today).ok
    assert mentors_matchable(Mentor.objects.filter(pk=made.mentor_id), on=today).exists()
    ranking = ranking_for(made.mentee, on=today)
    [suggested] = [s for s in ranking.suggestions if s.mentor.pk == made.mentor_id]
    assert suggested.open_matches == 1
    assert dashboard_for(world.coordinator_a).capacity_used == used - 1


def test_a_new_offer_lapses_the_overdue_one_first(world, clock):
    """A minute after the deadline a coordinator can offer the person to another mentor:
    the overdue offer is lapsed first (by nobody, audited, the mentor told it closed, the
    coordinators not asked to offer another mentor), and the worker then finds nothing."""
    made = offer(world)
    clock.set(made.expires_at + MINUTE)
    again = offer(world, mentee=made.mentee, mentor=mentor_without_login(world))
    assert again.status == OS.PENDING
    lapsed = MatchOffer.objects.get(pk=made.pk)
    assert (lapsed.status, lapsed.answered_at, lapsed.answered_by) == (
        OS.LAPSED,
        clock.now,
        None,
    )
    assert AuditEvent.objects.filter(action="offer.lapsed", target_id=str(made.pk)).exists()
    assert Notification.objects.filter(
        recipient=world.mentor_a, subject="The offer to mentor Robin has closed"
    ).exists()
    assert not Notification.objects.filter(subject__contains="did not answer in time").exists()
    assert offer_services.offers_lapse_due() == 0


def test_answering_past_the_deadline_is_refused_in_the_offers_words(world, clock):
    """Accepting or declining a minute late is refused with when the time ended."""
    made = offer(world)
    clock.set(made.expires_at + MINUTE)
    ended = f"The time to answer this offer ended on {offer_services.due_words(made.expires_at)}"
    with pytest.raises(ValidationError, match=ended):
        offer_services.offer_accept(by=world.mentor_a, offer=made)
    with pytest.raises(ValidationError, match=ended):
        offer_services.offer_decline(by=world.mentor_a, offer=made, decline_reason="personal")
