"""What the second-factor tests share: a login through the real form with the password
alone, and the code an authenticator app would show (django-otp's own TOTP)."""

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD


def password_login(user: User) -> Client:
    """A client that has typed ``user``'s password in the login form, and nothing else."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` 30-second steps on: django-otp refuses
    a code used once, so a second login in the same half-minute types the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """``user`` with a confirmed app and three recovery codes, as if they had set them up."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = ["abcd2345", "efgh6723", "ijkl7234"]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return device, codes
