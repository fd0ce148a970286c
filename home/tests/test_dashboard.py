"""The coordinator's dashboard: right figures, each linked to the list behind it, scoped."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, query_count
from flags.models import Flag, Kind, Severity
from mentees.models import Referral
from mentees.tests.factories import ReferralFactory
from relationships.models import Relationship
from relationships.tests.factories import RelationshipFactory
from schemes.tests.factories import DBSCheckFactory, MentorFactory

pytestmark = pytest.mark.django_db
DASH = reverse("home:dashboard")


def flag(relationship, kind, severity=Severity.MEDIUM):
    return Flag.objects.create(
        kind=kind,
        severity=severity,
        relationship=relationship,
        scheme_id=relationship.mentee.scheme_id,
        evidence=f"Because of {kind}.",
        raised_at=timezone.now(),
    )


def open_in(scheme, **kw):
    kw.setdefault("next_review_on", timezone.localdate() + datetime.timedelta(days=60))
    return RelationshipFactory(mentee__scheme=scheme, mentor__scheme=scheme, **kw)


@pytest.fixture
def busy(world):
    """Scheme A with one relationship of each health, and someone waiting 30 days."""
    today = timezone.localdate()
    Relationship.objects.filter(
        pk__in=[world.relationship_a.pk, world.relationship_a_other.pk]
    ).update(next_review_on=today + datetime.timedelta(days=60))
    stalling = open_in(world.scheme_a)
    flag(stalling, Kind.SILENCE, Severity.HIGH)
    flag(stalling, Kind.MENTOR_DRIVING)  # stalling wins: one health per relationship
    dependency = open_in(world.scheme_a)
    flag(dependency, Kind.DONE_FOR)
    open_in(world.scheme_a, next_review_on=today - datetime.timedelta(days=3))  # overdue
    open_in(
        world.scheme_a,
        status=Relationship.Status.PAUSED,
        next_review_on=today - datetime.timedelta(days=9),
    )  # paused: no review due
    # Closed ones count nowhere, whatever their old review date or mentor.
    RelationshipFactory(
        mentee__scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        status=Relationship.Status.CLOSED,
        closed_on=today,
        next_review_on=today - datetime.timedelta(days=40),
    )
    ReferralFactory(
        mentee__scheme=world.scheme_a,
        mentee__family_name="Waitwell",
        status=Referral.Status.AWAITING_MATCH,
        status_changed_on=today - datetime.timedelta(days=30),
    )
    return world


def test_relationships_by_health_add_up_and_link_to_their_lists(busy):
    response = client_for(busy.coordinator_a).get(DASH)
    board = response.context["board"]
    assert board.health == {
        "on_track": 2,
        "stalling": 1,
        "dependency": 1,
        "review_due": 1,
        "paused": 1,
    }
    assert board.open_relationships == 6
    page = response.content.decode()
    assert f'href="{reverse("relationships:list")}?health=stalling"' in page
    listed = (
        client_for(busy.coordinator_a)
        .get(reverse("relationships:list"), {"health": "stalling"})
        .context["page"]
    )
    assert len(listed) == 1


def test_every_figure_matches_the_list_it_links_to(busy):
    client = client_for(busy.coordinator_a)
    board = client.get(DASH).context["board"]
    for health, count in board.health.items():
        listed = client.get(reverse("relationships:list"), {"health": health}).context["page"]
        assert listed.paginator.count == count, health
    due = client.get(reverse("relationships:list"), {"review": "due"}).context["page"]
    overdue = client.get(reverse("relationships:list"), {"review": "overdue"}).context["page"]
    assert (
        (board.reviews_due, board.reviews_overdue)
        == (due.paginator.count, overdue.paginator.count)
        == (1, 1)
    )
    live = client.get(reverse("flags:list"), {"status": "live"}).context["page"]
    assert board.live_flags == live.paginator.count == 3
    assert (board.stalling_flags, board.dependency_flags) == (1, 2)


def test_the_queue_shows_open_flags_most_severe_first_with_acknowledge(busy):
    response = client_for(busy.coordinator_a).get(DASH)
    queue = response.context["board"].queue
    assert [f.kind for f in queue] == [Kind.SILENCE, Kind.MENTOR_DRIVING, Kind.DONE_FOR]
    assert 'value="talked_with_mentor"' in response.content.decode()


def test_the_waiting_list_shows_days_waiting(busy):
    board = client_for(busy.coordinator_a).get(DASH).context["board"]
    assert board.waiting_count == 1
    [(referral, days)] = board.waiting
    assert referral.mentee.family_name == "Waitwell" and days == 30


def test_mentor_figures(world):
    today = timezone.localdate()
    soon = MentorFactory(scheme=world.scheme_a, active=True, capacity=3)
    soon.dbs_checks.all().delete()
    DBSCheckFactory(
        mentor=soon,
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today + datetime.timedelta(days=10),
    )
    board = client_for(world.coordinator_a).get(DASH).context["board"]
    assert board.vetting_expiring == 1
    mentors_a = [world.mentor_file_a, world.relationship_a_other.mentor, soon]
    assert board.capacity_total == sum(m.capacity for m in mentors_a)
    assert board.capacity_used == 2  # relationship_a and relationship_a_other
    # Both matched mentors have mentees and no supervision yet.
    assert board.supervision_due == 2


def test_a_coordinator_sees_only_their_schemes_and_a_manager_sees_all(busy):
    flag(RelationshipFactory(mentee=busy.mentee_b, mentor__scheme=busy.scheme_b), Kind.SILENCE)
    coordinator = client_for(busy.coordinator_a).get(DASH).context["board"]
    assert coordinator.live_flags == 3
    manager = client_for(busy.manager).get(DASH)
    assert manager.context["board"].live_flags == 4
    assert [r.scheme for r in manager.context["board"].schemes] == sorted(
        [busy.scheme_a, busy.scheme_b], key=lambda s: s.name
    )
    assert "By scheme" in manager.content.decode()
    one = client_for(busy.manager).get(DASH, {"scheme": busy.scheme_b.pk}).context["board"]
    assert one.live_flags == 1 and one.open_relationships == 1


def test_another_schemes_dashboard_is_not_found(world):
    client = client_for(world.coordinator_a)
    assert client.get(DASH, {"scheme": world.scheme_b.pk}).status_code == 404
    assert client.get(DASH, {"scheme": "nonsense"}).status_code == 404


def test_the_dashboard_costs_the_same_queries_however_big_the_caseload(busy):
    client = client_for(busy.manager)
    few = query_count(client, DASH)
    for _ in range(6):
        r = open_in(busy.scheme_b)
        flag(r, Kind.SILENCE)
        ReferralFactory(mentee__scheme=busy.scheme_b, status=Referral.Status.AWAITING_MATCH)
    assert query_count(client, DASH) == few
