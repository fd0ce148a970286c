"""Enrolling, checking and resetting a second factor, each audited.

Guessing codes is stopped by django-otp's throttling, which every device here has
(``ThrottlingMixin``): after each wrong code the next try must wait twice as long as the last
(1, 2, 4, 8 … seconds). On top of it, ``SECOND_FACTOR_FAILURE_LIMIT`` wrong codes in a row
lock the step for ``SECOND_FACTOR_LOCKOUT`` (the same limits as a wrong password, by
default), read from the same failure count and time django-otp keeps on the device. A lock on
any of a user's devices (the app, the recovery codes, a device being set up) locks them all,
so a guesser cannot move on to the recovery codes.
"""

import datetime
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.second_factor.policy import second_factor_required
from accounts.selectors import user_roles
from accounts.session_services import sessions_end_all_but
from audit.services import audit_record
from core.mail import email_later

RECOVERY_CODES = 10
APP_CODE = re.compile(r"\d{6}")


class ResetReason(models.TextChoices):
    """Why a manager reset someone's second factor: a choice, so the audit holds no free text."""

    LOST = "lost", "Their phone was lost or stolen"
    NEW_PHONE = "new_phone", "They have a new phone"
    APP_REMOVED = "app_removed", "The authenticator app was removed or reset"
    NO_RECOVERY_CODES = "no_codes", "They have used or lost their recovery codes"


@dataclass(frozen=True)
class Check:
    """What came of a code: the device it matched, or when the step opens again if it is
    locked (both None: a wrong code)."""

    device: Device | None = None
    locked_until: datetime.datetime | None = None
    #: The app's code was right but already used (on another device, a moment ago).
    reused: bool = False


@dataclass(frozen=True)
class Enrolment:
    """What came of the first code from a new app: the recovery codes, to show once, or
    when the step opens again if it is locked (both None: a wrong code)."""

    codes: list[str] | None = None
    locked_until: datetime.datetime | None = None


def normalise_code(code: str) -> str:
    """What people type: spaces and dashes from copying a code, capitals from reading one."""
    return re.sub(r"[\s-]", "", code).lower()


def _held_until(device: ThrottlingMixin) -> datetime.datetime | None:
    """The lock after too many wrong codes in a row, if it still holds."""
    failed_at = device.throttling_failure_timestamp
    if failed_at is None or device.throttling_failure_count < settings.SECOND_FACTOR_FAILURE_LIMIT:
        return None
    held = failed_at + settings.SECOND_FACTOR_LOCKOUT
    return held if held > timezone.now() else None


def _locked_until(device: ThrottlingMixin) -> datetime.datetime | None:
    """The lock, or django-otp's wait before the next try, whichever ends later."""
    allowed, info = device.verify_is_allowed()
    times = [None if allowed else (info or {}).get("locked_until"), _held_until(device)]
    return max((t for t in times if t is not None), default=None)


def _devices(user: User, *, lock: bool = False) -> list[TOTPDevice | StaticDevice]:
    """All of ``user``'s devices, confirmed or being set up; locked for update when asked,
    so two codes sent at once are counted one after the other."""
    found: list[TOTPDevice | StaticDevice] = []
    for model in (TOTPDevice, StaticDevice):
        rows = model.objects.filter(user=user).order_by("pk")
        found += rows.select_for_update() if lock else rows
    return found


def second_factor_locked_until(*, user: User) -> datetime.datetime | None:
    """When ``user`` may next try a code, if too many wrong ones have locked the step."""
    times = [t for d in _devices(user) if (t := _locked_until(d)) is not None]
    return max(times, default=None)


#: The session's key for the app it is setting up: the device's pk, so each session sets up
#: its own key and a key shown to one session is never confirmed by another.
SETUP_DEVICE = "second_factor_setup_device"


@transaction.atomic
def second_factor_device_start(*, user: User, session: SessionBase) -> TOTPDevice:
    """The app this session is setting up: the same key until it is confirmed, so reloading
    the page does not undo a scan, but a fresh key for every other session. Starting removes
    the user's other unconfirmed devices, so a key shown to a session holding only the
    password (perhaps someone else's) is never the one the owner later confirms. Their wrong
    code count is carried over, so starting again does not lift a lock."""
    pk = session.get(SETUP_DEVICE)
    device = (
        TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
        if isinstance(pk, int)
        else None
    )
    if device is not None:
        return device
    others = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False))
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
    if others:
        worst = max(others, key=lambda d: d.throttling_failure_count)
        device.throttling_failure_count = worst.throttling_failure_count
        device.throttling_failure_timestamp = worst.throttling_failure_timestamp
        TOTPDevice.objects.filter(pk__in=[d.pk for d in others]).delete()
    device.save()
    session[SETUP_DEVICE] = device.pk
    return device


def _failed(*, user: User, step: str, failures: int, locked: bool) -> None:
    audit_record(
        actor=user,
        action="second_factor.failed",
        target=user,
        detail={"step": step, "failures": failures, "locked": locked},
    )


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> Check:
    """Check a code after the password: six digits from the app, or a recovery code, which
    is then used up. Every wrong code is counted and audited; a locked step refuses even the
    right code. Returns rather than raises, so the count and the audit are kept."""
    devices = _devices(user, lock=True)
    if until := second_factor_locked_until(user=user):
        _failed(user=user, step="verify", failures=_failures(devices), locked=True)
        return Check(locked_until=until)
    code = normalise_code(code)
    kind = TOTPDevice if APP_CODE.fullmatch(code) else StaticDevice
    tried = [d for d in devices if d.confirmed and isinstance(d, kind)]
    for device in tried:
        if device.verify_token(code):
            recovery = isinstance(device, StaticDevice)
            if recovery:
                audit_record(
                    actor=user,
                    action="second_factor.recovery_code_used",
                    target=user,
                    detail={"left": device.token_set.count()},
                )
            audit_record(
                actor=user,
                action="second_factor.verified",
                target=user,
                detail={"device": "recovery_code" if recovery else "app"},
            )
            return Check(device=device)
    if not tried and devices:
        devices[0].throttle_increment()  # counted even when no device of that kind exists
    until = _held_after_failure(user)
    _failed(user=user, step="verify", failures=_failures(devices), locked=until is not None)
    reused = kind is TOTPDevice and any(_already_used(d, code) for d in tried)
    return Check(locked_until=until, reused=reused)


def _already_used(device: TOTPDevice | StaticDevice, code: str) -> bool:
    """Whether an app's code django-otp refused was one it took earlier (django-otp refuses
    any code from a time step at or before the last one it accepted): the same check as
    django-otp's, without that floor. Such a code still counts as a wrong one."""
    if not isinstance(device, TOTPDevice):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t


def _held_after_failure(user: User) -> datetime.datetime | None:
    """Whether the wrong code just counted was the one that locked the step (django-otp's
    short wait is not reported here: it is said if the next try comes inside it)."""
    times = [t for d in _devices(user) if (t := _held_until(d)) is not None]
    return max(times, default=None)


def _failures(devices: list[TOTPDevice | StaticDevice]) -> int:
    return max((d.throttling_failure_count for d in devices), default=0)


def second_factor_recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes in place of any the user had (those stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return codes


@transaction.atomic
def second_factor_recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for someone who has given their code this session (the view checks
    it): the old ones stop working. Returned to be shown once; audited, and the person is
    emailed, so codes made by someone else at their desk are found out."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Set up an authenticator app first")
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action="second_factor.recovery_codes_renewed",
        target=user,
        detail={"codes": len(codes)},
    )
    email_later(
        to=[user.email],
        subject="New recovery codes were made for your Tandem account",
        body=(
            f"Hello {user.get_short_name()},\n\n"
            "New recovery codes were just made for your Tandem account; the old ones no "
            "longer work.\n\n"
            "If this was you, there is nothing to do.\n"
            f"If this was not you, tell {_whom_to_tell(user)} straight away.\n"
        ),
    )
    return codes


@transaction.atomic
def second_factor_enrol(*, user: User, device: TOTPDevice, code: str) -> Enrolment:
    """Confirm the app being set up with a code from it, and make ten new recovery codes.

    The codes are returned to be shown once and never again (only django-otp's copy is
    kept, to check them). Any earlier app or codes of the user's are replaced. The user is
    emailed, so someone who set up a device in their name is found out."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if until := second_factor_locked_until(user=user):
        _failed(user=user, step="enrol", failures=device.throttling_failure_count, locked=True)
        return Enrolment(locked_until=until)
    if not device.verify_token(normalise_code(code)):
        until = _held_after_failure(user)
        failures = device.throttling_failure_count
        _failed(user=user, step="enrol", failures=failures, locked=until is not None)
        return Enrolment(locked_until=until)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="second_factor.enrolled", target=user)
    email_later(
        to=[user.email],
        subject="A new sign-in device was added to your Tandem account",
        body=(
            f"Hello {user.get_short_name()},\n\n"
            "An authenticator app was just set up to give the codes you need to log in to "
            "Tandem, and new recovery codes were made.\n\n"
            "If this was you, there is nothing to do.\n"
            f"If this was not you, tell {_whom_to_tell(user)} straight away: someone may "
            "know your password.\n"
        ),
    )
    return Enrolment(codes=codes)


def _whom_to_tell(user: User) -> str:
    """Whom someone tells if a new device was not theirs: a manager, unless they are one."""
    if user.is_superuser or user_roles(user).is_manager:
        return "another manager or the system administrator"
    return "a manager"


@transaction.atomic
def second_factor_reset(*, by: User | None, user: User, reason: str) -> int:
    """Remove ``user``'s app and recovery codes when they have lost them: every session of
    theirs ends, they are emailed, and they set up a new app after logging in again. Nobody
    resets their own: that would let a stolen password replace the owner's phone. Only the
    system administrator (a superuser) resets a manager's or a superuser's: a manager's
    reset, with their password alone, would otherwise let one manager's account take over
    another's. ``by`` is None for the operator's ``reset_second_factor`` command, for when the
    last manager or the administrator has lost theirs: the audit says so."""
    if reason not in ResetReason.values:
        raise ValidationError({"reason": "Select why the second factor is being reset"})
    if by is not None and by.pk == user.pk:
        raise ValidationError(
            "You cannot reset your own second factor: ask a manager or the system administrator"
        )
    protected = user.is_superuser or user_roles(user).is_manager
    if by is not None and protected and not by.is_superuser:
        raise ValidationError(
            f"Only the system administrator can reset {user}'s second factor, as they are a manager"
        )
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    if not removed:
        raise ValidationError(f"{user} has no second factor set up")
    ended = sessions_end_all_but(user=user, keep=None)
    detail: dict[str, object] = {
        "reason": reason,
        "by": by.pk if by else None,
        "devices": removed,
        "sessions": ended,
    }
    if by is None:
        detail["via"] = "command_line"
    audit_record(actor=by, action="second_factor.reset", target=user, detail=detail)
    who = "a manager" if by is not None and not by.is_superuser else "the system administrator"
    next_step = (
        "You will set up a new authenticator app when you next log in."
        if second_factor_required(user)
        else "You can set up a new one from your account page if you want one."
    )
    email_later(
        to=[user.email],
        subject="Your Tandem second factor was reset",
        body=(
            f"Hello {user.get_short_name()},\n\n"
            f"Your second factor (authenticator app and recovery codes) was reset by {who}. "
            f"The old app and codes no longer work, and you were signed out everywhere. "
            f"{next_step}\n\n"
            "If you did not ask for this, tell your coordinator or manager straight away: "
            "someone may know your password.\n"
        ),
    )
    return removed
