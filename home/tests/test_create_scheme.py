"""A new deployment set up from the command line: a scheme and its first coordinator, who is
emailed a link to set their own password."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from accounts.selectors import user_roles
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from schemes.models import Scheme


def create(*extra: str) -> None:
    call_command(
        "create_scheme",
        "--name",
        "Harbour Bail Support",
        "--kind",
        "bail_support",
        "--area",
        "Portsmouth",
        *extra,
    )


def test_a_scheme_and_its_first_coordinator_are_created_and_invited(
    db, django_capture_on_commit_callbacks, email_queue, capsys
):
    """The coordinator has no password until they follow the emailed link; both steps are in
    the audit trail, and the scheme's id is printed for import_records."""
    with django_capture_on_commit_callbacks(execute=True):
        create("--email", "Cora@Example.org", "--person", "Cora Ordinator")
    scheme = Scheme.objects.get(name="Harbour Bail Support")
    assert (scheme.kind, scheme.area, scheme.review_interval_weeks) == (
        "bail_support",
        "Portsmouth",
        6,
    )
    cora = User.objects.get(email="cora@example.org")
    assert not cora.has_usable_password()
    assert user_roles(cora).coordinator_scheme_ids == {scheme.pk}
    assert [e["to"] for e in email_queue.queued] == [["cora@example.org"]]
    actions = set(AuditEvent.objects.filter(actor=None).values_list("action", flat=True))
    assert {"scheme.created", "user.invited", "membership.added"} <= actions
    assert f"(id {scheme.pk})" in capsys.readouterr().out


def test_the_first_account_may_be_a_manager(db, django_capture_on_commit_callbacks, email_queue):
    """`--role manager` makes the first account a manager of every scheme."""
    with django_capture_on_commit_callbacks(execute=True):
        create("--email", "mo@example.org", "--person", "Mo Manager", "--role", "manager")
    assert user_roles(User.objects.get(email="mo@example.org")).is_manager


def test_someone_with_an_account_is_given_the_role_not_a_second_account(db, email_queue):
    """An existing account gets the coordinator role in the new scheme; no second account, no
    invitation."""
    existing = UserFactory(email="cat@example.org")
    create("--email", "CAT@example.org", "--person", "Cat")
    scheme = Scheme.objects.get()
    assert existing.memberships.get().scheme == scheme
    assert existing.memberships.get().role == Role.COORDINATOR
    assert email_queue.queued == []


def test_a_bad_scheme_writes_nothing(db):
    """A name already taken (or any refusal) leaves no scheme and no account behind."""
    with pytest.raises(CommandError):
        call_command(
            "create_scheme",
            "--name",
            " ",
            "--kind",
            "other",
            "--area",
            "X",
            "--email",
            "a@example.org",
            "--person",
            "A",
        )
    assert not Scheme.objects.exists() and not User.objects.exists()


def test_no_password_option_exists():
    """A password never passes on the command line (shell history, process lists)."""
    from home.management.commands.create_scheme import Command

    parser = Command().create_parser("manage.py", "create_scheme")
    assert not any("password" in " ".join(a.option_strings) for a in parser._actions)
