"""Attacks on the second factor (issue 15): a stolen password alone opens no case page and
no admin page, codes cannot be guessed, a recovery code works once, and only a manager resets
someone's lost device."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from accounts.tests.second_factor_helpers import app_code, enrolled, password_login
from audit.models import AuditEvent
from conftest import client_for


def _case_pages(world) -> list[str]:
    return [
        reverse("home"),
        reverse("home:dashboard"),
        reverse("mentees:list"),
        reverse("mentees:detail", kwargs={"pk": world.mentee_a.pk}),
        reverse("mentees:edit", kwargs={"pk": world.mentee_a.pk}),
        reverse("relationships:detail", kwargs={"pk": world.relationship_a.pk}),
        reverse("audit:list"),
        reverse("password_change"),
        reverse("admin:index"),
    ]


@pytest.mark.parametrize("has_device", [False, True], ids=["no device yet", "device"])
def test_a_password_alone_opens_no_case_page(world, has_device):
    """A coordinator who has typed only their password is sent to set up a device (none yet)
    or to give a code (one set up) from every case page, and a write is not made."""
    if has_device:
        enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    step = reverse("second_factor:verify" if has_device else "second_factor:enrol")
    for url in _case_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(step), (url, response["Location"])
    before = world.mentee_a.phone
    response = client.post(
        reverse("mentees:edit", kwargs={"pk": world.mentee_a.pk}), {"phone": "07700 900999"}
    )
    assert response.status_code == 302 and response["Location"].startswith(step)
    world.mentee_a.refresh_from_db()
    assert world.mentee_a.phone == before


def test_the_admin_is_no_way_round(db):
    """A superuser who typed only their password is sent to set up a device before the
    admin opens, whether they logged in on the app's login page or the admin's."""
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = password_login(admin_user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response["Location"].startswith(reverse("second_factor:enrol"))
    through_admin = Client()
    response = through_admin.post(
        reverse("admin:login"), {"username": admin_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    response = through_admin.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("second_factor:enrol"))


def test_the_admin_resets_a_device_through_the_same_audited_page(world):
    """A superuser (with their own code given) resets a lost device from the user's admin
    page: the same page managers use, audited the same way."""
    enrolled(world.mentor_a)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    page = client.get(reverse("admin:accounts_user_change", args=[world.mentor_a.pk]))
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.mentor_a.pk})
    assert url in page.content.decode()
    response = client.post(url, {"reason": "new_phone", "confirmed": "on"})
    assert response["Location"] == reverse("admin:accounts_user_change", args=[world.mentor_a.pk])
    assert not TOTPDevice.objects.filter(user=world.mentor_a).exists()
    assert AuditEvent.objects.filter(action="second_factor.reset", actor=admin_user).exists()


def test_a_password_alone_cannot_replace_the_owners_device(world):
    """Someone with a stolen password cannot set up their own app in place of the owner's:
    the set-up page sends them to the code step, and a code from a new key is not taken."""
    device, _ = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    response = client.get(reverse("second_factor:enrol"))
    assert response["Location"].startswith(reverse("second_factor:verify"))
    response = client.post(reverse("second_factor:enrol"), {"code": "123456"})
    assert response["Location"].startswith(reverse("second_factor:verify"))
    assert list(TOTPDevice.objects.filter(user=world.coordinator_a)) == [device]


def test_a_wrong_code_is_refused_and_audited(world):
    """A wrong code keeps the person at the code step, with the reason in words, and the
    failure is in the audit trail."""
    enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    response = client.post(reverse("second_factor:verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("mentees:list")).status_code == 302
    event = AuditEvent.objects.get(action="second_factor.failed")
    assert event.actor == world.coordinator_a
    assert event.target_id == str(world.coordinator_a.pk)


def test_many_wrong_codes_lock_the_step_even_for_the_right_code(world, settings):
    """After the limit of wrong codes in a row, the right code from the app is refused too,
    recovery codes as well: guessing is stopped, and the lock is audited. (django-otp's
    doubling wait between tries is turned off here, so the guesses are all checked: the
    lock holds without it.)"""
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    device, recovery = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    for guess in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        client.post(reverse("second_factor:verify"), {"code": f"{guess:06d}"})
    for code in (app_code(device), recovery[0]):
        response = client.post(reverse("second_factor:verify"), {"code": code})
        assert response.status_code == 200
        assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("mentees:list")).status_code == 302
    assert StaticToken.objects.filter(token=recovery[0]).exists()  # not used up
    locked = AuditEvent.objects.filter(action="second_factor.failed", detail__locked=True)
    assert locked.count() >= 2


def test_a_quick_retry_waits_for_django_otps_doubling_delay(world):
    """Right after wrong codes, django-otp makes the next try wait (1, 2, 4 … seconds): the
    right code sent inside the wait is refused, with what to do in words."""
    device, _ = enrolled(world.coordinator_a)
    device.throttling_failure_count = 2
    device.throttling_failure_timestamp = timezone.now() + datetime.timedelta(seconds=30)
    device.save()
    client = password_login(world.coordinator_a)
    response = client.post(reverse("second_factor:verify"), {"code": app_code(device)})
    assert "Wait a few seconds" in response.content.decode()
    assert client.get(reverse("mentees:list")).status_code == 302


def test_the_right_code_opens_the_pages(world):
    """With the password and the app's code, the coordinator reaches their pages."""
    device, _ = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    next_url = reverse("mentees:detail", kwargs={"pk": world.mentee_a.pk})
    response = client.post(
        reverse("second_factor:verify"), {"code": app_code(device), "next": next_url}
    )
    assert response["Location"] == next_url
    assert client.get(next_url).status_code == 200


def test_a_recovery_code_works_once(world):
    """A recovery code lets its owner in once, is audited, and is then refused."""
    _, recovery = enrolled(world.coordinator_a)
    first = password_login(world.coordinator_a)
    response = first.post(reverse("second_factor:verify"), {"code": recovery[0].upper()})
    assert response.status_code == 302
    assert first.get(reverse("mentees:list")).status_code == 200
    assert AuditEvent.objects.filter(action="second_factor.recovery_code_used").count() == 1
    second = password_login(world.coordinator_a)
    response = second.post(reverse("second_factor:verify"), {"code": recovery[0]})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert second.get(reverse("mentees:list")).status_code == 302


def test_a_mentor_whose_scheme_requires_it_is_sent_to_set_up(world):
    """When the scheme asks its mentors for a second factor, a mentor with only a password
    is sent to set one up; a mentor of a scheme that does not ask reaches their pages."""
    client = password_login(world.mentor_a)
    assert client.get(reverse("relationships:my_mentees")).status_code == 200
    world.scheme_a.second_factor_for_mentors = True
    world.scheme_a.save()
    client = password_login(world.mentor_a)
    response = client.get(reverse("relationships:my_mentees"))
    assert response["Location"].startswith(reverse("second_factor:enrol"))


def test_a_manager_resets_a_lost_device_and_the_person_sets_up_again(world):
    """A manager's reset removes the app and the recovery codes, is audited with who did it
    and why, and the person's open session ends: they log in again and set up a new app."""
    enrolled(world.coordinator_a)
    owner = client_for(world.coordinator_a)
    assert owner.get(reverse("mentees:list")).status_code == 200
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.coordinator_a.pk})
    manager = client_for(world.manager)
    refused = manager.post(url, {"reason": "lost"})
    assert refused.status_code == 200  # not confirmed: nothing removed
    assert TOTPDevice.objects.filter(user=world.coordinator_a).exists()
    response = manager.post(url, {"reason": "lost", "confirmed": "on"})
    assert response["Location"] == reverse("accounts:detail", kwargs={"pk": world.coordinator_a.pk})
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()
    assert not StaticDevice.objects.filter(user=world.coordinator_a).exists()
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert event.actor == world.manager and event.target_id == str(world.coordinator_a.pk)
    assert event.detail["reason"] == "lost" and event.detail["by"] == world.manager.pk
    assert event.detail["sessions"] == 1
    response = owner.get(reverse("mentees:list"))
    assert response["Location"].startswith(reverse("login"))
    again = password_login(world.coordinator_a)
    assert again.get(reverse("mentees:list"))["Location"].startswith(reverse("second_factor:enrol"))


@pytest.mark.parametrize("role", ["coordinator_b", "coordinator_a", "mentor"])
def test_nobody_but_a_manager_resets_a_device(world, role):
    """A coordinator (of the person's scheme or another) or a mentor cannot reset someone's
    second factor: refused, and the device stays."""
    device, _ = enrolled(world.coordinator_a)
    user = {"coordinator_a": world.coordinator_a, "coordinator_b": world.coordinator_b}.get(
        role, world.mentor_a
    )
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.coordinator_a.pk})
    response = client_for(user).post(url, {"reason": "lost", "confirmed": "on"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_reset_of_no_such_person_is_not_found(world):
    """A manager resetting an account that does not exist gets 404, not a hint."""
    url = reverse("accounts:second_factor_reset", kwargs={"pk": 999_999})
    response = client_for(world.manager).post(url, {"reason": "lost", "confirmed": "on"})
    assert response.status_code == 404


def test_a_manager_cannot_reset_their_own_device(world):
    """A manager with a stolen password cannot replace their own phone by resetting it."""
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.manager.pk})
    response = client_for(world.manager).post(url, {"reason": "lost", "confirmed": "on"})
    assert response.status_code == 200
    assert "You cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.manager).exists()


def _key_shown(client: Client) -> str:
    """The key the set-up page shows for typing into an app, without its spaces."""
    import re

    page = client.get(reverse("second_factor:enrol")).content.decode()
    found = re.search(r"[A-Z2-7]{4}(?: [A-Z2-7]{4})+", page)
    assert found, "the set-up page shows a key"
    return found.group(0).replace(" ", "")


def test_a_key_shown_to_a_password_only_session_is_not_the_one_the_owner_sets_up(world):
    """Someone with only the password opens the set-up page and copies the key; later the
    owner logs in and sets up their app. The owner's key is a new one, and the copied key's
    codes do not pass the second step."""
    import base64

    from django_otp.oath import TOTP

    victim = world.coordinator_a
    attacker = password_login(victim)
    captured = _key_shown(attacker)
    assert _key_shown(attacker) == captured  # a reload keeps the key being scanned

    owner = password_login(victim)
    owners_key = _key_shown(owner)
    assert owners_key != captured
    device = TOTPDevice.objects.get(user=victim, confirmed=False)
    response = owner.post(reverse("second_factor:enrol"), {"code": app_code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=victim).count() == 1

    stolen = base64.b32decode(captured + "=" * (-len(captured) % 8))
    for step in (0, 1):
        totp = TOTP(stolen, 30, 0, 6, 0)
        totp.time = timezone.now().timestamp() + step * 30
        again = password_login(victim)
        again.post(reverse("second_factor:verify"), {"code": f"{totp.token():06d}"})
        assert again.get(reverse("home"))["Location"].startswith(reverse("second_factor:verify"))


def test_the_attackers_session_cannot_confirm_after_the_owner_starts(world):
    """Once the owner's session has started setting up, the key the other session was shown
    is gone: a code from it is refused, and no app is set up."""
    victim = world.coordinator_a
    attacker = password_login(victim)
    _key_shown(attacker)
    attackers_device = TOTPDevice.objects.get(user=victim, confirmed=False)
    owner = password_login(victim)
    _key_shown(owner)

    assert not TOTPDevice.objects.filter(pk=attackers_device.pk).exists()
    attacker.post(reverse("second_factor:enrol"), {"code": app_code(attackers_device)})
    assert not TOTPDevice.objects.filter(user=victim, confirmed=True).exists()
