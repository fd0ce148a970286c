"""The demo's staff logins keep working with the second factor: each gets an authenticator
app whose key is drawn when the data is seeded and printed beside the login, and a code
from that key lets them in. No other account's key is ever printed."""

import base64
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from accounts.tests.factories import UserFactory
from accounts.tests.second_factor_helpers import enrolled
from demo.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from demo.seeder import demo_second_factor_key

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_staff_log_in_with_the_printed_app_key(client, capsys):
    """The printed key of the demo coordinator gives the code that opens their dashboard."""
    call_command("seed_demo")
    call_command("seed_demo", "--logins")
    out = capsys.readouterr().out
    keys = dict(re.findall(r"(\S+@demo\.tandem\.example)\s+app key: ([A-Z2-7 ]+)", out))
    assert set(keys) == {DEMO_LOGINS["manager"], DEMO_LOGINS["coordinator"]}
    key = keys[DEMO_LOGINS["coordinator"]].strip().replace(" ", "")
    browser = Client()
    browser.post(
        reverse("login"), {"username": DEMO_LOGINS["coordinator"], "password": DEMO_PASSWORD}
    )
    assert browser.get(reverse("home:dashboard"))["Location"].startswith(
        reverse("second_factor:verify")
    )
    code = f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"
    browser.post(reverse("second_factor:verify"), {"code": code})
    assert browser.get(reverse("home:dashboard")).status_code == 200


def test_the_demo_keys_are_drawn_not_written_down():
    """Each demo login's key is drawn at random when seeding (django-otp's own key maker),
    not a key written in the code or made from the seed: two logins never share one."""
    call_command("seed_demo")
    manager = demo_second_factor_key(DEMO_LOGINS["manager"])
    coordinator = demo_second_factor_key(DEMO_LOGINS["coordinator"])
    assert manager and coordinator and manager != coordinator
    assert demo_second_factor_key(DEMO_LOGINS["mentor"]) is None  # mentors need none here


def test_no_other_accounts_key_is_read():
    """Only the demo logins' keys are given out, never a real account's."""
    real = UserFactory(email="real.person@example.org")
    enrolled(real)
    assert demo_second_factor_key(real.email) is None
