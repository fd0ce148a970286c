"""The two pages of the second step: setting up an app (with the recovery codes shown once)
and giving a code after the password. Both are open to someone who has only typed their
password (``middleware.EXEMPT``), so each checks for itself what that person may do here."""

import base64
import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import AuthedRequest
from accounts.second_factor.forms import EnrolForm, VerifyForm
from accounts.second_factor.policy import second_factor_required
from accounts.second_factor.services import (
    SETUP_DEVICE,
    second_factor_device_start,
    second_factor_enrol,
    second_factor_recovery_codes_left,
    second_factor_recovery_codes_renew,
    second_factor_verify,
)
from accounts.session_services import session_cycled

#: Where the new recovery codes wait, between setting up and the page that shows them.
NEW_CODES = "second_factor_new_codes"
#: Set when those codes replace earlier ones, rather than come with a new app.
CODES_RENEWED = "second_factor_codes_renewed"


def _next(request: AuthedRequest) -> str:
    """Where the person was going before the second step, if it is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _locked_words(until: datetime.datetime) -> str:
    if until - timezone.now() <= datetime.timedelta(minutes=1):  # django-otp's doubling wait
        return (
            "Wait a few seconds, then type the code again: after each wrong code Tandem "
            "waits a little longer before it checks the next"
        )
    return (
        "Too many wrong codes. To keep your account safe, no code will work until "
        f"{time_format(timezone.localtime(until), 'H:i')}, not even a recovery code. Wait until "
        "then and try again, or ask a manager to reset your second factor"
    )


def _key_for_typing(device: TOTPDevice) -> str:
    """The key as an app asks for it when it cannot scan (base32), in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def enrol(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]  # set by django-otp's middleware
        if request.method == "POST":
            return redirect("second_factor:enrol")
        return render(
            request,
            "second_factor/enrolled.html",
            {"codes_left": second_factor_recovery_codes_left(user=user)},
        )
    if user_has_device(user, confirmed=True):
        # Someone who has only the password must not replace the owner's app with their own.
        return redirect("second_factor:verify")
    device = second_factor_device_start(user=user, session=request.session)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = second_factor_enrol(user=user, device=device, code=form.cleaned_data["code"])
        if done.codes is not None:
            request.session.pop(SETUP_DEVICE, None)
            device.refresh_from_db()
            otp_login(request, device)
            session_cycled(request=request)
            # Kept in the session only until the next page shows them (django-otp keeps its
            # own copy to check them against in any case).
            request.session[NEW_CODES] = done.codes
            return redirect("second_factor:recovery_codes")
        form.add_error(
            "code",
            _locked_words(done.locked_until)
            if done.locked_until
            else "That code is not right. Check the app shows Tandem and type its 6 numbers",
        )
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title="QR code for Tandem")
    return render(
        request,
        "second_factor/enrol.html",
        {
            "form": form,
            # segno's own markup: paths and our title; the key is in the squares, not the text.
            "qr_svg": mark_safe(svg),  # noqa: S308
            "key": _key_for_typing(device),
            "required": second_factor_required(user),
        },
    )


@login_required
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """The new recovery codes, once: the page after setting up an app. Not cached
    (``no-store``), and gone from the session as soon as it is shown."""
    codes = request.session.pop(NEW_CODES, None)
    renewed = request.session.pop(CODES_RENEWED, False)
    if not codes:
        return redirect("second_factor:enrol")
    return render(
        request, "second_factor/recovery_codes.html", {"codes": codes, "renewed": renewed}
    )


@login_required
@require_POST
def recovery_codes_renew(request: AuthedRequest) -> HttpResponse:
    """New recovery codes in place of the old, for someone who has given their code in this
    session; shown once on the next page."""
    if not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("second_factor:enrol")
    request.session[NEW_CODES] = second_factor_recovery_codes_renew(user=request.user)
    request.session[CODES_RENEWED] = True
    return redirect("second_factor:recovery_codes")


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not user_has_device(user, confirmed=True):
        return redirect("second_factor:enrol")
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = second_factor_verify(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            otp_login(request, check.device)
            session_cycled(request=request)
            if check.device.persistent_id.startswith("otp_static"):
                left = second_factor_recovery_codes_left(user=user)
                messages.warning(
                    request,
                    f"You used a recovery code. It will not work again; you have {left} left. "
                    "If you have lost your phone, ask a manager to reset your second factor.",
                )
            return redirect(_next(request))
        if check.locked_until:
            problem = _locked_words(check.locked_until)
        elif check.reused:
            problem = "That code has just been used. Wait for the app to show the next one"
        else:
            problem = (
                "That code is not right. Type the 6 numbers the app shows now, or a recovery code"
            )
        form.add_error("code", problem)
    return render(request, "second_factor/verify.html", {"form": form, "next": _next(request)})
