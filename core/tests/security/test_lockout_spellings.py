"""Replays of the second review's ways round the lockout and the second factor, each now
stopped: a spelling the database folds but normalising does not, one guess at each of many
accounts from one address, and django-otp's own device pages in the admin."""

from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import TEST_PASSWORD, UserFactory

ATTACKER_ADDRESS = "81.2.69.160"


def _from(client, address: str, email: str, password: str):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_a_dotless_i_does_not_escape_a_lock_of_the_account(db, client):
    """PostgreSQL finds 'mira@…' spelt with a dotless i (U+0131) as the account, which normalising
    leaves apart: after five wrong passwords, the right one under that spelling is refused
    at that address too, and nobody is logged in."""
    victim = UserFactory(email="mira.iii@example.org")
    for _ in range(5):
        _from(client, ATTACKER_ADDRESS, victim.email, "guess")

    response = _from(client, ATTACKER_ADDRESS, "m\u0131ra.iii@example.org", TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_guess_at_each_of_many_accounts_from_one_address_is_stopped(db, client, settings):
    """Password spraying at its purest: one common password tried once on each account.
    Past the address's cap every account is refused from there, even with the right
    password, so the sprayer cannot go on account after account."""
    accounts = UserFactory.create_batch(settings.LOGIN_FAILURE_CAP_PER_ADDRESS + 1)
    for user in accounts[:-1]:
        _from(client, ATTACKER_ADDRESS, user.email, "Summer2026!")

    response = _from(client, ATTACKER_ADDRESS, accounts[-1].email, TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_django_otps_own_device_pages_are_not_in_the_admin(db):
    """They show every secret key and recovery code and delete devices without an audit
    event; a second factor is reset only through the audited page."""
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
