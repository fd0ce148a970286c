"""Create the first manager of a new installation (or another one later).

Goes through the same audited service as an invitation in the app, so the trail shows how
every manager got their access. The new manager is emailed a link to set their password.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role
from accounts.services import user_invite


class Command(BaseCommand):
    help = "Create a manager account and email them a link to set their password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name, as colleagues know them.")

    def handle(self, *args: object, **options: str) -> None:
        try:
            user = user_invite(
                by=None,
                email=options["email"],
                full_name=options["name"],
                role=Role.MANAGER,
                scheme=None,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created manager {user.email}; a set-password link was emailed.")
        )
