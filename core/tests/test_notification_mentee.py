"""Notifications written before they named their person get it from their link, so erasure
and subject access find them: a person's page or suggestions name them, a match, offer or
concern names its person, and the mentor's own list names the one person among those the
reader mentored or was offered whose first name the subject carries."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from concerns.models import Concern
from core.models import Notification
from mentees.models import Mentee
from privacy.tests.people import person_with_everything
from relationships.tests.offer_kit import offer


def test_the_migration_names_the_person_of_old_notifications_from_their_link(world):
    """Each link names its person; the mentor's list names the one whose first name the
    subject carries, and nobody when none or two fit; a link to a missing record, another
    page or none names nobody; a person already named is kept."""
    fill = importlib.import_module("core.migrations.0009_notification_mentee_from_url")
    rel, made, mentor, staff = (
        world.relationship_a,
        offer(world),
        world.mentor_a,
        world.coordinator_a,
    )
    person = person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=staff,
        ended_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    concern = Concern.objects.get(mentee=person.mentee)
    given = "Quentinella"  # unlike anyone else's: mentor_a mentored both people here
    Mentee.objects.filter(pk=world.mentee_a.pk).update(given_name=given)
    links = {
        "person": (staff, f"/mentees/{world.mentee_a.pk}/", "x"),
        "suggestions": (staff, f"/match/{made.mentee_id}/", "x"),
        "meeting": (staff, f"/relationships/{rel.pk}/meetings/#meeting-3", "x"),
        "matched": (mentor, f"/relationships/{rel.pk}/", "x"),
        "offered": (mentor, f"/offers/{made.pk}/", "x"),
        "concern": (staff, f"/concerns/{concern.pk}/", "x"),
        "closed": (mentor, "/my/mentees/", f"Your match with {given} has closed"),
        "unknown name": (mentor, "/my/mentees/", "Your match with Zebedee has closed"),
        "gone": (staff, "/relationships/999999/", "x"),
        "other page": (staff, "/help/", "x"),
        "no link": (staff, "", "x"),
    }
    old = {
        key: Notification.objects.create(recipient=reader, subject=subject, url=url)
        for key, (reader, url, subject) in links.items()
    }
    kept = Notification.objects.create(
        recipient=staff, subject="kept", url=f"/match/{made.mentee_id}/", mentee=person.mentee
    )
    fill.fill_mentee(apps, None)
    named = {key: Notification.objects.get(pk=n.pk).mentee_id for key, n in old.items()}
    assert named == {
        "person": world.mentee_a.pk,
        "suggestions": made.mentee_id,
        "meeting": rel.mentee_id,
        "matched": rel.mentee_id,
        "offered": made.mentee_id,
        "concern": person.mentee.pk,
        "closed": world.mentee_a.pk,
        "unknown name": None,
        "gone": None,
        "other page": None,
        "no link": None,
    }
    assert Notification.objects.get(pk=kept.pk).mentee_id == person.mentee.pk
