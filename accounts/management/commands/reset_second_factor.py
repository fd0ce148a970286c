"""Reset someone's second factor from the command line: for when the last manager or the
system administrator has lost their phone and recovery codes, so nobody can do it in the app.

Goes through the same service as a manager's reset: audited (no actor, marked as from the
command line), every session of theirs ends, and they are emailed."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User, normalise_email
from accounts.second_factor.services import ResetReason, second_factor_reset


class Command(BaseCommand):
    help = "Remove a person's authenticator app and recovery codes (audited; they are emailed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--reason",
            required=True,
            choices=ResetReason.values,
            help="; ".join(f"{value}: {label}" for value, label in ResetReason.choices),
        )

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(email__iexact=normalise_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No account has the email {options['email']}")
        try:
            second_factor_reset(by=None, user=user, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Reset {user.email}'s second factor: they were signed out everywhere and emailed."
            )
        )
