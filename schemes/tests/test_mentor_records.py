"""Writes to a mentor's records (vetting, training, references, availability, time away,
supervision): dated, checked, audited, and never by the mentor themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from schemes.mentors import (
    availability_services,
    services,
    supervision_services,
    vetting_services,
)
from schemes.models import DBSCheck, Mentor, PrisonClearance
from schemes.tests.factories import (
    DBSCheckFactory,
    MentorFactory,
    MentorStatusChangeFactory,
    days_ago,
    days_ahead,
)
from schemes.tests.mentor_kit import (
    RECORD_WRITES,
    TODAY,
    events_of,
    mentor_in_vetting,
    record_service,
)


@pytest.mark.parametrize(("service", "kwargs", "action"), RECORD_WRITES)
def test_every_record_write_is_audited_against_the_mentor_file(world, service, kwargs, action):
    """The audit trail of a mentor's file shows everything recorded on it, by whom, and
    holds ids or codes, never free text such as supervision notes."""
    mentor = MentorFactory(scheme=world.scheme_a)
    record_service(service)(mentor=mentor, by=world.coordinator_a, **kwargs)
    (event,) = events_of(mentor, action)
    assert event.actor == world.coordinator_a and event.scheme == world.scheme_a
    assert "Going well" not in str(event.detail) and "vacation" not in str(event.detail)


@pytest.mark.parametrize("service", ["mentor_dbs_check_add", "mentor_clearance_add"])
def test_vetting_must_expire_after_it_was_issued(world, service):
    mentor = MentorFactory(scheme=world.scheme_a)
    extra = {"level": "basic"} if service == "mentor_dbs_check_add" else {"establishment": "X"}
    with pytest.raises(ValidationError, match="expiry date must be after the issue date"):
        record_service(service)(
            mentor=mentor,
            by=world.coordinator_a,
            issued_on=days_ago(3),
            expires_on=days_ago(3),
            **extra,
        )


@pytest.mark.parametrize("model", [DBSCheck, PrisonClearance])
def test_the_database_refuses_vetting_that_expires_before_issue(world, model):
    """The rule holds even for code that skips the services."""
    mentor = MentorFactory(scheme=world.scheme_a)
    extra = {"level": "basic"} if model is DBSCheck else {"establishment": "X"}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(mentor=mentor, issued_on=days_ago(1), expires_on=days_ago(2), **extra)


def test_the_database_refuses_a_capacity_of_zero_and_an_active_mentor_never_activated(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentor.objects.filter(pk=mentor.pk).update(capacity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentor.objects.filter(pk=mentor.pk).update(status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorStatusChangeFactory(mentor=mentor, from_status="applied", to_status="applied")


def test_availability_replaces_the_weekly_slots_and_sets_capacity(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    availability_services.mentor_availability_set(
        mentor=mentor, by=world.coordinator_a, slots=[(0, "morning"), (2, "evening")], capacity=2
    )
    availability_services.mentor_availability_set(
        mentor=mentor, by=world.coordinator_a, slots=[(2, "evening"), (4, "afternoon")], capacity=3
    )
    assert set(mentor.slots.values_list("weekday", "part")) == {(2, "evening"), (4, "afternoon")}
    assert Mentor.objects.get(pk=mentor.pk).capacity == 3
    with pytest.raises(ValidationError, match="Capacity must be 1 or more"):
        availability_services.mentor_availability_set(
            mentor=mentor, by=world.coordinator_a, slots=[], capacity=0
        )


def test_an_unavailable_period_cannot_end_before_it_starts(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(ValidationError, match="last day cannot be before the first day"):
        availability_services.mentor_unavailable_period_add(
            mentor=mentor, by=world.coordinator_a, starts_on=days_ahead(5), ends_on=days_ahead(4)
        )


def test_supervision_needs_notes_and_a_next_date_after_the_session(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    log = supervision_services.mentor_supervision_log
    with pytest.raises(ValidationError, match="Write a few words"):
        log(mentor=mentor, by=world.coordinator_a, held_on=days_ago(1), notes="  ")
    with pytest.raises(ValidationError, match="must be due after this one"):
        log(
            mentor=mentor,
            by=world.coordinator_a,
            held_on=days_ago(1),
            notes="ok",
            next_due_on=days_ago(1),
        )


def test_a_basic_dbs_check_does_not_make_a_mentor_active_or_matchable(world):
    """Mentoring people on bail, probation or leaving prison needs an enhanced check."""
    from schemes.mentors.selectors import mentor_matchability, mentors_matchable
    from schemes.models import Mentor

    mentor = mentor_in_vetting(world)
    DBSCheckFactory(mentor=mentor, level="basic", issued_on=days_ago(10), expires_on=days_ago(-700))
    with pytest.raises(ValidationError, match="below enhanced level"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    Mentor.objects.filter(pk=mentor.pk).update(status="active", first_active_on=days_ago(5))
    mentor.refresh_from_db()
    reasons = mentor_matchability(mentor=mentor, on=TODAY()).reasons
    assert "needs an enhanced check" in " ".join(reasons)
    assert not mentors_matchable(Mentor.objects.filter(pk=mentor.pk), on=TODAY()).exists()


def test_a_coordinator_who_also_mentors_cannot_vet_or_supervise_themselves(world):
    """Someone who coordinates a scheme and mentors in it cannot write to their own file."""
    from django.urls import reverse

    from accounts.models import Membership
    from conftest import client_for
    from schemes.tests.factories import MentorFactory

    own = MentorFactory(scheme=world.scheme_a, user=world.coordinator_a)
    Membership.objects.create(user=world.coordinator_a, role="mentor", scheme=world.scheme_a)
    response = client_for(world.coordinator_a).get(reverse("mentors:dbs_add", args=[own.pk]))
    assert response.status_code == 403


def test_no_service_lets_anyone_write_their_own_file(world):
    """Nobody vets, supervises or promotes themselves: every write to a mentor's file refuses
    the person whose file it is, whoever calls the service and whatever roles they hold, but
    for the parts a mentor keeps up to date (their free times, time away, contact details).
    The file is left as it was and nothing is audited."""
    from django.core.exceptions import PermissionDenied

    own = world.mentor_file_a  # mentor_a's own file in scheme A, active and vetted
    by = world.mentor_a
    profile = {name: getattr(own, name) for name in services.PROFILE_FIELDS}
    writes = {
        "mentor_update": lambda: services.mentor_update(
            mentor=own, by=by, **{**profile, "phone": "0113 496 0001"}
        ),
        "mentor_change_status": lambda: services.mentor_change_status(
            mentor=own, by=by, to_status="paused", on=TODAY()
        ),
        "mentor_dbs_check_add": lambda: vetting_services.mentor_dbs_check_add(
            mentor=own, by=by, level="enhanced", issued_on=TODAY(), expires_on=days_ahead(900)
        ),
        "mentor_clearance_add": lambda: vetting_services.mentor_clearance_add(
            mentor=own,
            by=by,
            establishment="HMP Leeds",
            issued_on=TODAY(),
            expires_on=days_ahead(300),
        ),
        "mentor_training_add": lambda: vetting_services.mentor_training_add(
            mentor=own, by=by, module="Boundaries", completed_on=TODAY()
        ),
        "mentor_reference_add": lambda: vetting_services.mentor_reference_add(
            mentor=own, by=by, referee="Myself", received_on=TODAY(), satisfactory=True
        ),
        # Their free times are theirs to set (test_mentor_self_service), their capacity not.
        "mentor_availability_set": lambda: availability_services.mentor_availability_set(
            mentor=own, by=by, slots=[(0, "morning")], capacity=5
        ),
        "mentor_supervision_log": lambda: supervision_services.mentor_supervision_log(
            mentor=own, by=by, held_on=TODAY(), notes="All fine, says I."
        ),
    }
    records = ("dbs_checks", "clearances", "training", "references", "slots")
    records += ("unavailable_periods", "supervisions", "status_changes")

    def snapshot() -> tuple:
        fresh = Mentor.objects.get(pk=own.pk)
        counts = tuple(getattr(fresh, name).count() for name in records)
        return Mentor.objects.values().get(pk=own.pk), counts

    before = snapshot()
    for name, write in writes.items():
        with pytest.raises(PermissionDenied):
            write()
        assert snapshot() == before, name
    assert not AuditEvent.objects.filter(target_id=str(own.pk)).exists()


def test_the_same_services_accept_the_files_coordinator(world):
    """The rule is about whose file it is, not about the service: the scheme's coordinator
    logs supervision for the same mentor."""
    session = supervision_services.mentor_supervision_log(
        mentor=world.mentor_file_a, by=world.coordinator_a, held_on=TODAY(), notes="Going well."
    )
    assert session.by == world.coordinator_a
