"""The operator's commands for a second factor: django-otp's ``addstatictoken`` (a recovery
code for anyone, unaudited) is hidden by one that refuses, and ``reset_second_factor`` resets
through the same audited service as a manager's reset."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command, get_commands
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor.services import ResetReason
from accounts.tests.second_factor_helpers import enrolled, password_login
from audit.models import AuditEvent
from audit.selectors import audit_events_described


def test_addstatictoken_is_tandems_own_command(world):
    """Django takes ``addstatictoken`` from accounts, not from django-otp."""
    assert get_commands()["addstatictoken"] == "accounts"


def test_addstatictoken_refuses_and_points_to_the_audited_way(world):
    """Asking for a recovery code for someone from the command line makes none and says
    which command to use instead."""
    with pytest.raises(CommandError, match="reset_second_factor"):
        call_command("addstatictoken", world.manager.email)

    assert not StaticToken.objects.exists()
    assert not StaticDevice.objects.exists()


def test_reset_second_factor_resets_audits_signs_out_and_emails(
    world, email_queue, django_capture_on_commit_callbacks
):
    """The last manager lost their phone: the operator's command removes their app and
    codes, audits it with no actor and as from the command line, ends their sessions and
    emails them."""
    manager = world.manager
    enrolled(manager)
    client = password_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reset_second_factor", manager.email.upper(), "--reason", "lost")

    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticDevice.objects.filter(user=manager).exists()
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert event.actor is None
    assert event.target_id == str(manager.pk)
    assert event.detail["via"] == "command_line" and event.detail["reason"] == "lost"
    [described] = audit_events_described([event])
    assert "Done from the command line on the server" in described.detail
    assert "_auth_user_id" not in client.session
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [manager.email]
    assert "reset by the system administrator" in email.body
    assert "If you did not ask for this, tell your coordinator or manager" in email.body


def test_reset_second_factor_takes_only_the_reset_forms_reasons(world):
    """The reason is one of the reset form's: anything else is refused before any change."""
    enrolled(world.manager)

    with pytest.raises(CommandError):
        call_command("reset_second_factor", world.manager.email, "--reason", "because")

    assert TOTPDevice.objects.filter(user=world.manager).exists()
    assert set(ResetReason.values) >= {"lost"}


def test_reset_second_factor_says_plainly_when_there_is_nothing_to_reset(world):
    """An unknown email or someone with no app gives a plain error and no audit event."""
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_second_factor", "nobody@example.org", "--reason", "lost")
    with pytest.raises(CommandError, match="no second factor"):
        call_command("reset_second_factor", world.mentor_a.email, "--reason", "lost")

    assert not AuditEvent.objects.filter(action="second_factor.reset").exists()
