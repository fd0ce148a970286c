"""``funder_report``: the funder report for scripts, in the same formats as the screen's."""

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.services import audit_record
from reports.build import build_report, period_errors, schemes_for_funder
from reports.report import Report
from schemes.models import Scheme

FORMATS = ("csv", "xlsx", "pdf", "json")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date: give it as YYYY-MM-DD.") from None


def _writer(fmt: str) -> Callable[[Report], bytes]:
    """The writer of a binary format from ``reports.exports``, imported only when a file is
    written (WeasyPrint itself loads only when a PDF is drawn)."""
    from reports.exports.csv_zip import to_csv_zip
    from reports.exports.pdf import to_pdf
    from reports.exports.xlsx import to_xlsx

    writers: dict[str, Callable[[Report], bytes]] = {
        "csv": to_csv_zip,
        "xlsx": to_xlsx,
        "pdf": to_pdf,
    }
    return writers[fmt]


def render(report: Report, fmt: str) -> bytes:
    """The report as the bytes of a file in ``fmt``."""
    if fmt == "json":
        return (json.dumps(report.to_json(), indent=2, default=str) + "\n").encode()
    return _writer(fmt)(report)


def _schemes(
    *, funder: str, ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> list[Scheme]:
    """The schemes funded by ``funder`` for some of the period, or those with these ids; a
    funder with none in the period, or an id of no scheme, is an error that says so."""
    if funder:
        schemes = list(schemes_for_funder(funder, date_from, date_to))
        if not schemes:
            raise CommandError(
                f"No scheme has funding from “{funder}” between {date_from} and {date_to}."
            )
        return schemes
    ids = sorted(set(ids))
    schemes = list(Scheme.objects.filter(pk__in=ids).order_by("name"))
    missing = sorted(set(ids) - {s.pk for s in schemes})
    if missing:
        raise CommandError(f"There is no scheme with id {', '.join(map(str, missing))}.")
    return schemes


class Command(BaseCommand):
    help = (
        "Write the funder report (the whole funnel, timeliness, contact time, relationships, "
        "outcomes, mentors, flags and how safeguarding concerns were handled) for some "
        "schemes or a funder over a period. "
        "Aggregate and pseudonymous; the export is audited. See docs/reports.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--scheme",
            type=int,
            action="append",
            dest="schemes",
            metavar="ID",
            help="A scheme's id; repeat for more than one.",
        )
        which.add_argument(
            "--funder", help="Every scheme funded by this funder for some of the period."
        )
        parser.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--to",
            dest="date_to",
            required=True,
            metavar="YYYY-MM-DD",
            help="Up to the last day of the current quarter; figures stop at today.",
        )
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--out",
            metavar="PATH",
            help="The file to write. Without it, json is printed; the other formats need it.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        date_from = _date(str(options["date_from"]))
        date_to = _date(str(options["date_to"]))
        if date_from > date_to:
            raise CommandError(f"--from ({date_from}) is after --to ({date_to}).")
        refused = period_errors(date_from, date_to, timezone.localdate())
        if refused:
            given = {"date_from": f"--from {date_from}", "date_to": f"--to {date_to}"}
            raise CommandError(
                " ".join(f"{given[field]}: {message}." for field, message in refused.items())
            )
        fmt = str(options["format"])
        out = options["out"]
        if out is None and fmt != "json":
            raise CommandError(f"--format {fmt} writes a file: give --out PATH.")

        funder = str(options["funder"] or "").strip()
        schemes = _schemes(
            funder=funder, ids=options["schemes"], date_from=date_from, date_to=date_to
        )
        try:
            report = build_report(
                scheme_ids=[s.pk for s in schemes],
                date_from=date_from,
                date_to=date_to,
                funder=funder,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        data = render(report, fmt)
        if out is None:
            self.stdout.write(data.decode(), ending="")
        else:
            Path(str(out)).write_bytes(data)
        self._audit(schemes, fmt=fmt, date_from=date_from, date_to=date_to, funder=funder)
        if out is not None:
            self.stderr.write(
                f"Wrote the {fmt} report for {len(schemes)} scheme"
                f"{'' if len(schemes) == 1 else 's'} ({date_from} to {date_to}) to {out}."
            )

    def _audit(
        self,
        schemes: list[Scheme],
        *,
        fmt: str,
        date_from: datetime.date,
        date_to: datetime.date,
        funder: str,
    ) -> None:
        """One ``report.exported`` event per scheme covered: each scheme's trail shows it."""
        for scheme in schemes:
            audit_record(
                actor=None,
                action="report.exported",
                target=scheme,
                scheme=scheme,
                detail={
                    "format": fmt,
                    "from": date_from.isoformat(),
                    "to": date_to.isoformat(),
                    "schemes": [s.pk for s in schemes],
                    "funder": funder,
                    "via": "funder_report command",
                },
            )
