"""Managers give and take away roles in the app; every change is audited."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Role, User
from accounts.selectors import user_roles
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from conftest import client_for, query_count


def test_people_log_in_with_their_email_in_any_case(world, client):
    """Email addresses are matched without regard to case."""
    world.coordinator_a.email = "cat@example.org"
    world.coordinator_a.save()
    response = client.post(
        reverse("login"),
        {"username": "Cat@Example.ORG", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_says_so_clearly(world, client):
    response = client.post(reverse("login"), {"username": world.manager.email, "password": "x"})
    assert response.status_code == 200
    assert "password don&#x27;t match an account" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("mentor_a", "relationships:my_mentees"),
        ("coordinator_a", "home:dashboard"),
        ("manager", "home:overview"),
        ("no_role", "core:no_role"),
    ],
)
def test_each_role_lands_on_its_own_home(world, who, home):
    response = client_for(getattr(world, who)).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_a_manager_invites_someone_who_then_sets_a_password(
    world, client, django_capture_on_commit_callbacks, email_queue
):
    """The invitee gets an email with a one-time link; staff never handle passwords."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.manager).post(
            reverse("accounts:invite"),
            {
                "full_name": "Nia New",
                "email": "Nia@Example.org",
                "role": Role.COORDINATOR,
                "scheme": world.scheme_b.pk,
            },
        )
    person = User.objects.get(email="nia@example.org")
    assert response["Location"] == reverse("accounts:detail", args=[person.pk])
    assert not person.has_usable_password()
    assert user_roles(person).coordinator_scheme_ids == {world.scheme_b.pk}
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "user.invited",
        "membership.added",
    }
    email_queue.send()
    [email] = mail.outbox
    assert email.to == ["nia@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", email.body).group(1)
    form = client.get(link, follow=True)
    assert "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    assert done.status_code == 302
    logged_in = client.post(
        reverse("login"), {"username": "nia@example.org", "password": "a long new passphrase"}
    )
    assert logged_in["Location"] == reverse("home")


def test_inviting_an_existing_address_is_refused_with_a_reason(world):
    response = client_for(world.manager).post(
        reverse("accounts:invite"),
        {"full_name": "Again", "email": world.coordinator_b.email.upper(), "role": Role.MANAGER},
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()


def test_a_coordinator_role_needs_a_scheme(world):
    response = client_for(world.manager).post(
        reverse("accounts:detail", args=[world.no_role.pk]), {"role": Role.COORDINATOR}
    )
    assert "Choose the scheme this role is for" in response.content.decode()
    assert not world.no_role.memberships.exists()


def test_adding_and_removing_a_role_changes_scope_and_is_audited(world):
    manager = client_for(world.manager)
    manager.post(
        reverse("accounts:detail", args=[world.coordinator_b.pk]),
        {"role": Role.COORDINATOR, "scheme": world.scheme_a.pk},
    )
    mentee_url = reverse("mentees:detail", args=[world.mentee_a.pk])
    assert client_for(world.coordinator_b).get(mentee_url).status_code == 200

    membership = Membership.objects.get(user=world.coordinator_b, scheme=world.scheme_a)
    manager.post(
        reverse("accounts:membership_remove", args=[world.coordinator_b.pk, membership.pk])
    )
    assert client_for(world.coordinator_b).get(mentee_url).status_code == 404
    actions = list(
        AuditEvent.objects.filter(
            target_id=str(world.coordinator_b.pk), action__startswith="membership."
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["membership.added", "membership.removed"]


def test_a_manager_cannot_remove_their_own_manager_role(world):
    """An organisation cannot lock itself out by accident."""
    membership = world.manager.memberships.get()
    response = client_for(world.manager).post(
        reverse("accounts:membership_remove", args=[world.manager.pk, membership.pk]),
        follow=True,
    )
    assert "You cannot remove your own manager role" in response.content.decode()
    assert world.manager.memberships.filter(role=Role.MANAGER).exists()


def test_the_people_list_costs_the_same_queries_for_many_people(world):
    """No query per row: the list prefetches roles."""
    client = client_for(world.manager)
    url = reverse("accounts:list")
    before = query_count(client, url)
    MembershipFactory.create_batch(20, scheme=world.scheme_a)
    assert query_count(client, url) == before


def test_the_first_manager_is_created_from_the_command_line(
    db, django_capture_on_commit_callbacks, email_queue
):
    """A new installation gets its first manager through the audited invitation service."""
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_manager", "--email", "Boss@Example.org", "--name", "Bo Boss")
    boss = User.objects.get(email="boss@example.org")
    assert user_roles(boss).is_manager
    assert AuditEvent.objects.filter(action="membership.added", actor=None).exists()
    assert [e["to"] for e in email_queue.queued] == [["boss@example.org"]]


def test_the_invite_form_never_defaults_to_manager(world):
    """Submitting without choosing a role is refused: nobody becomes a manager by accident."""
    response = client_for(world.manager).post(
        reverse("accounts:invite"), {"full_name": "Hasty", "email": "hasty@example.org"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="hasty@example.org").exists()
    assert 'value="" selected' in response.content.decode()


def test_an_invitee_whose_link_expired_can_ask_for_a_new_one(
    world, client, django_capture_on_commit_callbacks, email_queue
):
    """'Forgotten your password?' also works for someone who never set one. The link is
    queued for the worker, never sent from the request."""
    world.no_role.set_unusable_password()
    world.no_role.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": world.no_role.email})
    assert mail.outbox == []
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [world.no_role.email]
    assert email.subject == "Set a new Tandem password"


def test_password_guessing_is_locked_out_for_that_account_and_address(world, client):
    """After five wrong passwords even the right one is refused for a while, with a page
    that says what happened and what to do."""
    email = world.coordinator_a.email
    for _ in range(5):
        client.post(reverse("login"), {"username": email.upper(), "password": "guess"})
    response = client.post(
        reverse("login"), {"username": email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "Too many attempts to log in" in response.content.decode()
    other = client.post(
        reverse("login"),
        {"username": world.manager.email, "password": "correct horse battery staple"},
    )
    assert other["Location"] == reverse("home"), "other accounts are not locked"


def test_closing_a_leavers_account_logs_them_out_and_keeps_the_trail(world):
    """A closed account's open session stops working at once; reopening restores the roles."""
    coordinator = client_for(world.coordinator_a)
    dashboard = reverse("home:dashboard")
    assert coordinator.get(dashboard).status_code == 200
    response = client_for(world.manager).post(
        reverse("accounts:set_active", args=[world.coordinator_a.pk]), {"active": "0"}, follow=True
    )
    assert "account is closed" in response.content.decode()
    assert coordinator.get(dashboard)["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="user.closed").exists()

    client_for(world.manager).post(
        reverse("accounts:set_active", args=[world.coordinator_a.pk]), {"active": "1"}
    )
    world.coordinator_a.refresh_from_db()
    assert client_for(world.coordinator_a).get(dashboard).status_code == 200


def test_a_manager_cannot_close_their_own_account(world):
    response = client_for(world.manager).post(
        reverse("accounts:set_active", args=[world.manager.pk]), {"active": "0"}, follow=True
    )
    assert "You cannot close your own account" in response.content.decode()
    world.manager.refresh_from_db()
    assert world.manager.is_active


def test_only_a_schemes_coordinators_may_write_its_case_records(world):
    """Managers read every scheme but write no case records; other coordinators neither."""
    from django.core.exceptions import PermissionDenied

    from accounts.permissions import require_coordinator_of

    require_coordinator_of(world.coordinator_a, world.scheme_a.pk)
    for user in (world.manager, world.coordinator_b, world.mentor_a):
        with pytest.raises(PermissionDenied):
            require_coordinator_of(user, world.scheme_a.pk)


def test_can_write_case_is_the_same_rule_for_every_scheme_record(world):
    """The predicate behind every <entity>_for_write and every page's can_write flag."""
    from accounts.permissions import can_write_case, case_scheme_ids

    assert can_write_case(world.coordinator_a, world.scheme_a.pk)
    assert not can_write_case(world.coordinator_a, world.scheme_b.pk)
    for user in (world.manager, world.mentor_a, world.no_role):
        assert not can_write_case(user, world.scheme_a.pk)
    assert case_scheme_ids(world.coordinator_b) == {world.scheme_b.pk}
    assert case_scheme_ids(world.manager) == frozenset()
