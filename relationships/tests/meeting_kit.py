"""What meetings tests share: data and helpers."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from relationships.meetings.services import meeting_log
from relationships.models import Meeting, Party, Relationship

PRIVATE = "Talked about his brother's trial: PRIVATE-XYZZY"

SHARED = "Went through the housing form together: SHARED-PLUGH"

CONCERN = "Said someone is threatening him at the hostel: CONCERN-FROBOZZ"


def form_data(**overrides) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": Meeting.Outcome.MET,
        "mode": Meeting.Mode.FACE_TO_FACE,
        "duration": "45",
        "initiated_by": Party.MENTEE,
        "purpose": Meeting.Purpose.GOALS,
        "note_shared": "",
        "note_private": "",
        "concern": "",
        "expenses": "",
    }
    if overrides.get("concern"):  # a concern needs its kind (None to leave it out)
        data["concern_category"] = "safeguarding_mentee"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def log(user, relationship: Relationship, **kwargs) -> Meeting:
    defaults = {
        "client_id": uuid.uuid4(),
        "held_at": timezone.now() - datetime.timedelta(hours=1),
        "duration_minutes": 60,
        "mode": Meeting.Mode.PHONE,
        "initiated_by": Party.MENTEE,
        "outcome": Meeting.Outcome.MET,
        "purpose": Meeting.Purpose.GOALS,
    }
    if kwargs.get("concern"):
        defaults["concern_category"] = "safeguarding_mentee"
    return meeting_log(by=user, relationship=relationship, **{**defaults, **kwargs})


def new_url(relationship: Relationship) -> str:
    return reverse("relationships:meeting_new", args=[relationship.pk])


def detail_url(relationship: Relationship) -> str:
    return reverse("relationships:detail", args=[relationship.pk])
