"""What a newcomer's walkthrough found on the second step's pages: the bar before the code,
optional set-up, the messages at the code step and in emails, what a manager sees on a
person's page, and the reset form."""

from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.second_factor_helpers import app_code, enrolled, password_login
from audit.models import AuditEvent
from conftest import client_for

MENU_LINKS = ("core:notifications", "password_change", "mentees:list")


def _bar_is_brand_and_log_out(body: str) -> bool:
    nav = body[body.index("<nav") : body.index("</nav>")]
    return (
        all(f'href="{reverse(name)}"' not in nav for name in MENU_LINKS)
        and "navbar-toggler" not in nav
        and f'action="{reverse("logout")}"' in nav
        and ">Tandem</a>" in nav
    )


def test_the_code_step_shows_only_the_brand_and_log_out(world):
    """Before the code is given the bar has no menu, no notifications and no account link:
    only the brand and Log out."""
    enrolled(world.coordinator_a)
    body = password_login(world.coordinator_a).get(reverse("second_factor:verify"))
    assert _bar_is_brand_and_log_out(body.content.decode())


def test_required_set_up_shows_only_the_brand_and_log_out(world):
    """A coordinator who must set up an app sees only the brand and Log out in the bar."""
    body = password_login(world.coordinator_a).get(reverse("second_factor:enrol"))
    assert _bar_is_brand_and_log_out(body.content.decode())
    assert "Not now" not in body.content.decode()


def test_optional_set_up_has_not_now_back_to_their_page(world):
    """A mentor who need not use a code can leave the set-up page with "Not now", and keeps
    their menu there."""
    body = password_login(world.mentor_a).get(reverse("second_factor:enrol")).content.decode()
    assert f'<a class="tap" href="{reverse("home")}">Not now</a>' in body
    assert not _bar_is_brand_and_log_out(body)


def test_a_locked_code_step_says_recovery_codes_will_not_work_either(world, settings):
    """After too many wrong codes the page says no code works until a time, recovery codes
    included, and what to do: wait, or ask a manager to reset it."""
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    for guess in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        response = client.post(reverse("second_factor:verify"), {"code": f"{guess:06d}"})

    body = response.content.decode()
    assert "not even a recovery code" in body
    assert "Wait until then and try again, or ask a manager to reset your second factor" in body


def test_a_code_just_used_on_another_device_is_explained(world):
    """The right code, already used a moment ago on another device, is refused with
    "That code has just been used", not "not right"."""
    device, _ = enrolled(world.coordinator_a)
    code = app_code(device)
    first = password_login(world.coordinator_a)
    assert first.post(reverse("second_factor:verify"), {"code": code}).status_code == 302

    second = password_login(world.coordinator_a)
    body = second.post(reverse("second_factor:verify"), {"code": code}).content.decode()

    assert "That code has just been used. Wait for the app to show the next one" in body
    assert "That code is not right" not in body


def test_a_wrong_code_is_still_not_right(world):
    """A code that was never the app's keeps the plain "not right" message."""
    device, _ = enrolled(world.coordinator_a)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    body = password_login(world.coordinator_a).post(
        reverse("second_factor:verify"), {"code": wrong}
    )
    assert "That code is not right" in body.content.decode()


def _set_up(user, django_capture_on_commit_callbacks, email_queue):
    client = password_login(user)
    client.get(reverse("second_factor:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("second_factor:enrol"), {"code": app_code(device)})
    email_queue.send()
    [email] = mail.outbox
    return email.body


def test_the_new_device_email_tells_a_manager_to_tell_another_manager(
    world, django_capture_on_commit_callbacks, email_queue
):
    """A manager told of a new device they did not add is told to tell another manager or
    the system administrator (a coordinator or mentor: a manager)."""
    body = _set_up(world.manager, django_capture_on_commit_callbacks, email_queue)
    assert "tell another manager or the system administrator" in body


def test_a_managers_reset_of_a_mentors_app_is_emailed_and_worded_for_them(
    world, django_capture_on_commit_callbacks, email_queue
):
    """A mentor who need not have a code: the manager is told they can set one up again
    if they want, and the mentor is emailed that a manager reset it and whom to tell."""
    enrolled(world.mentor_a)
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.mentor_a.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.manager).post(
            url, {"reason": "lost", "confirmed": "on"}, follow=True
        )

    assert "They can set up a new one from their account page if they want one" in (
        response.content.decode()
    )
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [world.mentor_a.email]
    assert "reset by a manager" in email.body
    assert "If you did not ask for this, tell your coordinator or manager" in email.body


def test_the_persons_page_says_whether_a_second_factor_is_set_up_and_required(world):
    """A manager sees who has not set up an app yet and whether they must, and never a key."""
    manager = client_for(world.manager)

    def page(user) -> str:
        return manager.get(reverse("accounts:detail", kwargs={"pk": user.pk})).content.decode()

    assert "has not set up a code from an authenticator app yet. They must" in page(
        world.coordinator_a
    )
    assert "They do not have to" in page(world.mentor_a)
    device, codes = enrolled(world.coordinator_a)
    body = page(world.coordinator_a)
    assert "has set up a code from an authenticator app" in body
    assert device.key not in body and not any(code in body for code in codes)


def test_the_reset_forms_hint_sits_under_its_tick_with_a_cancel_link(world):
    """The reset form's hint follows the tick and its label, and Cancel goes back to the
    person."""
    enrolled(world.coordinator_a)
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.coordinator_a.pk})
    body = client_for(world.manager).get(url).content.decode()

    tick = body.index('id="id_confirmed"')
    label = body.index("I have checked that this request really comes from this person")
    hint = body.index("For example, by calling them")
    assert tick < label < hint
    detail = reverse("accounts:detail", kwargs={"pk": world.coordinator_a.pk})
    assert f'<a href="{detail}">Cancel</a>' in body


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working(
    world, django_capture_on_commit_callbacks, email_queue
):
    """From their second-factor page, someone who gave their code makes ten new recovery
    codes: shown once, the old ones void, audited, and they are emailed."""
    _, old = enrolled(world.coordinator_a)
    client = client_for(world.coordinator_a)
    page = client.get(reverse("second_factor:enrol")).content.decode()
    assert reverse("second_factor:recovery_codes_renew") in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("second_factor:recovery_codes_renew"))
    shown = client.get(response["Location"])

    codes = shown.context["codes"]
    assert len(set(codes)) == 10 and "Your old recovery codes no longer work" in (
        shown.content.decode()
    )
    assert client.get(reverse("second_factor:recovery_codes")).status_code == 302
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert StaticToken.objects.filter(device__user=world.coordinator_a).count() == 10
    assert AuditEvent.objects.filter(
        action="second_factor.recovery_codes_renewed", actor=world.coordinator_a
    ).exists()
    email_queue.send()
    [email] = mail.outbox
    assert "the old ones no longer work" in email.body and "tell a manager" in email.body


def test_new_recovery_codes_need_the_code_first(world):
    """A session that has given only the password cannot make new recovery codes."""
    _, old = enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)

    client.post(reverse("second_factor:recovery_codes_renew"))

    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    assert not AuditEvent.objects.filter(action="second_factor.recovery_codes_renewed").exists()
