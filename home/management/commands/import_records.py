"""python manage.py import_records KIND FILE --scheme ID --by EMAIL [--go-live DATE] [--dry-run]

KIND is mentees, mentors, relationships or meetings for a CSV file or a workbook of one kind,
or ``workbook`` for an Excel workbook with a sheet for each kind. Same rules as the upload
page: every row is checked first, nothing is written unless the whole file is valid, and
importing the same file again adds nobody twice. ``--dry-run`` imports and rolls back, so its
counts are the import's own, and it says what the watcher will make of the records.
``--go-live YYYY-MM-DD`` (default today) is the day the scheme started using Tandem: the
watcher raises no flags about anything before it (``home.first_look``).
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User, normalise_email
from home.first_look import flags_in_words
from home.import_jobs import may_import_into
from home.import_lock import SCHEME_BUSY
from home.importers import IMPORTERS, WAITED, WORKBOOK, Outcome, import_file
from schemes.models import Scheme


def where(problem: Any) -> str:
    """Where a problem is, in the words of the page: sheet, line or cell, column."""
    parts = [f"sheet {problem.sheet}"] if problem.sheet else []
    if problem.line == 0:
        parts.append("the sheet" if problem.sheet else "the file")
    else:
        parts.append(f"line {problem.line}" + (f" (cell {problem.cell})" if problem.cell else ""))
    if problem.column:
        parts.append(problem.column)
    return ", ".join(parts)


class Command(BaseCommand):
    help = "Import records from a CSV file or Excel workbook (docs/import-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*sorted(IMPORTERS), WORKBOOK])
        parser.add_argument("file", type=Path)
        parser.add_argument("--scheme", type=int, required=True, help="The scheme's id.")
        parser.add_argument(
            "--by",
            required=True,
            help="Email of the coordinator or manager responsible; recorded in the audit trail.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--go-live",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="The day the scheme started using Tandem (default today): no flags are raised "
            "about anything before it.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        scheme = Scheme.objects.filter(pk=options["scheme"]).first()
        if scheme is None:
            raise CommandError(f"No scheme has id {options['scheme']}.")
        by = User.objects.filter(
            email__iexact=normalise_email(str(options["by"])), is_active=True
        ).first()
        if by is None:
            raise CommandError(f"No active account has the email {options['by']}.")
        if not may_import_into(by, scheme):
            raise CommandError(f"{by.email} is not a coordinator of {scheme} nor a manager.")
        go_live: datetime.date = options["go_live"] or timezone.localdate()
        if go_live > timezone.localdate():
            raise CommandError("The go-live date cannot be in the future.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        outcome = import_file(
            kind=str(options["kind"]),
            by=by,
            scheme=scheme,
            data=path.read_bytes(),
            filename=path.name,
            dry_run=bool(options["dry_run"]),
            progress=self._waiting,
            go_live=go_live,
        )
        self._print(outcome)
        if not outcome.ok:
            raise CommandError("Nothing was imported: fix the problems above and try again.")

    def _waiting(self, percent: int, message: str) -> None:
        """Of the import's progress, only that it waits for another import into the scheme."""
        if message == SCHEME_BUSY:
            self.stdout.write(f"{SCHEME_BUSY}…")

    def _print(self, outcome: Outcome) -> None:
        for p in outcome.problems:
            self.stderr.write(f"{where(p)}: {p.message}")
        for part in outcome.parts:
            if part.waited:
                self.stderr.write(f"sheet {part.sheet} ({part.kind}): {WAITED[part.kind]}")
        if outcome.ok:
            verb = "Would import" if outcome.dry_run else "Imported"
            for part in outcome.parts:
                name = f"{part.sheet} ({part.kind}): " if part.sheet else ""
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{name}{verb} {part.new} of {part.rows} rows; "
                        f"{part.already_present} already in Tandem."
                    )
                )
        if outcome.first_look is not None:
            self._print_look(outcome.first_look)

    def _print_look(self, look: dict[str, Any]) -> None:
        """What the watcher will make of the records: history, live, the first sweep."""
        self.stdout.write(f"Go-live date {look['go_live']}: no flags about anything before it.")
        for kind in ("referrals", "relationships"):
            rows = look[kind]
            if rows["live"] or rows["history"]:
                self.stdout.write(
                    f"{kind.capitalize()}: {rows['history']} history (closed), "
                    f"{rows['live']} live (open: watched from the go-live date)."
                )
        flags = flags_in_words(look["flags"])
        total = sum(n for _, n in flags)
        counted = f"{total} flag{'s' if total != 1 else ''}"
        self.stdout.write(f"The first sweep would raise {counted} about these records.")
        for label, count in flags:
            self.stdout.write(f"  {label}: {count}")
