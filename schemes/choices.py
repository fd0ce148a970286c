"""The mentor's kinds and pipeline, shared by the mentor file and its records (kept apart so
``schemes.mentors.records`` needs nothing from ``schemes.models``)."""

from django.db import models


class MentorKind(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    PAID_STAFF = "paid_staff", "Paid staff"
    PEER = "peer", "Peer mentor (lived experience)"


class MentorStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    IN_TRAINING = "in_training", "In training"
    VETTING = "vetting", "Vetting"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


# Where a mentor may go next. Vetting may start before training ends, and may send someone
# back to training. Left is final: someone who comes back applies again, so the time from
# application to active stays true for each application.
MENTOR_TRANSITIONS: dict[str, tuple[MentorStatus, ...]] = {
    MentorStatus.APPLIED: (MentorStatus.IN_TRAINING, MentorStatus.VETTING, MentorStatus.LEFT),
    MentorStatus.IN_TRAINING: (MentorStatus.VETTING, MentorStatus.LEFT),
    MentorStatus.VETTING: (MentorStatus.IN_TRAINING, MentorStatus.ACTIVE, MentorStatus.LEFT),
    MentorStatus.ACTIVE: (MentorStatus.PAUSED, MentorStatus.LEFT),
    MentorStatus.PAUSED: (MentorStatus.ACTIVE, MentorStatus.LEFT),
    MentorStatus.LEFT: (),
}
