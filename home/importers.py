"""The spreadsheet imports Tandem offers, by kind of record. The command and the upload page
both read this, so they cannot drift apart."""

from collections.abc import Callable

from accounts.models import User
from core.imports import ImportReport
from mentees.imports import mentees_import
from relationships.imports import relationships_import
from relationships.meetings.imports import meetings_import
from schemes.mentors.imports import mentors_import
from schemes.models import Scheme

Importer = Callable[..., ImportReport]

IMPORTERS: dict[str, Importer] = {
    "mentees": mentees_import,
    "mentors": mentors_import,
    "relationships": relationships_import,
    "meetings": meetings_import,
}
KINDS = [
    ("mentees", "Mentees and their referrals"),
    ("mentors", "Mentors"),
    ("relationships", "Past relationships (matches), after mentees and mentors"),
    ("meetings", "Past meetings, after relationships"),
]


def run_import(*, kind: str, by: User, scheme: Scheme, data: bytes, dry_run: bool) -> ImportReport:
    return IMPORTERS[kind](by=by, scheme=scheme, data=data, dry_run=dry_run)
