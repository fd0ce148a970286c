"""The second factor's pages: setting up an app (a QR code and a key to type, then ten
recovery codes shown once), giving a code, and a manager's reset, each in the user's words."""

from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.second_factor_helpers import app_code, enrolled, password_login
from audit.models import AuditEvent
from conftest import client_for
from core.tests.form_checks import problems_with
from schemes.forms import SchemeForm


def test_setting_up_shows_a_qr_code_and_a_key_then_ten_recovery_codes_once(
    world, django_capture_on_commit_callbacks, email_queue
):
    """A coordinator at their first login sees a QR code (inline SVG) and the key to type;
    the app's code sets it up, shows ten recovery codes once, opens their pages, is audited
    and emails them with what to do if it was not them."""
    client = password_login(world.coordinator_a)
    page = client.get(reverse("second_factor:enrol")).content.decode()
    assert "<svg" in page and "QR code for Tandem" in page
    device = TOTPDevice.objects.get(user=world.coordinator_a, confirmed=False)
    assert client.get(reverse("second_factor:enrol")).context["key"]  # the same key again
    assert TOTPDevice.objects.filter(user=world.coordinator_a).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("second_factor:enrol"), {"code": app_code(device)})
    assert response["Location"] == reverse("second_factor:recovery_codes")
    response = client.get(response["Location"])
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    body = response.content.decode()
    assert all(code in body for code in codes) and "keep them somewhere safe" in body
    assert StaticToken.objects.filter(device__user=world.coordinator_a).count() == 10
    assert client.get(reverse("mentees:list")).status_code == 200
    assert client.get(reverse("second_factor:recovery_codes")).status_code == 302
    shown_again = client.get(reverse("second_factor:enrol")).content.decode()
    assert not any(code in shown_again for code in codes)
    assert "10 recovery codes left" in shown_again
    assert AuditEvent.objects.filter(action="second_factor.enrolled").count() == 1
    email_queue.send()  # as the worker does
    [email] = mail.outbox
    assert email.to == [world.coordinator_a.email]
    assert "If this was not you, tell a manager straight away" in email.body


def test_a_wrong_code_while_setting_up_is_explained(world):
    """A wrong or empty first code is explained in an error summary; nothing is set up."""
    client = password_login(world.coordinator_a)
    client.get(reverse("second_factor:enrol"))
    empty = client.post(reverse("second_factor:enrol"), {"code": ""})
    assert "Enter the 6-number code from the app" in empty.content.decode()
    assert problems_with(empty.content.decode(), has_errors=True) == []
    wrong = client.post(reverse("second_factor:enrol"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert problems_with(wrong.content.decode(), has_errors=True) == []
    assert not TOTPDevice.objects.filter(user=world.coordinator_a, confirmed=True).exists()


def test_the_code_page_follows_the_form_pattern(world):
    """The code step asks for the code in a summary when the box is empty."""
    enrolled(world.coordinator_a)
    client = password_login(world.coordinator_a)
    page = client.get(reverse("second_factor:verify"))
    assert problems_with(page.content.decode(), has_errors=False) == []
    empty = client.post(reverse("second_factor:verify"), {"code": ""})
    assert "Enter the code from your authenticator app" in empty.content.decode()
    assert problems_with(empty.content.decode(), has_errors=True) == []


def test_a_mentor_may_choose_to_set_one_up_from_their_account(world):
    """A mentor whose scheme does not require it finds the set-up from their account page,
    and once set up, is asked for a code at their next login."""
    client = password_login(world.mentor_a)
    account = client.get(reverse("password_change")).content.decode()
    assert reverse("second_factor:enrol") in account
    client.get(reverse("second_factor:enrol"))
    device = TOTPDevice.objects.get(user=world.mentor_a)
    client.post(reverse("second_factor:enrol"), {"code": app_code(device)})
    again = password_login(world.mentor_a)
    response = again.get(reverse("relationships:my_mentees"))
    assert response["Location"].startswith(reverse("second_factor:verify"))


def test_the_reset_page_asks_for_a_reason_and_a_check(world):
    """The reset page, reached from the person's page, explains each missing answer."""
    enrolled(world.coordinator_a)
    manager = client_for(world.manager)
    person = manager.get(reverse("accounts:detail", kwargs={"pk": world.coordinator_a.pk}))
    url = reverse("accounts:second_factor_reset", kwargs={"pk": world.coordinator_a.pk})
    assert url in person.content.decode()
    response = manager.post(url, {})
    body = response.content.decode()
    assert "Select why the second factor is being reset" in body
    assert "Confirm that you have checked who is asking" in body
    assert problems_with(body, has_errors=True) == []


def test_the_scheme_form_has_the_switch_for_mentors(world):
    """A scheme's settings include whether its mentors must use a code, in plain words."""
    form = SchemeForm()
    assert (
        form["second_factor_for_mentors"].label == "Mentors must use a code from an app to log in"
    )
