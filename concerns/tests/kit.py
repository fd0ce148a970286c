"""What the concerns tests share: words no other text contains, and a concern raised the way
a mentor raises one, on the meeting form."""

import datetime
import uuid

from django.utils import timezone

from concerns.models import Category, Concern, Urgency
from concerns.services import concern_raise
from relationships.meetings.services import meeting_log
from relationships.models import Meeting, Party, Relationship

WORDS = "He says his landlord threatened him last night: WORDS-GRUE"
ACTION_NOTE = "Rang his probation officer, who will visit: ACTION-ZORKMID"
CLOSING_NOTE = "Moved to a new hostel, threat gone: CLOSING-FLATHEAD"


def raised_on_a_meeting(
    user, relationship: Relationship, *, category: str = Category.SAFEGUARDING_MENTEE
) -> Concern:
    """A meeting logged with a concern, as the form sends it; the concern it made."""
    meeting = meeting_log(
        by=user,
        relationship=relationship,
        client_id=uuid.uuid4(),
        held_at=timezone.now() - datetime.timedelta(hours=1),
        duration_minutes=60,
        mode=Meeting.Mode.FACE_TO_FACE,
        initiated_by=Party.MENTEE,
        outcome=Meeting.Outcome.MET,
        purpose=Meeting.Purpose.GOALS,
        concern=WORDS,
        concern_category=category,
        concern_urgency=Urgency.TODAY,
    )
    return Concern.objects.get(meeting=meeting)


def raised_by_coordinator(user, mentee, **kwargs) -> Concern:
    return concern_raise(
        by=user,
        mentee=mentee,
        category=kwargs.pop("category", Category.RISK_TO_OTHERS),
        urgency=kwargs.pop("urgency", Urgency.ROUTINE),
        words=kwargs.pop("words", WORDS),
        **kwargs,
    )


def make_overdue(concern: Concern, *, hours: int = 1) -> Concern:
    """Move a concern's clock back: raised long enough ago to be past its time."""
    shift = datetime.timedelta(hours=concern.scheme.concern_acknowledge_hours + hours)
    Concern.objects.filter(pk=concern.pk).update(
        raised_at=concern.raised_at - shift, due_at=concern.due_at - shift
    )
    concern.refresh_from_db()
    return concern
