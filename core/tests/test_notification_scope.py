"""Notifications follow the reader's roles now, not when they were sent: a coordinator taken
off a scheme no longer sees, counts or marks that scheme's case notifications."""

import importlib

from django.apps import apps
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import membership_remove
from accounts.tests.factories import MembershipFactory
from conftest import client_for
from core.models import Notification
from core.selectors import notifications_for, unread_notification_counts
from relationships.tests.meeting_kit import CONCERN, form_data, new_url


def _raise_concern(world, capture) -> Notification:
    """mentor_a logs a meeting with a concern: coordinator_a is told, about scheme A."""
    with capture(execute=True):
        response = client_for(world.mentor_a).post(
            new_url(world.relationship_a), form_data(concern=CONCERN, concern_urgency="today")
        )
    assert response.status_code == 302
    return Notification.objects.get(recipient=world.coordinator_a)


def _remove(world, user, role, scheme) -> None:
    membership = Membership.objects.get(user=user, role=role, scheme=scheme)
    membership_remove(by=world.manager, membership=membership)


def test_a_removed_coordinator_no_longer_sees_the_schemes_old_notifications(
    world, django_capture_on_commit_callbacks
):
    """The concern names the mentee by reference. While coordinator_a runs scheme A they see
    it and the badge counts it; once taken off scheme A, the list shows no reference of that
    scheme, the badge does not count it, and marking it read does nothing. A notification
    about no scheme stays."""
    note = _raise_concern(world, django_capture_on_commit_callbacks)
    assert note.scheme_id == world.scheme_a.pk
    Notification.objects.create(recipient=world.coordinator_a, subject="Your password changed")
    MembershipFactory(user=world.coordinator_a, scheme=world.scheme_b)  # still a coordinator
    client = client_for(world.coordinator_a)
    reference = world.mentee_a.reference
    page = client.get(reverse("core:notifications")).content.decode()
    assert reference in page
    assert '2<span class="visually-hidden"> unread, 1 urgent' in page

    _remove(world, world.coordinator_a, Role.COORDINATOR, world.scheme_a)

    page = client.get(reverse("core:notifications")).content.decode()
    assert reference not in page
    assert "Your password changed" in page
    assert '1<span class="visually-hidden"> unread</span>' in page
    coordinator = type(world.coordinator_a).objects.get(pk=world.coordinator_a.pk)
    assert unread_notification_counts(coordinator) == {"unread": 1, "urgent": 0}
    client.post(reverse("core:notifications_read"), {"notification": note.pk})
    client.post(reverse("core:notifications_read"), {"all": "1"})
    note.refresh_from_db()
    assert note.read_at is None
    page = client.get(reverse("home:dashboard")).content.decode()
    assert reference not in page and "unread" not in page


def test_given_the_role_back_the_notification_shows_again(
    world, django_capture_on_commit_callbacks
):
    """Hidden, not deleted: access is read from the memberships each time."""
    note = _raise_concern(world, django_capture_on_commit_callbacks)
    _remove(world, world.coordinator_a, Role.COORDINATOR, world.scheme_a)
    assert note not in notifications_for(world.coordinator_a)
    MembershipFactory(user=world.coordinator_a, scheme=world.scheme_a)
    coordinator = type(world.coordinator_a).objects.get(pk=world.coordinator_a.pk)
    assert note in notifications_for(coordinator)


def test_a_manager_sees_every_schemes_notifications(world):
    """Managers read every scheme, so nothing of theirs is hidden."""
    note = Notification.objects.create(
        recipient=world.manager, subject="Concern in B", scheme=world.scheme_b
    )
    assert list(notifications_for(world.manager)) == [note]


def test_a_mentor_sees_a_schemes_notifications_only_while_they_mentor_there(world):
    """A mentor told of a match sees it while they hold the mentor role in the scheme, and
    not once the role is taken away."""
    note = Notification.objects.create(
        recipient=world.mentor_a, subject="You have been matched", scheme=world.scheme_a
    )
    client = client_for(world.mentor_a)
    assert "You have been matched" in client.get(reverse("core:notifications")).content.decode()
    _remove(world, world.mentor_a, Role.MENTOR, world.scheme_a)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "You have been matched" not in page
    assert not notifications_for(type(note.recipient).objects.get(pk=world.mentor_a.pk))


def test_the_migration_names_the_scheme_of_old_notifications_from_their_link(world):
    """Notifications sent before they named a scheme get it from the case page they link
    to (a relationship, or a person); a link to a list names none and stays as it was."""
    fill = importlib.import_module("core.migrations.0004_notification_scheme_from_url")
    rel = world.relationship_a
    old = {
        "meeting": Notification.objects.create(
            recipient=world.coordinator_a,
            subject="Concern",
            url=f"/relationships/{rel.pk}/meetings/#meeting-3",
        ),
        "match": Notification.objects.create(
            recipient=world.mentor_a, subject="Matched", url=f"/relationships/{rel.pk}/"
        ),
        "person": Notification.objects.create(
            recipient=world.coordinator_b, subject="B", url=f"/mentees/{world.mentee_b.pk}/"
        ),
        "list": Notification.objects.create(
            recipient=world.mentor_a, subject="Ended", url="/my/mentees/"
        ),
        "gone": Notification.objects.create(
            recipient=world.mentor_a, subject="Gone", url="/relationships/999999/"
        ),
    }
    fill.fill_scheme(apps, None)
    schemes = {key: Notification.objects.get(pk=n.pk).scheme_id for key, n in old.items()}
    assert schemes == {
        "meeting": world.scheme_a.pk,
        "match": world.scheme_a.pk,
        "person": world.scheme_b.pk,
        "list": None,
        "gone": None,
    }
