"""The shared vocabularies of the case work: the goods a goal serves, who did something, and
who drives a relationship."""

from django.db import models


class PrimaryGood(models.TextChoices):
    """The Good Lives Model's primary goods: what people seek for their own sake."""

    LIFE_HEALTH = "life_health", "Life and health"
    KNOWLEDGE = "knowledge", "Knowledge"
    EXCELLENCE = "excellence", "Excellence in work and play"
    AGENCY = "agency", "Agency (making my own choices)"
    INNER_PEACE = "inner_peace", "Inner peace"
    RELATEDNESS = "relatedness", "Relatedness (friendship, family)"
    COMMUNITY = "community", "Community"
    SPIRITUALITY = "spirituality", "Spirituality"
    PLEASURE = "pleasure", "Pleasure"
    CREATIVITY = "creativity", "Creativity"


class Party(models.TextChoices):
    """Who did something: proposed a goal, owns a step, started a contact."""

    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    TOGETHER = "together", "Together"
    COORDINATOR = "coordinator", "Coordinator"


class Driving(models.TextChoices):
    """Who is driving the relationship, as each side sees it at a review."""

    MENTEE_LED = "mentee_led", "Mentee-led"
    SHARED = "shared", "Shared"
    MENTOR_LED = "mentor_led", "Mentor-led"


class FirstMeeting(models.TextChoices):
    """How the mentor and mentee first meet. Meeting the actual mentor before release is
    good practice, so for someone in custody a visit there is offered first."""

    CUSTODY_VISIT = "custody_visit", "A visit in custody, before release (recommended)"
    PRISON_GATE = "prison_gate", "At the prison gate on the day of release"
    AFTER_RELEASE = "after_release", "After release, in the community"
    FACE_TO_FACE = "face_to_face", "Face to face in the community"
    PHONE_FIRST = "phone_first", "A phone or video call first"
