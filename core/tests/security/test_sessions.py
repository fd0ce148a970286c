"""Replays of the session weaknesses from issue 15 (an 8-hour sliding idle limit, no absolute
limit, no way to end a session left open elsewhere), each now closed.

Time is moved by editing the session's own timestamps, never by sleeping."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignedInSession
from accounts.session_services import SEEN, STARTED
from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.second_factor_helpers import app_code, enrolled
from audit.models import AuditEvent
from conftest import client_for, query_count

DASHBOARD = "home:dashboard"


def _age(client, *, idle: datetime.timedelta, since_login: datetime.timedelta | None = None):
    """Make the client's session look idle for ``idle``, and logged in ``since_login`` ago."""
    now = timezone.now()
    session = client.session
    session[SEEN] = int((now - idle).timestamp())
    if since_login is not None:
        session[STARTED] = int((now - since_login).timestamp())
    session.save()


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_staff_session_idle_31_minutes_needs_a_new_login(world):
    """A coordinator away for 31 minutes is sent to log in again, told why in plain words,
    and the logout is audited with its reason."""
    coordinator = client_for(world.coordinator_a)
    _age(coordinator, idle=datetime.timedelta(minutes=31))

    response = coordinator.get(reverse(DASHBOARD))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert _messages(response) == [
        "You were signed out after 30 minutes without activity. Log in again to carry on."
    ]
    assert "_auth_user_id" not in coordinator.session
    event = AuditEvent.objects.get(action="user.logged_out", actor=world.coordinator_a)
    assert event.detail["reason"] == "idle"


def test_a_staff_session_idle_29_minutes_carries_on(world):
    """Under the idle limit nothing happens, and the activity moves the limit on."""
    coordinator = client_for(world.coordinator_a)
    _age(coordinator, idle=datetime.timedelta(minutes=29))

    assert coordinator.get(reverse(DASHBOARD)).status_code == 200
    seen = coordinator.session[SEEN]
    assert timezone.now().timestamp() - seen < 60


def test_a_mentor_has_the_longer_mentor_limit(world, settings):
    """A mentor away for 31 minutes (between a meeting and writing it up) is still signed in;
    past the mentor's own idle limit they are not."""
    mentor = client_for(world.mentor_a)
    home = reverse("relationships:my_mentees")
    _age(mentor, idle=datetime.timedelta(minutes=31))
    assert mentor.get(home).status_code == 200

    _age(mentor, idle=datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES_MENTOR + 1))
    assert mentor.get(home)["Location"].startswith(reverse("login"))


def test_the_idle_limit_is_a_setting(world, settings):
    """The staff idle limit comes from the setting, and the message says the same."""
    settings.SESSION_IDLE_MINUTES_STAFF = 10
    manager = client_for(world.manager)
    _age(manager, idle=datetime.timedelta(minutes=11))

    response = manager.get(reverse("home:overview"))

    assert response["Location"].startswith(reverse("login"))
    assert _messages(response) == [
        "You were signed out after 10 minutes without activity. Log in again to carry on."
    ]


def test_a_staff_session_ends_12_hours_after_login_however_active(world):
    """A session in use all day still ends 12 hours after logging in."""
    coordinator = client_for(world.coordinator_a)
    _age(
        coordinator,
        idle=datetime.timedelta(minutes=1),
        since_login=datetime.timedelta(hours=12, minutes=1),
    )

    response = coordinator.get(reverse(DASHBOARD))

    assert response["Location"].startswith(reverse("login"))
    assert _messages(response) == [
        "You were signed out because you had been signed in for 12 hours. Log in again to carry on."
    ]
    event = AuditEvent.objects.get(action="user.logged_out", actor=world.coordinator_a)
    assert event.detail["reason"] == "absolute"


def test_sign_out_everywhere_else_ends_the_other_session(world):
    """Signed in on a laptop and a phone, the person signs out everywhere else from the
    phone: the laptop's next request is sent to log in; the phone carries on; it is audited."""
    laptop = client_for(world.coordinator_a)
    phone = client_for(world.coordinator_a)
    assert laptop.get(reverse(DASHBOARD)).status_code == 200

    response = phone.post(reverse("sessions_sign_out_others"))

    assert response["Location"] == reverse("sessions")
    assert _messages(response) == ["You have been signed out everywhere else (1 session)."]
    assert laptop.get(reverse(DASHBOARD))["Location"].startswith(reverse("login"))
    assert phone.get(reverse(DASHBOARD)).status_code == 200
    event = AuditEvent.objects.get(action="user.sessions_ended", actor=world.coordinator_a)
    assert event.detail["sessions"] == 1


def test_the_sessions_page_lists_each_signed_in_browser(world, client):
    """Your sessions shows this device and the others, each with a device in words and the
    address, and never anyone else's sessions."""
    device, _ = enrolled(world.coordinator_a)

    def log_in(browser, user_agent: str, address: str, steps_ahead: int) -> None:
        # The password, then the code from the app (a coordinator must give both).
        for url, data in (
            ("login", {"username": world.coordinator_a.email, "password": TEST_PASSWORD}),
            ("second_factor:verify", {"code": app_code(device, steps_ahead=steps_ahead)}),
        ):
            response = browser.post(
                reverse(url), data, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address
            )
            assert response.status_code == 302, (url, response.status_code)

    laptop_ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/133.0"
    log_in(client, laptop_ua, "81.2.69.160", steps_ahead=0)
    client_for(world.manager)
    phone_ua = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
    )
    phone = client_for(None)
    # django-otp refuses a code used once, so the second login types the app's next code.
    log_in(phone, phone_ua, "81.2.69.142", steps_ahead=1)

    response = phone.get(reverse("sessions"))

    body = response.content.decode()
    assert "Safari on iPhone" in body and "This device" in body
    assert "Firefox on Windows" in body and "81.2.69.160" in body
    assert body.count('class="list-group-item"') == 2
    assert "Sign out everywhere else" in body


def test_a_password_change_ends_the_other_sessions(world):
    """After changing the password in one browser, the others are signed out, and the one
    that changed it carries on and still lists itself."""
    laptop = client_for(world.coordinator_a)
    phone = client_for(world.coordinator_a)
    new = "a much longer passphrase for 2027"
    phone.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )

    assert laptop.get(reverse(DASHBOARD))["Location"].startswith(reverse("login"))
    assert phone.get(reverse(DASHBOARD)).status_code == 200
    keys = set(SignedInSession.objects.values_list("session_key", flat=True))
    assert keys == {phone.session.session_key}


def test_the_limits_cost_the_mentor_home_no_query(world, settings):
    """Checking the limits reads only the session the request loads anyway: the mentor's
    home costs the same number of queries with the check as without it."""
    url = reverse("relationships:my_mentees")
    with_check = query_count(client_for(world.mentor_a), url)
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "accounts.middleware.session_limits"
    ]
    without = query_count(client_for(world.mentor_a), url)

    assert with_check == without
