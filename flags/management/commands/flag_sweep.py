import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from flags.models import Flag
from flags.sweep import sweep
from schemes.models import Scheme


class Command(BaseCommand):
    help = "Run the watcher's sweep now, in the foreground, and print what it raised and resolved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", type=int, help="Sweep one scheme only (its id).")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Sweep as if today were this date (YYYY-MM-DD), e.g. to check a rule.",
        )

    def handle(self, *args: object, **options: object) -> None:
        scheme_id = options["scheme"]
        if scheme_id is not None and not Scheme.objects.filter(pk=scheme_id).exists():
            raise CommandError(f"There is no scheme with id {scheme_id}.")
        result = sweep(scheme_id=scheme_id, today=options["today"])  # type: ignore[arg-type]
        self.stdout.write(
            f"Checked {result.relationships_checked} open relationships and "
            f"{result.referrals_checked} referrals waiting for a match."
        )
        self._list("Raised", result.raised)
        self._list("Resolved", result.resolved)
        if result.updated:
            self.stdout.write(f"Updated the evidence of {result.updated} open flags.")

    def _list(self, verb: str, flags: list[Flag]) -> None:
        self.stdout.write(f"{verb} {len(flags)} flag{'' if len(flags) == 1 else 's'}.")
        for flag in flags[:50]:
            target = (
                f"relationship {flag.relationship_id}"
                if flag.relationship_id
                else f"referral {flag.referral_id}"
            )
            self.stdout.write(f"  {flag.get_kind_display()} ({target}): {flag.evidence}")
        if len(flags) > 50:
            self.stdout.write(f"  … and {len(flags) - 50} more.")
