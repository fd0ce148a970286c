"""seed_demo builds believable, deterministic data for every model that exists."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import User
from core.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor, Scheme

pytestmark = pytest.mark.django_db


def test_demo_scale_builds_the_documented_sizes_and_logins():
    call_command("seed_demo", "--scale", "demo", "--seed", "7")
    assert Scheme.objects.count() == 3
    assert Mentor.objects.count() == 40
    assert Mentee.objects.count() == 300
    assert Relationship.objects.exists()
    for email in DEMO_LOGINS.values():
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None
    demo_mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    assert Relationship.objects.filter(mentor__user=demo_mentor, status="active").count() >= 3


def test_the_same_seed_gives_the_same_people():
    call_command("seed_demo", "--seed", "11")
    first = list(Mentee.objects.order_by("reference").values_list("given_name", "family_name"))
    Relationship.objects.all().delete()
    Mentee.objects.all().delete()
    Mentor.objects.all().delete()
    User.objects.all().delete()  # no audit events exist yet, so nothing protects a user
    Scheme.objects.all().delete()
    call_command("seed_demo", "--seed", "11")
    second = list(Mentee.objects.order_by("reference").values_list("given_name", "family_name"))
    assert first == second


def test_seeding_refuses_to_mix_with_existing_data():
    call_command("seed_demo")
    with pytest.raises(CommandError, match="only fills an empty one"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")  # make run's form: a quiet no-op
    assert Scheme.objects.count() == 3


def test_demo_logins_are_printed_only_when_demo_data_exists(capsys):
    call_command("seed_demo", "--logins")
    assert "no demo logins" in capsys.readouterr().out
    call_command("seed_demo")
    call_command("seed_demo", "--logins")
    out = capsys.readouterr().out
    assert DEMO_LOGINS["coordinator"] in out and DEMO_PASSWORD in out
