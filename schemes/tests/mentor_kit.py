"""What the tests of a mentor's file share: data, helpers and the record writes."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from schemes.mentors import (
    availability_services,
    services,
    supervision_services,
    vetting_services,
)
from schemes.models import Mentor
from schemes.tests.factories import MentorFactory, days_ago, days_ahead

TODAY = timezone.localdate


def events_of(mentor: Mentor, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(mentor.pk)).order_by("pk"))


def message_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def create_mentor(world, **overrides) -> Mentor:
    fields = {
        "by": world.coordinator_a,
        "scheme": world.scheme_a,
        "given_name": " Priya ",
        "family_name": "Shah",
        "applied_on": days_ago(40),
    }
    return services.mentor_create(**{**fields, **overrides})


def mentor_in_vetting(world) -> Mentor:
    return MentorFactory(scheme=world.scheme_a, status="vetting", status_since=days_ago(20))


RECORD_WRITES = [
    (
        "mentor_dbs_check_add",
        {"level": "enhanced", "issued_on": days_ago(5), "expires_on": days_ahead(1090)},
        "mentor.dbs_check_added",
    ),
    (
        "mentor_clearance_add",
        {"establishment": "HMP  Leeds", "issued_on": days_ago(5), "expires_on": days_ahead(360)},
        "mentor.clearance_added",
    ),
    (
        "mentor_training_add",
        {"module": "Boundaries", "completed_on": days_ago(2)},
        "mentor.training_added",
    ),
    (
        "mentor_reference_add",
        {"referee": "Employer", "received_on": days_ago(2), "satisfactory": True},
        "mentor.reference_added",
    ),
    (
        "mentor_unavailable_period_add",
        {"starts_on": days_ahead(10), "ends_on": days_ahead(70), "reason": "Summer vacation"},
        "mentor.unavailable_period_added",
    ),
    (
        "mentor_supervision_log",
        {"held_on": days_ago(1), "notes": "Going well.", "next_due_on": days_ahead(41)},
        "mentor.supervision_logged",
    ),
    (
        "mentor_availability_set",
        {"slots": [(1, "evening"), (5, "morning")], "capacity": 3},
        "mentor.availability_set",
    ),
]


RECORD_SERVICES = (vetting_services, availability_services, supervision_services)


def record_service(name):
    """A write to a mentor's records by name, from the module of its topic."""
    (module,) = [m for m in RECORD_SERVICES if hasattr(m, name)]
    return getattr(module, name)
