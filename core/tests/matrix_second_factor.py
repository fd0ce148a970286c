"""The writes the second factor's rows of the permission matrix send: setting up an app and
giving a code (each from a session that has given only the password), and a manager's reset
of someone's lost device."""

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.second_factor.services import SETUP_DEVICE
from accounts.tests.second_factor_helpers import app_code
from conftest import World
from core.tests.matrix import Write


def _enrol_data(world: World, user: User | None) -> dict[str, Any]:
    """The user's app is gone (their session is no longer verified) and a new one is being
    set up: the code it shows."""
    if user is None:
        return {"code": "123456"}
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="New phone", confirmed=False)
    return {"code": app_code(device)}


def _setting_up_here(world: World, user: User | None, client) -> None:
    """The session is the one setting up that app (each session sets up its own)."""
    if user is None:
        return
    session = client.session
    session[SETUP_DEVICE] = TOTPDevice.objects.get(user=user, confirmed=False).pk
    session.save()


def _enrolled(world: World, user: User | None, client) -> None:
    assert TOTPDevice.objects.get(user=user, confirmed=True).name == "New phone"
    assert StaticToken.objects.filter(device__user=user).count() == 10


ENROL = Write(
    audit=("second_factor.enrolled",),
    data=_enrol_data,
    before=_setting_up_here,
    done=_enrolled,
)


def _verify_data(world: World, user: User | None) -> dict[str, Any]:
    if user is None:
        return {"code": "123456"}
    return {"code": app_code(TOTPDevice.objects.get(user=user, confirmed=True))}


def _password_only(world: World, user: User | None, client) -> None:
    """The session as it is after the password alone."""
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()


def _verified(world: World, user: User | None, client) -> None:
    assert DEVICE_ID_SESSION_KEY in client.session


VERIFY = Write(data=_verify_data, before=_password_only, done=_verified)


def _reset_done(world: World, user: User | None, client) -> None:
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()


RESET = Write(
    audit=("second_factor.reset",),
    data=lambda w, u: {"reason": "lost", "confirmed": "on"},
    done=_reset_done,
)


def _codes_renewed(world: World, user: User | None, client) -> None:
    assert StaticToken.objects.filter(device__user=user).count() == 10


RENEW = Write(audit=("second_factor.recovery_codes_renewed",), done=_codes_renewed)
