"""Schemes and their mentor pool.

The models live by topic (``scheme``: the scheme and its rules; ``funding``: grants and
targets; ``mentor``: a mentor's file; the mentor's records in ``schemes.mentors.records``);
every class is imported here, so Django finds them all and ``from schemes.models import X``
keeps working.
"""

from schemes.choices import MENTOR_TRANSITIONS, MentorKind, MentorStatus

# The mentor's records live in their own module to keep this one readable; importing them
# here is what registers them with Django.
from schemes.mentors.records import (
    AvailabilitySlot,
    DBSCheck,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)
from schemes.mentors.self_records import CapacityRequest, ExpiryReminder, ReflectionNote
from schemes.models.funding import Funding, FunnelStage, Target
from schemes.models.mentor import Mentor
from schemes.models.scheme import Scheme

# Migrations written before this package refer to the validators by this path.
from schemes.validators import validate_word_list  # noqa: F401

__all__ = [
    "MENTOR_TRANSITIONS",
    "AvailabilitySlot",
    "CapacityRequest",
    "DBSCheck",
    "ExpiryReminder",
    "Funding",
    "FunnelStage",
    "Mentor",
    "MentorKind",
    "MentorStatus",
    "MentorStatusChange",
    "PrisonClearance",
    "Reference",
    "ReflectionNote",
    "Scheme",
    "SupervisionSession",
    "Target",
    "TrainingRecord",
    "UnavailablePeriod",
]
