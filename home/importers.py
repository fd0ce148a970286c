"""The spreadsheet imports Tandem offers, by kind of record, and the one way a file is read and
imported: a CSV file of one kind, or an Excel workbook of one kind or with a sheet per kind.
The command, the upload page and the worker all come through here, so they cannot drift apart.

A workbook's sheets are imported in the order their records depend on each other (mentors and
mentees, then relationships, then meetings) in one transaction: all of it, or none of it. A
check is the same import rolled back, so its counts are what the import would write, later
sheets counting the records the earlier ones bring in.
"""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.imports import (
    ImportData,
    ImportFileError,
    ImportReport,
    Problem,
    Table,
    check_rows,
    echoed,
    read_rows,
)
from core.workbooks import UploadedWorkbook, iter_sheets, looks_like_workbook
from home.first_look import Written, first_look, watched
from home.import_lock import wait_for_the_scheme
from mentees.imports import mentees_import
from relationships.import_rows import (
    RELATIONSHIP_OPTIONAL,
    RELATIONSHIP_REQUIRED,
    RelationshipRow,
)
from relationships.imports import relationships_import
from relationships.meetings.imports import (
    MEETING_OPTIONAL,
    MEETING_REFUSED,
    MEETING_REQUIRED,
    MeetingRow,
    meetings_import,
)
from schemes.mentors.imports import mentors_import
from schemes.models import Scheme

Importer = Callable[..., ImportReport]

IMPORTERS: dict[str, Importer] = {
    "mentees": mentees_import,
    "mentors": mentors_import,
    "relationships": relationships_import,
    "meetings": meetings_import,
}
WORKBOOK = "workbook"
KINDS = [
    ("mentees", "Mentees and their referrals"),
    ("mentors", "Mentors"),
    ("relationships", "Past relationships (matches), after mentees and mentors"),
    ("meetings", "Past meetings, after relationships"),
    (WORKBOOK, "Everything: an Excel workbook with a sheet for each kind"),
]
#: The order records depend on each other: a stage is imported after the ones before it.
STAGES: list[tuple[str, ...]] = [("mentors", "mentees"), ("relationships",), ("meetings",)]
ORDER = [kind for stage in STAGES for kind in stage]
#: Told how far the whole import has got (0-100) and what it is doing, in words.
Progress = Callable[[int, str], None]


#: Each row's own checks for the kinds that depend on earlier sheets, run alone when those
#: sheets have problems: the columns and every row's form, nothing that looks records up.
ROW_CHECKS: dict[str, dict[str, Any]] = {
    "relationships": {
        "required": RELATIONSHIP_REQUIRED,
        "optional": RELATIONSHIP_OPTIONAL,
        "row_form": RelationshipRow,
    },
    "meetings": {
        "required": MEETING_REQUIRED,
        "optional": MEETING_OPTIONAL,
        "row_form": MeetingRow,
        "refused": MEETING_REFUSED,
    },
}
#: What waited, for each kind, when a sheet it depends on has problems: in a coordinator's
#: words, for the page and the command.
WAITED = {
    "relationships": (
        "Each row was checked on its own. Whether its mentee and mentor are known, that each "
        "person has one mentor at a time, and that each referral was ready for a match will "
        "be checked once the mentees and mentors sheets have no problems."
    ),
    "meetings": (
        "Each row was checked on its own. Whether each meeting's relationship is known, and "
        "falls within its dates, will be checked once the sheets before it have no problems."
    ),
}


def run_import(
    *,
    kind: str,
    by: User,
    scheme: Scheme,
    data: ImportData,
    dry_run: bool,
    go_live: datetime.date | None = None,
) -> ImportReport:
    """One kind's import, as the importer gives it (for callers holding one kind's data),
    its records watched from ``go_live`` (today if not given)."""
    watching = watched(kind, go_live or timezone.localdate())
    return IMPORTERS[kind](by=by, scheme=scheme, data=data, dry_run=dry_run, **watching)


@dataclass
class Part:
    """One kind of record in the file: a CSV file, or one sheet of a workbook."""

    kind: str
    sheet: str  # "" for a CSV file
    table: Table


@dataclass
class PartResult:
    kind: str
    sheet: str
    rows: int = 0
    new: int = 0  # written (or, for a check, what would be written)
    already_present: int = 0
    checked: bool = True  # False: not checked at all (jobs checked before the one-pass check)
    #: The rows were checked on their own, but the checks against the records of the sheets
    #: it depends on waited, because those sheets have problems (``WAITED`` says which).
    waited: bool = False


@dataclass
class Outcome:
    """What a whole file gave: each part's counts, and every problem (none: it imported)."""

    dry_run: bool
    parts: list[PartResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The look ahead: history and live rows, the first sweep's flags (``first_look``).
    first_look: dict[str, Any] | None = None
    #: The ids of the records the import wrote (rolled back since, for a check or a problem).
    written: Written = field(default_factory=Written)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new(self) -> int:
        return sum(p.new for p in self.parts)

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts)

    @property
    def already_present(self) -> int:
        return sum(p.already_present for p in self.parts)


def _sheet_kind(name: str) -> str | None:
    wanted = name.strip().lower()
    return wanted if wanted in IMPORTERS else None


def _listed(names: list[str]) -> str:
    return ", ".join(f"“{echoed(n)}”" for n in names)


def _choose_sheets(kind: str, names: list[str]) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(kind, sheet name) for each sheet to import, or the problem with the workbook's sheets."""
    has = f"The workbook has the sheet{'s' if len(names) > 1 else ''} {_listed(names)}."
    if kind == WORKBOOK:
        unknown = [n for n in names if _sheet_kind(n) is None]
        kinds = [_sheet_kind(n) for n in names]
        if unknown:
            return [], [
                Problem(
                    0,
                    "",
                    f"{has} Name each sheet for what it holds: mentors, mentees, relationships "
                    f"or meetings. Rename or remove {_listed(unknown)} (to import one kind "
                    "only, choose that kind instead).",
                )
            ]
        if len(set(kinds)) != len(kinds):
            return [], [Problem(0, "", f"{has} Two sheets are named for the same kind.")]
        return [(k, n) for k, n in zip(kinds, names, strict=True) if k], []
    named = [n for n in names if _sheet_kind(n) == kind]
    if named:
        return [(kind, named[0])], []
    if len(names) == 1:
        return [(kind, names[0])], []
    return [], [
        Problem(
            0,
            "",
            f"{has} Name the sheet to import “{kind}”, keep only that sheet, or choose "
            "“Everything” to import a sheet for each kind.",
        )
    ]


def read_parts(*, kind: str, data: bytes, filename: str = "") -> tuple[list[Part], list[Problem]]:
    """The file's parts to import, in the order they must go in, and what is wrong with it.
    A sheet that could be read is a part even when how it is kept has problems (merged
    cells, say: its ``table.problems``), so its rows are checked in the same pass; one that
    could not be read is only a problem, named by the sheet."""
    named_xlsx = filename.lower().endswith((".xlsx", ".xlsm", ".xls"))
    if not looks_like_workbook(data):
        if named_xlsx:
            return [], [
                Problem(
                    0,
                    "",
                    "The file is named as an Excel workbook but is not one: it may be damaged, "
                    "or another kind of file renamed. Open it in Excel and save it again as "
                    "“Excel Workbook (.xlsx)”.",
                )
            ]
        if kind == WORKBOOK:
            return [], [
                Problem(
                    0,
                    "",
                    "A CSV file holds one kind of record: choose which, or upload an Excel "
                    "workbook with a sheet for each kind.",
                )
            ]
        try:
            header, rows = read_rows(data)
        except ImportFileError as exc:
            return [], [Problem(exc.line, "", str(exc))]
        return [Part(kind, "", Table(header=header, rows=rows))], []
    try:
        workbook = UploadedWorkbook(data)
    except ImportFileError as exc:
        return [], [Problem(0, "", str(exc))]
    try:
        chosen, problems = _choose_sheets(kind, workbook.sheet_names)
        sheet_kind = dict((n, k) for k, n in chosen)
        parts = []
        for name, table in iter_sheets(workbook, [n for _, n in chosen]):
            if isinstance(table, Problem):
                problems.append(table)
            else:
                parts.append(Part(sheet_kind[name], name, table))
    finally:
        workbook.close()
    parts.sort(key=lambda p: ORDER.index(p.kind))
    return parts, problems


def _located(problem: Problem, part: Part) -> Problem:
    """The problem named by its sheet and cell, as Excel shows them."""
    letter = part.table.letters.get(problem.column, "")
    cell = problem.cell or (f"{letter}{problem.line}" if letter and problem.line > 1 else "")
    return dataclasses.replace(problem, sheet=part.sheet, cell=cell)


def import_parts(
    *,
    by: User,
    scheme: Scheme,
    parts: list[Part],
    dry_run: bool,
    progress: Progress | None = None,
    problems: list[Problem] | None = None,
    go_live: datetime.date | None = None,
) -> Outcome:
    """Import every part in order, in one transaction; roll it all back for a check
    (``dry_run``) or if any part has a problem. ``problems`` are the sheets' that could not
    be read at all. Every part's rows are checked, whatever came before; only the checks
    against records an earlier stage brings wait while that stage has problems (every row
    would only repeat that the records it names are missing), and its result says so
    (``waited``). One import or check into a scheme runs at a time: the next waits for it,
    telling ``progress`` it does (``home.import_lock``), then sees what it wrote. Referrals
    and relationships are watched from ``go_live`` (today if not given); an import or check
    that finds no problem says what the watcher will make of exactly the records it wrote
    (``outcome.written``), before it commits or rolls back (``first_look``)."""
    go_live = go_live or timezone.localdate()
    outcome = Outcome(dry_run=dry_run, problems=list(problems or []))
    total = sum(len(p.table.rows) for p in parts) or 1
    done = 0
    tell = progress or (lambda percent, message: None)
    failed_stages = {_stage(_sheet_kind(p.sheet) or "") for p in outcome.problems if p.sheet}
    with transaction.atomic():
        wait_for_the_scheme(scheme, tell)
        for part in parts:
            result = PartResult(part.kind, part.sheet, rows=len(part.table.rows))
            outcome.parts.append(result)
            stage = _stage(part.kind)
            where = f"sheet {part.sheet}" if part.sheet else f"the {part.kind}"
            start, share = done, len(part.table.rows)
            done += share

            def rows_done(
                n: int, of: int, start: int = start, share: int = share, where: str = where
            ) -> None:
                percent = (start + n * share // max(of, 1)) * 100 // total
                rows = f"row {n:,} of {of:,}" if n else f"{of:,} rows"
                tell(percent, f"{'Checking' if dry_run else 'Importing'} {where}: {rows}")

            found = [_located(p, part) for p in part.table.problems]
            part.table.progress = rows_done
            if any(failed < stage for failed in failed_stages) and part.kind in ROW_CHECKS:
                report, _ = check_rows(part.table, **ROW_CHECKS[part.kind])
                result.waited = True
            else:
                report = IMPORTERS[part.kind](
                    by=by,
                    scheme=scheme,
                    data=part.table,
                    dry_run=False,
                    **watched(part.kind, go_live),
                )
                result.new, result.already_present = report.created, report.already_present
                outcome.written.add(report.written)
            part.table.progress = None
            found += [_located(p, part) for p in report.problems]
            if found:
                failed_stages.add(stage)
                outcome.problems.extend(found)
            tell(done * 100 // total, f"Finished {where}")
        if not outcome.problems:
            outcome.first_look = first_look(scheme=scheme, go_live=go_live, written=outcome.written)
        if dry_run or outcome.problems:
            transaction.set_rollback(True)
    if outcome.problems and not dry_run:
        for result in outcome.parts:
            result.new = 0  # rolled back: nothing was written
    return outcome


def _stage(kind: str) -> int:
    """Where ``kind`` comes in the order of import (a sheet named for no kind: first)."""
    return next((i for i, s in enumerate(STAGES) if kind in s), 0)


def import_file(
    *,
    kind: str,
    by: User,
    scheme: Scheme,
    data: bytes,
    dry_run: bool,
    filename: str = "",
    progress: Progress | None = None,
    go_live: datetime.date | None = None,
) -> Outcome:
    """Read the file and import it (or check it: ``dry_run``), all or nothing, its records
    watched from ``go_live`` (today if not given)."""
    parts, problems = read_parts(kind=kind, data=data, filename=filename)
    if not parts:
        return Outcome(dry_run=dry_run, problems=problems)
    return import_parts(
        by=by,
        scheme=scheme,
        parts=parts,
        dry_run=dry_run,
        progress=progress,
        problems=problems,
        go_live=go_live,
    )
