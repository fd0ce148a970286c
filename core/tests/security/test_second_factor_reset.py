"""Who may reset whose second factor (issue 15 review): a manager resets a coordinator's or a
mentor's; only the system administrator (a superuser) resets a manager's or a superuser's, so
one manager's password cannot take over another manager's account."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, UserFactory
from accounts.tests.second_factor_helpers import enrolled
from audit.models import AuditEvent
from conftest import client_for


def _reset(by, person):
    url = reverse("accounts:second_factor_reset", kwargs={"pk": person.pk})
    return client_for(by).post(url, {"reason": "lost", "confirmed": "on"})


@pytest.mark.parametrize("kind", ["manager", "superuser"])
def test_a_manager_cannot_reset_a_managers_or_superusers_second_factor(world, kind):
    """A manager resetting another manager's (or a superuser's) app is refused in plain
    words, the app stays and nothing is audited as reset."""
    if kind == "manager":
        person = MembershipFactory(role=Role.MANAGER, scheme=None).user
    else:
        person = UserFactory(is_staff=True, is_superuser=True)
    device, _ = enrolled(person)

    response = _reset(world.manager, person)

    assert response.status_code == 200
    assert "Only the system administrator can reset" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="second_factor.reset").exists()


@pytest.mark.parametrize("kind", ["manager", "coordinator"])
def test_the_superuser_resets_a_managers_or_coordinators_second_factor(world, kind):
    """The system administrator resets a manager's app as well as a coordinator's."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    person = world.manager if kind == "manager" else world.coordinator_a
    enrolled(person)

    response = _reset(admin, person)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.get(action="second_factor.reset").actor == admin


def test_a_manager_still_resets_a_mentors_second_factor(world):
    """A manager resets a mentor's app, and the mentor's open sessions end."""
    enrolled(world.mentor_a)
    mentor = client_for(world.mentor_a)
    assert mentor.get(reverse("relationships:my_mentees")).status_code == 200

    response = _reset(world.manager, world.mentor_a)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.mentor_a).exists()
    assert mentor.get(reverse("relationships:my_mentees"))["Location"].startswith(reverse("login"))
