"""Writes to a mentor's file: the pipeline's rules, vetting dates, and an audit event for each."""

import pytest
from django.core.exceptions import ValidationError

from schemes.mentors import (
    services,
)
from schemes.models import MENTOR_TRANSITIONS, Mentor
from schemes.tests.factories import (
    DBSCheckFactory,
    MentorFactory,
    days_ago,
    days_ahead,
)
from schemes.tests.mentor_kit import (
    TODAY,
    create_mentor,
    events_of,
    mentor_in_vetting,
    message_of,
)


def test_creating_a_mentor_starts_their_timeline_and_is_audited(world):
    """A new file is an application: status applied, dated, on the timeline, audited."""
    mentor = create_mentor(world)
    assert mentor.given_name == "Priya"
    assert mentor.status == Mentor.Status.APPLIED
    assert mentor.status_since == mentor.applied_on == days_ago(40)
    step = mentor.status_changes.get()
    assert (step.from_status, step.to_status, step.changed_on) == ("", "applied", days_ago(40))
    assert step.by == world.coordinator_a
    (event,) = events_of(mentor, "mentor.created")
    assert event.actor == world.coordinator_a and event.scheme == world.scheme_a


def test_lists_and_home_area_are_tidied_as_people_type_them(world):
    """Words are trimmed and kept once whatever their case; the postcode district is upper
    case without spaces."""
    mentor = create_mentor(
        world,
        languages=["English", " english", "Polish ", ""],
        interests=["football", "Football"],
        home_area="ls 6",
    )
    assert mentor.languages == ["English", "Polish"]
    assert mentor.interests == ["football"]
    assert mentor.home_area == "LS6"


def test_a_home_area_must_look_like_a_postcode_district(world):
    """A town name is refused in plain words."""
    with pytest.raises(ValidationError, match="first half of their postcode"):
        create_mentor(world, home_area="Leeds")


def test_an_application_cannot_be_dated_in_the_future(world):
    with pytest.raises(ValidationError, match="application date cannot be in the future"):
        create_mentor(world, applied_on=days_ahead(1))


def test_updating_a_mentor_audits_the_names_of_changed_fields_only(world):
    """The audit detail names fields, never their values; an unchanged save writes nothing."""
    mentor = MentorFactory(scheme=world.scheme_a, phone="")
    profile = {name: getattr(mentor, name) for name in services.PROFILE_FIELDS}
    services.mentor_update(mentor=mentor, by=world.coordinator_a, **profile)
    assert events_of(mentor, "mentor.updated") == []
    profile.update(phone="0113 496 0000", gender_self_description="woman")
    services.mentor_update(mentor=mentor, by=world.coordinator_a, **profile)
    (event,) = events_of(mentor, "mentor.updated")
    assert event.detail == {"fields": ["gender_self_description", "phone"]}
    mentor.refresh_from_db()
    assert mentor.phone == "0113 496 0000"


def test_the_pipeline_runs_from_application_to_active_with_dated_steps(world):
    """Each step is on the timeline and audited; the first active date gives the days from
    application to active."""
    mentor = create_mentor(world, applied_on=days_ago(60))
    by = world.coordinator_a
    services.mentor_change_status(
        mentor=mentor, by=by, to_status="in_training", on=days_ago(50), note="Starts Monday"
    )
    services.mentor_change_status(mentor=mentor, by=by, to_status="vetting", on=days_ago(30))
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(12))
    services.mentor_change_status(mentor=mentor, by=by, to_status="active", on=days_ago(10))
    mentor.refresh_from_db()
    assert mentor.status == Mentor.Status.ACTIVE
    assert mentor.first_active_on == mentor.status_since == days_ago(10)
    assert mentor.days_to_active == 50
    steps = list(mentor.status_changes.values_list("from_status", "to_status", "changed_on"))
    assert steps == [
        ("", "applied", days_ago(60)),
        ("applied", "in_training", days_ago(50)),
        ("in_training", "vetting", days_ago(30)),
        ("vetting", "active", days_ago(10)),
    ]
    assert mentor.status_changes.get(to_status="in_training").note == "Starts Monday"
    events = events_of(mentor, "mentor.status_changed")
    assert [e.detail["to"] for e in events] == ["in_training", "vetting", "active"]
    assert events[-1].detail == {"from": "vetting", "to": "active", "on": str(days_ago(10))}


ALL_PAIRS = [(a, b) for a in Mentor.Status.values for b in Mentor.Status.values if a != b]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_defined_transitions_are_allowed(world, from_status, to_status):
    """Every pair of statuses: allowed steps succeed (with a valid DBS), others are refused
    with the step named and nothing written."""
    active_before = from_status in ("active", "paused")
    mentor = MentorFactory(
        scheme=world.scheme_a,
        status=from_status,
        status_since=days_ago(100),
        first_active_on=days_ago(100) if active_before else None,
    )
    DBSCheckFactory(mentor=mentor)
    call = {"mentor": mentor, "by": world.coordinator_a, "to_status": to_status, "on": TODAY()}
    if to_status in MENTOR_TRANSITIONS[from_status]:
        services.mentor_change_status(**call)
        assert Mentor.objects.get(pk=mentor.pk).status == to_status
    else:
        with pytest.raises(ValidationError) as exc:
            services.mentor_change_status(**call)
        if from_status == "left":
            assert "applies again" in message_of(exc)
        else:
            assert f"cannot move to “{Mentor.Status(to_status).label}”" in message_of(exc)
        assert Mentor.objects.get(pk=mentor.pk).status == from_status
        assert mentor.status_changes.count() == 0
        assert events_of(mentor, "mentor.status_changed") == []


def test_the_refusal_says_where_the_mentor_can_go_instead(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(ValidationError) as exc:
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    assert message_of(exc) == (
        "A mentor who is “Applied” cannot move to “Active”. "
        "From here they can move to: In training or Vetting or Left"
    )


def test_becoming_active_needs_a_dbs_check(world):
    mentor = mentor_in_vetting(world)
    with pytest.raises(ValidationError, match="need a DBS check valid on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )


def test_becoming_active_is_refused_with_an_expired_dbs_check(world):
    mentor = mentor_in_vetting(world)
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(1200), expires_on=days_ago(3))
    with pytest.raises(ValidationError, match="DBS check expired on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )


def test_a_dbs_check_is_not_valid_on_its_expiry_date(world):
    """The expiry date is the first day a check no longer counts."""
    mentor = mentor_in_vetting(world)
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(1000), expires_on=TODAY())
    with pytest.raises(ValidationError, match="expired on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="active", on=days_ago(1)
    )
    assert Mentor.objects.get(pk=mentor.pk).status == "active"


def test_returning_from_a_pause_keeps_the_first_active_date(world):
    mentor = MentorFactory(scheme=world.scheme_a, active=True)
    first = mentor.first_active_on
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="paused", on=days_ago(5)
    )
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
    )
    mentor.refresh_from_db()
    assert mentor.first_active_on == first and mentor.status_since == TODAY()


def test_a_change_cannot_be_dated_before_the_current_status_or_in_the_future(world):
    mentor = create_mentor(world, applied_on=days_ago(10))
    with pytest.raises(ValidationError, match="cannot be dated before their current status"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="vetting", on=days_ago(11)
        )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="vetting", on=days_ahead(1)
        )
