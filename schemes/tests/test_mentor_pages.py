"""The mentor pool's pages: filters, scope, form errors in plain words, and fixed query costs."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Membership, Role
from audit.models import AuditEvent
from conftest import client_for, query_count
from core.postcodes import HOME_AREA_ERROR
from relationships.tests.factories import RelationshipFactory
from schemes.models import Mentor
from schemes.tests.factories import (
    AvailabilitySlotFactory,
    DBSCheckFactory,
    MentorFactory,
    PrisonClearanceFactory,
    ReferenceFactory,
    SchemeFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
    UnavailablePeriodFactory,
    days_ago,
    days_ahead,
)

LIST = reverse("mentors:list")


def _listed(client, **params) -> list[Mentor]:
    return list(client.get(LIST, params).context["page"])


def test_a_coordinator_adds_a_mentor_and_lands_on_their_file(world):
    response = client_for(world.coordinator_a).post(
        reverse("mentors:new"),
        {
            "scheme": world.scheme_a.pk,
            "given_name": "Aisha",
            "family_name": "Khan",
            "applied_on": str(timezone.localdate()),
            "kind": "peer",
            "home_area": "ls6",
            "languages": "English, Urdu,, english",
            "travel_km": "15",
        },
    )
    mentor = Mentor.objects.get(family_name="Khan")
    assert response["Location"] == reverse("mentors:detail", args=[mentor.pk])
    assert (mentor.kind, mentor.home_area, mentor.languages) == ("peer", "LS6", ["English", "Urdu"])
    assert AuditEvent.objects.filter(action="mentor.created", target_id=str(mentor.pk)).exists()


def test_the_scheme_choice_offers_only_schemes_the_user_coordinates(world):
    """A coordinator who is also a manager still adds mentors only to schemes they run."""
    Membership.objects.create(user=world.coordinator_a, role=Role.MANAGER)
    client = client_for(world.coordinator_a)
    form = client.get(reverse("mentors:new")).context["form"]
    assert list(form.fields["scheme"].queryset) == [world.scheme_a]
    response = client.post(
        reverse("mentors:new"),
        {"scheme": world.scheme_b.pk, "given_name": "X", "family_name": "Y", "kind": "volunteer"},
    )
    assert response.status_code == 200
    assert not Mentor.objects.filter(family_name="Y").exists()


def test_form_errors_are_in_plain_words(world):
    """Each refusal tells a coordinator what to fix, next to the field it is about."""
    client = client_for(world.coordinator_a)
    applicant = MentorFactory(scheme=world.scheme_a)
    cases = [
        (
            reverse("mentors:dbs_add", args=[applicant.pk]),
            {"level": "basic", "issued_on": str(days_ago(3)), "expires_on": str(days_ago(4))},
            "expires_on",
            "The expiry date must be after the issue date",
        ),
        (
            reverse("mentors:status", args=[applicant.pk]),
            {"to_status": "active", "on": str(timezone.localdate())},
            "to_status",
            "Choose one of the steps listed",
        ),
        (
            reverse("mentors:availability", args=[applicant.pk]),
            {"slots": ["1-evening"], "capacity": "0"},
            "capacity",
            "Capacity must be 1 or more",
        ),
        (
            reverse("mentors:edit", args=[applicant.pk]),
            {"given_name": "A", "family_name": "B", "kind": "volunteer", "home_area": "Leeds"},
            "home_area",
            HOME_AREA_ERROR,
        ),
        (
            reverse("mentors:unavailable_add", args=[applicant.pk]),
            {"starts_on": str(days_ahead(9)), "ends_on": str(days_ahead(2))},
            "ends_on",
            "The last day cannot be before the first day",
        ),
        (
            reverse("mentors:supervision_add", args=[applicant.pk]),
            {"held_on": str(days_ahead(2)), "notes": "Fine"},
            "held_on",
            "The date of the session cannot be in the future",
        ),
    ]
    for url, data, field, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert response.context["form"].errors[field] == [message], url
        assert message.replace("'", "&#x27;") in response.content.decode(), url
    assert applicant.dbs_checks.count() == 0


def test_moving_to_active_without_a_dbs_check_is_explained(world):
    mentor = MentorFactory(scheme=world.scheme_a, status="vetting", status_since=days_ago(5))
    response = client_for(world.coordinator_a).post(
        reverse("mentors:status", args=[mentor.pk]),
        {"to_status": "active", "on": str(timezone.localdate())},
    )
    (error,) = response.context["form"].errors["to_status"]
    assert error.startswith("They need a DBS check valid on ") and "under Vetting" in error


def test_the_list_shows_only_mentors_in_scope(world):
    other = world.relationship_a_other.mentor
    assert set(_listed(client_for(world.coordinator_a))) == {world.mentor_file_a, other}
    assert _listed(client_for(world.coordinator_b)) == [world.mentor_file_b]
    assert set(_listed(client_for(world.manager))) == {
        world.mentor_file_a,
        other,
        world.mentor_file_b,
    }


def test_the_list_filters_by_scheme_status_kind_and_name(world):
    client = client_for(world.manager)
    peer = MentorFactory(scheme=world.scheme_a, kind="peer", given_name="Zed", family_name="Qxolan")
    assert _listed(client, scheme=world.scheme_b.pk) == [world.mentor_file_b]
    assert set(_listed(client, status="active")) == {
        world.mentor_file_a,
        world.relationship_a_other.mentor,
    }
    assert _listed(client, kind="peer") == [peer]
    assert _listed(client, q="zed qxolan") == [peer]
    assert _listed(client, q="qxolan", status="active") == []


def test_the_scheme_filter_offers_only_visible_schemes(world):
    SchemeFactory(name="Somewhere Else")
    form = client_for(world.coordinator_a).get(LIST).context["filters"].form
    assert list(form.fields["scheme"].queryset) == [world.scheme_a]


def test_the_list_filters_vetting_that_runs_out_within_30_days(world):
    client = client_for(world.coordinator_a)
    soon = MentorFactory(scheme=world.scheme_a)
    DBSCheckFactory(mentor=soon, issued_on=days_ago(1000), expires_on=days_ahead(12))
    prison = MentorFactory(scheme=world.scheme_a)
    DBSCheckFactory(mentor=prison)
    PrisonClearanceFactory(mentor=prison, expires_on=days_ahead(30))
    assert set(_listed(client, vetting="expiring")) == {soon, prison}
    none = MentorFactory(scheme=world.scheme_a)
    assert _listed(client, vetting="lapsed") == [none]


def test_the_list_shows_status_and_dbs_expiry_per_row(world):
    expiry = world.mentor_file_a.dbs_checks.get().expires_on
    body = client_for(world.coordinator_a).get(LIST).content.decode()
    assert "Active" in body and f"DBS expires {date_format(expiry, 'j M Y')}" in body


def test_the_list_costs_the_same_queries_for_many_mentors(world):
    client = client_for(world.coordinator_a)
    for url in (LIST, f"{LIST}?vetting=expiring&status=active&q=a"):
        before = query_count(client, url)
        for mentor in MentorFactory.create_batch(12, scheme=world.scheme_a, active=True):
            RelationshipFactory(mentor=mentor, mentee__scheme=world.scheme_a)
            PrisonClearanceFactory(mentor=mentor, expires_on=days_ahead(10))
        assert query_count(client, url) == before, url


def test_the_file_costs_the_same_queries_however_much_is_recorded(world):
    client = client_for(world.manager)
    mentor = world.mentor_file_a
    url = reverse("mentors:detail", args=[mentor.pk])
    before = query_count(client, url)
    for _ in range(4):
        DBSCheckFactory(mentor=mentor)
        PrisonClearanceFactory(mentor=mentor)
        TrainingRecordFactory(mentor=mentor)
        ReferenceFactory(mentor=mentor)
        UnavailablePeriodFactory(mentor=mentor, starts_on=days_ago(90), ends_on=days_ago(80))
        SupervisionSessionFactory(mentor=mentor, by=world.coordinator_a)
    for day in range(4):
        AvailabilitySlotFactory(mentor=mentor, weekday=day)
    assert query_count(client, url) == before


def test_the_file_shows_the_timeline_vetting_and_days_to_active(world):
    """And opening it is audited, as for a mentee's record."""
    mentor = MentorFactory(
        scheme=world.scheme_a,
        applied_on=days_ago(80),
        status="active",
        first_active_on=days_ago(35),
        status_since=days_ago(35),
    )
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(40), expires_on=days_ahead(20))
    response = client_for(world.coordinator_a).get(reverse("mentors:detail", args=[mentor.pk]))
    body = response.content.decode()
    assert "45 days</strong> from application to active" in body
    assert "Expires soon" in body
    assert response.context["matchability"].ok
    assert AuditEvent.objects.filter(action="mentor.viewed", target_id=str(mentor.pk)).exists()


def test_supervision_notes_are_not_shown_to_the_mentor_they_are_about(world):
    """A coordinator of scheme B who mentors in scheme A can open their own file, but not the
    notes their own coordinator wrote about them; scheme A's coordinator sees them."""
    SupervisionSessionFactory(mentor=world.mentor_file_a, notes="Leaning on the mentee a lot.")
    Membership.objects.create(user=world.mentor_a, role=Role.COORDINATOR, scheme=world.scheme_b)
    url = reverse("mentors:detail", args=[world.mentor_file_a.pk])
    own = client_for(world.mentor_a).get(url)
    assert own.status_code == 200 and "Leaning on" not in own.content.decode()
    assert "Change status" not in own.content.decode()
    assert "Leaning on" in client_for(world.coordinator_a).get(url).content.decode()


def test_availability_is_edited_on_a_weekly_grid(world):
    mentor = world.mentor_file_a
    response = client_for(world.coordinator_a).post(
        reverse("mentors:availability", args=[mentor.pk]),
        {"slots": ["0-morning", "5-evening"], "capacity": "3"},
    )
    assert response.status_code == 302
    assert set(mentor.slots.values_list("weekday", "part")) == {(0, "morning"), (5, "evening")}
    assert Mentor.objects.get(pk=mentor.pk).capacity == 3


def test_the_dashboard_mentor_figures_open_the_schemes_mentor_list(world):
    dashboard = reverse("home:dashboard")
    body = client_for(world.manager).get(dashboard, {"scheme": world.scheme_a.pk}).content
    assert f'href="{LIST}?status=active&amp;scheme={world.scheme_a.pk}"' in body.decode()


def test_the_audit_trail_names_mentor_actions_and_links_the_file(world):
    """Managers read what was done to a mentor's file in words, with a link to it."""
    mentor = world.mentor_file_a
    client_for(world.coordinator_a).post(
        reverse("mentors:status", args=[mentor.pk]),
        {"to_status": "paused", "on": str(timezone.localdate())},
    )
    body = client_for(world.manager).get(reverse("audit:list")).content.decode()
    assert "Changed a mentor&#x27;s status" in body
    assert "Status: active → paused" in body
    assert reverse("mentors:detail", args=[mentor.pk]) in body
