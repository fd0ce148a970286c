"""The session around the second step (issue 15 review): passing it is audited and gives the
session a new key that "Your sessions" follows, and a session past the password alone is held
to the same idle limit as a full one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignedInSession
from accounts.session_services import SEEN
from accounts.tests.second_factor_helpers import app_code, enrolled, password_login
from audit.models import AuditEvent
from audit.selectors import audit_events_described


@pytest.mark.parametrize("kind", ["app", "recovery_code"])
def test_passing_the_second_step_is_audited_with_the_kind_of_device(world, kind):
    """A code from the app, or a recovery code, leaves a "verified" event naming which, so the
    trail tells a full login from a session that typed only the password; the audit page
    says it in words."""
    device, codes = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    assert not AuditEvent.objects.filter(action="second_factor.verified").exists()

    code = app_code(device) if kind == "app" else codes[0]
    assert client.post(reverse("second_factor:verify"), {"code": code}).status_code == 302

    event = AuditEvent.objects.get(action="second_factor.verified")
    assert event.actor == world.coordinator_a
    assert event.detail == {"device": kind}
    [described] = audit_events_described([event])
    assert described.label == "Gave a correct sign-in code (fully signed in)"
    words = "the authenticator app" if kind == "app" else "a recovery code"
    assert described.detail == [f"With: {words}"]


def test_a_wrong_code_is_not_audited_as_verified(world):
    """Only a code that passes is recorded as a full login."""
    enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    client.post(reverse("second_factor:verify"), {"code": "000000"})
    assert not AuditEvent.objects.filter(action="second_factor.verified").exists()


@pytest.mark.parametrize("step", ["verify", "enrol"])
def test_the_second_step_gives_the_session_a_new_key_that_your_sessions_follows(world, step):
    """The key of a password-only session stops working once the code is given (giving a
    code, or setting up an app); "Your sessions" still lists the session as this device."""
    user = world.coordinator_a
    client = password_login(user)
    if step == "verify":
        device, _ = enrolled(user)
    else:
        client.get(reverse("second_factor:enrol"))
        device = user.totpdevice_set.get(confirmed=False)
    old_key = client.session.session_key
    assert SignedInSession.objects.filter(session_key=old_key).exists()

    client.post(reverse(f"second_factor:{step}"), {"code": app_code(device)})

    new_key = client.session.session_key
    assert new_key != old_key
    assert not SignedInSession.objects.filter(session_key=old_key).exists()
    assert SignedInSession.objects.get(session_key=new_key).user == user
    page = client.get(reverse("sessions"))
    assert page.status_code == 200
    assert page.context["this_session"].session_key == new_key
    assert page.context["other_sessions"] == []
    # The old key, replayed, is anonymous.
    replay = client.__class__()
    replay.cookies["sessionid"] = old_key
    assert replay.get(reverse("mentees:list"))["Location"].startswith(reverse("login"))


def test_sign_out_everywhere_else_still_works_after_the_second_step(world):
    """Two full logins; from the first, "sign out everywhere else" ends the second and keeps
    the first."""
    user = world.coordinator_a
    device, _ = enrolled(user)
    here, there = password_login(user), password_login(user)
    here.post(reverse("second_factor:verify"), {"code": app_code(device)})
    there.post(reverse("second_factor:verify"), {"code": app_code(device, steps_ahead=1)})
    assert there.get(reverse("mentees:list")).status_code == 200

    here.post(reverse("sessions_sign_out_others"))

    assert here.get(reverse("mentees:list")).status_code == 200
    assert there.get(reverse("mentees:list"))["Location"].startswith(reverse("login"))
    left = SignedInSession.objects.filter(user=user).values_list("session_key", flat=True)
    assert list(left) == [here.session.session_key]


def test_a_password_only_session_idle_31_minutes_is_logged_out(world):
    """A coordinator who typed only the password and left it 31 minutes is logged out (sent
    to log in, told why), not sent on to the code step with the session still open."""
    enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    session = client.session
    session[SEEN] = int((timezone.now() - datetime.timedelta(minutes=31)).timestamp())
    session.save()

    response = client.get(reverse("mentees:list"))

    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="user.logged_out", detail__reason="idle").exists()


def test_the_code_step_still_works_for_a_fresh_password_only_session(world):
    """With the limits checked first, a session that has just typed the password is still
    sent to the code step, and the code page opens and takes the code."""
    device, _ = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)

    response = client.get(reverse("mentees:list"))
    assert response["Location"].startswith(reverse("second_factor:verify"))
    assert client.get(reverse("second_factor:verify")).status_code == 200
    response = client.post(reverse("second_factor:verify"), {"code": app_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("mentees:list")).status_code == 200
