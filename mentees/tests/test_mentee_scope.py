"""Who can see which mentee: the rule every page, list and export relies on."""

from django.urls import reverse

from conftest import client_for, query_count
from mentees.selectors import mentee_visible_to
from mentees.tests.factories import MenteeFactory
from relationships.models import Relationship
from relationships.tests.factories import RelationshipFactory


def test_a_mentor_sees_only_the_people_they_are_matched_with_now(world):
    assert set(mentee_visible_to(world.mentor_a)) == {world.mentee_a}


def test_a_mentor_loses_sight_of_a_mentee_when_the_relationship_closes(world):
    world.relationship_a.status = Relationship.Status.CLOSED
    world.relationship_a.closed_on = world.relationship_a.matched_on
    world.relationship_a.save()
    assert not mentee_visible_to(world.mentor_a).exists()
    url = reverse("mentees:detail", args=[world.mentee_a.pk])
    assert client_for(world.mentor_a).get(url).status_code == 404


def test_a_coordinator_sees_their_schemes_mentees_only(world):
    assert set(mentee_visible_to(world.coordinator_a)) == {
        world.mentee_a,
        world.mentee_a_unmatched,
        world.relationship_a_other.mentee,
    }
    assert set(mentee_visible_to(world.coordinator_b)) == {world.mentee_b}


def test_a_manager_sees_everyone(world):
    assert mentee_visible_to(world.manager).count() == 4


def test_someone_without_a_role_sees_no_one(world):
    assert not mentee_visible_to(world.no_role).exists()


def test_a_mentor_who_also_coordinates_another_scheme_sees_both(world):
    """Roles add up: a coordinator of B who mentors in A sees B's list and their own mentee."""
    from accounts.models import Membership, Role

    Membership.objects.create(user=world.mentor_a, role=Role.COORDINATOR, scheme=world.scheme_b)
    assert set(mentee_visible_to(world.mentor_a)) == {world.mentee_a, world.mentee_b}


def test_the_mentee_list_costs_the_same_queries_for_many_mentees(world):
    client = client_for(world.coordinator_a)
    url = reverse("mentees:list")
    before = query_count(client, url)
    MenteeFactory.create_batch(25, scheme=world.scheme_a)
    assert query_count(client, url) == before


def test_the_mentee_list_searches_by_name_and_reference(world):
    client = client_for(world.coordinator_a)
    response = client.get(reverse("mentees:list"), {"q": world.mentee_a.reference})
    assert list(response.context["page"]) == [world.mentee_a]
    response = client.get(reverse("mentees:list"), {"q": world.mentee_b.family_name})
    assert world.mentee_b not in list(response.context["page"])  # scheme B is out of scope


def test_my_mentees_costs_the_same_queries_for_many_relationships(world):
    client = client_for(world.mentor_a)
    url = reverse("relationships:my_mentees")
    before = query_count(client, url)
    mentor_file = world.relationship_a.mentor
    for mentee in MenteeFactory.create_batch(10, scheme=world.scheme_a):
        RelationshipFactory(mentee=mentee, mentor=mentor_file)
    assert query_count(client, url) == before
    assert len(client.get(url).context["relationships"]) == 11


def test_taking_away_the_mentor_role_takes_away_sight_of_their_mentees(world):
    """The open relationship alone is not enough: the mentor role in that scheme is needed."""
    world.mentor_a.memberships.filter(role="mentor").delete()
    world.mentor_a.__dict__.pop("_tandem_roles", None)
    assert not mentee_visible_to(world.mentor_a).exists()
    url = reverse("mentees:detail", args=[world.mentee_a.pk])
    assert client_for(world.mentor_a).get(url).status_code in (403, 404)


def test_anonymous_visitors_see_no_mentor_files(world):
    from django.contrib.auth.models import AnonymousUser

    from schemes.selectors import mentor_visible_to
    from schemes.tests.factories import MentorFactory

    MentorFactory(scheme=world.scheme_a, user=None)  # an applicant without a login
    assert not mentor_visible_to(AnonymousUser()).exists()


def test_a_scheme_filter_that_is_not_a_number_is_ignored(world):
    response = client_for(world.coordinator_a).get(reverse("mentees:list"), {"scheme": "²"})
    assert response.status_code == 200
