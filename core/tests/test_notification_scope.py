"""Notifications follow the reader's roles now, not when they were sent: a coordinator taken
off a scheme no longer sees, counts or marks that scheme's case notifications, and one who
steps down to mentor there keeps only what was sent to them as a mentor."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import membership_remove
from accounts.tests.factories import MembershipFactory
from conftest import client_for
from core.models import Notification
from core.selectors import notifications_for, unread_notification_counts
from core.services import notify
from relationships.matching.offer_services import offer_decline
from relationships.tests.meeting_kit import CONCERN, form_data, new_url
from relationships.tests.offer_kit import mentor_without_login, offer, waiting_person
from schemes.tests.factories import MentorFactory

STAFF, MENTOR = Notification.Audience.STAFF, Notification.Audience.MENTOR


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


def _page(user) -> str:
    return client_for(user).get(reverse("core:notifications")).content.decode()


def test_a_coordinator_who_steps_down_to_mentor_keeps_only_their_mentor_notifications(
    world, django_capture_on_commit_callbacks
):
    """coordinator_a also mentors in scheme A. While coordinating they read the concern about
    R-xxxx and the notice that mentor_a declined Robin. Once the coordinator role is taken
    away but the mentor role kept, both are gone from the list, the badge and marking read,
    and the offer made to them as a mentor in the same scheme still shows."""
    concern = _raise_concern(world, django_capture_on_commit_callbacks)
    offer_decline(by=world.mentor_a, offer=offer(world), decline_reason="conflict")
    MembershipFactory(user=world.coordinator_a, scheme=world.scheme_a, role=Role.MENTOR)
    as_mentor = MentorFactory(user=world.coordinator_a, scheme=world.scheme_a, active=True)
    offer(world, mentee=waiting_person(world.scheme_a, given_name="Alex"), mentor=as_mentor)
    audiences = Notification.objects.filter(recipient=world.coordinator_a).values_list(
        "subject", "audience"
    )
    assert sorted(a for _, a in audiences) == [MENTOR, STAFF, STAFF]
    page = _page(world.coordinator_a)
    assert world.mentee_a.reference in page and "declined Robin" in page

    _remove(world, world.coordinator_a, Role.COORDINATOR, world.scheme_a)

    page = _page(world.coordinator_a)
    assert world.mentee_a.reference not in page and "declined Robin" not in page
    assert "Will you mentor Alex?" in page
    assert '1<span class="visually-hidden"> unread</span>' in page
    client_for(world.coordinator_a).post(reverse("core:notifications_read"), {"all": "1"})
    assert Notification.objects.get(pk=concern.pk).read_at is None
    unread = Notification.objects.filter(recipient=world.coordinator_a, read_at__isnull=True)
    assert sorted(unread.values_list("audience", flat=True)) == [STAFF, STAFF]


def test_a_mentor_who_becomes_a_coordinator_keeps_only_their_staff_notifications(world):
    """mentor_a is asked to mentor Robin, then gives up mentoring to coordinate scheme A.
    The offer made to them as a mentor hides; the notice they get as a coordinator, that
    another mentor declined Alex, shows."""
    offer(world)
    MembershipFactory(user=world.mentor_a, scheme=world.scheme_a, role=Role.COORDINATOR)
    _remove(world, world.mentor_a, Role.MENTOR, world.scheme_a)
    other = mentor_without_login(world)
    declined = offer(world, mentee=waiting_person(world.scheme_a, given_name="Alex"), mentor=other)
    offer_decline(by=world.coordinator_a, offer=declined, decline_reason="conflict", on_behalf=True)

    page = _page(world.mentor_a)
    assert "Will you mentor Robin?" not in page
    assert "declined Alex" in page
    mentor_a = type(world.mentor_a).objects.get(pk=world.mentor_a.pk)
    assert [n.audience for n in notifications_for(mentor_a)] == [STAFF]


def test_a_notification_about_a_case_must_say_whom_it_is_for(world):
    """A case notification meant for "anyone" would follow no role, so it is refused; a
    notification about no case may go to anyone."""
    with pytest.raises(ValueError, match="must name its audience"):
        notify(
            recipients=[world.coordinator_a],
            audience=Notification.Audience.ANYONE,
            subject="Concern",
            scheme_id=world.scheme_a.pk,
        )
    sent = notify(
        recipients=[world.coordinator_a],
        audience=Notification.Audience.ANYONE,
        subject="Tandem is down on Sunday",
    )
    assert [n.subject for n in notifications_for(world.coordinator_a)] == [sent[0].subject]


def test_the_migration_says_whom_old_notifications_were_for_from_their_link(world):
    """Old notifications get their audience from the page they link to: concern, person,
    suggestion and meeting pages are staff's, the mentor's list is the mentor's, and a link
    to a relationship or offer is the mentor's when its reader is that mentor and staff's
    otherwise. A link naming no role, or none, stays for anyone; a set audience is kept."""
    fill = importlib.import_module("core.migrations.0006_notification_audience_from_url")
    rel, made = world.relationship_a, offer(world)
    mentor, coordinator = world.mentor_a, world.coordinator_a
    links = {
        "concern": (coordinator, "/concerns/7/"),
        "meeting": (coordinator, f"/relationships/{rel.pk}/meetings/#meeting-3"),
        "person": (coordinator, f"/mentees/{world.mentee_a.pk}/"),
        "suggestions": (coordinator, f"/match/{world.mentee_a.pk}/"),
        "matched": (mentor, f"/relationships/{rel.pk}/"),
        "accepted": (coordinator, f"/relationships/{rel.pk}/"),
        "offered": (mentor, f"/offers/{made.pk}/"),
        "not made": (coordinator, f"/offers/{made.pk}/"),
        "ended": (mentor, "/my/mentees/"),
        "gone": (mentor, "/relationships/999999/"),
        "no link": (coordinator, ""),
        "other page": (coordinator, "/help/"),
    }
    old = {
        key: Notification.objects.create(recipient=reader, subject=key, url=url)
        for key, (reader, url) in links.items()
    }
    kept = Notification.objects.create(
        recipient=mentor, subject="kept", url="/my/mentees/", audience=STAFF
    )
    fill.fill_audience(apps, None)
    audiences = {key: Notification.objects.get(pk=n.pk).audience for key, n in old.items()}
    assert audiences == {
        "concern": STAFF,
        "meeting": STAFF,
        "person": STAFF,
        "suggestions": STAFF,
        "matched": MENTOR,
        "accepted": STAFF,
        "offered": MENTOR,
        "not made": STAFF,
        "ended": MENTOR,
        "gone": MENTOR,
        "no link": "",
        "other page": "",
    }
    assert Notification.objects.get(pk=kept.pk).audience == STAFF
