"""Every authentication event is in the audit trail, with the account and the address and
never a password; the person is told by email when their password changes."""

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tests.factories import TEST_PASSWORD
from audit.models import AuditEvent
from conftest import client_for

NEW_PASSWORD = "a much longer passphrase for 2027"
ADDRESS = "81.2.69.160"


def _login(client, email: str, password: str):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ADDRESS
    )


def test_a_login_is_audited_with_the_address(world, client):
    """A successful login is recorded against the person, from their address."""
    _login(client, world.mentor_a.email, TEST_PASSWORD)

    event = AuditEvent.objects.get(action="user.logged_in")
    assert event.actor == world.mentor_a
    assert event.target_id == str(world.mentor_a.pk)
    assert event.detail == {"address": ADDRESS}


def test_a_failed_login_names_the_account_but_never_the_password(world, client):
    """A wrong password for a real account is recorded against that account; what was typed
    as the password appears nowhere in the trail."""
    _login(client, world.mentor_a.email, "Wr0ng-but-close!")

    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.actor is None
    assert event.target_type == "accounts.user" and event.target_id == str(world.mentor_a.pk)
    assert event.detail == {"account": "known", "address": ADDRESS}
    assert "Wr0ng" not in str(event.detail)


def test_a_failed_login_for_an_unknown_email_keeps_nothing_typed(world, client):
    """For an email that matches no account, the trail records that a failure happened and
    from where, but not the email typed (it may be a password typed in the wrong box)."""
    _login(client, "MySecretPassw0rd@nowhere.example", "anything")

    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.target_id == "None"
    assert event.detail == {"account": "unknown", "address": ADDRESS}
    assert "mysecret" not in f"{event.target_id}{event.detail}".lower()


def test_a_logout_is_audited(world):
    """Logging out is recorded as asked for by the person."""
    client = client_for(world.coordinator_a)
    client.post(reverse("logout"))

    event = AuditEvent.objects.get(action="user.logged_out")
    assert event.actor == world.coordinator_a
    assert event.detail["reason"] == "asked"


def test_a_password_change_is_audited_and_emailed(
    world, django_capture_on_commit_callbacks, email_queue
):
    """Changing one's password is recorded, and an email tells the person it happened and
    what to do if it was not them."""
    client = client_for(world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_change"),
            {
                "old_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

    assert AuditEvent.objects.filter(
        action="user.password_changed", actor=world.coordinator_a
    ).exists()
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [world.coordinator_a.email]
    assert email.subject == "Your Tandem password has been changed"
    assert "If it was not you" in email.body
    assert reverse("password_reset") in email.body
    assert NEW_PASSWORD not in email.body


def test_a_reset_request_is_audited_for_known_and_unknown_addresses(world, client):
    """Asking for a reset link is recorded against the account, or as for no account
    without keeping the address typed."""
    client.post(reverse("password_reset"), {"email": world.mentor_a.email})
    client.post(reverse("password_reset"), {"email": "stranger@nowhere.example"})

    events = AuditEvent.objects.filter(action="user.password_reset_requested")
    assert sorted(e.target_id for e in events) == sorted([str(world.mentor_a.pk), "None"])
    assert "stranger" not in str([e.detail for e in events])


def test_a_completed_reset_is_audited_and_emailed(
    world, client, django_capture_on_commit_callbacks, email_queue
):
    """Setting a password from the emailed link is recorded and told by email."""
    user = world.mentor_a
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = client.get(
        reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

    assert AuditEvent.objects.filter(action="user.password_reset", actor=user).exists()
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [user.email]
    assert "reset from an emailed link" in email.body
