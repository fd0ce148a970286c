"""Managers create and edit schemes; coordinators see only theirs."""

from django.urls import reverse

from audit.models import AuditEvent
from conftest import client_for, query_count
from schemes.models import Scheme
from schemes.tests.factories import SchemeFactory


def test_a_manager_creates_a_scheme_and_it_is_audited(world):
    response = client_for(world.manager).post(
        reverse("schemes:new"),
        {"name": "Eastfield Resettlement", "kind": Scheme.Kind.RESETTLEMENT, "area": "Eastfield"},
    )
    scheme = Scheme.objects.get(name="Eastfield Resettlement")
    assert response["Location"] == reverse("schemes:detail", args=[scheme.pk])
    assert AuditEvent.objects.filter(action="scheme.created", target_id=str(scheme.pk)).exists()


def test_editing_a_scheme_records_which_fields_changed(world):
    client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        {"name": world.scheme_a.name, "kind": Scheme.Kind.COMMUNITY, "area": world.scheme_a.area},
    )
    event = AuditEvent.objects.get(action="scheme.updated")
    assert event.detail == {"fields": ["kind"]}


def test_a_duplicate_scheme_name_is_refused_whatever_its_case(world):
    response = client_for(world.manager).post(
        reverse("schemes:new"),
        {"name": world.scheme_b.name.upper(), "kind": Scheme.Kind.OTHER, "area": "Anywhere"},
    )
    assert response.status_code == 200
    assert Scheme.objects.count() == 2
    assert "already exists" in response.content.decode()


def test_a_coordinator_lists_only_their_schemes(world):
    response = client_for(world.coordinator_a).get(reverse("schemes:list"))
    assert list(response.context["schemes"]) == [world.scheme_a]


def test_the_scheme_list_costs_the_same_queries_for_many_schemes(world):
    client = client_for(world.manager)
    url = reverse("schemes:list")
    before = query_count(client, url)
    SchemeFactory.create_batch(15)
    assert query_count(client, url) == before
