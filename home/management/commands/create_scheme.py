"""python manage.py create_scheme --name NAME --kind KIND --area AREA --email EMAIL
--person "Full Name" [--role coordinator|manager]

Set up a new deployment (or one more scheme) from the command line: the scheme, with the
default rules and thresholds a manager can change in the app, and its first coordinator (or
a manager), invited through the same audited service as an invitation in the app. The person
is emailed a link to set their own password: no password ever passes on the command line.
Someone who already has an account is given the role instead of a second account.
"""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Field

from accounts.models import Role, User, normalise_email
from accounts.services import membership_add, user_invite
from schemes.models import Scheme
from schemes.services import scheme_create

#: The rules and thresholds a new scheme starts with: the model's defaults.
RULES = [
    "cap_meetings",
    "cap_weeks",
    "review_interval_weeks",
    "expected_contact_days",
    "flag_no_first_meeting_days",
    "flag_no_contact_after_release_days",
    "flag_review_overdue_days",
    "flag_waiting_for_match_days",
    "flag_no_contact_attempt_days",
    "flag_missed_meetings",
    "flag_mentor_led_percent",
    "flag_done_for_percent",
    "flag_too_long_weeks",
]


def default_rules() -> dict[str, Any]:
    return {name: cast(Field, Scheme._meta.get_field(name)).get_default() for name in RULES}


class Command(BaseCommand):
    help = "Create a scheme and invite its first coordinator (or a manager) by email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The scheme's name.")
        parser.add_argument("--kind", required=True, choices=Scheme.Kind.values)
        parser.add_argument("--area", required=True, help="The geography the scheme serves.")
        parser.add_argument("--email", required=True, help="The first coordinator's email.")
        parser.add_argument("--person", required=True, help="Their full name.")
        parser.add_argument(
            "--role",
            default=Role.COORDINATOR,
            choices=[Role.COORDINATOR, Role.MANAGER],
            help="coordinator (of this scheme, the default) or manager (of every scheme).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        role = str(options["role"])
        email = normalise_email(str(options["email"]))
        try:
            with transaction.atomic():
                scheme = scheme_create(
                    by=None,
                    name=str(options["name"]),
                    kind=str(options["kind"]),
                    area=str(options["area"]),
                    **default_rules(),
                )
                existing = User.objects.filter(email__iexact=email).first()
                if existing is None:
                    user_invite(
                        by=None,
                        email=email,
                        full_name=str(options["person"]),
                        role=role,
                        scheme=scheme,
                    )
                    how = "invited: a set-password link was emailed"
                else:
                    membership_add(by=None, user=existing, role=role, scheme=scheme)
                    how = "given the role on their existing account"
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        who = "its coordinator" if role == Role.COORDINATOR else "a manager (of every scheme)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created scheme “{scheme.name}” (id {scheme.pk}). {email} is {who}, {how}."
            )
        )
