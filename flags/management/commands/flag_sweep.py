import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

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
            help="Sweep as if today were this date (YYYY-MM-DD), e.g. to check a rule. "
            "Implies --dry-run: flags for a made-up day must not touch the real ones.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what the sweep would raise and resolve, then roll it back.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        # argparse hands the options over untyped; their types are the ones declared above.
        scheme_id: int | None = options["scheme"]
        today: datetime.date | None = options["today"]
        if scheme_id is not None and not Scheme.objects.filter(pk=scheme_id).exists():
            raise CommandError(f"There is no scheme with id {scheme_id}.")
        dry_run = bool(options["dry_run"] or today)
        with transaction.atomic():
            result = sweep(scheme_id=scheme_id, today=today)
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(
            f"Checked {result.relationships_checked} open relationships and "
            f"{result.referrals_checked} referrals waiting for a match."
        )
        self._list("Raised", result.raised)
        self._list("Resolved", result.resolved)
        if result.updated:
            self.stdout.write(f"Updated the evidence of {result.updated} open flags.")
        if dry_run:
            self.stdout.write("Dry run: nothing was kept.")

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
