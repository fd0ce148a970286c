"""What the mentor is told when their match closes: that it ended, and when the private
notes they wrote about its meetings will be deleted (the scheme's ``private_notes_keep_days``
after closing; ``privacy.tasks.run_retention`` deletes them)."""

import datetime

from django.urls import reverse

from core.models import Notification
from core.services import notify
from relationships.models import Relationship


def private_notes_deleted_on(relationship: Relationship) -> datetime.date:
    """The day the worker deletes this closed relationship's private notes."""
    if relationship.closed_on is None:
        raise ValueError("Only a closed relationship's private notes have a deletion date.")
    keep = relationship.mentee.scheme.private_notes_keep_days
    return relationship.closed_on + datetime.timedelta(days=keep)


def private_notes_sentence(relationship: Relationship) -> str:
    return (
        "Any private notes you wrote about your meetings will be deleted on "
        f"{private_notes_deleted_on(relationship):%-d %B %Y}."
    )


def mentor_told_of_closure(relationship: Relationship) -> None:
    """Tell the mentor the match has closed and when their private notes go (nothing if the
    mentor has no login)."""
    mentor_user = relationship.mentor.user
    if mentor_user is None:
        return
    given = relationship.mentee.short_name
    notify(
        recipients=[mentor_user],
        audience=Notification.Audience.MENTOR,
        subject=f"Your match with {given} has closed",
        body=(
            f"Your match with {given} has closed, and you will no longer see their record. "
            f"{private_notes_sentence(relationship)}"
        ),
        url=reverse("relationships:my_mentees"),
        scheme_id=relationship.mentee.scheme_id,
        mentee_id=relationship.mentee_id,
    )
