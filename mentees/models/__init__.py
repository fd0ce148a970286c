"""The mentees app's models, one module per topic.

Every model and choice is imported here, so Django finds the models and every
``from mentees.models import X`` keeps working (migrations name ``validate_availability``
here too).
"""

from mentees.models.consent import Consent
from mentees.models.equality import ETHNIC_GROUPS, Disability, Ethnicity, Gender, ethnic_group
from mentees.models.people import (
    AVAILABILITY_CHOICES,
    DAY_PARTS,
    WEEKDAYS,
    Mentee,
    NeedDomain,
    Readiness,
    Situation,
    validate_availability,
)
from mentees.models.referrals import ContactAttempt, Referral, ReferralTransition
from mentees.models.restrictions import RestrictionKind, SafetyRestriction

__all__ = [
    "AVAILABILITY_CHOICES",
    "DAY_PARTS",
    "ETHNIC_GROUPS",
    "WEEKDAYS",
    "Consent",
    "ContactAttempt",
    "Disability",
    "Ethnicity",
    "Gender",
    "Mentee",
    "NeedDomain",
    "Readiness",
    "Referral",
    "ReferralTransition",
    "RestrictionKind",
    "SafetyRestriction",
    "Situation",
    "ethnic_group",
    "validate_availability",
]
