"""python manage.py import_records mentors|mentees FILE.csv --scheme ID --by EMAIL [--dry-run]

Same rules as the upload page: every row is checked first, nothing is written unless the
whole file is valid, and importing the same file again adds nobody twice.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User, normalise_email
from core.imports import ImportReport
from home.importers import IMPORTERS, run_import
from schemes.models import Scheme


class Command(BaseCommand):
    help = "Import records from a CSV file (columns: docs/import-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--scheme", type=int, required=True, help="The scheme's id.")
        parser.add_argument(
            "--by",
            required=True,
            help="Email of the coordinator responsible; recorded in the audit trail.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args: object, **options: Any) -> None:
        scheme = Scheme.objects.filter(pk=options["scheme"]).first()
        if scheme is None:
            raise CommandError(f"No scheme has id {options['scheme']}.")
        by = User.objects.filter(
            email__iexact=normalise_email(str(options["by"])), is_active=True
        ).first()
        if by is None:
            raise CommandError(f"No active account has the email {options['by']}.")
        if not by.memberships.filter(role="coordinator", scheme=scheme).exists():
            raise CommandError(f"{by.email} is not a coordinator of {scheme}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = run_import(
            kind=str(options["kind"]),
            by=by,
            scheme=scheme,
            data=path.read_bytes(),
            dry_run=bool(options["dry_run"]),
        )
        self._print(report)
        if not report.ok:
            raise CommandError("Nothing was imported: fix the problems above and try again.")

    def _print(self, report: ImportReport) -> None:
        for p in report.problems:
            where = "file" if p.line == 0 else f"line {p.line}"
            column = f", {p.column}" if p.column else ""
            self.stderr.write(f"{where}{column}: {p.message}")
        if report.ok:
            verb = "Would import" if report.dry_run else "Imported"
            count = report.rows - report.already_present if report.dry_run else report.created
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {count} of {report.rows} rows; "
                    f"{report.already_present} already in Tandem."
                )
            )
