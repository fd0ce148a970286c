"""Writing a person's equality answers (``mentees.models.equality``): only what they chose to
say, dated; and removing them all when they ask. The audit names the questions, never the
answers: an audit reader learns that someone answered, not how."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.services import apply_changes
from mentees.models import Mentee

#: The questions, as the mentee's fields.
QUESTIONS = ("gender", "ethnicity", "disability")


@transaction.atomic
def mentee_equality_record(
    *, by: User, mentee: Mentee, gender: str, ethnicity: str, disability: str
) -> Mentee:
    """Record the answers the person chose to give today. A question left unanswered stays
    blank ("not asked" in reports); "prefer not to say" is an answer. Answers are never used
    by matching and never shown to a mentor."""
    if not (gender or ethnicity or disability):
        raise ValidationError(
            "Choose an answer to at least one question. If the person would rather not "
            "answer any, there is nothing to save: choose Cancel"
        )
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    changed = apply_changes(
        mentee, {"gender": gender, "ethnicity": ethnicity, "disability": disability}
    )
    mentee.equality_answered_on = timezone.localdate()
    mentee.full_clean()
    mentee.save(update_fields=[*QUESTIONS, "equality_answered_on"])
    audit_record(
        actor=by,
        action="mentee.equality_recorded",
        target=mentee,
        scheme=mentee.scheme,
        detail={"fields": changed},
    )
    return mentee


@transaction.atomic
def mentee_equality_clear(*, by: User, mentee: Mentee) -> Mentee:
    """Remove every answer, as the person asked: they read "not asked" again in reports."""
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    removed = [name for name in QUESTIONS if getattr(mentee, name)]
    if not removed and mentee.equality_answered_on is None:
        raise ValidationError("There are no answers to remove")
    for name in QUESTIONS:
        setattr(mentee, name, "")
    mentee.equality_answered_on = None
    mentee.save(update_fields=[*QUESTIONS, "equality_answered_on"])
    audit_record(
        actor=by,
        action="mentee.equality_cleared",
        target=mentee,
        scheme=mentee.scheme,
        detail={"fields": removed},
    )
    return mentee


def mentee_equality_viewed(*, mentee: Mentee, by: User) -> None:
    """Opening the answers is recorded, as every view of a case record is."""
    audit_record(actor=by, action="mentee.equality_viewed", target=mentee, scheme=mentee.scheme)
