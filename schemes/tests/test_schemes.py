"""Managers create and edit schemes; coordinators see only theirs."""

from django.urls import reverse

from audit.models import AuditEvent
from conftest import client_for, query_count
from schemes.models import Scheme
from schemes.tests.factories import SchemeFactory


def scheme_data(**overrides):
    """A complete scheme form, with the model's defaults for rules and thresholds."""
    data = {
        f.name: f.default
        for f in Scheme._meta.fields
        if f.name.startswith("flag_")
        or f.name
        in (
            "review_interval_weeks",
            "expected_contact_days",
            "concern_acknowledge_hours",
            "offer_open_days",
            "retention_years",
            "private_notes_keep_days",
            "expiry_first_reminder_days",
            "expiry_last_reminder_days",
        )
    }
    data.update({"cap_meetings": "", "cap_weeks": "", **overrides})
    return data


def test_a_manager_creates_a_scheme_and_it_is_audited(world):
    response = client_for(world.manager).post(
        reverse("schemes:new"),
        scheme_data(name="Eastfield Resettlement", kind=Scheme.Kind.RESETTLEMENT, area="Eastfield"),
    )
    scheme = Scheme.objects.get(name="Eastfield Resettlement")
    assert response["Location"] == reverse("schemes:detail", args=[scheme.pk])
    assert AuditEvent.objects.filter(action="scheme.created", target_id=str(scheme.pk)).exists()


def test_editing_a_scheme_records_which_fields_changed(world):
    client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        scheme_data(name=world.scheme_a.name, kind=Scheme.Kind.COMMUNITY, area=world.scheme_a.area),
    )
    event = AuditEvent.objects.get(action="scheme.updated")
    assert event.detail == {"fields": ["kind"]}


def test_a_duplicate_scheme_name_is_refused_whatever_its_case(world):
    response = client_for(world.manager).post(
        reverse("schemes:new"),
        scheme_data(name=world.scheme_b.name.upper(), kind=Scheme.Kind.OTHER, area="Anywhere"),
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


def test_a_scheme_is_open_ended_unless_it_sets_a_cap(world):
    assert world.scheme_a.is_open_ended
    client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        scheme_data(
            name=world.scheme_a.name,
            kind=world.scheme_a.kind,
            area=world.scheme_a.area,
            cap_meetings=12,
            cap_weeks=13,
        ),
    )
    world.scheme_a.refresh_from_db()
    assert (world.scheme_a.cap_meetings, world.scheme_a.cap_weeks) == (12, 13)
    assert not world.scheme_a.is_open_ended
    assert AuditEvent.objects.get(action="scheme.updated").detail == {
        "fields": ["cap_meetings", "cap_weeks"]
    }


def test_flag_thresholds_have_defaults_and_refuse_impossible_values(world):
    """A scheme's thresholds start at their defaults, and a percentage over 100 is refused
    with the range it must be in."""
    assert world.scheme_a.flag_no_first_meeting_days == 14
    assert world.scheme_a.flag_waiting_for_match_days == 21
    response = client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        scheme_data(
            name=world.scheme_a.name,
            kind=world.scheme_a.kind,
            area=world.scheme_a.area,
            flag_mentor_led_percent=150,
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["flag_mentor_led_percent"] == [
        "“Mentor started (% of last 8 contacts)” must be between 1 and 100"
    ]


def test_a_cap_of_zero_is_refused_on_its_field(world):
    """A meeting cap of 0 is refused next to the cap, saying the least it may be (1), not
    "0 or more" and not in Django's words."""
    response = client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        scheme_data(
            name=world.scheme_a.name,
            kind=world.scheme_a.kind,
            area=world.scheme_a.area,
            cap_meetings=0,
        ),
    )
    assert response.context["form"].errors["cap_meetings"] == ["Meeting cap must be 1 or more"]


def test_volunteers_and_closed_accounts_are_not_offered_as_coordinators(world):
    world.no_role.is_active = False
    world.no_role.save()
    response = client_for(world.manager).get(reverse("schemes:detail", args=[world.scheme_a.pk]))
    offered = set(response.context["coordinator_form"].fields["person"].queryset)
    assert world.mentor_a not in offered and world.no_role not in offered
    assert world.coordinator_b in offered
    refused = client_for(world.manager).post(
        reverse("schemes:coordinator_add", args=[world.scheme_a.pk]),
        {"person": world.mentor_a.pk},
    )
    assert "Choose one of the options given for “Person”" in refused.content.decode()


def test_funding_and_numeric_targets_per_stage_and_period(world):
    client = client_for(world.manager)
    client.post(
        reverse("schemes:funding_add", args=[world.scheme_a.pk]),
        {"funder": "Ministry of Justice", "starts_on": "2026-04-01", "ends_on": "2028-03-31"},
    )
    bad = client.post(
        reverse("schemes:funding_add", args=[world.scheme_a.pk]),
        {"funder": "Backwards", "starts_on": "2026-04-01", "ends_on": "2025-03-31"},
    )
    assert "ends before it starts" in bad.content.decode()
    target = {"stage": "met_3_plus", "starts_on": "2026-04-01", "ends_on": "2027-03-31"}
    client.post(reverse("schemes:target_add", args=[world.scheme_a.pk]), {**target, "number": 40})
    again = client.post(
        reverse("schemes:target_add", args=[world.scheme_a.pk]), {**target, "number": 50}
    )
    assert "already a target for this stage and period" in again.content.decode()
    assert [f.funder for f in world.scheme_a.fundings.all()] == ["Ministry of Justice"]
    assert [(t.stage, t.number) for t in world.scheme_a.targets.all()] == [("met_3_plus", 40)]
    actions = AuditEvent.objects.values_list("action", flat=True)
    assert {"scheme.funding_added", "scheme.target_added"} <= set(actions)


def test_a_manager_assigns_a_coordinator_from_the_scheme_page(world):
    client_for(world.manager).post(
        reverse("schemes:coordinator_add", args=[world.scheme_a.pk]),
        {"person": world.coordinator_b.pk},
    )
    response = client_for(world.coordinator_b).get(
        reverse("schemes:detail", args=[world.scheme_a.pk])
    )
    assert response.status_code == 200


def test_the_dashboard_counts_people_waiting_for_a_mentor(world):
    from mentees.models import Referral
    from mentees.tests.factories import MenteeFactory, ReferralFactory

    for _ in range(2):
        ReferralFactory(
            mentee=MenteeFactory(scheme=world.scheme_a), status=Referral.Status.AWAITING_MATCH
        )
    response = client_for(world.coordinator_a).get(reverse("home:dashboard"))
    assert response.context["board"].waiting_count == 2


def test_a_manager_sets_how_long_records_and_private_notes_are_kept(world):
    """The retention settings are on the scheme form; the audit names them, not their values."""
    client_for(world.manager).post(
        reverse("schemes:edit", args=[world.scheme_a.pk]),
        scheme_data(
            name=world.scheme_a.name,
            kind=world.scheme_a.kind,
            area=world.scheme_a.area,
            retention_years=3,
            private_notes_keep_days=7,
        ),
    )
    world.scheme_a.refresh_from_db()
    assert (world.scheme_a.retention_years, world.scheme_a.private_notes_keep_days) == (3, 7)
    event = AuditEvent.objects.get(action="scheme.updated")
    assert event.detail == {"fields": ["private_notes_keep_days", "retention_years"]}


def test_the_scheme_page_shows_how_long_records_are_kept_and_how_mentors_sign_in(world):
    """The scheme's own page states its retention years, private-notes days and whether
    mentors need a code from an app, as it states its other rules."""
    Scheme.objects.filter(pk=world.scheme_a.pk).update(
        retention_years=4, private_notes_keep_days=10, second_factor_for_mentors=True
    )
    page = client_for(world.manager).get(reverse("schemes:detail", args=[world.scheme_a.pk]))
    text = " ".join(page.content.decode().split())
    assert "kept 4 years after their referral or relationship ends" in text
    assert "private notes are deleted 10 days after a relationship closes" in text
    assert "Mentors sign in with a code from an authenticator app" in text

    Scheme.objects.filter(pk=world.scheme_a.pk).update(second_factor_for_mentors=False)
    page = client_for(world.manager).get(reverse("schemes:detail", args=[world.scheme_a.pk]))
    assert "Mentors sign in with their password only" in page.content.decode()


def test_the_form_explains_the_security_settings_as_choices_and_consequences(world):
    """The scheme form's hints say what ticking the code box does (not that mentors already
    must) and what happens when the years or days run out, not just the label again."""
    page = client_for(world.manager).get(reverse("schemes:edit", args=[world.scheme_a.pk]))
    text = " ".join(page.content.decode().split())
    assert "Tick to make mentors of this scheme sign in with a code" in text
    assert "Mentors must sign in with a code" not in text
    assert "removed for good; the counts in funder reports stay" in text
    assert "private notes are deleted for good" in text


def test_the_schemes_page_says_when_an_unanswered_plan_is_flagged(world):
    """The watcher's rules on the scheme's page include the days a planned meeting's outcome
    may wait before it is flagged."""
    Scheme.objects.filter(pk=world.scheme_a.pk).update(flag_plan_outcome_days=5)
    page = client_for(world.manager).get(reverse("schemes:detail", args=[world.scheme_a.pk]))
    assert "A planned meeting's outcome not recorded 5 days after it" in page.content.decode()
